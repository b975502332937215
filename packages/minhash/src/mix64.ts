// MurmurHash3's fmix64 on BigInt, and the OPH keys a seed derives with it: the host-side twins of
// wasm/minhash/mix.ts, for the few places that mix in JavaScript (word-shingle tokens, the keys
// @kompakt/gpu hands its OPH kernel).

export const MASK64 = (1n << 64n) - 1n;
const FMIX64_MULTIPLIERS = [0xff51afd7ed558ccdn, 0xc4ceb9fe1a85ec53n];

/** MurmurHash3's 64-bit finalizer of x mod 2^64: xor-shift 33 and multiply, twice, then a last xor-shift. */
export function fmix64(v: bigint): bigint {
  let x = v & MASK64;
  for (const c of FMIX64_MULTIPLIERS) x = ((x ^ (x >> 33n)) * c) & MASK64;
  return x ^ (x >> 33n);
}

/** The OPH keys of a seed (wasm/minhash/mix.ts `tokenKey`, `probeKey`): tokens mix with the first, densification probes with the second. */
export function ophKeys(seed: number): { tokenKey: bigint; probeKey: bigint } {
  return { tokenKey: fmix64(BigInt(seed) + 0x9e3779b97f4a7c15n), probeKey: fmix64(BigInt(seed) ^ 0xd1b54a32d192ed03n) };
}
