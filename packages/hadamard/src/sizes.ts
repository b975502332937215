import { KompaktError } from '@kompakt/core';
import { SUPPORTED_K } from './matrices.js';

/** Largest transform length: 2^28 floats (1 GiB) per row, within wasm32's 4 GiB memory. */
export const MAX_SIZE = 2 ** 28;

/** A transform length split as n = k·2^log2m: a dense k×k Hadamard factor (k = 1 for powers of two) times an FWHT. */
export interface SizePlan {
  n: number;
  k: number;
  log2m: number;
}

/**
 * The plan for length n, or null when no Hadamard transform of that length is built in. Among the
 * factorizations k·2^m the smallest k wins (the dense step costs k multiply-adds per element, the
 * FWHT log2 of its length), so 40·2^m runs as 20·2^(m+1): the same sizes, the cheaper kernel.
 */
export function planSize(n: number): SizePlan | null {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SIZE) return null;
  let log2 = 0;
  let odd = n;
  while (odd % 2 === 0) {
    odd /= 2;
    log2++;
  }
  if (odd === 1) return { n, k: 1, log2m: log2 };
  for (const k of SUPPORTED_K) {
    if (n % k !== 0) continue;
    const m = n / k;
    if ((m & (m - 1)) === 0) return { n, k, log2m: Math.log2(m) };
  }
  return null;
}

/** Whether `n` is a length fwht/rht accept. */
export function isSupportedSize(n: number): boolean {
  return planSize(n) !== null;
}

/** Every supported length up to `max` (default 2^16), ascending. */
export function supportedSizes(max = 2 ** 16): number[] {
  if (!Number.isInteger(max) || max < 1 || max > MAX_SIZE) {
    throw new KompaktError('INVALID_ARGUMENT', `supportedSizes(max): max must be an integer in [1, 2^28], got ${String(max)}`);
  }
  const sizes = new Set<number>();
  for (const k of [1, ...SUPPORTED_K]) for (let n = k; n <= max; n *= 2) sizes.add(n);
  return [...sizes].sort((a, b) => a - b);
}

/** The nearest supported lengths at or below and at or above `n` (null where there is none). */
export function nearestSupportedSizes(n: number): { below: number | null; above: number | null } {
  if (!Number.isFinite(n)) return { below: MAX_SIZE, above: null };
  let below: number | null = null;
  let above: number | null = null;
  for (const k of [1, ...SUPPORTED_K]) {
    for (let s = k; s <= MAX_SIZE; s *= 2) {
      if (s <= n && (below === null || s > below)) below = s;
      if (s >= n && (above === null || s < above)) above = s;
    }
  }
  return { below, above };
}

/** The plan for `n`, or a KompaktError naming the nearest sizes: we never pad silently. */
export function requirePlan(n: number, name: string): SizePlan {
  const plan = planSize(n);
  if (plan) return plan;
  const { below, above } = nearestSupportedSizes(n);
  const near = [below, above].filter((s, i, a) => s !== null && a.indexOf(s) === i).join(' or ');
  throw new KompaktError(
    'UNSUPPORTED_SIZE',
    `${name} = ${n} is not a supported Hadamard size (2^m or k·2^m, k ∈ {${SUPPORTED_K.join(', ')}}); nearest supported: ${near}. Kompakt never pads silently: pad or split the rows yourself.`,
  );
}
