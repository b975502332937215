import { runItems } from './kernels.js';
import { checkDim, checkPoints } from './options.js';

// Nearest lattice points, batched. Every function takes a batch of vectors (x.length a multiple of the
// dimension) and returns a new Float32Array of the nearest points. A vector with a NaN or ±Inf
// coordinate gives an all-NaN vector. Rounding ties go to even; see docs/lattice.md for the exact rules.

/** Zⁿ: every coordinate rounded to the nearest integer (ties to even). */
export function nearestZn(x: Float32Array, n: number): Float32Array {
  const dim = checkDim(n, 'nearestZn', 1, false);
  return runItems(checkPoints(x, dim, 'nearestZn'), dim, Float32Array, dim, (e, i, c, o) => e.nearest_zn(i, c, dim, o), (b, v, o) => b.latticeNearestZn(v, dim, o)).out;
}

/** Dₙ = {z ∈ ℤⁿ : Σz even} (checkerboard lattice; D4 min norm² 2). */
export function nearestDn(x: Float32Array, n: number): Float32Array {
  const dim = checkDim(n, 'nearestDn', 2, false);
  return runItems(checkPoints(x, dim, 'nearestDn'), dim, Float32Array, dim, (e, i, c, o) => e.nearest_dn(i, c, dim, o), (b, v, o) => b.latticeNearestDn(v, dim, o)).out;
}

/** Dₙ⁺ = Dₙ ∪ (Dₙ + ½·𝟙), n even (a lattice for n ≡ 0 mod 4; n = 8 is E8). */
export function nearestDnPlus(x: Float32Array, n: number): Float32Array {
  const dim = checkDim(n, 'nearestDnPlus', 2, true);
  return runItems(checkPoints(x, dim, 'nearestDnPlus'), dim, Float32Array, dim, (e, i, c, o) => e.nearest_dnplus(i, c, dim, o), (b, v, o) => b.latticeNearestDnPlus(v, dim, o)).out;
}

/** E8 = D8 ∪ (D8 + ½), min norm² 2, det 1: nearest point of each 8-vector. */
export function nearestE8(x: Float32Array): Float32Array {
  return runItems(checkPoints(x, 8, 'nearestE8'), 8, Float32Array, 8, (e, i, c, o) => e.nearest_e8(i, c, o), (b, v, o) => b.latticeNearestE8(v, o)).out;
}

/**
 * Leech lattice Λ24 (min norm² 4, det 1): the exact nearest point of each 24-vector (maximum-likelihood
 * decoder over the hexacode form of the Golay code; docs/lattice.md).
 */
export function nearestLeech(x: Float32Array): Float32Array {
  return runItems(checkPoints(x, 24, 'nearestLeech'), 24, Float32Array, 24, (e, i, c, o) => e.nearest_leech(i, c, o), (b, v, o) => b.latticeNearestLeech(v, o)).out;
}
