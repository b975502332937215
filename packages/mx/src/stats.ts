import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { rht } from '@kompakt/hadamard';
import { ELEMENTS, decodeScale } from './formats.js';
import { parseBlockOptions, resolveRows } from './options.js';
import type { Quantized } from './quantize.js';
import type { QuantizeOptions } from './options.js';

/** Error statistics of a reconstruction `y` of `x`. */
export interface ErrorStats {
  /** Mean of (x − y)². */
  mse: number;
  /** 10·log10(Σx² / Σ(x − y)²); +Infinity when y = x. */
  sqnrDb: number;
  /** max |x − y|. */
  maxAbsError: number;
  /** With `q`: fraction of elements whose |x| exceeded their block's largest representable magnitude. */
  clippedFraction?: number;
  /** With `block` (or `q`): the same per block, rows × ceil(n / block) entries, row-major. */
  perBlock?: { mse: Float64Array; sqnrDb: Float64Array; maxAbsError: Float64Array; clippedFraction?: Float64Array };
}

export interface ErrorStatsOptions {
  /** Row length (default x.length); blocks run along rows, a partial last block is its own block. */
  n?: number;
  /** Block length for `perBlock` (default: the format's block with `q`, else no perBlock). */
  block?: number;
  /** The quantized tensor y came from, for `clippedFraction`. Needs `quantizeOptions`. */
  q?: Quantized;
  /** The options `q` was quantized with (format, rounding, hadamard …). */
  quantizeOptions?: QuantizeOptions;
}

function sqnr(signal: number, noise: number): number {
  if (noise === 0) return Infinity;
  return 10 * Math.log10(signal / noise);
}

/**
 * MSE, SQNR (dB), max abs error and, given the quantized tensor, the fraction of clipped elements:
 * |x| > elementMax · blockScale (· tensorScale for nvfp4, · 4/3 for 'stochastic-3/4'), judged on x
 * after the Hadamard rotation when the options have one. Computed in JS in f64.
 */
export function errorStats(x: Float32Array, y: Float32Array, opts?: ErrorStatsOptions): ErrorStats {
  const fn = 'errorStats';
  const o = checkOptions<ErrorStatsOptions>(opts, `${fn} options`, ['n', 'block', 'q', 'quantizeOptions']);
  if (!(x instanceof Float32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: x must be a Float32Array, got ${describe(x)}`);
  if (!(y instanceof Float32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: y must be a Float32Array, got ${describe(y)}`);
  if (x.length !== y.length) throw new KompaktError('SHAPE_MISMATCH', `${fn}: x has ${x.length} values, y has ${y.length}`);
  const { n, rows } = resolveRows(x.length, o.n === undefined ? undefined : checkInteger(o.n, `${fn}: n`, 1), fn);

  let limits: ((row: number, k: number) => number) | null = null;
  let xc = x;
  let block = o.block === undefined ? undefined : checkInteger(o.block, `${fn}: block`, 1);
  if (o.q !== undefined || o.quantizeOptions !== undefined) {
    if (o.q === undefined || o.quantizeOptions === undefined) throw new KompaktError('INVALID_ARGUMENT', `${fn}: q and quantizeOptions go together`);
    const plan = parseBlockOptions(o.quantizeOptions, `${fn}: quantizeOptions`);
    const { bs, scaleFmt, element } = plan.info;
    if (block !== undefined && block !== bs) throw new KompaktError('INVALID_ARGUMENT', `${fn}: block = ${block} contradicts format '${plan.format}' (block ${bs})`);
    block = bs;
    const nb = Math.ceil(n / bs);
    const scales = o.q.scales;
    if (!(scales instanceof Uint8Array) || scales.length !== rows * nb) {
      throw new KompaktError('SHAPE_MISMATCH', `${fn}: q.scales must hold ${rows * nb} bytes for ${rows} rows of ${nb} blocks, got ${describe(scales)}`);
    }
    const ts = scaleFmt === 1 ? (plan.tensorScale ?? o.q.tensorScale ?? NaN) : 1;
    const widen = plan.rounding === 'stochastic-3/4' ? 4 / 3 : 1;
    const max = ELEMENTS[element].max;
    limits = (row, k) => max * decodeScale(scales[row * nb + k], scaleFmt) * ts * widen;
    if (plan.hadamard) xc = rht(x.slice(), { n, block: plan.hadamard.block, seed: plan.hadamard.seed });
  }

  let se = 0;
  let ss = 0;
  let maxErr = 0;
  let clipped = 0;
  const nb = block === undefined ? 0 : Math.ceil(n / block);
  const per = block === undefined ? undefined : {
    mse: new Float64Array(rows * nb), sqnrDb: new Float64Array(rows * nb), maxAbsError: new Float64Array(rows * nb),
    ...(limits ? { clippedFraction: new Float64Array(rows * nb) } : {}),
  };
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < (block === undefined ? 1 : nb); k++) {
      const start = block === undefined ? 0 : k * block;
      const end = block === undefined ? n : Math.min(n, start + block);
      const limit = limits ? limits(r, k) : Infinity;
      let bse = 0;
      let bss = 0;
      let bmax = 0;
      let bclip = 0;
      for (let j = r * n + start; j < r * n + end; j++) {
        const d = x[j] - y[j];
        bse += d * d;
        bss += x[j] * x[j];
        const a = Math.abs(d);
        bmax = Math.max(bmax, a);
        if (Math.abs(xc[j]) > limit) bclip++;
      }
      se += bse;
      ss += bss;
      maxErr = Math.max(maxErr, bmax);
      clipped += bclip;
      if (per) {
        const b = r * nb + k;
        per.mse[b] = bse / (end - start);
        per.sqnrDb[b] = sqnr(bss, bse);
        per.maxAbsError[b] = bmax;
        if (per.clippedFraction) per.clippedFraction[b] = bclip / (end - start);
      }
    }
  }
  const len = x.length;
  const out: ErrorStats = { mse: len ? se / len : 0, sqnrDb: sqnr(ss, se), maxAbsError: maxErr };
  if (limits) out.clippedFraction = len ? clipped / len : 0;
  if (per) out.perBlock = per;
  return out;
}
