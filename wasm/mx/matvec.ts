// mx_matvec: y = W·x for a quantized matrix W (rows × n), the inference hot loop.
//
// Order of the f32 arithmetic, the same in both builds (the SIMD build's lanes are the scalar
// build's four accumulators): within a block, element j (counted from the block start) is added
// to accumulator j mod 4 in increasing j, acc += decode(code_j) · x_j; the block's partial sum is
// (acc0 + acc2) + (acc1 + acc3); then y_r += partial · s with s the block scale as dequantization
// computes it, y_r starting at 0. Elements past n in a partial block are not read.

import { FMT_E2M1, LAYOUT_GGML, SCALE_UE4M3, blockBytes, fmtWidth } from "./formats";
import { blockScale, scaleTable } from "./scale";
import { getCode } from "./pack";
import { E2M1_BF16_HI, E2M1_BF16_LO, bf16HighToF32, bf16LowToF32, decodeTable, zipHigh8, zipLow8 } from "./lut";

/**
 * y[r] = Σ_j dequant(r, j) · x[j] for the `rows` rows of `n` values in `codes`/`scales`
 * (format `fmt`, blocks of `bs`, scale format `scaleFmt`, FP4 `layout`, NVFP4 `tensorScale`).
 */
export function mx_matvec(
  codes: usize, scales: usize, rows: i32, n: i32, fmt: i32, bs: i32, scaleFmt: i32, layout: i32,
  tensorScale: f32, x: usize, y: usize,
): void {
  if (rows <= 0 || bs <= 0) return;
  if (n <= 0) {
    memory.fill(y, 0, <usize>rows << 2);
    return;
  }
  const nb = (n + bs - 1) / bs;
  const bb = blockBytes(fmt, bs);
  const lut = decodeTable(fmt);
  const width = fmtWidth(fmt);
  const simdFp4 = fmt == FMT_E2M1 && (layout == LAYOUT_GGML ? bs % 32 == 0 : bs % 16 == 0);
  const ue4m3 = scaleFmt == SCALE_UE4M3;
  const st = scaleTable(scaleFmt);
  for (let r = 0; r < rows; r++) {
    let acc: f32 = 0;
    const rowCodes = codes + <usize>r * <usize>nb * bb;
    const rowScales = scales + <usize>r * <usize>nb;
    for (let b = 0; b < nb; b++) {
      const sb = <u32>load<u8>(rowScales + <usize>b);
      const s = blockScale(st, sb, ue4m3, tensorScale);
      const c0 = b * bs;
      const len = min(bs, n - c0);
      const p = rowCodes + <usize>b * bb;
      const xb = x + (<usize>c0 << 2);
      let partial: f32;
      if (ASC_FEATURE_SIMD) {
        if (simdFp4 && len == bs) partial = e2m1Partial(p, bs, layout, xb);
        else partial = generalPartial(p, width, layout, bs, len, lut, xb);
      } else {
        partial = generalPartial(p, width, layout, bs, len, lut, xb);
      }
      acc += partial * s;
    }
    store<f32>(y + (<usize>r << 2), acc);
  }
}

// Σ decode(code_j) · x_j over elements 0..len-1 of the block at `p`, in the documented order.
function generalPartial(p: usize, width: i32, layout: i32, bs: i32, len: i32, lut: usize, x: usize): f32 {
  let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
  let j = 0;
  for (; j + 4 <= len; j += 4) {
    const xp = x + (<usize>j << 2);
    a0 += load<f32>(lut + (<usize>getCode(p, width, layout, bs, j) << 2)) * load<f32>(xp);
    a1 += load<f32>(lut + (<usize>getCode(p, width, layout, bs, j + 1) << 2)) * load<f32>(xp, 4);
    a2 += load<f32>(lut + (<usize>getCode(p, width, layout, bs, j + 2) << 2)) * load<f32>(xp, 8);
    a3 += load<f32>(lut + (<usize>getCode(p, width, layout, bs, j + 3) << 2)) * load<f32>(xp, 12);
  }
  if (j < len) a0 += load<f32>(lut + (<usize>getCode(p, width, layout, bs, j) << 2)) * load<f32>(x + (<usize>j << 2));
  if (j + 1 < len) a1 += load<f32>(lut + (<usize>getCode(p, width, layout, bs, j + 1) << 2)) * load<f32>(x + (<usize>(j + 1) << 2));
  if (j + 2 < len) a2 += load<f32>(lut + (<usize>getCode(p, width, layout, bs, j + 2) << 2)) * load<f32>(x + (<usize>(j + 2) << 2));
  return (a0 + a2) + (a1 + a3);
}

// The same for a whole E2M1 block, 16 elements per step (SIMD build only).
// @ts-ignore: decorator
@inline function e2m1Partial(p: usize, bs: i32, layout: i32, x: usize): f32 {
  const lo = v128.load(E2M1_BF16_LO);
  const hi = v128.load(E2M1_BF16_HI);
  const zero = i32x4.splat(0);
  const nibble = i8x16.splat(15);
  let acc = f32x4.splat(0);
  if (layout == LAYOUT_GGML) {
    // Low nibbles are elements 0..bs/2-1, high nibbles the rest: two passes keep the order.
    const half = bs >> 1;
    for (let j = 0; j < half; j += 16) {
      acc = dot16(v128.and(v128.load(p + <usize>j), nibble), lo, hi, zero, x + (<usize>j << 2), acc);
    }
    for (let j = 0; j < half; j += 16) {
      acc = dot16(i8x16.shr_u(v128.load(p + <usize>j), 4), lo, hi, zero, x + (<usize>(j + half) << 2), acc);
    }
  } else {
    for (let j = 0; j < bs; j += 16) {
      const bytes = v128.load64_zero(p + (<usize>j >> 1));
      const c = zipLow8(v128.and(bytes, nibble), i8x16.shr_u(bytes, 4));
      acc = dot16(c, lo, hi, zero, x + (<usize>j << 2), acc);
    }
  }
  // (acc0 + acc2) + (acc1 + acc3)
  const t = f32x4.add(acc, i32x4.shuffle(acc, acc, 2, 3, 0, 1));
  return f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1);
}

// acc + the E2M1 values of 16 codes times the 16 f32 at x, four elements at a time.
// @ts-ignore: decorator
@inline function dot16(c: v128, lo: v128, hi: v128, zero: v128, x: usize, acc: v128): v128 {
  const l = i8x16.swizzle(lo, c);
  const h = i8x16.swizzle(hi, c);
  const b0 = zipLow8(l, h);
  const b1 = zipHigh8(l, h);
  acc = f32x4.add(acc, f32x4.mul(bf16LowToF32(zero, b0), v128.load(x)));
  acc = f32x4.add(acc, f32x4.mul(bf16HighToF32(zero, b0), v128.load(x, 16)));
  acc = f32x4.add(acc, f32x4.mul(bf16LowToF32(zero, b1), v128.load(x, 32)));
  return f32x4.add(acc, f32x4.mul(bf16HighToF32(zero, b1), v128.load(x, 48)));
}
