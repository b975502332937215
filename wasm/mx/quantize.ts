// mx_quantize: rows of f32 -> packed element codes + one scale byte per block
// (docs/internals.md, "Block quantization").
//
// Every block takes its amax, its scale and then one of two element paths: the E2M1 fast path
// for the deterministic roundings (fp4.ts) or the general path (element.ts, any format and mode,
// partial blocks, random words). Both give the same codes; the choice only affects speed.

import { FMT_E2M1, FMT_E4M3, FMT_E5M2, FMT_E8M0, FMT_UE4M3, LAYOUT_PAIRS, SCALE_UE4M3, blockBytes, fmtWidth } from "./formats";
import { decodeTable } from "./lut";
import { ROUND_AWAY, ROUND_GGML, ROUND_RNE, ROUND_STOCHASTIC, ROUND_STOCHASTIC_34, encodeElement } from "./element";
import { RULE_FLOOR, e8m0Exponent, e8m0Inverse, ue4m3Divisor, ue4m3Scale, ue4m3ScaleFast } from "./scale";
import { blockMaxAbs } from "./amax";
import { fp4Codes16, fp4EncodeBlock, fp4Mode, fp4QTable, fp4SimdBlock, fp4SimdFits } from "./fp4";
import { pow2f } from "./element";
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
  if (ASC_FEATURE_SIMD) {
    if (fast && fp4SimdFits(bs, layout)) {
      fp4RowsMode(x, rows, n, bs, layout, fp4QTable(rounding), ue4m3, scaleRule, tensorScale, firstRow, codes, scales);
      return;
    }
  }
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

// fp4Rows with constant block geometry for the common cases (MXFP4 and NVFP4 in pairs layout).
// @ts-ignore: decorator
@inline function fp4RowsMode(
  x: usize, rows: i32, n: i32, bs: i32, layout: i32, t: usize, ue4m3: bool, scaleRule: i32,
  tensorScale: f32, firstRow: u32, codes: usize, scales: usize,
): void {
  if (ue4m3) {
    if (bs == 16 && layout == LAYOUT_PAIRS) fp4Rows(x, rows, n, 16, LAYOUT_PAIRS, t, true, scaleRule, tensorScale, firstRow, codes, scales);
    else fp4Rows(x, rows, n, bs, layout, t, true, scaleRule, tensorScale, firstRow, codes, scales);
  } else {
    if (bs == 32 && layout == LAYOUT_PAIRS) fp4Rows(x, rows, n, 32, LAYOUT_PAIRS, t, false, scaleRule, tensorScale, firstRow, codes, scales);
    else fp4Rows(x, rows, n, bs, layout, t, false, scaleRule, tensorScale, firstRow, codes, scales);
  }
}

// SIMD build, E2M1 with a deterministic `mode` (a constant, as is `ue4m3`) and blocks that
// fp4SimdFits: the whole-block loop of mx_quantize with amax on the bits (|v| ordered as unsigned
// integers; >= 0x7F800000 means NaN or Inf), the scale once per block and fp4SimdBlock. Partial
// last blocks go through the general path, as in mx_quantize.
// @ts-ignore: decorator
@inline function fp4Rows(
  x: usize, rows: i32, n: i32, bs: i32, layout: i32, t: usize, ue4m3: bool, scaleRule: i32,
  tensorScale: f32, firstRow: u32, codes: usize, scales: usize,
): void {
  const nb = (n + bs - 1) / bs;
  const full = n / bs;
  const bb = <usize>(bs >> 1);
  const table = decodeTable(FMT_UE4M3);
  const absMask = i32x4.splat(0x7fffffff);
  let src = x;
  let dst = codes;
  let sp = scales;
  const sg = f32x4.splat(tensorScale);
  const sg6 = f32x4.splat(<f32>6 * tensorScale);
  for (let r = 0; r < rows; r++) {
    let b = 0;
    if (ue4m3 && bs == 16 && layout == LAYOUT_PAIRS) {
      // NVFP4: the scales of four blocks at once.
      for (; b + 4 <= full; b += 4) {
        if (!nvfp4Blocks4(src, t, sg, sg6, absMask, dst, sp)) {
          for (let k = 0; k < 4; k++) {
            fp4FullBlock(src, 16, LAYOUT_PAIRS, t, true, scaleRule, tensorScale, table, absMask, dst, sp);
            src += 64;
            dst += 8;
            sp++;
          }
          continue;
        }
        src += 256;
        dst += 32;
        sp += 4;
      }
    }
    for (; b < full; b++) {
      fp4FullBlock(src, bs, layout, t, ue4m3, scaleRule, tensorScale, table, absMask, dst, sp);
      src += <usize>bs << 2;
      dst += bb;
      sp++;
    }
    if (full < nb) {
      const len = n - full * bs;
      const g0 = (<u64>firstRow + <u64>r) * <u64>n + <u64>(full * bs);
      fp4PartialBlock(src, len, bs, layout, fp4Mode(t), ue4m3, scaleRule, tensorScale, g0, dst, sp);
      src += <usize>len << 2;
      dst += bb;
      sp++;
    }
  }
}

