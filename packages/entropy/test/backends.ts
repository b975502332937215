import { availableBackends, type BackendName } from '@kompakt/core';

const NATIVE_ENTROPY = ['ransEncode', 'ransDecode', 'modelQuantizeCounts', 'modelQuantizeParametric', 'histU8', 'xorBytes', 'tensorSplit', 'tensorMerge', 'xxh32'];

/**
 * The backends every suite runs against: all that load here. A native addon built before the entropy
 * kernels existed is left out, unless CI says the addon is required (KOMPAKT_REQUIRE_NATIVE=1): then a
 * missing or entropy-less addon fails the run instead of quietly shrinking the matrix.
 */
export function testBackends(): BackendName[] {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const list = availableBackends(NATIVE_ENTROPY);
  if (env?.KOMPAKT_REQUIRE_NATIVE === '1' && !list.includes('native')) {
    throw new Error('KOMPAKT_REQUIRE_NATIVE=1 but the native addon did not load or has no entropy kernels');
  }
  return list;
}

/** A small deterministic PRNG for test data (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n symbols drawn from a model's frequencies (inverse CDF on a uniform), for size tests. */
export function sample(freqs: Uint32Array, n: number, seed: number): Uint16Array {
  const next = rng(seed);
  const cum = new Float64Array(freqs.length + 1);
  for (let k = 0; k < freqs.length; k++) cum[k + 1] = cum[k] + freqs[k];
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const u = next() * cum[freqs.length];
    let lo = 0;
    let hi = freqs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid + 1] > u) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo;
  }
  return out;
}

/** −Σ log2 p over the symbols under the model, in bytes: the ideal size a static coder can reach. */
export function idealBytes(symbols: ArrayLike<number>, freqs: Uint32Array, precision: number): number {
  let bits = 0;
  for (let i = 0; i < symbols.length; i++) bits += precision - Math.log2(freqs[symbols[i]]);
  return bits / 8;
}

/** Byte equality for large arrays (vitest's toEqual walks them element by element, slowly). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
