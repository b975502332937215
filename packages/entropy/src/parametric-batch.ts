import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { MAX_TABLE_PRECISION, ransDecodeParametric, ransEncodeParametric, type ParametricBatch } from './kernels.js';
import { DEFAULT_PRECISION, MAX_SYMBOLS } from './model.js';
import { ERR_SYMBOL, throwDecodeStatus, throwEncodeStatus } from './status.js';

/**
 * Options of {@link encodeParametric} / {@link decodeParametric}: value i is coded under the quantized
 * `family` distribution with mean `means[i]` and scale `scales[i]` on the integers min … max, the
 * model that `gaussian({ mean, std: scale, min, max, precision })` (or `laplace`, `logistic` with
 * `scale`) builds, frequency for frequency.
 */
export interface ParametricBatchOptions {
  family: 'gaussian' | 'laplace' | 'logistic';
  /** One location per value. */
  means: Float32Array;
  /** One scale per value, finite and > 0: the std (Gaussian), b (Laplace) or s (logistic). */
  scales: Float32Array;
  /** Smallest codable value (integer). */
  min: number;
  /** Largest codable value (integer); at most 2^precision values in all. */
  max: number;
  /** Probability precision in bits, 1 … 16 (default 14): this path writes the rans16x16 stream only. */
  precision?: number;
}

const FAMILIES = { gaussian: 0, laplace: 1, logistic: 2 } as const;

function checkBatch(options: unknown, fn: string): ParametricBatch {
  const o = checkOptions<ParametricBatchOptions>(options, `${fn} options`, ['family', 'means', 'scales', 'min', 'max', 'precision']);
  if (options === undefined) throw new KompaktError('INVALID_ARGUMENT', `${fn}: options { family, means, scales, min, max } are required`);
  if (typeof o.family !== 'string' || !Object.hasOwn(FAMILIES, o.family)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: family must be 'gaussian', 'laplace' or 'logistic', got ${describe(o.family)}`);
  }
  const precision = o.precision === undefined ? DEFAULT_PRECISION : checkInteger(o.precision, `${fn}: precision`, 1, MAX_TABLE_PRECISION);
  const min = checkInteger(o.min, `${fn}: min`, -(2 ** 31), 2 ** 31 - 1);
  const max = checkInteger(o.max, `${fn}: max`, min, 2 ** 31 - 1);
  const nsym = max - min + 1;
  if (nsym > 2 ** precision || nsym > MAX_SYMBOLS) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: ${nsym} values do not fit precision ${precision} (at most 2^${precision})`);
  }
  const { means, scales } = o;
  if (!(means instanceof Float32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: means must be a Float32Array, got ${describe(means)}`);
  if (!(scales instanceof Float32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: scales must be a Float32Array, got ${describe(scales)}`);
  if (means.length !== scales.length) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: means has ${means.length} entries but scales has ${scales.length}`);
  }
  for (let i = 0; i < means.length; i++) {
    // Plain comparisons on the hot path; the message is built only on failure.
    if (!Number.isFinite(means[i])) throw new KompaktError('INVALID_ARGUMENT', `${fn}: means[${i}] must be finite, got ${describe(means[i])}`);
    const s = scales[i];
    if (!(s > 0) || s === Infinity) throw new KompaktError('INVALID_ARGUMENT', `${fn}: scales[${i}] must be finite and > 0, got ${describe(s)}`);
  }
  return { kind: FAMILIES[o.family], means, scales, lo: min, nsym, precision };
}

/** Values as an Int32Array (no copy when they already are one); non-integers are rejected here. */
function toInt32(values: ArrayLike<number>, fn: string): Int32Array {
  if (values instanceof Int32Array) return values;
  if (!values || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new KompaktError('INVALID_TYPE', `${fn}: values must be an array of integers, got ${describe(values)}`);
  }
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: values[${i}] must be a 32-bit integer, got ${describe(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Encodes integers where value i has its own quantized Gaussian, Laplace or logistic model
 * (`means[i]`, `scales[i]`), as a learned codec's entropy bottleneck needs. The models are computed
 * inside the wasm kernel with the same deterministic CDF as {@link gaussian}, so every engine writes
 * the same bytes. The stream is rans16x16 (docs/internals.md): ≤ 64 + 2·count bytes, no header; the
 * decoder needs the same options. Each new (mean, scale) pair costs O(max − min) CDF evaluations (no
 * slot table); the tables built are cached during the call, so repeated pairs cost little. Runs on wasm under every backend
 * (the native addon has no such kernel; the bytes are the same).
 */
export function encodeParametric(values: ArrayLike<number>, options: ParametricBatchOptions): Uint8Array {
  const fn = 'encodeParametric';
  const batch = checkBatch(options, fn);
  const syms = toInt32(values, fn);
  if (syms.length !== batch.means.length) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: ${syms.length} values but ${batch.means.length} means and scales`);
  }
  const out = ransEncodeParametric(syms, batch);
  if (typeof out !== 'number') return out;
  if (out === ERR_SYMBOL) {
    const max = batch.lo + batch.nsym - 1;
    const i = syms.findIndex((v) => v < batch.lo || v > max);
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: values[${i}] = ${syms[i]} is outside min … max (${batch.lo} … ${max})`);
  }
  return throwEncodeStatus(out, fn);
}

/**
 * Decodes `means.length` values from a stream made by {@link encodeParametric} with the same options.
 * Never reads outside `stream` and always terminates; a damaged stream throws KompaktError TRUNCATED
 * or CORRUPT (the final lane states double as a check, so most damage is caught).
 */
export function decodeParametric(stream: Uint8Array, options: ParametricBatchOptions): Int32Array {
  const fn = 'decodeParametric';
  const batch = checkBatch(options, fn);
  if (!(stream instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: stream must be a Uint8Array, got ${describe(stream)}`);
  const out = ransDecodeParametric(stream, batch);
  if (typeof out === 'number') throwDecodeStatus(out, fn);
  return out;
}
