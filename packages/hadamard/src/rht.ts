import { KompaktError, describe, seedToKey } from '@kompakt/core';
import { runTransform, signStream } from './kernels.js';
import { parseTransform, type TransformOptions } from './options.js';

/** Options of rht / irht: the transform options plus where the random signs come from. */
export interface RhtOptions extends TransformOptions {
  /**
   * Seed of the sign stream: a non-negative safe integer or a bigint below 2^64. The signs are the
   * Kompakt sign stream (Philox4x32-10, docs/formats/sign-stream.md): the same on every backend and in
   * every release. Give `seed` or `signs`, not both.
   */
  seed?: number | bigint;
  /** Explicit signs (±1), one per element of a block: e.g. QuIP#'s stored SU or TransformerEngine's fixed 16. */
  signs?: Float32Array | Int8Array | readonly number[];
}

const RHT_KEYS = ['seed', 'signs'] as const;

/**
 * Randomized Hadamard transform, in place: x ← H·D·x per row (or per block), where D = diag(signs)
 * and H is the transform of `fwht`. With one seed the same D is used for every row and block, so
 * the map is one fixed orthogonal rotation. Returns `x`.
 *
 * @example
 * rht(weights, { n: 4096, seed: 7 });        // rotate each 4096-wide row
 * rht(acts, { block: 32, seed: 1n });        // 32-blockwise rotation before MXFP4
 */
export function rht<T extends Float32Array | Uint16Array>(x: T, opts: RhtOptions): T {
  const call = parseTransform(x, opts, 'rht', false, RHT_KEYS);
  if (call.size > 0 && x.length > 0) runTransform({ ...call, signs: parseSigns(opts ?? {}, call.size, 'rht') });
  return x;
}

/** The exact inverse of `rht` with the same options: x ← D·Hᵀ·x. Returns `x`. */
export function irht<T extends Float32Array | Uint16Array>(x: T, opts: RhtOptions): T {
  const call = parseTransform(x, opts, 'irht', true, RHT_KEYS);
  if (call.size > 0 && x.length > 0) runTransform({ ...call, signs: parseSigns(opts ?? {}, call.size, 'irht') });
  return x;
}

/** The signs rht applies for these options (the diagonal of D), e.g. to store beside a checkpoint. */
export function rhtSigns(size: number, seed: number | bigint): Float32Array {
  return signStream(size, ...keyWords(seed, 'rhtSigns'));
}

function parseSigns(opts: RhtOptions, size: number, fn: string): Float32Array {
  const hasSeed = opts.seed !== undefined;
  const hasSigns = opts.signs !== undefined;
  if (hasSeed === hasSigns) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: give exactly one of seed or signs (got ${hasSeed ? 'both' : 'neither'})`);
  }
  if (hasSeed) return signStream(size, ...keyWords(opts.seed!, fn));
  const s = opts.signs;
  if (!(s instanceof Float32Array || s instanceof Int8Array || Array.isArray(s))) {
    throw new KompaktError('INVALID_TYPE', `${fn}: signs must be a Float32Array, Int8Array or number[], got ${describe(s)}`);
  }
  if (s.length !== size) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: signs has ${s.length} entries, the transform size is ${size}`);
  }
  const out = Float32Array.from(s as ArrayLike<number>);
  const bad = out.findIndex((v) => v !== 1 && v !== -1);
  if (bad >= 0) throw new KompaktError('INVALID_ARGUMENT', `${fn}: signs[${bad}] = ${out[bad]}, every sign must be +1 or -1`);
  return out;
}

function keyWords(seed: number | bigint, fn: string): [number, number] {
  try {
    const { key0, key1 } = seedToKey(seed);
    return [key0, key1];
  } catch (cause) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: ${(cause as Error).message}`, { cause });
  }
}
