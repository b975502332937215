import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { quantizeCounts, quantizeParametric } from './kernels.js';
import { throwEncodeStatus } from './status.js';

/**
 * A static entropy model: integer frequencies summing to 2^precision over the symbols
 * offset … offset + size − 1. Build one with {@link categorical}, {@link gaussian}, {@link laplace},
 * {@link logistic} or {@link modelFromFrequencies}; the same model must be used to decode.
 */
export interface Model {
  /** Probability precision in bits: symbol k has probability frequencies[k] / 2^precision. */
  readonly precision: number;
  /** One frequency per symbol, summing to exactly 2^precision. 0 means the symbol cannot be coded. */
  readonly frequencies: Uint32Array;
  /** The value of symbol 0: symbol k stands for the value offset + k. */
  readonly offset: number;
}

export interface PrecisionOptions {
  /**
   * Probability precision in bits, 1 … 24 (default 14). Up to 16 the decoder uses a slot table
   * (6·2^precision bytes per call, fast); 17 … 24 selects the exact path (rans16x32: binary search on
   * the cumulative table, slower), for sparse data where one symbol has p ≈ 1.
   */
  precision?: number;
}

export const DEFAULT_PRECISION = 14;
export const MAX_PRECISION = 24;
export const MAX_SYMBOLS = 1 << 16;

function parsePrecision(value: unknown, fn: string): number {
  return value === undefined ? DEFAULT_PRECISION : checkInteger(value, `${fn}: precision`, 1, MAX_PRECISION);
}

/** Integers this large would overflow the kernel's u32 counts; larger totals are rescaled. */
const COUNT_LIMIT = 2 ** 32;

/**
 * A categorical model from probabilities or counts (any nonnegative finite weights). Integer weights
 * with a sum below 2^32 are quantized exactly as counts; other weights become counts
 * `floor(w / Σw · (2^32 − 2^17)) + 1` first (IEEE arithmetic, so every engine agrees). Every symbol
 * with a positive weight keeps a frequency ≥ 1; zero-weight symbols get 0. See docs/kpk-format.md
 * for the rounding rule.
 */
export function categorical(weights: ArrayLike<number>, options?: PrecisionOptions): Model {
  const fn = 'categorical';
  const o = checkOptions<PrecisionOptions>(options, `${fn} options`, ['precision']);
  const precision = parsePrecision(o.precision, fn);
  if (!weights || typeof weights !== 'object' || typeof weights.length !== 'number') {
    throw new KompaktError('INVALID_TYPE', `${fn}: weights must be an array of numbers, got ${describe(weights)}`);
  }
  const n = weights.length;
  if (n < 1 || n > MAX_SYMBOLS) throw new KompaktError('INVALID_ARGUMENT', `${fn}: needs 1 … ${MAX_SYMBOLS} weights, got ${n}`);
  let sum = 0;
  let integral = true;
  let present = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: weights[${i}] must be a finite number ≥ 0, got ${describe(w)}`);
    }
    sum += w;
    integral &&= Number.isInteger(w);
    if (w > 0) present++;
  }
  if (present === 0) throw new KompaktError('INVALID_ARGUMENT', `${fn}: every weight is 0`);
  if (present > 2 ** precision) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: ${present} symbols have positive weight, more than 2^${precision} (raise precision)`);
  }
  const counts = new Uint32Array(n);
  const exact = integral && sum < COUNT_LIMIT;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    counts[i] = exact || w === 0 ? w : Math.floor((w / sum) * (COUNT_LIMIT - 2 ** 17)) + 1;
  }
  const freqs = quantizeCounts(counts, precision);
  if (typeof freqs === 'number') throwEncodeStatus(freqs, fn);
  return { precision, frequencies: freqs, offset: 0 };
}

