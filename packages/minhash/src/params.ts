import { KompaktError, checkInteger, describe } from '@kompakt/core';
import { datasketchPermutations, linearPermutations, packLinearPermutations, packPermutations } from './permutations.js';

/** The token hash: 'xxh32' (XXH32, seed 0; fast) or 'sha1' (first 4 bytes of SHA-1, little-endian: datasketch's sha1_hash32). */
export type TokenHash = 'xxh32' | 'sha1';

/** What two sketches must share to be compared, merged or indexed together. */
export interface SketchParams {
  readonly numPerm: number;
  readonly seed: number;
  readonly hash: TokenHash;
}

/** Kernel ids of the token hashes (docs/internals.md). */
export const HASH_KIND: Record<TokenHash, number> = { xxh32: 0, sha1: 1 };

export const MAX_PERM = 1 << 16;

export function parseNumPerm(value: unknown, fn: string): number {
  return value === undefined ? 128 : checkInteger(value, `${fn}: numPerm`, 1, MAX_PERM);
}

/** Seeds are u32: datasketch passes them to numpy's RandomState, which accepts [0, 2^32 − 1]. */
export function parseSeed(value: unknown, fn: string): number {
  return value === undefined ? 1 : checkInteger(value, `${fn}: seed`, 0, 0xffffffff);
}

export function parseHash(value: unknown, fn: string, fallback: TokenHash): TokenHash {
  if (value === undefined) return fallback;
  if (value === 'xxh32' || value === 'sha1') return value;
  throw new KompaktError('INVALID_ARGUMENT', `${fn}: hash must be 'xxh32' or 'sha1', got ${describe(value)}`);
}

/** Throws unless `a` and `b` were built with the same numPerm, seed and token hash. */
export function assertCompatible(a: SketchParams, b: SketchParams, fn: string): void {
  if (a.numPerm !== b.numPerm) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: numPerm differs (${a.numPerm} vs ${b.numPerm})`);
  }
  if (a.seed !== b.seed) throw new KompaktError('INVALID_ARGUMENT', `${fn}: seed differs (${a.seed} vs ${b.seed})`);
  if (a.hash !== b.hash) throw new KompaktError('INVALID_ARGUMENT', `${fn}: token hash differs (${a.hash} vs ${b.hash})`);
}

/**
 * Classic MinHash's permutation family follows the token hash: 'sha1' sketches are datasketch's
 * (Mersenne family, bit-exact), 'xxh32' ones use the 32-bit family (docs/minhash.md).
 */
export function usesDatasketchFamily(hash: TokenHash): boolean {
  return hash === 'sha1';
}

// Drawing permutations costs ~2k BigInt draws; bulk sketching reuses one set per (numPerm, seed, family).
const packedCache = new Map<string, Uint32Array>();
const CACHE_SIZE = 16;

/** The kernel-layout permutations of the family of `hash` for (numPerm, seed), cached. */
export function packedPermutations(numPerm: number, seed: number, hash: TokenHash): Uint32Array {
  const datasketch = usesDatasketchFamily(hash);
  const key = `${numPerm}:${seed}:${datasketch}`;
  let packed = packedCache.get(key);
  if (!packed) {
    if (packedCache.size >= CACHE_SIZE) packedCache.delete(packedCache.keys().next().value!);
    packed = datasketch
      ? packPermutations(datasketchPermutations(numPerm, seed))
      : packLinearPermutations(linearPermutations(numPerm, seed));
    packedCache.set(key, packed);
  }
  return packed;
}
