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

/** `target` with the members in `overrides` replaced; every other member is the target's own (methods bound to it). */
function overriding<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, key) {
      if (typeof key === 'string' && key in overrides) return overrides[key];
      const value = Reflect.get(t, key, t) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

/** The same device seen through smaller binding limits (only the two the runtime reads), so chunking runs on small data. */
export function withBindingLimit(device: GPUDevice, bytes: number): GPUDevice {
  return overriding(device, { limits: { maxStorageBufferBindingSize: bytes, maxBufferSize: bytes } });
}

/** The same device with `onSubmit` called on every queue.submit. */
export function withQueueSubmit(device: GPUDevice, onSubmit: () => void): GPUDevice {
  const queue = device.queue;
  const submit = (buffers: GPUCommandBuffer[]) => {
    onSubmit();
    queue.submit(buffers);
  };
  return overriding(device, { queue: overriding(queue, { submit }) });
}

/** The same device reporting itself lost (its `lost` promise already resolved). */
export function withLostDevice(device: GPUDevice): GPUDevice {
  return overriding(device, { lost: Promise.resolve({ reason: 'destroyed', message: 'lost for a test' }) });
}
