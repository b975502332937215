// Conversions between f32 and the 16-bit float formats, on raw pointers (n elements each).
//
// All of them are pure bit manipulation on u32 so that results are exact and identical on every
// backend: round to nearest even, ±Inf kept, overflow to ±Inf, NaN stays NaN with its sign, its
// top payload bits and the quiet bit set, subnormals converted exactly. The SIMD build converts
// 8 elements per step with the same formulas written as lane selects; the scalar tail and the
// scalar build use the per-element functions below, so both variants agree bit for bit.

// ---- binary16 -> f32 ----------------------------------------------------------------------------

// (127 - 15) << 23: moves a binary16 exponent field, shifted into f32 position, to the f32 bias.
// @ts-ignore: decorator
@inline const F16_REBIAS: u32 = 0x38000000;
// 2^-24, the binary16 subnormal unit: a subnormal is its 10-bit mantissa times this, exactly.
// @ts-ignore: decorator
@inline const F16_SUBNORMAL_UNIT: f32 = 5.9604644775390625e-8;
// @ts-ignore: decorator
@inline const F16_SUBNORMAL_UNIT_BITS: u32 = 0x33800000;

// The SIMD loops take their lane constants from static memory with load32_splat before the loop:
// V8 keeps such values in registers, whereas it rebuilds an inline v128.const at every use.

// @ts-ignore: decorator
@inline function f16BitsToF32Bits(h: u32): u32 {
  const sign = (h & 0x8000) << 16;
  const em = h & 0x7fff;
  if (em >= 0x7c00) {
    // Inf or NaN: all-ones exponent, payload moved up; a NaN gets the quiet bit.
    return sign | ((em << 13) + 0x70000000) | (em > 0x7c00 ? 0x00400000 : 0);
  }
  if (em >= 0x0400) return sign | ((em << 13) + F16_REBIAS);
  return sign | reinterpret<u32>(<f32>em * F16_SUBNORMAL_UNIT);
}

/** IEEE binary16 (`n` u16 at `src`) -> f32 (`n` at `dst`), exact. */
export function f16_to_f32(src: usize, dst: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const k = memory.data<u32>([
      0x8000, 0x7fff, 0x7c00, 0x0400, F16_REBIAS, 0x70000000, 0x00400000, F16_SUBNORMAL_UNIT_BITS,
    ]);
    const signMask = v128.load32_splat(k);
    const emMask = v128.load32_splat(k, 4);
    const infEm = v128.load32_splat(k, 8);
    const minNormalEm = v128.load32_splat(k, 12);
    const rebias = v128.load32_splat(k, 16);
    const infRebias = v128.load32_splat(k, 20);
    const quiet = v128.load32_splat(k, 24);
    const unit = v128.load32_splat(k, 28);
    for (; i + 8 <= n; i += 8) {
      const h8 = v128.load(src + (<usize>i << 1));
      for (let half = 0; half < 2; half++) {
        const h = half == 0 ? i32x4.extend_low_i16x8_u(h8) : i32x4.extend_high_i16x8_u(h8);
        const sign = i32x4.shl(v128.and(h, signMask), 16);
        const em = v128.and(h, emMask);
        const shifted = i32x4.shl(em, 13);
        const normal = i32x4.add(shifted, rebias);
        const special = v128.or(
          i32x4.add(shifted, infRebias),
          v128.and(i32x4.gt_s(em, infEm), quiet),
        );
        const subnormal = f32x4.mul(f32x4.convert_i32x4_u(em), unit);
        let r = v128.bitselect(subnormal, normal, i32x4.lt_s(em, minNormalEm));
        r = v128.bitselect(special, r, i32x4.ge_s(em, infEm));
        v128.store(dst + (<usize>(i + (half << 2)) << 2), v128.or(r, sign));
      }
    }
  }
  for (; i < n; i++) {
    store<u32>(dst + (<usize>i << 2), f16BitsToF32Bits(<u32>load<u16>(src + (<usize>i << 1))));
  }
}

// ---- f32 -> binary16 ----------------------------------------------------------------------------