// One full block of fp4Rows: scale byte to sp, bs/2 code bytes to dst.
// @ts-ignore: decorator
@inline function fp4FullBlock(
  src: usize, bs: i32, layout: i32, t: usize, ue4m3: bool, scaleRule: i32, tensorScale: f32,
  table: usize, absMask: v128, dst: usize, sp: usize,
): void {
  const bb = <usize>(bs >> 1);
  const m = fp4BlockMaxBits(src, bs, absMask);
  if (m >= 0x7f800000) {
    // NaN or ±Inf in the block; E2M1 has no NaN code.
    store<u8>(sp, ue4m3 ? 0x7f : 0xff);
    memory.fill(dst, 0, bb);
  } else if (ue4m3) {
    if (m == 0) {
      store<u8>(sp, 0);
      memory.fill(dst, 0, bb);
    } else {
      const sb = ue4m3ScaleFast(reinterpret<f32>(m), tensorScale);
      store<u8>(sp, <u8>sb);
      const s = load<f32>(table + (<usize>sb << 2)) * tensorScale;
      if (s != 0) fp4SimdBlock(src, bs, layout, t, true, f32x4.splat(s), dst);
      else fp4EncodeBlock(src, bs, layout, fp4Mode(t), true, s, dst);
    }
  } else {
    // floor, normal amax: the exponent field less 127 and emax (2); otherwise the general rule.
    const se = scaleRule == RULE_FLOOR && m >= 0x00800000
      ? max(<i32>(m >>> 23) - 129, -127)
      : e8m0Exponent(reinterpret<f32>(m), FMT_E2M1, scaleRule);
    store<u8>(sp, <u8>(se + 127));
    fp4SimdBlock(src, bs, layout, t, false, f32x4.splat(pow2f(-se)), dst);
  }
}

// The partial last block of a row (len < bs), as mx_quantize's loop does it.
function fp4PartialBlock(
  src: usize, len: i32, bs: i32, layout: i32, mode: i32, ue4m3: bool, scaleRule: i32, tensorScale: f32,
  g0: u64, dst: usize, sp: usize,
): void {
  const bb = <usize>(bs >> 1);
  const amax = blockMaxAbs(src, len);
  if (!(amax <= F32_MAX)) {
    store<u8>(sp, ue4m3 ? 0x7f : 0xff);
    memory.fill(dst, 0, bb);
    return;
  }
  if (ue4m3 && amax == 0) {
    store<u8>(sp, 0);
    memory.fill(dst, 0, bb);
    return;
  }
  let s: f32;
  if (ue4m3) {
    const sb = ue4m3Scale(amax, tensorScale);
    store<u8>(sp, <u8>sb);
    s = ue4m3Divisor(sb, tensorScale);
  } else {
    const se = e8m0Exponent(amax, FMT_E2M1, scaleRule);
    store<u8>(sp, <u8>(se + 127));
    s = e8m0Inverse(se);
  }
  generalBlock(src, len, bs, FMT_E2M1, layout, mode, true, ue4m3, s, g0, dst);
}

