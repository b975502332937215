import { KompaktError, checkInteger, describe, widen16 } from '@kompakt/core';
import { rht } from '@kompakt/hadamard';
import { matvecRows } from './kernels.js';
import { checkInput } from './options.js';
import { resolveQuantized, type DequantizeOptions, type Quantized } from './quantize.js';

/** Options of `dot` and `matvec`: the quantize options of `q`, plus the matrix shape. */
export interface FusedOptions extends Omit<DequantizeOptions, 'outDtype'> {
  /** Rows of the matrix; default: what q.scales holds. */
  rows?: number;
}

const FUSED_KEYS = ['rows', 'allowNaN'] as const;

function prepare(q: Quantized, x: unknown, opts: FusedOptions, fn: string, rows?: number) {
  // The row length is x's length unless the options say otherwise (q.n may describe another view).
  const withN = opts && typeof opts === 'object' && opts.n === undefined && ArrayBuffer.isView(x) ? { ...opts, n: (x as Float32Array).length } : opts;
  const t = resolveQuantized(q, withN, fn, FUSED_KEYS, rows);
  const dtype = checkInput(x, t.plan.dtype, fn);
  const { n } = t.geometry;
  const xs = x as Float32Array | Uint16Array;
  if (xs.length !== n) throw new KompaktError('SHAPE_MISMATCH', `${fn}: x has ${xs.length} values, the rows have n = ${n}`);
  let x32 = dtype === 'f32' ? (xs as Float32Array) : widen16(xs as Uint16Array, dtype);
  const h = t.plan.hadamard;
  if (h && n > 0) {
    // ⟨H·w, H·x⟩ = ⟨w, x⟩: rotate x the same way the weights were rotated before quantizing.
    if (x32 === xs) x32 = x32.slice();
    rht(x32, { n, block: h.block, seed: h.seed });
  }
  const y = matvecRows({ ...t.geometry, codes: t.codes, scales: t.scales, x: x32, threads: t.plan.threads });
  if (t.plan.rounding === 'stochastic-3/4') for (let i = 0; i < y.length; i++) y[i] = Math.fround(y[i] * (4 / 3));
  return y;
}

/**
 * Matrix–vector product on packed data: y[r] = Σ_j dequantize(q)[r, j] · x[j], accumulated in f32 per
 * block, without materializing the f32 matrix. With `hadamard`, x is rotated like the weights were.
 *
 * @example
 * const w = quantize(weights, { format: 'mxfp4', n: 4096 });
 * const y = matvec(w, x, { format: 'mxfp4', n: 4096 }); // Float32Array of rows
 */
export function matvec(q: Quantized, x: Float32Array | Uint16Array, opts: FusedOptions): Float32Array {
  const rows = opts && (opts as FusedOptions).rows !== undefined ? checkInteger((opts as FusedOptions).rows, 'matvec: rows', 0) : undefined;
  return prepare(q, x, opts, 'matvec', rows);
}

/** Dot product of one quantized row with x (x.length = n). */
export function dot(q: Quantized, x: Float32Array | Uint16Array, opts: FusedOptions): number {
  if (opts && (opts as FusedOptions).rows !== undefined && (opts as FusedOptions).rows !== 1) {
    throw new KompaktError('INVALID_ARGUMENT', `dot: rows must be 1 (use matvec for more), got ${describe((opts as FusedOptions).rows)}`);
  }
  return prepare(q, x, opts, 'dot', 1)[0];
}