// |x| >= 2^16 (finite, Inf or NaN) gives Inf, or a NaN for a NaN. (65520 <= |x| < 2^16 reaches Inf
// through the rounding carry of the normal path.)
// @ts-ignore: decorator
@inline const F16_OVERFLOW: u32 = (127 + 16) << 23;
// Below 2^-14 (the binary16 minimum normal) the result is subnormal or zero.
// @ts-ignore: decorator
@inline const F16_MIN_NORMAL: u32 = 113 << 23;
// 0.5: adding it to a value below 2^-14 makes the f32 ulp equal 2^-24, so the f32 addition itself
// (round to nearest even) rounds to binary16 subnormal precision and the low bits hold the result.
// @ts-ignore: decorator
@inline const F16_DENORM_MAGIC: u32 = 126 << 23;
// Re-biases the exponent to binary16 and adds the round-to-nearest part of RNE (the +1 for odd
// mantissas is added separately); carries propagate into the exponent, up to Inf.
// @ts-ignore: decorator
@inline const F16_ROUND_BIAS: u32 = 0xc8000fff; // ((15 - 127) << 23) + 0xfff, mod 2^32

// @ts-ignore: decorator
@inline function f32BitsToF16Bits(u: u32): u32 {
  const sign = (u >>> 16) & 0x8000;
  const a = u & 0x7fffffff;
  let h: u32;
  if (a >= F16_OVERFLOW) {
    h = a > 0x7f800000 ? 0x7e00 | ((a >>> 13) & 0x3ff) : 0x7c00;
  } else if (a < F16_MIN_NORMAL) {
    h = reinterpret<u32>(reinterpret<f32>(a) + reinterpret<f32>(F16_DENORM_MAGIC)) - F16_DENORM_MAGIC;
  } else {
    h = (a + F16_ROUND_BIAS + ((a >>> 13) & 1)) >>> 13;
  }
  return h | sign;
}

/** f32 (`n` at `src`) -> binary16 (`n` u16 at `dst`), round to nearest even. */
export function f32_to_f16(src: usize, dst: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const k = memory.data<u32>([
      0x7fffffff, F16_OVERFLOW, F16_MIN_NORMAL, F16_DENORM_MAGIC, F16_ROUND_BIAS, 1, 0x7f800000,
      0x7c00, 0x7e00, 0x3ff, 0x8000,
    ]);
    const absMask = v128.load32_splat(k);
    const overflow = v128.load32_splat(k, 4);
    const minNormal = v128.load32_splat(k, 8);
    const magic = v128.load32_splat(k, 12);
    const roundBias = v128.load32_splat(k, 16);
    const one = v128.load32_splat(k, 20);
    const inf = v128.load32_splat(k, 24);
    const f16Inf = v128.load32_splat(k, 28);
    const f16QNaN = v128.load32_splat(k, 32);
    const payload = v128.load32_splat(k, 36);
    const signMask = v128.load32_splat(k, 40);
    for (; i + 8 <= n; i += 8) {
      const p = src + (<usize>i << 2);
      const lo = f16Round(v128.load(p), absMask, overflow, minNormal, magic, roundBias, one, inf, f16Inf, f16QNaN, payload, signMask);
      const hi = f16Round(v128.load(p, 16), absMask, overflow, minNormal, magic, roundBias, one, inf, f16Inf, f16QNaN, payload, signMask);
      v128.store(dst + (<usize>i << 1), i16x8.narrow_i32x4_u(lo, hi));
    }
  }
  for (; i < n; i++) {
    store<u16>(dst + (<usize>i << 1), <u16>f32BitsToF16Bits(load<u32>(src + (<usize>i << 2))));
  }
}

