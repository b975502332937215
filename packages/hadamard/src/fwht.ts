import { runTransform } from './kernels.js';
import { parseTransform, type TransformOptions } from './options.js';

/**
 * Fast Walsh–Hadamard transform, in place, batched over rows of length `n`: x ← H·x for every row
 * (or every block). H is natural (Sylvester) order for powers of two, matching scipy, FFHT and Dao's
 * CUDA kernel; for n = k·2^m it is H_k ⊗ H_{2^m} (the k-point factor on the slow index, as QuIP# and
 * QuaRot apply it). Orthonormal (1/√n) unless `normalize: false`. Returns `x`.
 *
 * @example
 * const x = Float32Array.from({ length: 1024 }, Math.random);
 * fwht(x);              // one transform of length 1024
 * fwht(x, { n: 256 });  // four rows of 256
 */
export function fwht<T extends Float32Array | Uint16Array>(x: T, opts?: TransformOptions): T {
  const call = parseTransform(x, opts, 'fwht', false);
  if (call.size > 0 && x.length > 0) runTransform({ ...call, signsAfter: false });
  return x;
}

/** The exact inverse of `fwht` with the same options (for k·2^m sizes it applies H_kᵀ). Returns `x`. */
export function ifwht<T extends Float32Array | Uint16Array>(x: T, opts?: TransformOptions): T {
  const call = parseTransform(x, opts, 'ifwht', true);
  if (call.size > 0 && x.length > 0) runTransform(call);
  return x;
}
