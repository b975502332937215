import { KompaktError } from '@kompakt/core';
import { runItems } from './kernels.js';
import { checkCodes, checkPoints } from './options.js';

/** Number of codewords of spherical Leech quantization (the minimal vectors of Λ24). */
export const LEECH_SQ_SIZE = 196560;

/**
 * Spherical Leech quantization: the index (< 196,560 < 2^18) of the unit-norm Λ24 minimal vector
 * nearest in angle to each 24-vector (exact; structured search, no codebook table). Only the direction
 * of x matters; NaN/±Inf coordinates read as 0, and the zero vector gives index 0.
 */
export function leechSqEncode(x: Float32Array): Uint32Array {
  return runItems(checkPoints(x, 24, 'leechSqEncode'), 24, Uint32Array, 1, (e, i, c, o) => e.leech_sq_encode(i, c, o), (b, x, o) => b.latticeLeechSqEncode(x, o)).out;
}

/** The unit vectors (24 f32 each) of indices; an index ≥ 196,560 throws INVALID_ARGUMENT. */
export function leechSqDecode(indices: Uint32Array): Float32Array {
  const idx = checkCodes(indices, Uint32Array, 'leechSqDecode');
  const { out, bad } = runItems(idx, 1, Float32Array, 24, (e, i, c, o) => e.leech_sq_decode(i, c, o), (b, x, o) => b.latticeLeechSqDecode(x, o));
  if (bad >= 0) throw new KompaktError('INVALID_ARGUMENT', `leechSqDecode: index ${idx[bad]} at ${bad} is ≥ ${LEECH_SQ_SIZE}`);
  return out;
}
