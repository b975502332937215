// Block and tensor maxima of |v|.

// @ts-ignore: decorator
@inline const ABS_MASK: u32 = 0x7fffffff;
// @ts-ignore: decorator
@inline const INF_BITS: u32 = 0x7f800000;

/**
 * max |v| over `len` f32 at `p`; NaN when any value is NaN, Inf when any is ±Inf and none NaN.
 * (f32.max and f32x4.max both propagate NaN, so both builds agree.)
 */
export function blockMaxAbs(p: usize, len: i32): f32 {
  let m: f32 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (len >= 4) {
      let mv = f32x4.splat(0);
      for (; i + 4 <= len; i += 4) mv = f32x4.max(mv, f32x4.abs(v128.load(p + (<usize>i << 2))));
      // Lane maxima folded in vector registers (scalar f32.max is a branchy sequence in V8).
      mv = f32x4.max(mv, i32x4.shuffle(mv, mv, 2, 3, 0, 1));
      m = f32x4.extract_lane(f32x4.max(mv, i32x4.shuffle(mv, mv, 1, 0, 3, 2)), 0);
    }
  }
  for (; i < len; i++) m = max(m, abs(load<f32>(p + (<usize>i << 2))));
  return m;
}

/** `mx_amax(x, len)`: max |v| over the finite values of `len` f32 at `x` (0 when none). */
export function mx_amax(x: usize, len: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    // Weights rarely hold NaN or Inf: first the plain maximum of the |v| bits, which is the answer
    // when it is finite; only otherwise the scan that skips the non-finite values.
    const m = maxAbsBits(x, len);
    if (m < INF_BITS) return reinterpret<f32>(m);
  }
  return reinterpret<f32>(maxFiniteAbsBits(x, len));
}

// max of the |v| bits (unsigned) over `len` f32 at p; four accumulators so that the maxima of
// consecutive vectors do not wait on each other.
// @ts-ignore: decorator
@inline function maxAbsBits(p: usize, len: i32): u32 {
  const absMask = i32x4.splat(ABS_MASK);
  let m0 = i32x4.splat(0), m1 = m0, m2 = m0, m3 = m0;
  let i = 0;
  for (; i + 16 <= len; i += 16) {
    const q = p + (<usize>i << 2);
    m0 = i32x4.max_u(m0, v128.and(v128.load(q), absMask));
    m1 = i32x4.max_u(m1, v128.and(v128.load(q, 16), absMask));
    m2 = i32x4.max_u(m2, v128.and(v128.load(q, 32), absMask));
    m3 = i32x4.max_u(m3, v128.and(v128.load(q, 48), absMask));
  }
  for (; i + 4 <= len; i += 4) m0 = i32x4.max_u(m0, v128.and(v128.load(p + (<usize>i << 2)), absMask));
  let mv = i32x4.max_u(i32x4.max_u(m0, m1), i32x4.max_u(m2, m3));
  mv = i32x4.max_u(mv, i32x4.shuffle(mv, mv, 2, 3, 0, 1));
  mv = i32x4.max_u(mv, i32x4.shuffle(mv, mv, 1, 0, 3, 2));
  let m = <u32>i32x4.extract_lane(mv, 0);
  for (; i < len; i++) m = max(m, load<u32>(p + (<usize>i << 2)) & ABS_MASK);
  return m;
}

// max of the |v| bits over the finite values (|v| ordered as unsigned integers; NaN and Inf,
// >= INF_BITS, are skipped); 0 when none.
function maxFiniteAbsBits(x: usize, len: i32): u32 {
  let i = 0;
  let m: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const absMask = i32x4.splat(ABS_MASK);
    const inf = i32x4.splat(INF_BITS);
    let mv = i32x4.splat(0);
    for (; i + 4 <= len; i += 4) {
      const a = v128.and(v128.load(x + (<usize>i << 2)), absMask);
      mv = i32x4.max_u(mv, v128.and(a, i32x4.lt_u(a, inf)));
    }
    m = <u32>max(max(i32x4.extract_lane(mv, 0), i32x4.extract_lane(mv, 1)), max(i32x4.extract_lane(mv, 2), i32x4.extract_lane(mv, 3)));
  }
  for (; i < len; i++) {
    const a = load<u32>(x + (<usize>i << 2)) & ABS_MASK;
    if (a < INF_BITS && a > m) m = a;
  }
  return m;
}
