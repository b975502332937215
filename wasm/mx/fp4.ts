// Fast E2M1 encoding of whole blocks for the deterministic modes (rne, away, ggml).
//
// The code magnitude of y is the number of decision thresholds |y| exceeds. The midpoints between
// adjacent E2M1 values are 0.25, 0.75, 1.25, 1.75, 2.5, 3.5 and 5; a tie that rounds up is made
// a strict comparison against the float just below the midpoint. This is exactly the rounding of
// element.ts (the tests compare both on every midpoint and its neighbours). The sign bit comes
// from the input v, not from y: they differ only when y = ±0/0 = NaN (an underflowed NVFP4
// divisor), which thereby encodes as a signed zero, as the general path does.

import { LAYOUT_GGML } from "./formats";
import { ROUND_AWAY, ROUND_GGML } from "./element";

// 8 words per mode (7 thresholds + padding): rne, away, ggml.
const THRESHOLDS = memory.data<u32>([
  // rne: 0.25 -> 0, 0.75 -> 1, 1.25 -> 1, 1.75 -> 2, 2.5 -> 2, 3.5 -> 4, 5 -> 4 (even codes)
  0x3e800000, 0x3f3fffff, 0x3fa00000, 0x3fdfffff, 0x40200000, 0x405fffff, 0x40a00000, 0,
  // away: every tie up
  0x3e7fffff, 0x3f3fffff, 0x3f9fffff, 0x3fdfffff, 0x401fffff, 0x405fffff, 0x409fffff, 0,
  // ggml: every tie toward zero
  0x3e800000, 0x3f400000, 0x3fa00000, 0x3fe00000, 0x40200000, 0x40600000, 0x40a00000, 0,
]);

// @ts-ignore: decorator
@inline function thresholds(mode: i32): usize {
  return THRESHOLDS + (mode == ROUND_AWAY ? 32 : mode == ROUND_GGML ? 64 : 0);
}

/**
 * Encodes the full block of `bs` (even) f32 at `src` (y = v / s when `div`, else v · s) to E2M1
 * with rounding `mode` (0, 1 or 4) and writes bs/2 packed bytes in `layout` to `dst`.
 */
export function fp4EncodeBlock(src: usize, bs: i32, layout: i32, mode: i32, div: bool, s: f32, dst: usize): void {
  const ggml = mode == ROUND_GGML;
  if (ASC_FEATURE_SIMD) {
    if (layout == LAYOUT_GGML ? bs % 32 == 0 : bs % 16 == 0) {
      if (div) {
        if (ggml) fp4Simd(src, bs, layout, thresholds(mode), true, true, s, dst);
        else fp4Simd(src, bs, layout, thresholds(mode), true, false, s, dst);
      } else {
        if (ggml) fp4Simd(src, bs, layout, thresholds(mode), false, true, s, dst);
        else fp4Simd(src, bs, layout, thresholds(mode), false, false, s, dst);
      }
      return;
    }
  }
  if (div) fp4Scalar(src, bs, layout, thresholds(mode), true, ggml, s, dst);
  else fp4Scalar(src, bs, layout, thresholds(mode), false, ggml, s, dst);
}

// @ts-ignore: decorator
@inline function fp4Scalar(src: usize, bs: i32, layout: i32, t: usize, div: bool, ggml: bool, s: f32, dst: usize): void {
  const t0 = load<f32>(t), t1 = load<f32>(t, 4), t2 = load<f32>(t, 8), t3 = load<f32>(t, 12);
  const t4 = load<f32>(t, 16), t5 = load<f32>(t, 20), t6 = load<f32>(t, 24);
  const half = bs >> 1;
  // Element offsets (in floats) of the low and high nibble of byte j.
  const step: usize = layout == LAYOUT_GGML ? 1 : 2;
  const hiOff: usize = layout == LAYOUT_GGML ? <usize>half : 1;
  for (let j = 0; j < half; j++) {
    const lo = src + ((<usize>j * step) << 2);
    const hi = lo + (hiOff << 2);
    const a = code1(load<f32>(lo), div, ggml, s, t0, t1, t2, t3, t4, t5, t6);
    const b = code1(load<f32>(hi), div, ggml, s, t0, t1, t2, t3, t4, t5, t6);
    store<u8>(dst + <usize>j, <u8>(a | (b << 4)));
  }
}

