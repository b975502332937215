// The 64-bit finalizer of MurmurHash3 (fmix64): a bijection on u64 with full avalanche. OPH derives a
// token's bin and in-bin value from it, and densification its probe sequences, so both are fixed by
// this one function and the seed (docs/internals.md, "MinHash").

// @ts-ignore: decorator
@inline export function fmix64(x: u64): u64 {
  x ^= x >>> 33;
  x *= 0xFF51AFD7ED558CCD;
  x ^= x >>> 33;
  x *= 0xC4CEB9FE1A85EC53;
  x ^= x >>> 33;
  return x;
}

/** The token key of a seed: tokens are mixed as fmix64(h ^ tokenKey(seed)). */
// @ts-ignore: decorator
@inline export function tokenKey(seedLo: u32, seedHi: u32): u64 {
  return fmix64(((<u64>seedHi << 32) | <u64>seedLo) + 0x9E3779B97F4A7C15);
}

/** The probe key of a seed, independent of the token key. */
// @ts-ignore: decorator
@inline export function probeKey(seedLo: u32, seedHi: u32): u64 {
  return fmix64(((<u64>seedHi << 32) | <u64>seedLo) ^ 0xD1B54A32D192ED03);
}

/** Maps a 32-bit value uniformly onto [0, k) (Lemire's multiply-high; no division, no modulo bias worth naming). */
// @ts-ignore: decorator
@inline export function reduce(x: u32, k: u32): u32 {
  return <u32>((<u64>x * <u64>k) >>> 32);
}

/** MurmurHash3's 32-bit finalizer (fmix32): a bijection on u32 with full avalanche. */
// @ts-ignore: decorator
@inline export function fmix32(x: u32): u32 {
  x ^= x >>> 16;
  x *= 0x85EBCA6B;
  x ^= x >>> 13;
  x *= 0xC2B2AE35;
  x ^= x >>> 16;
  return x;
}
