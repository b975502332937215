// mx_dequantize: packed codes + scales -> f32, f16 or bf16 (docs/internals.md, "Kernels").
//
// value = decode(code) · s, with s = 2^(b - 127) (e8m0) or decode(sb) · tensorScale (ue4m3, that
// product rounded to f32 first); stochastic-3/4 then multiplies by f32(4/3). A NaN scale writes the
// quiet NaN 0x7FC00000 to the whole block. f16/bf16 outputs are the f32 values rounded by the core
// converters (RNE), a chunk at a time through static scratch.

import { FMT_E2M1, LAYOUT_GGML, SCALE_UE4M3, blockBytes, fmtWidth } from "./formats";
import { ROUND_STOCHASTIC_34 } from "./element";
import { blockScale, scaleTable } from "./scale";
import { getCode } from "./pack";
import { E2M1_BF16_HI, E2M1_BF16_LO, bf16HighToF32, bf16LowToF32, decodeTable, zipHigh8, zipLow8 } from "./lut";
import { f32_to_bf16, f32_to_f16 } from "../core/dtype";

// @ts-ignore: decorator
@inline const CHUNK: i32 = 1024;
const scratch = memory.data(CHUNK << 2, 16);

// @ts-ignore: decorator
@inline const FOUR_THIRDS: f32 = 1.3333333730697632; // f32(4/3)
// @ts-ignore: decorator
@inline const QNAN: u32 = 0x7fc00000;

/**
 * Dequantizes `rows` rows of `n` values; `outDtype` 0 writes f32, 1 f16 bits, 2 bf16 bits to
 * `out`. Returns the index (row·nblocks + block) of the first NaN-scale block, or -1.
 */
export function mx_dequantize(
  codes: usize, scales: usize, rows: i32, n: i32, fmt: i32, bs: i32, scaleFmt: i32, rounding: i32,
  layout: i32, tensorScale: f32, out: usize, outDtype: i32,
): i32 {
  if (rows <= 0 || n <= 0 || bs <= 0) return -1;
  const nb = (n + bs - 1) / bs;
  const bb = blockBytes(fmt, bs);
  const lut = decodeTable(fmt);
  const three4 = rounding == ROUND_STOCHASTIC_34;
  const ue4m3 = scaleFmt == SCALE_UE4M3;
  const st = scaleTable(scaleFmt);
  let firstNaN = -1;
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < nb; b++) {
      const idx = <usize>r * <usize>nb + <usize>b;
      const c0 = b * bs;
      const len = min(bs, n - c0);
      const sb = <u32>load<u8>(scales + idx);
      const s = blockScale(st, sb, ue4m3, tensorScale);
      if (s != s && firstNaN < 0) firstNaN = <i32>idx;
      const p = codes + idx * bb;
      const e0 = <usize>r * <usize>n + <usize>c0;
      if (outDtype == 0) {
        decodeRange(p, fmt, bs, layout, lut, s, three4, 0, len, out + (e0 << 2));
        continue;
      }
      for (let i0 = 0; i0 < len; i0 += CHUNK) {
        const count = min(CHUNK, len - i0);
        decodeRange(p, fmt, bs, layout, lut, s, three4, i0, i0 + count, scratch);
        const dst = out + ((e0 + <usize>i0) << 1);
        if (outDtype == 1) f32_to_f16(scratch, dst, count);
        else f32_to_bf16(scratch, dst, count);
      }
    }
  }
  return firstNaN;
}

// Elements i0..i1-1 of the block at `p` to f32 at `dst` (element i0 first).
function decodeRange(
  p: usize, fmt: i32, bs: i32, layout: i32, lut: usize, s: f32, three4: bool, i0: i32, i1: i32,
  dst: usize,
): void {
  if (s != s) {
    for (let i = i0; i < i1; i++) store<u32>(dst + (<usize>(i - i0) << 2), QNAN);
    return;
  }
  if (ASC_FEATURE_SIMD) {
    if (fmt == FMT_E2M1 && !three4 && i0 == 0 && i1 == bs &&
      (layout == LAYOUT_GGML ? bs % 32 == 0 : bs % 16 == 0)) {
      e2m1Block(p, bs, layout, s, dst);
      return;
    }
  }
  const width = fmtWidth(fmt);
  for (let i = i0; i < i1; i++) {
    let v = load<f32>(lut + (<usize>getCode(p, width, layout, bs, i) << 2)) * s;
    if (three4) v *= FOUR_THIRDS;
    store<f32>(dst + (<usize>(i - i0) << 2), v);
  }
}

// A whole E2M1 block by the byte-plane tables: 16 codes -> 16 f32 per step (SIMD build only).
// @ts-ignore: decorator
@inline function e2m1Block(p: usize, bs: i32, layout: i32, s: f32, dst: usize): void {
  const lo = v128.load(E2M1_BF16_LO);
  const hi = v128.load(E2M1_BF16_HI);
  const zero = i32x4.splat(0);
  const nibble = i8x16.splat(15);
  const sv = f32x4.splat(s);
  if (layout == LAYOUT_GGML) {
    const half = bs >> 1;
    for (let j = 0; j < half; j += 16) {
      const bytes = v128.load(p + <usize>j);
      decode16(v128.and(bytes, nibble), lo, hi, zero, sv, dst + (<usize>j << 2));
      decode16(i8x16.shr_u(bytes, 4), lo, hi, zero, sv, dst + (<usize>(j + half) << 2));
    }
    return;
  }
  for (let j = 0; j < bs; j += 16) {
    // 8 bytes = codes of elements j..j+15, low nibble first.
    const bytes = v128.load64_zero(p + (<usize>j >> 1));
    const c = zipLow8(v128.and(bytes, nibble), i8x16.shr_u(bytes, 4));
    decode16(c, lo, hi, zero, sv, dst + (<usize>j << 2));
  }
}

// @ts-ignore: decorator
@inline function decode16(c: v128, lo: v128, hi: v128, zero: v128, sv: v128, dst: usize): void {
  const l = i8x16.swizzle(lo, c);
  const h = i8x16.swizzle(hi, c);
  const b0 = zipLow8(l, h);
  const b1 = zipHigh8(l, h);
  v128.store(dst, f32x4.mul(bf16LowToF32(zero, b0), sv));
  v128.store(dst, f32x4.mul(bf16HighToF32(zero, b0), sv), 16);
  v128.store(dst, f32x4.mul(bf16LowToF32(zero, b1), sv), 32);
  v128.store(dst, f32x4.mul(bf16HighToF32(zero, b1), sv), 48);
}
