/** Estimators shared by the sketch classes; signatures are u32 arrays where 0xFFFFFFFF means "no token". */

export const EMPTY = 0xffffffff;

/** True when no slot holds a token (the sketch of the empty set). */
export function allEmpty(values: Uint32Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== EMPTY) return false;
  return true;
}

/**
 * The fraction of equal slots, the Jaccard estimate of classic and densified MinHash. Defined as 0
 * when either side is empty: J(∅, ∅) has no value, and 1 would make every pair of empty documents
 * "duplicates" (datasketch returns 1.0 there).
 */
export function slotJaccard(x: Uint32Array, y: Uint32Array): number {
  if (allEmpty(x) || allEmpty(y)) return 0;
  let equal = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === y[i]) equal++;
  return equal / x.length;
}

/**
 * Distinct-count estimate from k minima that are each the minimum of about `n / bins` uniform u32
 * values: E[min/2^32] ≈ 1/(n/bins + 1), so n ≈ bins·(k / Σ u − 1) (Cohen 1997; bins = 1 for classic
 * MinHash, which is datasketch's `count()`; bins = k for OPH bins, where empty bins count as u = 1).
 */
export function cardinality(values: Uint32Array, bins: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] / EMPTY;
  return bins * (values.length / sum - 1);
}

/** |A ∩ B| / |A| from J and the estimated sizes of A and A ∪ B, clamped to [0, 1]. */
export function containmentOf(jaccard: number, sizeA: number, sizeUnion: number): number {
  if (sizeA <= 0) return 0;
  return Math.min(1, Math.max(0, (jaccard * sizeUnion) / sizeA));
}
