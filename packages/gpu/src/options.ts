import { KompaktError, isKompaktError } from '@kompakt/core';
import type { GpuOptions } from './runtime/device.js';

/** Splits a GPU function's options into the GPU part and the CPU function's options (validated by it). */
export function splitOptions<T extends object>(opts: (T & GpuOptions) | undefined, fn: string): { gpu: GpuOptions; cpu: T | undefined } {
  if (opts === undefined) return { gpu: {}, cpu: undefined };
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn} options must be an options object, got ${opts === null ? 'null' : typeof opts}`);
  }
  const { device, ...cpu } = opts;
  return { gpu: { device }, cpu: cpu as T };
}

/**
 * Runs the CPU function's own validation (`check`) so the GPU twin accepts exactly the same options
 * and fails with the same codes; its messages get the GPU function's name in front.
 */
export function validateLikeCpu(fn: string, check: () => unknown): void {
  try {
    check();
  } catch (e) {
    if (isKompaktError(e)) throw new KompaktError(e.code, `${fn}: ${e.message}`, { cause: e });
    throw e;
  }
}

/**
 * An empty (or `length` zeros) array of x's type, for validating x's type and dtype with the CPU function
 * before any work; anything that is not a typed array is passed through for the CPU function to reject.
 */
export function emptyLike<T>(x: T, length: number): T {
  if (x instanceof Float32Array || x instanceof Uint16Array) return new (x.constructor as new (n: number) => T)(length);
  return x;
}
