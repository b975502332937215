// Binary logarithms of f32 values as the scale rules need them.

/** floor(log2 a), exact, for the bits `a` of a positive finite f32 (subnormals included). */
// @ts-ignore: decorator
@inline export function floorLog2(a: u32): i32 {
  const field = <i32>(a >>> 23);
  // A subnormal is a · 2^-149 with its leading one at bit 31 - clz(a).
  return field != 0 ? field - 127 : 31 - <i32>clz(a) - 149;
}

/** Whether the bits `a` of a positive finite f32 are a power of two. */
// @ts-ignore: decorator
@inline export function isPow2(a: u32): bool {
  return a >>> 23 != 0 ? (a & 0x7fffff) == 0 : popcnt(a) == 1;
}

/**
 * llama.cpp's `floorf(log2f(amax))`: log2 in f64 (AssemblyScript's musl-derived Math.log2, the
 * same on every host), rounded to f32, then floored. Rounding to f32 is what reproduces llama.cpp:
 * just below a power of two the f32 log2 rounds up to the integer (glibc's correctly rounded
 * log2f does the same), so e.g. amax = 2^k·(1 - 2^-24) gives k, not k - 1. AssemblyScript's
 * Mathf.log2 is a different approximation and is deliberately not used.
 */
// @ts-ignore: decorator
@inline export function ggmlFloorLog2(amax: f32): i32 {
  return <i32>Mathf.floor(<f32>Math.log2(<f64>amax));
}
