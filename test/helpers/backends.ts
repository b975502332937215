import { availableBackends, type BackendName } from '@kompakt/core';

/**
 * The backends a package's suite runs against: every one that loads here, native only when the addon
 * carries the package's kernels (`requires`). Where CI requires the addon (KOMPAKT_REQUIRE_NATIVE=1,
 * set by `npm test` when cargo built it), a missing or outdated addon fails the run instead of
 * quietly shrinking the matrix. `nativeExists: false` marks a package whose Rust kernels are not
 * written yet, so the requirement does not apply to it.
 */
export function backendsFor(pkg: string, requires: readonly string[], nativeExists = true): BackendName[] {
  const list = availableBackends(requires);
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (nativeExists && env?.KOMPAKT_REQUIRE_NATIVE === '1' && !list.includes('native')) {
    throw new Error(`KOMPAKT_REQUIRE_NATIVE=1 but the native addon did not load or has no ${pkg} kernels`);
  }
  return list;
}

/** A small deterministic PRNG for test data (mulberry32), so failures reproduce. Values in [0, 1). */
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
