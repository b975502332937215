// One value <-> one code, for every format and rounding mode (docs/internals.md, "Element encoding").
//
// Encoding works on the f32 bits only: the value is an integer significand times a power of two,
// the format's grid step at that value is a power of two, so the kept part and the dropped part
// are exact integers and every rounding decision (ties included, and the stochastic comparison)
// is exact. That makes the result identical on every backend and independent of SIMD.

import {
  FMT_E4M3, FMT_E5M2, FMT_E8M0, FMT_INT8, FMT_UE4M3,
  fmtEmin, fmtMaxBits, fmtMaxCode, fmtMbits, fmtOverflowCode, fmtWidth,
} from "./formats";
import { floorLog2 } from "./log2";

export const ROUND_RNE: i32 = 0;
export const ROUND_AWAY: i32 = 1;
export const ROUND_STOCHASTIC: i32 = 2;
export const ROUND_STOCHASTIC_34: i32 = 3;
export const ROUND_GGML: i32 = 4;

// Quiet NaN as decoding writes it (the code's sign is or-ed in).
// @ts-ignore: decorator
@inline const QNAN: u32 = 0x7fc00000;

// @ts-ignore: decorator
@inline function isStochastic(mode: i32): bool {
  return mode == ROUND_STOCHASTIC || mode == ROUND_STOCHASTIC_34;
}

// Whether the kept integer k goes up by one, given the dropped part `rem` (the fraction is
// rem / 2^drop, drop >= 1). `odd` is k's lowest bit; r the element's random word.
// @ts-ignore: decorator
@inline function roundUp(odd: bool, rem: u64, drop: i32, mode: i32, r: u32): bool {
  // rem < 2^24, so the fraction is below 2^-32: no mode (not even r = 2^32 - 1) rounds it up.
  if (drop >= 56) return false;
  if (isStochastic(mode)) {
    // floor(m + r/2^32) = k + 1  iff  rem/2^drop >= 1 - r/2^32  iff  rem·2^32 >= (2^32 - r)·2^drop.
    const t: u64 = 0x100000000 - <u64>r;
    return drop <= 32 ? rem << <u64>(32 - drop) >= t : rem >= t << <u64>(drop - 32);
  }
  const half: u64 = <u64>1 << <u64>(drop - 1);
  if (rem != half) return rem > half;
  return mode == ROUND_AWAY || (mode == ROUND_RNE && odd);
}

// Significand of the positive finite f32 bits `a` with its leading one at bit 23 (subnormal
// inputs are normalized); the value is sig · 2^(floorLog2(a) - 23).
// @ts-ignore: decorator
@inline function significand(a: u32, e: i32): u64 {
  return a >>> 23 != 0 ? <u64>((a & 0x7fffff) | 0x800000) : <u64>a << <u64>(23 - (e + 149));
}

// Magnitude code of the finite f32 bits `a` (sign cleared) on the grid with `mbits` mantissa bits
// and smallest normal exponent `emin`: exponent field << mbits | mantissa, where a mantissa carry
// moves into the exponent. May exceed the format's largest code (overflow is the caller's).
function roundMagnitude(a: u32, mbits: i32, emin: i32, mode: i32, r: u32): u32 {
  if (a == 0) return 0;
  const e = floorLog2(a);
  const sig = significand(a, e);
  // Grid step 2^(qe - mbits): the binade's, or the subnormal step below the smallest normal.
  const qe = max(e, emin);
  const drop = 23 + qe - mbits - e;
  let k: u32 = 0;
  let rem = sig;
  if (drop < 32) {
    k = <u32>(sig >> <u64>drop);
    rem = sig & ((<u64>1 << <u64>drop) - 1);
  }
  if (roundUp((k & 1) != 0, rem, drop, mode, r)) k++;
  return (<u32>(qe - emin) << <u32>mbits) + k;
}

// e8m0 (ml_dtypes float8_e8m0fnu): the implicit one is the only and so odd mantissa bit, hence
// rne ties (1.5·2^k) round up; positive values up to 2^-127 give 0x00; zero and negatives give
// NaN, or 0x00 (the smallest value) when saturating; Inf and NaN give NaN.
function encodeE8m0(u: u32, mode: i32, saturate: bool, r: u32): u32 {
  const a = u & 0x7fffffff;
  if (a >= 0x7f800000) return 0xff;
  if (a == 0 || u >>> 31 != 0) return saturate ? 0 : 0xff;
  const e = floorLog2(a);
  if (e < -127) return 0;
  if (isStochastic(mode) && a > fmtMaxBits(FMT_E8M0)) mode = ROUND_RNE;
  const rem = significand(a, e) & 0x7fffff;
  let c = <u32>(e + 127);
  if (roundUp(true, rem, 23, mode, r)) c++;
  if (c > 0xfe) c = saturate ? 0xfe : 0xff;
  return c;
}

