import type { BackendName } from '@kompakt/core';
import { backendsFor } from '../../../test/helpers/backends';

/** The backends this suite runs against (see test/helpers/backends.ts). */
export function testBackends(): BackendName[] {
  return backendsFor('Hadamard', ['hadamardFwhtRows', 'hadamardFwhtRows16', 'rademacherFill']);
}

/** A small deterministic PRNG for test data (mulberry32), so failures reproduce. */
export function randomFloats(length: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** Max |a − b| and max |b| over two arrays of equal length. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { diff: number; peak: number } {
  let diff = 0;
  let peak = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    peak = Math.max(peak, Math.abs(b[i]));
  }
  return { diff, peak };
}
