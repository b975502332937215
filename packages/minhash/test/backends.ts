import type { BackendName } from '@kompakt/core';
import { backendsFor } from '../../../test/helpers/backends';

/** The backends this suite runs against (see test/helpers/backends.ts): native once the addon carries the MinHash kernels. */
export function testBackends(): BackendName[] {
  return backendsFor('MinHash', ['minhashHashItems', 'minhashUpdate', 'minhashUpdate32', 'minhashOphUpdate', 'minhashOphDensify', 'minhashSketchTexts']);
}

/** mulberry32: deterministic u32 stream for test data, so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * Two sets of token hashes with a known Jaccard: |A ∪ B| = union, |A ∩ B| = round(j·union), the rest
 * split evenly between A only and B only. Values are distinct (a Set guards against repeats).
 */
export function pairWithJaccard(next: () => number, union: number, j: number): { a: Uint32Array; b: Uint32Array; exact: number } {
  const seen = new Set<number>();
  const draw = () => {
    let v = next();
    while (seen.has(v)) v = next();
    seen.add(v);
    return v;
  };
  const shared = Math.round(j * union);
  const onlyA = Math.floor((union - shared) / 2);
  const onlyB = union - shared - onlyA;
  const common = Array.from({ length: shared }, draw);
  const a = Uint32Array.from([...common, ...Array.from({ length: onlyA }, draw)]);
  const b = Uint32Array.from([...common, ...Array.from({ length: onlyB }, draw)]);
  return { a, b, exact: shared / union };
}

/** Mean and unbiased variance. */
export function meanVar(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}
