import { expect } from 'vitest';
import { isKompaktError, type KompaktErrorCode } from '@kompakt/core';

// The same deterministic data as the Hadamard suites (mulberry32), so failures reproduce.
export { randomFloats } from '../../hadamard/test/backends';

/** Max |a − b| relative to max |b|: the error measure the documented tolerances use (docs/gpu.md). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let diff = 0;
  let peak = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    peak = Math.max(peak, Math.abs(b[i]));
  }
  return peak === 0 ? diff : diff / peak;
}

/** How many positions of two equal-length arrays differ (bitwise for integer arrays); 0 means bit-exact. */
export function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
  return count;
}

/** Asserts that `promise` rejects with a KompaktError of `code` (message matching `message` when given). */
export async function expectRejects(promise: Promise<unknown>, code: KompaktErrorCode, message?: RegExp): Promise<void> {
  const e = await promise.then(() => null, (err: unknown) => err);
  expect(isKompaktError(e, code), String(e)).toBe(true);
  if (message) expect((e as Error).message).toMatch(message);
}

/**
 * The same device seen through smaller binding limits, so the chunking of large inputs is exercised
 * with small data. Methods stay bound to the real device.
 */
export function withBindingLimit(device: GPUDevice, bytes: number): GPUDevice {
  // Only the two limits the runtime reads.
  const limits = { maxStorageBufferBindingSize: bytes, maxBufferSize: bytes };
  return new Proxy(device, {
    get(target, key) {
      if (key === 'limits') return limits;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
