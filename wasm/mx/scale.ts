// Block scales (docs/internals.md, "Block quantization").

import { FMT_E8M0, FMT_UE4M3, SCALE_UE4M3, fmtEmax, fmtMaxBits, fmtMbits } from "./formats";
import { decodeTable } from "./lut";
import { ROUND_RNE, decodeElement, encodeElement, pow2f } from "./element";
import { floorLog2, ggmlFloorLog2, isPow2 } from "./log2";

export const RULE_FLOOR: i32 = 0;
export const RULE_CEIL: i32 = 1;
export const RULE_EVEN: i32 = 2;
export const RULE_RCEIL: i32 = 3;
export const RULE_GGML: i32 = 4;

/**
 * e8m0 shared exponent `se` (X = 2^se) of a block with finite `amax` >= 0 for element format `fmt`,
 * clamped to [-127, 127]; the scale byte is se + 127.
 */
export function e8m0Exponent(amax: f32, fmt: i32, rule: i32): i32 {
  if (amax == 0) return -127;
  const a = reinterpret<u32>(amax);
  const emax = fmtEmax(fmt);
  let se: i32;
  if (rule == RULE_CEIL) {
    se = floorLog2(a) - emax + (isPow2(a) ? 0 : 1);
  } else if (rule == RULE_EVEN) {
    // torchao: add half an element ulp to the bits, keep the exponent. The sum may reach the
    // Inf/NaN patterns (exponent field 255 -> 128), which the clamp turns into 127.
    se = floorLog2(a + (<u32>1 << <u32>(22 - fmtMbits(fmt)))) - emax;
  } else if (rule == RULE_RCEIL) {
    // Triton/cuBLAS: round amax / max up to a power of two through the f32 bits. A zero or
    // subnormal quotient gives exponent field 0 or 1, i.e. se = -127 or -126.
    const q = reinterpret<u32>(amax / reinterpret<f32>(fmtMaxBits(fmt)));
    se = <i32>(((q + 0x7fffff) & 0x7f800000) >>> 23) - 127;
  } else if (rule == RULE_GGML) {
    // The contract's literal "- 2" (llama.cpp's e2m1 emax), whatever the element format.
    se = ggmlFloorLog2(amax) - 2;
  } else {
    se = floorLog2(a) - emax;
  }
  return min(max(se, -127), 127);
}

/** X^-1 = 2^-se, exact (se in [-127, 127]). */
// @ts-ignore: decorator
@inline export function e8m0Inverse(se: i32): f32 {
  return pow2f(-se);
}

// ModelOpt's clamp of the NVFP4 block scale: [2^-9 (smallest ue4m3 subnormal), 448].
// @ts-ignore: decorator
@inline const UE4M3_MIN: f32 = 0.001953125;
// @ts-ignore: decorator
@inline const UE4M3_MAX: f32 = 448;

/**
 * ue4m3 block scale code of a block with finite bamax > 0: rne(bamax / (6·sg)) clamped to
 * [2^-9, 448] (the clamp comes first; a NaN quotient, only possible from a bad sg, gives 2^-9).
 */
export function ue4m3Scale(bamax: f32, sg: f32): u32 {
  let q = bamax / (<f32>6 * sg);
  q = q > UE4M3_MAX ? UE4M3_MAX : q;
  q = q >= UE4M3_MIN ? q : UE4M3_MIN;
  return encodeElement(FMT_UE4M3, q, ROUND_RNE, true, 0);
}

/**
 * ue4m3Scale by direct rounding of the quotient's bits (same code: the quotient is clamped to
 * [2^-9, 448], so it is a positive normal f32 and only rne and the subnormal step are left).
 */
// @ts-ignore: decorator
@inline export function ue4m3ScaleFast(bamax: f32, sg: f32): u32 {
  let q = bamax / (<f32>6 * sg);
  q = q > UE4M3_MAX ? UE4M3_MAX : q;
  q = q >= UE4M3_MIN ? q : UE4M3_MIN;
  const b = reinterpret<u32>(q);
  // q >= 2^-6: keep 3 mantissa bits (rne; a carry moves into the exponent), rebias 127 -> 7.
  if (b >= 0x3c800000) return ((b + 0x7ffff + ((b >>> 20) & 1)) >>> 20) - 0x3c0;
  // Subnormal step 2^-9: q·2^9 in [1, 8) is exact; 8 rounds to the smallest normal code 0x08.
  return <u32>nearest<f32>(q * 512);
}

/** Divisor of the elements of a block with ue4m3 scale code `sb`: decode(sb)·sg, rounded to f32. */
// @ts-ignore: decorator
@inline export function ue4m3Divisor(sb: u32, sg: f32): f32 {
  return decodeElement(FMT_UE4M3, sb) * sg;
}

/** Decode table (lut.ts) of the scale bytes of scale format `scaleFmt`, for blockScale. */
// @ts-ignore: decorator
@inline export function scaleTable(scaleFmt: i32): usize {
  return decodeTable(scaleFmt == SCALE_UE4M3 ? FMT_UE4M3 : FMT_E8M0);
}

/**
 * The multiplier of a block's decoded elements: 2^(sb - 127) (e8m0; 0x00 = 2^-127, 0xFF = NaN),
 * or ue4m3Divisor(sb, sg) when `ue4m3`, both by table lookup (`table` from scaleTable).
 */
// @ts-ignore: decorator
@inline export function blockScale(table: usize, sb: u32, ue4m3: bool, sg: f32): f32 {
  const v = load<f32>(table + (<usize>sb << 2));
  return ue4m3 ? v * sg : v;
}
