import { KompaktError, checkInteger } from '@kompakt/core';
import { hadamardK } from './matrices.js';
import { requirePlan } from './sizes.js';

/** Largest n for which hadamardMatrix builds a dense n×n matrix (64 MiB of f32). */
const MAX_DENSE = 4096;

/**
 * The dense n×n matrix that `fwht(x, { n })` applies, row-major: H_k ⊗ H_{2^m}, scaled by 1/√n unless
 * `normalize: false`. For checking, teaching and fusing into small GEMMs; never needed to transform.
 */
export function hadamardMatrix(n: number, opts: { normalize?: boolean } = {}): Float32Array {
  checkInteger(n, 'hadamardMatrix: n', 1);
  if (n > MAX_DENSE) throw new KompaktError('TOO_LARGE', `hadamardMatrix: n = ${n} exceeds ${MAX_DENSE}; use fwht instead of a dense matrix`);
  const { k, log2m } = requirePlan(n, 'hadamardMatrix: n');
  const hk = k === 1 ? Float32Array.of(1) : hadamardK(k);
  const m = 1 << log2m;
  const scale = opts.normalize === false ? 1 : 1 / Math.sqrt(n);
  const out = new Float32Array(n * n);
  // Entry (c·m + j, d·m + l) of H_k ⊗ H_m is hk[c][d] · (−1)^popcount(j & l).
  for (let r = 0; r < n; r++) {
    const c = Math.floor(r / m);
    const j = r % m;
    for (let col = 0; col < n; col++) {
      const d = Math.floor(col / m);
      const l = col % m;
      out[r * n + col] = hk[c * k + d] * (parity(j & l) ? -1 : 1) * scale;
    }
  }
  return out;
}

function parity(v: number): number {
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  v ^= v >>> 1;
  return v & 1;
}