/** Checks and wraps frequencies that were stored alongside a stream. */
export function modelFromFrequencies(frequencies: ArrayLike<number>, options?: PrecisionOptions & { offset?: number }): Model {
  const fn = 'modelFromFrequencies';
  const o = checkOptions<PrecisionOptions & { offset?: number }>(options, `${fn} options`, ['precision', 'offset']);
  const precision = parsePrecision(o.precision, fn);
  const offset = o.offset === undefined ? 0 : checkInteger(o.offset, `${fn}: offset`, -(2 ** 31), 2 ** 31 - 1);
  const n = frequencies?.length;
  if (typeof n !== 'number' || n < 1 || n > MAX_SYMBOLS) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: needs 1 … ${MAX_SYMBOLS} frequencies, got ${describe(frequencies)}`);
  }
  const freqs = new Uint32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    freqs[i] = checkInteger(frequencies[i], `${fn}: frequencies[${i}]`, 0, 2 ** precision);
    sum += freqs[i];
  }
  if (sum !== 2 ** precision) throw new KompaktError('INVALID_ARGUMENT', `${fn}: frequencies sum to ${sum}, not 2^${precision}`);
  return { precision, frequencies: freqs, offset };
}

/** Options of the quantized continuous models: support [min, max] (integers), location and scale. */
export interface ParametricOptions extends PrecisionOptions {
  /** Smallest codable value (integer). */
  min: number;
  /** Largest codable value (integer); at most 2^precision values in all. */
  max: number;
  /** Location: the mean (Gaussian, Laplace, logistic are all symmetric about it). Default 0. */
  mean?: number;
}

const KINDS = { gaussian: 0, laplace: 1, logistic: 2 } as const;

function parametric(fn: keyof typeof KINDS, scaleKey: string, options: unknown): Model {
  const o = checkOptions<ParametricOptions & Record<string, number>>(options, `${fn} options`, ['min', 'max', 'mean', scaleKey, 'precision']);
  if (options === undefined) throw new KompaktError('INVALID_ARGUMENT', `${fn}: options { min, max, ${scaleKey} } are required`);
  const precision = parsePrecision(o.precision, fn);
  const min = checkInteger(o.min, `${fn}: min`, -(2 ** 31), 2 ** 31 - 1);
  const max = checkInteger(o.max, `${fn}: max`, min, 2 ** 31 - 1);
  const size = max - min + 1;
  if (size > 2 ** precision) throw new KompaktError('INVALID_ARGUMENT', `${fn}: ${size} values do not fit precision ${precision} (at most 2^${precision})`);
  const mean = o.mean ?? 0;
  const scale = o[scaleKey];
  if (typeof mean !== 'number' || !Number.isFinite(mean)) throw new KompaktError('INVALID_ARGUMENT', `${fn}: mean must be finite, got ${describe(mean)}`);
  if (typeof scale !== 'number' || !Number.isFinite(scale) || !(scale > 0)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: ${scaleKey} must be finite and > 0, got ${describe(scale)}`);
  }
  const freqs = quantizeParametric(KINDS[fn], mean, scale, min, size, precision);
  if (typeof freqs === 'number') throwEncodeStatus(freqs, fn);
  return { precision, frequencies: freqs, offset: min };
}

/**
 * A Gaussian N(mean, std²) discretised on the integers min … max (bins [v − ½, v + ½), tails folded
 * into the end bins), every value with frequency ≥ 1. The table is computed inside the kernel with
 * its own exp/erfc, so every engine and backend builds the same bits.
 */
export function gaussian(options: ParametricOptions & { std: number }): Model {
  return parametric('gaussian', 'std', options);
}

/** A Laplace distribution (density ∝ e^(−|v − mean| / scale)) on min … max, like {@link gaussian}. */
export function laplace(options: ParametricOptions & { scale: number }): Model {
  return parametric('laplace', 'scale', options);
}

/** A logistic distribution (CDF 1 / (1 + e^(−(v − mean) / scale))) on min … max, like {@link gaussian}. */
export function logistic(options: ParametricOptions & { scale: number }): Model {
  return parametric('logistic', 'scale', options);
}