// Code of NaN: e4m3/ue4m3 S.1111.111, e5m2 S.11111.10; int8 0; FP6/FP4 as ml_dtypes (+NaN -> the
// -0 code, -NaN -> +0), except that ggml rounding never writes -0 (llama.cpp writes code 0).
function nanCode(fmt: i32, neg: u32, mode: i32): u32 {
  const w = <u32>fmtWidth(fmt);
  if (fmt == FMT_E4M3) return 0x7f | (neg << 7);
  if (fmt == FMT_E5M2) return 0x7e | (neg << 7);
  if (fmt == FMT_UE4M3) return 0x7f;
  if (fmt == FMT_INT8 || mode == ROUND_GGML) return 0;
  return (neg ^ 1) << (w - 1);
}

/**
 * Code of `v` in format `fmt` (0..7) with rounding `mode` (0..4; 3 rounds like 2, the 3/4 factor
 * belongs to block quantization), overflow handling `saturate`, random word `r` (stochastic only).
 *
 * Stochastic rounding of a finite |v| above the format's max does not draw: it rounds as rne
 * (max, or the unsaturated overflow code past the rne midpoint above max), so "saturating at max"
 * and "past max but below the midpoint gives max in every mode" both hold.
 * ue4m3 has no sign: -0 and values rounding to zero give 0x00, other negatives 0x7F (NaN), or
 * 0x00 (the smallest value) when saturating, like e8m0.
 */
export function encodeElement(fmt: i32, v: f32, mode: i32, saturate: bool, r: u32): u32 {
  const u = reinterpret<u32>(v);
  if (fmt == FMT_E8M0) return encodeE8m0(u, mode, saturate, r);
  const neg = u >>> 31;
  const a = u & 0x7fffffff;
  if (a > 0x7f800000) return nanCode(fmt, neg, mode);
  let c: u32;
  if (a == 0x7f800000) {
    // Inf: e5m2 keeps it, e4m3 gives NaN in both overflow modes (ml_dtypes), the rest saturate.
    c = fmt == FMT_E4M3 || fmt == FMT_E5M2 || fmt == FMT_UE4M3 ? fmtOverflowCode(fmt) : fmtMaxCode(fmt);
  } else {
    if (isStochastic(mode) && a > fmtMaxBits(fmt)) mode = ROUND_RNE;
    c = roundMagnitude(a, fmtMbits(fmt), fmtEmin(fmt), mode, r);
    if (c > fmtMaxCode(fmt)) c = saturate ? fmtMaxCode(fmt) : fmtOverflowCode(fmt);
  }
  if (fmt == FMT_UE4M3) return neg != 0 && c != 0 ? (saturate ? 0 : 0x7f) : c;
  if (c == 0 && mode == ROUND_GGML) return 0;
  if (fmt == FMT_INT8) return neg != 0 ? (0x100 - c) & 0xff : c;
  return c | (neg << <u32>(fmtWidth(fmt) - 1));
}

/** 2^k as f32 for k in [-149, 127] (exact; subnormal below -126). */
// @ts-ignore: decorator
@inline export function pow2f(k: i32): f32 {
  return reinterpret<f32>(k >= -126 ? <u32>(k + 127) << 23 : <u32>1 << <u32>(k + 149));
}

/**
 * Value of `code` (its low `width` bits) in format `fmt`. NaN codes decode to the quiet NaN
 * 0x7FC00000 with the code's sign; int8 0x80 decodes to -2 (never written); ue4m3 ignores bit 7
 * (0x7F and 0xFF are NaN); e8m0 0x00 is 2^-127 and 0xFF NaN.
 */
export function decodeElement(fmt: i32, code: u32): f32 {
  const w = <u32>fmtWidth(fmt);
  const c = code & ((<u32>1 << w) - 1);
  if (fmt == FMT_INT8) return <f32><i8>c * 0.015625;
  if (fmt == FMT_E8M0) return c == 0xff ? reinterpret<f32>(QNAN) : pow2f(<i32>c - 127);
  const neg: u32 = fmt == FMT_UE4M3 ? 0 : c >>> (w - 1);
  const mag = c & ((<u32>1 << (w - 1)) - 1);
  const sign = neg << 31;
  if ((fmt == FMT_E4M3 || fmt == FMT_UE4M3) && mag == 0x7f) return reinterpret<f32>(QNAN | sign);
  if (fmt == FMT_E5M2 && mag >= 0x7c) return reinterpret<f32>((mag == 0x7c ? 0x7f800000 : QNAN) | sign);
  const mbits = <u32>fmtMbits(fmt);
  const emin = fmtEmin(fmt);
  const e = mag >>> mbits;
  const m = mag & ((<u32>1 << mbits) - 1);
  const bits: u32 = e == 0
    ? reinterpret<u32>(<f32>m * pow2f(emin - <i32>mbits))
    : (<u32>(<i32>e - 1 + emin + 127) << 23) | (m << (23 - mbits));
  return reinterpret<f32>(bits | sign);
}
