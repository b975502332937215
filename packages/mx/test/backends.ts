import type { BackendName } from '@kompakt/core';
import { backendsFor, rng } from '../../../test/helpers/backends';

export { rng };

/** The backends this suite runs against (see test/helpers/backends.ts). */
export function testBackends(): BackendName[] {
  return backendsFor('MX', ['mxAmax', 'mxQuantize', 'mxDequantize', 'mxMatvec', 'mxEncodeElements', 'mxDecodeElements']);
}


/** Uniform values in (−scale, scale). */
export function randomFloats(length: number, seed: number, scale = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length }, () => (r() * 2 - 1) * scale);
}

/**
 * Test data with the awkward cases: per block a random magnitude over a wide exponent range, some
 * all-zero blocks, blocks whose amax is a power of two or just below one, tiny and huge magnitudes.
 */
export function nastyFloats(rows: number, n: number, seed: number, bs = 32): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(rows * n);
  for (let row = 0; row < rows; row++) {
    for (let start = 0; start < n; start += bs) {
      const end = Math.min(n, start + bs);
      const kind = Math.floor(r() * 8);
      const mag = 2 ** Math.floor(r() * 60 - 30);
      for (let j = start; j < end; j++) {
        let v = (r() * 2 - 1) * mag;
        if (kind === 0) v = 0;
        if (kind === 1 && r() < 0.5) v = Math.fround(v * 2 ** -20);
        x[row * n + j] = v;
      }
      const at = row * n + start + Math.floor(r() * (end - start));
      if (kind === 2) x[at] = mag; // power-of-two amax
      if (kind === 3) x[at] = -Math.fround(mag * (1 - 2 ** -24)); // just below a power of two
      if (kind === 4) x[at] = Math.fround(mag * 1.5); // significand 1.5 (ties of the EVEN rule etc.)
      if (kind === 5) x[at] = Math.fround(mag * 1.75);
    }
  }
  return x;
}

/** Asserts two byte arrays are equal, reporting the first difference by index. */
export function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): string | null {
  if (a.length !== b.length) return `lengths ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) return `at ${i}: ${a[i]} vs ${b[i]}`;
  }
  return null;
}
