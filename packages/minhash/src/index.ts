/**
 * @kompakt/minhash: MinHash sketches for Jaccard similarity and near-duplicate detection: classic
 * MinHash (bit-exact with datasketch in compat mode), one-permutation hashing with optimal
 * densification, b-bit sketches, shingling, LSH banding and corpus dedup, in WebAssembly SIMD.
 * @packageDocumentation
 */
export { MinHash, type MinHashOptions } from './minhash.js';
export { OnePermMinHash, type OnePermOptions } from './oph.js';
/** @internal For @kompakt/gpu, which densifies OPH bins itself: a sketch primed with its densified signature (not a stable API). */
export { sketchWithDensified } from './oph.js';
/** @internal For @kompakt/gpu's OPH kernel: the BigInt fmix64 and a seed's token and probe keys (not a stable API). */
export { fmix64, ophKeys } from './mix64.js';
export { BBitMinHash, type BBitWidth } from './bbit.js';
export { toLeanBytes, fromLeanBytes } from './lean.js';
export { datasketchPermutations, linearPermutations, MERSENNE_61, type Permutations, type Permutations32 } from './permutations.js';
export type { TokenHash, SketchParams } from './params.js';
export type { Token } from './items.js';
export { shingles, normalizeText, type ShingleOptions } from './shingle.js';
export { shingleHashes, type ShingleHashOptions } from './shingle-hashes.js';
export { sketchTexts, sketchMatrix, type SketchOptions, type SketchMatrix } from './sketch.js';
export { LSHIndex, type LSHOptions, type LSHKey, type Scored, type IndexIdentity, type SketchKind } from './lsh/lsh.js';
export { optimalParam, candidateProbability } from './lsh/param.js';
export { saveIndex, loadIndex } from './lsh/format.js';
export { dedup, type DedupOptions, type DedupResult } from './dedup.js';
export { init } from './kernels.js';
export { setBackend, getBackend, availableBackends, KompaktError, type BackendName, type BackendRequest } from '@kompakt/core';
