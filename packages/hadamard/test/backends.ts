import { availableBackends, type BackendName } from '@kompakt/core';

/**
 * The backends every suite runs against: all that load here. Where the native addon is expected
 * (CI sets KOMPAKT_REQUIRE_NATIVE=1 after building it), its absence fails the run instead of
 * quietly shrinking the matrix.
 */
export function testBackends(): BackendName[] {
  const list = availableBackends(['hadamardFwhtRows', 'hadamardFwhtRows16', 'rademacherFill']);
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.KOMPAKT_REQUIRE_NATIVE === '1' && !list.includes('native')) {
    throw new Error('KOMPAKT_REQUIRE_NATIVE=1 but the native addon did not load');
  }
  return list;
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
