import { KompaktError } from '@kompakt/core';
import { MT19937 } from './mt19937.js';

/** 2^61 − 1, the Mersenne prime of datasketch's permutations `(a·x + b) mod p`. */
export const MERSENNE_61 = (1n << 61n) - 1n;

/** The k permutation parameter pairs of a classic MinHash: a ∈ [1, p), b ∈ [0, p). */
export interface Permutations {
  a: BigUint64Array;
  b: BigUint64Array;
}

/**
 * numpy's legacy bounded draw `RandomState.randint(low, high, dtype=uint64)` (masked rejection):
 * with rng = high − 1 − low, draw next64 & mask (mask = smallest 2^m − 1 ≥ rng) until ≤ rng.
 */
function randint(mt: MT19937, low: bigint, high: bigint): bigint {
  const rng = high - 1n - low;
  let mask = rng;
  for (let s = 1n; s <= 32n; s <<= 1n) mask |= mask >> s;
  for (;;) {
    const v = mt.next64() & mask;
    if (v <= rng) return low + v;
  }
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new KompaktError('INVALID_ARGUMENT', `seed must be an integer in [0, 2^32 − 1] (numpy RandomState), got ${seed}`);
  }
}

/**
 * datasketch's permutations for a seed: `RandomState(seed)`, then for each permutation in turn
 * a = randint(1, p), b = randint(0, p) (draws interleave a0, b0, a1, b1, …).
 */
export function datasketchPermutations(numPerm: number, seed: number): Permutations {
  checkSeed(seed);
  const mt = new MT19937(seed);
  const a = new BigUint64Array(numPerm);
  const b = new BigUint64Array(numPerm);
  for (let i = 0; i < numPerm; i++) {
    a[i] = randint(mt, 1n, MERSENNE_61);
    b[i] = randint(mt, 0n, MERSENNE_61);
  }
  return { a, b };
}

/**
 * The kernel layout (docs/internals.md): aLo u32[kp], aHi u32[kp], b u64[kp] in one buffer, kp = k
 * rounded up to a multiple of 8. Padding lanes hold a = 1, b = 0; their minima are never read.
 */
export function packPermutations({ a, b }: Permutations): Uint32Array {
  const k = a.length;
  const kp = paddedK(k);
  const packed = new Uint32Array(kp * 4);
  const bWords = new BigUint64Array(packed.buffer, kp * 8, kp);
  for (let i = 0; i < kp; i++) {
    const ai = i < k ? a[i] : 1n;
    packed[i] = Number(ai & 0xffffffffn);
    packed[kp + i] = Number(ai >> 32n);
    bWords[i] = i < k ? b[i] : 0n;
  }
  return packed;
}

/** k rounded up to the classic kernel's multiple of 8. */
export function paddedK(k: number): number {
  return (k + 7) & ~7;
}

/** The k parameters of the 32-bit family `π_j(h) = (a_j · fmix32(h) + b_j) mod 2^32` (a_j odd). */
export interface Permutations32 {
  a: Uint32Array;
  b: Uint32Array;
}

const MASK64 = (1n << 64n) - 1n;

/**
 * The 32-bit family's parameters for a seed (docs/minhash.md): SplitMix64 seeded with `seed`, one
 * output z per permutation, a = low32(z) | 1, b = high32(z).
 */
export function linearPermutations(numPerm: number, seed: number): Permutations32 {
  checkSeed(seed);
  const a = new Uint32Array(numPerm);
  const b = new Uint32Array(numPerm);
  let state = BigInt(seed);
  for (let i = 0; i < numPerm; i++) {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    z ^= z >> 31n;
    a[i] = Number(z & 0xffffffffn) | 1;
    b[i] = Number(z >> 32n);
  }
  return { a, b };
}

/** The 32-bit kernel layout: a u32[kp], b u32[kp], kp = paddedK(k); padding lanes a = 1, b = 0. */
export function packLinearPermutations({ a, b }: Permutations32): Uint32Array {
  const kp = paddedK(a.length);
  const packed = new Uint32Array(2 * kp);
  packed.fill(1, a.length, kp);
  packed.set(a);
  packed.set(b, kp);
  return packed;
}