// f32BitsToF16Bits on four lanes; the result lanes hold the 16-bit pattern zero-extended.
// @ts-ignore: decorator
@inline function f16Round(
  u: v128, absMask: v128, overflow: v128, minNormal: v128, magic: v128, roundBias: v128, one: v128,
  inf: v128, f16Inf: v128, f16QNaN: v128, payload: v128, signMask: v128,
): v128 {
  const sign = v128.and(i32x4.shr_u(u, 16), signMask);
  const a = v128.and(u, absMask);
  const normal = i32x4.shr_u(
    i32x4.add(i32x4.add(a, roundBias), v128.and(i32x4.shr_u(a, 13), one)),
    13,
  );
  const subnormal = i32x4.sub(f32x4.add(a, magic), magic);
  const special = v128.bitselect(
    v128.or(f16QNaN, v128.and(i32x4.shr_u(a, 13), payload)),
    f16Inf,
    i32x4.gt_s(a, inf),
  );
  let h = v128.bitselect(subnormal, normal, i32x4.lt_s(a, minNormal));
  h = v128.bitselect(special, h, i32x4.ge_s(a, overflow));
  return v128.or(h, sign);
}

// ---- bfloat16 <-> f32 ---------------------------------------------------------------------------

/** bfloat16 (`n` u16 at `src`) -> f32 (`n` at `dst`): the 16 bits become the high half. */
export function bf16_to_f32(src: usize, dst: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = i32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const h8 = v128.load(src + (<usize>i << 1));
      const p = dst + (<usize>i << 2);
      // Interleaving zero half-words below each bf16 is the shift left by 16.
      v128.store(p, i16x8.shuffle(zero, h8, 0, 8, 1, 9, 2, 10, 3, 11));
      v128.store(p, i16x8.shuffle(zero, h8, 4, 12, 5, 13, 6, 14, 7, 15), 16);
    }
  }
  for (; i < n; i++) {
    store<u32>(dst + (<usize>i << 2), <u32>load<u16>(src + (<usize>i << 1)) << 16);
  }
}

// bfloat16's quiet bit is f32 bit 22, so setting it before truncating keeps NaNs quiet NaNs.
// @ts-ignore: decorator
@inline const BF16_QUIET: u32 = 0x00400000;

// @ts-ignore: decorator
@inline function f32BitsToBf16Bits(u: u32): u32 {
  if ((u & 0x7fffffff) > 0x7f800000) return (u | BF16_QUIET) >>> 16;
  // RNE: add 0x7fff plus the lsb of the kept part; a carry may reach the exponent (-> Inf).
  return (u + 0x7fff + ((u >>> 16) & 1)) >>> 16;
}

/** f32 (`n` at `src`) -> bfloat16 (`n` u16 at `dst`), round to nearest even. */
export function f32_to_bf16(src: usize, dst: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const k = memory.data<u32>([0x7fffffff, 0x7f800000, 0x7fff, 1, BF16_QUIET]);
    const absMask = v128.load32_splat(k);
    const inf = v128.load32_splat(k, 4);
    const half = v128.load32_splat(k, 8);
    const one = v128.load32_splat(k, 12);
    const quiet = v128.load32_splat(k, 16);
    for (; i + 8 <= n; i += 8) {
      const p = src + (<usize>i << 2);
      const lo = bf16Round(v128.load(p), absMask, inf, half, one, quiet);
      const hi = bf16Round(v128.load(p, 16), absMask, inf, half, one, quiet);
      // The high half-word of every lane is the bf16 result.
      v128.store(dst + (<usize>i << 1), i16x8.shuffle(lo, hi, 1, 3, 5, 7, 9, 11, 13, 15));
    }
  }
  for (; i < n; i++) {
    store<u16>(dst + (<usize>i << 1), <u16>f32BitsToBf16Bits(load<u32>(src + (<usize>i << 2))));
  }
}

// f32BitsToBf16Bits on four lanes, before the shift: the result is in the high half of each lane.
// @ts-ignore: decorator
@inline function bf16Round(u: v128, absMask: v128, inf: v128, half: v128, one: v128, quiet: v128): v128 {
  const rounded = i32x4.add(i32x4.add(u, half), v128.and(i32x4.shr_u(u, 16), one));
  return v128.bitselect(v128.or(u, quiet), rounded, i32x4.gt_s(v128.and(u, absMask), inf));
}
