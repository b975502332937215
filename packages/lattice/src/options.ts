import { KompaktError, describe } from '@kompakt/core';

/** A Float32Array whose length is a multiple of `dim` (a batch of `dim`-vectors). */
export function checkPoints(x: unknown, dim: number, fn: string): Float32Array {
  if (!(x instanceof Float32Array)) {
    throw new KompaktError('INVALID_TYPE', `${fn}: x must be a Float32Array, got ${describe(x)}`);
  }
  if (x.length % dim !== 0) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: x.length = ${x.length} is not a multiple of ${dim}`);
  }
  return x;
}

/** A typed array of codes of the given kind. */
export function checkCodes<T extends Uint8Array | Uint16Array | Uint32Array>(
  codes: unknown, C: { new (n: number): T; name: string }, fn: string,
): T {
  if (!(codes instanceof C)) {
    throw new KompaktError('INVALID_TYPE', `${fn}: codes must be a ${C.name}, got ${describe(codes)}`);
  }
  return codes as T;
}

/** The vector length of Zⁿ / Dₙ / Dₙ⁺ calls: an integer in [1, 1024] (Dₙ⁺: even, Dₙ: ≥ 2). */
export function checkDim(n: unknown, fn: string, min: number, even: boolean): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > 1024 || (even && n % 2 !== 0)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: n must be ${even ? 'an even ' : 'an '}integer in [${min}, 1024], got ${describe(n)}`);
  }
  return n;
}
