import { KompaktError } from '@kompakt/core';

/** P(a pair of similarity s becomes a candidate) with b bands of r rows: 1 − (1 − s^r)^b. */
export function candidateProbability(s: number, bands: number, rows: number): number {
  return 1 - (1 - s ** rows) ** bands;
}

// 16-point Gauss–Legendre nodes/weights on [−1, 1] (positive half; the rule is symmetric).
const GL_X = [0.0950125098376374, 0.2816035507792589, 0.4580167776572274, 0.6178762444026438,
  0.755404408355003, 0.8656312023878318, 0.9445750230732326, 0.9894009349916499];
const GL_W = [0.1894506104550685, 0.1826034150449236, 0.1691565193950025, 0.1495959888165767,
  0.1246289712555339, 0.0951585116824928, 0.0622535239386479, 0.0271524594117541];
// The S-curve turns within ~1/r of its midpoint; 64 panels resolve that for any r ≤ numPerm ≤ 2^16
// to well below the gaps between grid candidates (datasketch uses adaptive scipy.integrate.quad).
const PANELS = 64;

function integrate(f: (s: number) => number, lo: number, hi: number): number {
  if (hi <= lo) return 0;
  const h = (hi - lo) / PANELS;
  let sum = 0;
  for (let p = 0; p < PANELS; p++) {
    const mid = lo + (p + 0.5) * h;
    for (let i = 0; i < GL_X.length; i++) {
      const dx = (GL_X[i] * h) / 2;
      sum += GL_W[i] * (f(mid - dx) + f(mid + dx));
    }
  }
  return (sum * h) / 2;
}

// The grid search integrates ~600 S-curves (≈ 0.3 s at k = 128); LSHIndex and dedup() ask for the same few settings again and again.
const optimalCache = new Map<string, { bands: number; rows: number }>();

/**
 * datasketch's `_optimal_param`: the (bands, rows) with bands·rows ≤ numPerm minimising
 * fpWeight·∫₀ᵗ P(s) ds + fnWeight·∫ₜ¹ (1 − P(s)) ds, P the S-curve above, scanning bands then rows in
 * increasing order and keeping the first strict minimum (so ties resolve as datasketch's do).
 */
export function optimalParam(threshold: number, numPerm: number, fpWeight = 0.5, fnWeight = 0.5): { bands: number; rows: number } {
  if (!(threshold >= 0 && threshold <= 1)) throw new KompaktError('INVALID_ARGUMENT', `optimalParam: threshold must be in [0, 1], got ${threshold}`);
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new KompaktError('INVALID_ARGUMENT', `optimalParam: numPerm must be a positive integer, got ${numPerm}`);
  if (!(fpWeight >= 0 && fnWeight >= 0 && Math.abs(fpWeight + fnWeight - 1) < 1e-9)) {
    throw new KompaktError('INVALID_ARGUMENT', `optimalParam: weights must be ≥ 0 and sum to 1, got ${fpWeight}, ${fnWeight}`);
  }
  const key = `${threshold}:${numPerm}:${fpWeight}:${fnWeight}`;
  const cached = optimalCache.get(key);
  if (cached) return { ...cached };
  let best = Infinity;
  let opt = { bands: 1, rows: 1 };
  for (let b = 1; b <= numPerm; b++) {
    for (let r = 1; r <= Math.floor(numPerm / b); r++) {
      const fp = integrate((s) => candidateProbability(s, b, r), 0, threshold);
      const fn = integrate((s) => 1 - candidateProbability(s, b, r), threshold, 1);
      const error = fp * fpWeight + fn * fnWeight;
      if (error < best) {
        best = error;
        opt = { bands: b, rows: r };
      }
    }
  }
  if (optimalCache.size >= 64) optimalCache.delete(optimalCache.keys().next().value!);
  optimalCache.set(key, opt);
  return { ...opt };
}
