// mx_quantize: rows of f32 -> packed element codes + one scale byte per block
// (docs/internals.md, "Block quantization").
//
// Every block takes its amax, its scale and then one of two element paths: the E2M1 fast path
// for the deterministic roundings (fp4.ts) or the general path (element.ts, any format and mode,
// partial blocks, random words). Both give the same codes; the choice only affects speed.

import { FMT_E2M1, FMT_E4M3, FMT_E5M2, FMT_E8M0, FMT_UE4M3, SCALE_UE4M3, blockBytes, fmtWidth } from "./formats";
import { ROUND_AWAY, ROUND_GGML, ROUND_RNE, ROUND_STOCHASTIC, ROUND_STOCHASTIC_34, encodeElement } from "./element";
import { e8m0Exponent, e8m0Inverse, ue4m3Divisor, ue4m3Scale } from "./scale";
import { blockMaxAbs } from "./amax";
import { fp4EncodeBlock } from "./fp4";
import { putCode } from "./pack";
import { randomStart, randomWord } from "./random";

// @ts-ignore: decorator
@inline const F32_MAX: f32 = 3.4028234663852886e38;

// Byte filling the codes of a NaN block: the format's NaN code where it has one, else 0.
// @ts-ignore: decorator
@inline function nanFill(fmt: i32): u8 {
  if (fmt == FMT_E4M3 || fmt == FMT_UE4M3) return 0x7f;
  if (fmt == FMT_E5M2) return 0x7e;
  return fmt == FMT_E8M0 ? 0xff : 0;
}

/**
 * Quantizes `rows` rows of `n` f32 at `x` in blocks of `bs` to format `fmt` with scale format
 * `scaleFmt`, scale rule `scaleRule` (e8m0 only), element `rounding`, overflow `saturate`, FP4
 * `layout`, NVFP4 `tensorScale`, Philox key (key0, key1) and `firstRow` (the global index of row 0,
 * for the random words); writes rows·nblocks·blockBytes bytes to `codes` and rows·nblocks to `scales`.
 */
export function mx_quantize(
  x: usize, rows: i32, n: i32, fmt: i32, bs: i32, scaleFmt: i32, scaleRule: i32, rounding: i32,
  saturate: i32, layout: i32, tensorScale: f32, key0: u32, key1: u32, firstRow: u32, codes: usize,
  scales: usize,
): void {
  if (rows <= 0 || n <= 0 || bs <= 0) return;
  randomStart(key0, key1);
  const nb = (n + bs - 1) / bs;
  const bb = blockBytes(fmt, bs);
  const fast = fmt == FMT_E2M1 && (bs & 1) == 0 &&
    (rounding == ROUND_RNE || rounding == ROUND_AWAY || rounding == ROUND_GGML);
  const ue4m3 = scaleFmt == SCALE_UE4M3;
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < nb; b++) {
      const c0 = b * bs;
      const len = min(bs, n - c0);
      const src = x + ((<usize>r * <usize>n + <usize>c0) << 2);
      const idx = <usize>r * <usize>nb + <usize>b;
      const dst = codes + idx * bb;
      const amax = blockMaxAbs(src, len);
      if (!(amax <= F32_MAX)) {
        // NaN or ±Inf in the block.
        store<u8>(scales + idx, ue4m3 ? 0x7f : 0xff);
        memory.fill(dst, nanFill(fmt), bb);
        continue;
      }
      let s: f32;
      if (ue4m3) {
        if (amax == 0) {
          store<u8>(scales + idx, 0);
          memory.fill(dst, 0, bb);
          continue;
        }
        const sb = ue4m3Scale(amax, tensorScale);
        store<u8>(scales + idx, <u8>sb);
        s = ue4m3Divisor(sb, tensorScale);
      } else {
        const se = e8m0Exponent(amax, fmt, scaleRule);
        store<u8>(scales + idx, <u8>(se + 127));
        s = e8m0Inverse(se);
      }
      if (fast && len == bs) {
        fp4EncodeBlock(src, bs, layout, rounding, ue4m3, s, dst);
      } else {
        const g0 = (<u64>firstRow + <u64>r) * <u64>n + <u64>c0;
        generalBlock(src, len, bs, fmt, layout, rounding, saturate != 0, ue4m3, s, g0, dst);
      }
    }
  }
}

// Any format, rounding and block length: element i < len is v / s (`div`) or v · s, times 3/4 for
// stochastic-3/4; positions len..bs-1 (padding) keep the +0 code.
function generalBlock(
  src: usize, len: i32, bs: i32, fmt: i32, layout: i32, rounding: i32, saturate: bool, div: bool,
  s: f32, g0: u64, dst: usize,
): void {
  const width = fmtWidth(fmt);
  memory.fill(dst, 0, blockBytes(fmt, bs));
  const stochastic = rounding == ROUND_STOCHASTIC || rounding == ROUND_STOCHASTIC_34;
  for (let i = 0; i < len; i++) {
    const v = load<f32>(src + (<usize>i << 2));
    let y: f32;
    if (div) {
      y = v / s;
      // ±0 / 0 (divisor underflowed to 0): a signed zero, as the fast path gives.
      if (y != y) y = copysign<f32>(0, v);
    } else {
      y = v * s;
    }
    if (rounding == ROUND_STOCHASTIC_34) y *= 0.75;
    const r = stochastic ? randomWord(g0 + <u64>i) : 0;
    putCode(dst, width, layout, bs, i, encodeElement(fmt, y, rounding, saturate, r));
  }
}