// Four full NVFP4 blocks (bs 16, pairs) at src with their scales computed side by side: lane k of
// each vector below belongs to block k, and every lane does what fp4FullBlock does for one block
// whose quotient q = bamax / (6·sg) lies in [2^-6, 448], where ue4m3ScaleFast neither clamps nor
// takes the subnormal step. Returns false, having written nothing, when a block needs
// fp4FullBlock's other cases: q outside that range (which includes all-zero blocks, q = 0, and
// NaN/Inf blocks, q = NaN or Inf) or a divisor that underflows to 0.
// @ts-ignore: decorator
@inline function nvfp4Blocks4(src: usize, t: usize, sg: v128, sg6: v128, absMask: v128, dst: usize, sp: usize): bool {
  const m0 = blockMax4(src, absMask);
  const m1 = blockMax4(src + 64, absMask);
  const m2 = blockMax4(src + 128, absMask);
  const m3 = blockMax4(src + 192, absMask);
  // Transposing reduction: lane k = max over the lanes of mk.
  const m01 = i32x4.max_u(i32x4.shuffle(m0, m1, 0, 1, 4, 5), i32x4.shuffle(m0, m1, 2, 3, 6, 7));
  const m23 = i32x4.max_u(i32x4.shuffle(m2, m3, 0, 1, 4, 5), i32x4.shuffle(m2, m3, 2, 3, 6, 7));
  const m = i32x4.max_u(i32x4.shuffle(m01, m23, 0, 2, 4, 6), i32x4.shuffle(m01, m23, 1, 3, 5, 7));
  const q = f32x4.div(m, sg6);
  // decode(sb) itself: q rounded to 3 mantissa bits (rne on the bits; a carry moves into the
  // exponent), which ue4m3 represents exactly in this range.
  const dec = v128.and(
    i32x4.add(i32x4.add(q, i32x4.splat(0x7ffff)), v128.and(i32x4.shr_u(q, 20), i32x4.splat(1))),
    i32x4.splat(0xfff00000),
  );
  const s = f32x4.mul(dec, sg);
  const inRange = v128.and(f32x4.ge(q, f32x4.splat(0.015625)), f32x4.le(q, f32x4.splat(448)));
  if (!i32x4.all_true(v128.and(inRange, f32x4.gt(s, f32x4.splat(0))))) return false;
  // The code: the exponent rebiased 127 -> 7 above the 3 mantissa bits.
  const sb = i32x4.sub(i32x4.shr_u(dec, 20), i32x4.splat(0x3c0));
  const sb16 = i16x8.narrow_i32x4_u(sb, sb);
  v128.store32_lane(sp, i8x16.narrow_i16x8_u(sb16, sb16), 0);
  const lowByte = i16x8.splat(0xff);
  const c0 = fp4Codes16(src, t, true, i32x4.shuffle(s, s, 0, 0, 0, 0));
  const c1 = fp4Codes16(src + 64, t, true, i32x4.shuffle(s, s, 1, 1, 1, 1));
  const x0 = v128.and(v128.or(c0, i16x8.shr_u(c0, 4)), lowByte);
  const x1 = v128.and(v128.or(c1, i16x8.shr_u(c1, 4)), lowByte);
  v128.store(dst, i8x16.narrow_i16x8_u(x0, x1));
  const c2 = fp4Codes16(src + 128, t, true, i32x4.shuffle(s, s, 2, 2, 2, 2));
  const c3 = fp4Codes16(src + 192, t, true, i32x4.shuffle(s, s, 3, 3, 3, 3));
  const x2 = v128.and(v128.or(c2, i16x8.shr_u(c2, 4)), lowByte);
  const x3 = v128.and(v128.or(c3, i16x8.shr_u(c3, 4)), lowByte);
  v128.store(dst, i8x16.narrow_i16x8_u(x2, x3), 16);
  return true;
}

// max_u of |v| bits over the 16 f32 at p, lane-wise (4 lanes left to reduce).
// @ts-ignore: decorator
@inline function blockMax4(p: usize, absMask: v128): v128 {
  return i32x4.max_u(
    i32x4.max_u(v128.and(v128.load(p), absMask), v128.and(v128.load(p, 16), absMask)),
    i32x4.max_u(v128.and(v128.load(p, 32), absMask), v128.and(v128.load(p, 48), absMask)),
  );
}

// max |v| bits (unsigned) over the `bs` (a multiple of 16) f32 at p; straight-line for 16 and 32.
// @ts-ignore: decorator
@inline function fp4BlockMaxBits(p: usize, bs: i32, absMask: v128): u32 {
  let mv = i32x4.max_u(
    i32x4.max_u(v128.and(v128.load(p), absMask), v128.and(v128.load(p, 16), absMask)),
    i32x4.max_u(v128.and(v128.load(p, 32), absMask), v128.and(v128.load(p, 48), absMask)),
  );
  if (bs == 32) {
    mv = i32x4.max_u(mv, i32x4.max_u(
      i32x4.max_u(v128.and(v128.load(p, 64), absMask), v128.and(v128.load(p, 80), absMask)),
      i32x4.max_u(v128.and(v128.load(p, 96), absMask), v128.and(v128.load(p, 112), absMask)),
    ));
  } else if (bs != 16) {
    for (let i = 16; i < bs; i += 16) {
      const q = p + (<usize>i << 2);
      mv = i32x4.max_u(mv, i32x4.max_u(
        i32x4.max_u(v128.and(v128.load(q), absMask), v128.and(v128.load(q, 16), absMask)),
        i32x4.max_u(v128.and(v128.load(q, 32), absMask), v128.and(v128.load(q, 48), absMask)),
      ));
    }
  }
  mv = i32x4.max_u(mv, i32x4.shuffle(mv, mv, 2, 3, 0, 1));
  mv = i32x4.max_u(mv, i32x4.shuffle(mv, mv, 1, 0, 3, 2));
  return <u32>i32x4.extract_lane(mv, 0);
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
