// Fast E2M1 encoding of whole blocks for the deterministic modes (rne, away, ggml).
//
// The code magnitude of y is the number of decision thresholds |y| exceeds. The midpoints between
// adjacent E2M1 values are 0.25, 0.75, 1.25, 1.75, 2.5, 3.5 and 5; a tie that rounds up is made
// a strict comparison against the float just below the midpoint. This is exactly the rounding of
// element.ts (the tests compare both on every midpoint and its neighbours). The sign bit comes
// from the input v, not from y: they differ only when y = ±0/0 = NaN (an underflowed NVFP4
// divisor), which thereby encodes as a signed zero, as the general path does.

import { LAYOUT_GGML } from "./formats";
import { ROUND_AWAY, ROUND_GGML, ROUND_RNE } from "./element";

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
    // ±0 / 0 (an underflowed divisor) is NaN, which fp4Codes16 does not expect: scalar then.
    if (fp4SimdFits(bs, layout) && !(div && s == 0)) {
      const sv = f32x4.splat(s);
      if (div) fp4SimdBlock(src, bs, layout, fp4QTable(mode), true, sv, dst);
      else fp4SimdBlock(src, bs, layout, fp4QTable(mode), false, sv, dst);
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

/** Whether fp4SimdBlock takes blocks of `bs` in `layout` (whole 16-element groups per half). */
// @ts-ignore: decorator
@inline export function fp4SimdFits(bs: i32, layout: i32): bool {
  return layout == LAYOUT_GGML ? bs % 32 == 0 : bs % 16 == 0;
}

/**
 * SIMD build: the full block of `bs` f32 at `src` (fp4SimdFits), y = v / s or v · s with s splat in
 * `sv` (s != 0 when dividing), E2M1 with rounding `mode` (a constant), bs/2 packed bytes to `dst`.
 */
// @ts-ignore: decorator
@inline export function fp4SimdBlock(src: usize, bs: i32, layout: i32, t: usize, div: bool, sv: v128, dst: usize): void {
  if (layout == LAYOUT_GGML) {
    const half = bs >> 1;
    const hiOff = <usize>half << 2;
    for (let j = 0; j < half; j += 16) {
      const p = src + (<usize>j << 2);
      const lo = fp4Codes16(p, t, div, sv);
      const hi = fp4Codes16(p + hiOff, t, div, sv);
      // Codes are < 16, so the 16-bit shift moves every byte's nibble up without crossing bytes.
      v128.store(dst + <usize>j, v128.or(lo, i16x8.shl(hi, 4)));
    }
    return;
  }
  if (bs == 32) {
    // One block of MXFP4: both halves packed into one 16-byte store.
    const c0 = fp4Codes16(src, t, div, sv);
    const c1 = fp4Codes16(src + 64, t, div, sv);
    const lowByte = i16x8.splat(0xff);
    const x0 = v128.and(v128.or(c0, i16x8.shr_u(c0, 4)), lowByte);
    const x1 = v128.and(v128.or(c1, i16x8.shr_u(c1, 4)), lowByte);
    v128.store(dst, i8x16.narrow_i16x8_u(x0, x1));
    return;
  }
  for (let j = 0; j < bs; j += 16) {
    const c = fp4Codes16(src + (<usize>j << 2), t, div, sv);
    // 16-bit lane k holds code(2k) | code(2k+1) << 8; its low byte becomes code(2k) | code(2k+1) << 4.
    const x = v128.and(v128.or(c, i16x8.shr_u(c, 4)), i16x8.splat(0xff));
    v128.store64_lane(dst + (<usize>j >> 1), i8x16.narrow_i16x8_u(x, x), 0);
  }
}

// The code magnitude is the number of the thresholds 0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5 that |y|
// passes (strictly, or reaching it for a tie that rounds up), decided on the f32 bits a = bits(|y|).
// Every threshold T is a multiple of 2^21, so with q = floor(a / 2^21) + ceil(a / 2^21) (2·T' where
// a = T, one more or less strictly above or below it, T' = T / 2^21): a > T iff q > 2T' and a >= T
// iff q > 2T' - 1. q (< 2^11) fits 16-bit lanes and, less Q_BASE and saturated, 8-bit lanes, where
// one comparison covers 16 elements. Computed on the signed bits, q carries the sign as + 2^11.
// @ts-ignore: decorator
@inline const Q_BASE: i16 = 0x3f9;

// Thresholds in the d = q - Q_BASE domain: 2T' - Q_BASE = -17, -5, 1, 5, 9, 13, 17 for "a > T",
// one less for "a >= T" (rne: ties of 0.75, 1.75, 3.5 round up; away: all; ggml: none), as 16 equal
// bytes each, then a 16-byte mask that keeps the sign: all ones, but zero for ggml (where a zero
// magnitude drops the sign).
const Q_THRESHOLDS = memory.data<i8>([
  -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17,
  -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
  17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  // away
  -18, -18, -18, -18, -18, -18, -18, -18, -18, -18, -18, -18, -18, -18, -18, -18,
  -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6, -6,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
  16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  // ggml
  -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17, -17,
  -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
  9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
  13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13,
  17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17, 17,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
], 16);

/** Threshold table (Q_THRESHOLDS) of rounding `mode` (rne, away or ggml) for fp4Codes16. */
// @ts-ignore: decorator
@inline export function fp4QTable(mode: i32): usize {
  return Q_THRESHOLDS + (mode == ROUND_AWAY ? 128 : mode == ROUND_GGML ? 256 : 0);
}

// 16 codes (one per byte, element order, sign at bit 3) of the 16 f32 at p; t from fp4QTable.
// @ts-ignore: decorator
@inline export function fp4Codes16(p: usize, t: usize, div: bool, sv: v128): v128 {
  const q0 = fp4Q(v128.load(p), div, sv);
  const q1 = fp4Q(v128.load(p, 16), div, sv);
  const q2 = fp4Q(v128.load(p, 32), div, sv);
  const q3 = fp4Q(v128.load(p, 48), div, sv);
  const h0 = i16x8.narrow_i32x4_s(q0, q1);
  const h1 = i16x8.narrow_i32x4_s(q2, q3);
  const magMask = i16x8.splat(0x7ff);
  const base = i16x8.splat(Q_BASE);
  const d = i8x16.narrow_i16x8_s(i16x8.sub(v128.and(h0, magMask), base), i16x8.sub(v128.and(h1, magMask), base));
  let sign = v128.and(i8x16.narrow_i16x8_u(i16x8.shr_u(h0, 8), i16x8.shr_u(h1, 8)), i8x16.splat(8));
  // Sum of the comparison masks: minus the code magnitude.
  const c0 = i8x16.gt_s(d, v128.load(t));
  let m = c0;
  m = i8x16.add(m, i8x16.gt_s(d, v128.load(t, 16)));
  m = i8x16.add(m, i8x16.gt_s(d, v128.load(t, 32)));
  m = i8x16.add(m, i8x16.gt_s(d, v128.load(t, 48)));
  m = i8x16.add(m, i8x16.gt_s(d, v128.load(t, 64)));
  m = i8x16.add(m, i8x16.gt_s(d, v128.load(t, 80)));
  m = i8x16.add(m, i8x16.gt_s(d, v128.load(t, 96)));
  // ggml: a zero magnitude (not past the lowest threshold) drops the sign.
  sign = v128.and(sign, v128.or(c0, v128.load(t, 112)));
  return i8x16.sub(sign, m);
}

// q (+ 2^11 when negative) of four lanes; y is finite or infinite (never NaN).
// @ts-ignore: decorator
@inline function fp4Q(v: v128, div: bool, sv: v128): v128 {
  const y = div ? f32x4.div(v, sv) : f32x4.mul(v, sv);
  // |y| <= 0x7f800000: adding 2^21 - 1 never carries into the sign bit.
  return i32x4.add(i32x4.shr_u(y, 21), i32x4.shr_u(i32x4.add(y, i32x4.splat(0x1fffff)), 21));
}

/** The rounding mode of a fp4QTable table. */
// @ts-ignore: decorator
@inline export function fp4Mode(t: usize): i32 {
  const k = t - Q_THRESHOLDS;
  return k == 128 ? ROUND_AWAY : k == 256 ? ROUND_GGML : ROUND_RNE;
}
