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
  let i = 0;
  let m: u32 = 0;
  // On the bits: |v| ordered as unsigned integers; NaN and Inf (>= INF_BITS) are skipped.
  if (ASC_FEATURE_SIMD) {
    const k = memory.data<u32>([ABS_MASK, INF_BITS]);
    const absMask = v128.load32_splat(k);
    const inf = v128.load32_splat(k, 4);
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
  return reinterpret<f32>(m);
}
