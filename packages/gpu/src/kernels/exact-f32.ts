/**
 * WGSL: IEEE-754 f32 arithmetic done on the bits with integer operations, so results are bit-exact on
 * every adapter. WGSL allows division to be off by 2.5 ulp and subnormals to be flushed; quantization
 * codes depend on the exact quotient, so kernels that must match the wasm path bit for bit use these.
 * All functions take and return the bits of non-negative values.
 */
export const EXACT_F32 = /* wgsl */ `
const F32_INF: u32 = 0x7f800000u;
const F32_QNAN: u32 = 0x7fc00000u;

// The f32 bits of sig·2^e (+ a tail in (0, 2^e) when sticky), rounded to nearest even with subnormals
// and overflow to +Inf. sig < 2^31. With sticky, sig must already have ≥ 27 significant bits, so the
// normalization below only shifts right (a left shift would put zeros above the unknown tail).
fn roundToF32(sigIn: u32, eIn: i32, stickyIn: bool) -> u32 {
  if (sigIn == 0u) { return 0u; }
  var sig = sigIn;
  var sticky = stickyIn;
  let lead = 31 - i32(countLeadingZeros(sig));
  let shift = 26 - lead; // leading one to bit 26: 24 significant bits and 3 rounding bits
  if (shift > 0) {
    sig = sig << u32(shift);
  } else if (shift < 0) {
    let s = u32(-shift);
    sticky = sticky || (sig & ((1u << s) - 1u)) != 0u;
    sig = sig >> s;
  }
  let ex = eIn - shift + 26; // unbiased exponent of the leading one
  var drop = 3u;
  if (ex < -126) {
    let extra = -126 - ex;
    if (extra >= 26) { return 0u; } // below half the smallest subnormal
    drop = 3u + u32(extra);
  }
  let keep = sig >> drop;
  let rem = sig & ((1u << drop) - 1u);
  let halfway = 1u << (drop - 1u);
  let up = rem > halfway || (rem == halfway && (sticky || (keep & 1u) == 1u));
  let m = keep + select(0u, 1u, up);
  if (ex < -126) { return m; } // subnormal bits; m = 2^23 is the smallest normal, same bits
  if (m == 0x1000000u) {
    if (ex + 1 > 127) { return F32_INF; }
    return u32(ex + 128) << 23u;
  }
  if (ex > 127) { return F32_INF; }
  return (u32(ex + 127) << 23u) | (m & 0x7fffffu);
}

// High word of the 64-bit product a·b (WGSL has no u64; the low word is the wrapping a * b), from 16-bit halves.
fn mulHi(a: u32, b: u32) -> u32 {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let carry = ((a0 * b0) >> 16u) + ((a1 * b0) & 0xffffu) + ((a0 * b1) & 0xffffu);
  return a1 * b1 + ((a1 * b0) >> 16u) + ((a0 * b1) >> 16u) + (carry >> 16u);
}

// Significand with its leading one at bit 23, and exponent: bits = sig·2^exp (finite, nonzero).
fn unpackF32(bits: u32) -> vec2<i32> {
  let field = bits >> 23u;
  if (field == 0u) {
    let s = countLeadingZeros(bits) - 8u;
    return vec2<i32>(i32(bits << s), -149 - i32(s));
  }
  return vec2<i32>(i32((bits & 0x7fffffu) | 0x800000u), i32(field) - 150);
}

// fl(a · 2^k) for a ≥ 0: a division by a power-of-two scale (e8m0) without the long division; exact
// unless the result falls into the subnormals (rounded to nearest even) or past the largest f32 (Inf).
// Equals divF32(a, 2^−k) for every a (0, Inf and NaN pass through).
fn scalePow2(a: u32, k: i32) -> u32 {
  if (a == 0u || a >= F32_INF) { return a; }
  let u = unpackF32(a);
  return roundToF32(u32(u.x), u.y + k, false);
}

// fl(a / b), correctly rounded, for a, b ≥ 0 (bits without sign): 0/0 = NaN, a/0 = Inf, a/Inf = 0.
fn divF32(a: u32, b: u32) -> u32 {
  if (a == 0u) { return select(0u, F32_QNAN, b == 0u); }
  if (b == 0u) { return F32_INF; }
  if (a >= F32_INF) { return select(F32_INF, F32_QNAN, a > F32_INF || b >= F32_INF); }
  if (b >= F32_INF) { return select(0u, F32_QNAN, b > F32_INF); }
  let ua = unpackF32(a);
  let ub = unpackF32(b);
  let d = u32(ub.x);
  // Restoring long division: 28 quotient bits (≥ 27 significant) and the remainder as sticky bit.
  var r = u32(ua.x);
  var q = 0u;
  for (var i = 0u; i < 28u; i++) {
    q = q << 1u;
    if (r >= d) { r -= d; q |= 1u; }
    r = r << 1u;
  }
  return roundToF32(q, ua.y - ub.y - 27, r != 0u);
}

// fl(v · k/2) for v ≥ 0 and an integer k < 16: an E2M1 magnitude (k/2) times a block multiplier.
fn mulHalfSteps(v: u32, k: u32) -> u32 {
  if (v >= F32_INF) { return select(F32_INF, F32_QNAN, v > F32_INF || k == 0u); }
  if (k == 0u || v == 0u) { return 0u; }
  let u = unpackF32(v);
  return roundToF32(u32(u.x) * k, u.y - 1, false);
}

// f32 bits → IEEE binary16 bits, round to nearest even, overflow to ±Inf, NaN kept quiet with its sign
// and top payload bits (the conversion of @kompakt/core and wasm/core).
fn f32ToF16Bits(x: u32) -> u32 {
  let sign = (x >> 16u) & 0x8000u;
  let a = x & 0x7fffffffu;
  if (a >= F32_INF) { return sign | select(0x7e00u | ((a >> 13u) & 0x3ffu), 0x7c00u, a == F32_INF); }
  if (a >= 0x477ff000u) { return sign | 0x7c00u; }
  if (a >= 0x38800000u) { return sign | ((a - 0x38000000u + 0xfffu + ((a >> 13u) & 1u)) >> 13u); }
  if (a <= 0x33000000u) { return sign; }
  let m = (a & 0x7fffffu) | 0x800000u;
  let shift = 126u - (a >> 23u);
  let halfway = 1u << (shift - 1u);
  let rem = m & ((halfway << 1u) - 1u);
  let r = m >> shift;
  return sign | (r + select(0u, 1u, rem > halfway || (rem == halfway && (r & 1u) == 1u)));
}

// f32 bits → bfloat16 bits, round to nearest even, NaN kept with the quiet bit set.
fn f32ToBf16Bits(x: u32) -> u32 {
  if ((x & 0x7fffffffu) > F32_INF) { return ((x >> 16u) | 0x40u) & 0xffffu; }
  return ((x + 0x7fffu + ((x >> 16u) & 1u)) >> 16u) & 0xffffu;
}
`;
