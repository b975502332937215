import { KompaktError, checkBoolean, checkInteger, checkOptions, describe, type Dtype16 } from '@kompakt/core';
import { hadamardK, transposeK } from './matrices.js';
import { requirePlan, type SizePlan } from './sizes.js';
import type { TransformCall } from './kernels.js';

/** Options shared by fwht, ifwht, rht and irht. */
export interface TransformOptions {
  /** Row length: x is a batch of rows of this length, each transformed independently. Default: x.length. */
  n?: number;
  /**
   * Block-diagonal transform: each row is cut into blocks of this length, each transformed on its own
   * (e.g. 32 before MXFP4, 16 before NVFP4). Must divide `n` and be a supported size. Default: `n`.
   */
  block?: number;
  /** Scale by 1/√size so the transform is orthonormal (default true). With false, fwht is the plain ±1 sum and ifwht divides by the size. */
  normalize?: boolean;
  /** Storage type of a Uint16Array input: 'f16' or 'bf16' (computed in f32, rounded back to nearest even). Float32Array inputs are 'f32'. */
  dtype?: 'f32' | Dtype16;
  /** Native backend only: worker threads over rows; 0 (default) uses every core, 1 stays on the calling thread. */
  threads?: number;
}

export const TRANSFORM_KEYS = ['n', 'block', 'normalize', 'dtype', 'threads'] as const;

/** A validated call: everything but signs, which rht adds. */
export function parseTransform(
  x: unknown, opts: unknown, fn: string, inverse: boolean, extraKeys: readonly string[] = [],
): TransformCall & { size: number } {
  const o = checkOptions<TransformOptions>(opts, `${fn} options`, [...TRANSFORM_KEYS, ...extraKeys]);
  const dtype = parseDtype(x, o.dtype, fn);
  const array = x as Float32Array | Uint16Array;
  const n = o.n === undefined ? array.length : checkInteger(o.n, `${fn}: n`, 1);
  if (array.length % Math.max(n, 1) !== 0) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: x.length = ${array.length} is not a multiple of n = ${n}`);
  }
  const size = o.block === undefined ? n : checkInteger(o.block, `${fn}: block`, 1);
  if (n % Math.max(size, 1) !== 0) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: block = ${size} does not divide n = ${n}`);
  }
  const normalize = o.normalize === undefined ? true : checkBoolean(o.normalize, `${fn}: normalize`);
  const threads = o.threads === undefined ? 0 : checkInteger(o.threads, `${fn}: threads`, 0, 1024);
  // An empty input is a valid batch of zero rows; it still needs a valid size to be a valid call.
  const plan: SizePlan = size === 0 ? { n: 0, k: 1, log2m: 0 } : requirePlan(size, o.block === undefined ? `${fn}: n` : `${fn}: block`);
  const hk = plan.k === 1 ? null : inverse ? transposeK(hadamardK(plan.k), plan.k) : hadamardK(plan.k);
  const scale = normalize ? 1 / Math.sqrt(size) : inverse ? 1 / size : 1;
  return { x: array, dtype, plan, hk, signs: null, signsAfter: inverse, scale, threads, size };
}

function parseDtype(x: unknown, dtype: unknown, fn: string): 'f32' | Dtype16 {
  if (x instanceof Float32Array) {
    if (dtype !== undefined && dtype !== 'f32') {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: dtype '${String(dtype)}' needs a Uint16Array of raw 16-bit values, got a Float32Array`);
    }
    return 'f32';
  }
  if (x instanceof Uint16Array) {
    if (dtype === 'f16' || dtype === 'bf16') return dtype;
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: a Uint16Array input needs dtype: 'f16' or 'bf16', got ${describe(dtype)}`);
  }
  throw new KompaktError('INVALID_TYPE', `${fn}: x must be a Float32Array (or a Uint16Array with dtype 'f16' | 'bf16'), got ${describe(x)}`);
}
