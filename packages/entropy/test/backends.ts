import type { BackendName } from '@kompakt/core';
import { backendsFor, rng } from '../../../test/helpers/backends';

export { rng };

/** The backends this suite runs against (see test/helpers/backends.ts). */
export function testBackends(): BackendName[] {
  return backendsFor('entropy', ['ransEncode', 'ransDecode', 'modelQuantizeCounts', 'modelQuantizeParametric', 'histU8', 'xorBytes', 'tensorSplit', 'tensorMerge', 'xxh32']);
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