// @ts-ignore: decorator
@inline function code1(v: f32, div: bool, ggml: bool, s: f32, t0: f32, t1: f32, t2: f32, t3: f32, t4: f32, t5: f32, t6: f32): u32 {
  const a = abs(div ? v / s : v * s);
  const c = <u32>(a > t0) + <u32>(a > t1) + <u32>(a > t2) + <u32>(a > t3) + <u32>(a > t4) + <u32>(a > t5) + <u32>(a > t6);
  const sign = reinterpret<u32>(v) >>> 31;
  return c | ((ggml && c == 0 ? 0 : sign) << 3);
}

// @ts-ignore: decorator
@inline function fp4Simd(src: usize, bs: i32, layout: i32, t: usize, div: bool, ggml: bool, s: f32, dst: usize): void {
  const t0 = v128.load32_splat(t), t1 = v128.load32_splat(t, 4), t2 = v128.load32_splat(t, 8);
  const t3 = v128.load32_splat(t, 12), t4 = v128.load32_splat(t, 16), t5 = v128.load32_splat(t, 20);
  const t6 = v128.load32_splat(t, 24);
  const k = memory.data<u32>([8, 0x000f000f, 0x00f000f0]);
  const eight = v128.load32_splat(k);
  const lowNibble = v128.load32_splat(k, 4);
  const highNibble = v128.load32_splat(k, 8);
  const sv = f32x4.splat(s);
  if (layout == LAYOUT_GGML) {
    const half = bs >> 1;
    const hiOff = <usize>half << 2;
    for (let j = 0; j < half; j += 16) {
      const p = src + (<usize>j << 2);
      const lo = codes16(p, div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight);
      const hi = codes16(p + hiOff, div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight);
      v128.store(dst + <usize>j, v128.or(lo, i8x16.shl(hi, 4)));
    }
    return;
  }
  let j = 0;
  for (; j + 32 <= bs; j += 32) {
    const p = src + (<usize>j << 2);
    const a = pairs8(codes16(p, div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight), lowNibble, highNibble);
    const b = pairs8(codes16(p + 64, div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight), lowNibble, highNibble);
    v128.store(dst + (<usize>j >> 1), i8x16.narrow_i16x8_u(a, b));
  }
  if (j < bs) {
    const a = pairs8(codes16(src + (<usize>j << 2), div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight), lowNibble, highNibble);
    v128.store64_lane(dst + (<usize>j >> 1), i8x16.narrow_i16x8_u(a, a), 0);
  }
}

// 16 codes (bytes) of the 16 f32 at p.
// @ts-ignore: decorator
@inline function codes16(p: usize, div: bool, ggml: bool, sv: v128, t0: v128, t1: v128, t2: v128, t3: v128, t4: v128, t5: v128, t6: v128, eight: v128): v128 {
  const c0 = codes4(v128.load(p), div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight);
  const c1 = codes4(v128.load(p, 16), div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight);
  const c2 = codes4(v128.load(p, 32), div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight);
  const c3 = codes4(v128.load(p, 48), div, ggml, sv, t0, t1, t2, t3, t4, t5, t6, eight);
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_u(c0, c1), i16x8.narrow_i32x4_u(c2, c3));
}

// code1 on four lanes (a true comparison is lane -1, so the sum of the masks is minus the count).
// @ts-ignore: decorator
@inline function codes4(v: v128, div: bool, ggml: bool, sv: v128, t0: v128, t1: v128, t2: v128, t3: v128, t4: v128, t5: v128, t6: v128, eight: v128): v128 {
  const a = f32x4.abs(div ? f32x4.div(v, sv) : f32x4.mul(v, sv));
  const m = i32x4.add(
    i32x4.add(i32x4.add(f32x4.gt(a, t0), f32x4.gt(a, t1)), i32x4.add(f32x4.gt(a, t2), f32x4.gt(a, t3))),
    i32x4.add(i32x4.add(f32x4.gt(a, t4), f32x4.gt(a, t5)), f32x4.gt(a, t6)),
  );
  const c = i32x4.neg(m);
  let sign = v128.and(i32x4.shr_u(v, 28), eight);
  if (ggml) sign = v128.andnot(sign, i32x4.eq(m, i32x4.splat(0)));
  return v128.or(c, sign);
}

// Pairs packing of 16 codes: i16 lane j holds code(2j) | code(2j+1) << 8 and becomes
// code(2j) | code(2j+1) << 4 (< 256, so the caller's unsigned narrowing keeps it).
// @ts-ignore: decorator
@inline function pairs8(c: v128, lowNibble: v128, highNibble: v128): v128 {
  return v128.or(v128.and(c, lowNibble), v128.and(i16x8.shr_u(c, 4), highNibble));
}
