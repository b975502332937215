import { KompaktError, checkBoolean, checkInteger, describe, narrow16, widen16, type Dtype16 } from '@kompakt/core';
import { irht, rht } from '@kompakt/hadamard';
import { OUT_DTYPE_IDS, isNaNScale, isNegativeUe4m3, type BlockFormat, type NibbleLayout, type OutDtype } from './formats.js';
import { amax, dequantizeRows, quantizeRows, type BlockGeometry } from './kernels.js';
import {
  checkHadamardFits, checkInput, invalid, parseBlockOptions, resolveRows, type BlockPlan, type QuantizeOptions,
} from './options.js';

/** What `quantize` returns. Only `codes`, `scales` and (nvfp4) `tensorScale` are needed to decode. */
export interface Quantized {
  /** Packed element codes: rows · ceil(n / bs) · blockBytes bytes, rows concatenated. */
  codes: Uint8Array;
  /** One scale byte per block (E8M0, or UE4M3 for nvfp4). */
  scales: Uint8Array;
  /** nvfp4: the f32 per-tensor scale s_global. */
  tensorScale?: number;
  /** Convenience copies of the call's shape and format; options passed to `dequantize` take precedence. */
  format?: BlockFormat;
  n?: number;
  rows?: number;
  layout?: NibbleLayout;
}

/** Extra options of `dequantize`. */
export interface DequantizeOptions extends QuantizeOptions {
  /** Output type: 'f32' (default) gives a Float32Array, 'f16' / 'bf16' a Uint16Array of bits (RNE). */
  outDtype?: OutDtype;
  /** Decode NaN-scale blocks (E8M0 0xFF, UE4M3 0x7F/0xFF) to NaN instead of throwing CORRUPT. */
  allowNaN?: boolean;
  /** Number of rows; default: what the scales array holds. */
  rows?: number;
}

const DEQUANTIZE_KEYS = ['outDtype', 'allowNaN', 'rows'] as const;

/**
 * Quantizes the rows of `x` (row length `n`, default x.length) into a block format, blocks along
 * the last axis. A partial last block of a row is zero-padded (see docs/mx.md).
 *
 * @example
 * const q = quantize(weights, { format: 'mxfp4', n: 4096 });          // OCP: floor scale, RNE
 * const t = quantize(weights, { format: 'mxfp4', scaleRule: 'rceil' }); // Triton / HF tooling
 * const v = quantize(acts, { format: 'nvfp4', n: 4096 });             // q.tensorScale set
 */
export function quantize(x: Float32Array | Uint16Array, opts: QuantizeOptions): Quantized {
  const fn = 'quantize';
  const plan = parseBlockOptions(opts, fn);
  const dtype = checkInput(x, plan.dtype, fn);
  const { n, rows } = resolveRows(x.length, plan.n, fn);
  checkHadamardFits(plan, n, fn);
  const x32 = toF32(x, dtype, plan, n);
  let tensorScale = plan.tensorScale;
  if (plan.format === 'nvfp4' && tensorScale === undefined) tensorScale = defaultTensorScale(amax(x32));
  const geometry = geometryOf(plan, rows, n, tensorScale ?? 1);
  const { codes, scales } = quantizeRows({
    ...geometry, x: x32, scaleRule: plan.ids.scaleRule, rounding: plan.ids.rounding, key0: plan.key0, key1: plan.key1, threads: plan.threads,
  });
  const out: Quantized = { codes, scales, format: plan.format, n, rows, layout: plan.layout };
  if (plan.format === 'nvfp4') out.tensorScale = tensorScale;
  return out;
}

/** s_global = amax / (6·448) in f32 (TE, ModelOpt), or 1 when that is 0. */
export function defaultTensorScale(m: number): number {
  const s = Math.fround(m / (6 * 448));
  return s > 0 && Number.isFinite(s) ? s : 1;
}

function toF32(x: Float32Array | Uint16Array, dtype: 'f32' | Dtype16, plan: BlockPlan, n: number): Float32Array {
  let x32 = dtype === 'f32' ? (x as Float32Array) : widen16(x as Uint16Array, dtype);
  if (plan.hadamard && x32.length > 0) {
    if (x32 === x) x32 = x32.slice();
    rht(x32, { n, block: plan.hadamard.block, seed: plan.hadamard.seed });
  }
  return x32;
}

export function geometryOf(plan: BlockPlan, rows: number, n: number, tensorScale: number): BlockGeometry {
  const { info } = plan;
  return {
    rows, n, fmt: plan.ids.fmt, bs: info.bs, blockBytes: info.blockBytes, scaleFmt: info.scaleFmt, layout: plan.ids.layout, tensorScale,
  };
}

/** A quantized tensor checked against its options: shape, lengths, scale bytes. */
export interface ResolvedTensor {
  plan: BlockPlan;
  geometry: BlockGeometry;
  codes: Uint8Array;
  scales: Uint8Array;
}

/**
 * Validates `q` against the options: types, format/layout agreement, tensorScale, lengths
 * (TRUNCATED when short) and NaN scale bytes (CORRUPT unless allowNaN). Used by dequantize, dot, matvec.
 */
export function resolveQuantized(q: unknown, opts: unknown, fn: string, extraKeys: readonly string[] = [], rowsOverride?: number): ResolvedTensor {
  const plan = parseBlockOptions(opts, fn, extraKeys);
  if (q === null || typeof q !== 'object') throw new KompaktError('INVALID_TYPE', `${fn}: q must be an object { codes, scales }, got ${describe(q)}`);
  const t = q as Partial<Quantized>;
  if (!(t.codes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: q.codes must be a Uint8Array, got ${describe(t.codes)}`);
  if (!(t.scales instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: q.scales must be a Uint8Array, got ${describe(t.scales)}`);
  if (t.format !== undefined && t.format !== plan.format) throw invalid(`${fn}: q was quantized as '${String(t.format)}', options say '${plan.format}'`);
  const explicitLayout = (opts as { layout?: unknown }).layout;
  if (t.layout !== undefined) {
    if (explicitLayout !== undefined && t.layout !== explicitLayout) throw invalid(`${fn}: q has layout '${String(t.layout)}', options say '${String(explicitLayout)}'`);
    if (explicitLayout === undefined && (t.layout === 'pairs' || t.layout === 'ggml')) {
      if (t.layout === 'ggml' && plan.info.element !== 'e2m1') throw invalid(`${fn}: q.layout 'ggml' is only for FP4 formats`);
      plan.layout = t.layout;
      plan.ids.layout = t.layout === 'ggml' ? 1 : 0;
    }
  }
  const { bs, blockBytes, scaleFmt } = plan.info;
  let n = plan.n;
  if (n === undefined && t.n !== undefined) n = checkInteger(t.n, `${fn}: q.n`, 0);
  if (n === undefined) n = t.scales.length * bs;
  const nb = Math.ceil(n / bs);
  let rows = rowsOverride;
  if (rows === undefined && plan.n === undefined && t.rows !== undefined) rows = checkInteger(t.rows, `${fn}: q.rows`, 0);
  if (rows === undefined) rows = nb === 0 ? 0 : Math.max(Math.ceil(t.scales.length / nb), Math.ceil(t.codes.length / (nb * blockBytes)));
  checkLength(t.scales.length, rows * nb, 'q.scales', `${rows} rows × ${nb} blocks`, fn);
  checkLength(t.codes.length, rows * nb * blockBytes, 'q.codes', `${rows} rows × ${nb} blocks × ${blockBytes} bytes`, fn);
  checkHadamardFits(plan, n, fn);

  let tensorScale = 1;
  if (plan.format === 'nvfp4') {
    const ts = plan.tensorScale ?? t.tensorScale;
    if (typeof ts !== 'number' || !(ts > 0) || !Number.isFinite(ts)) {
      throw invalid(`${fn}: nvfp4 needs a positive finite tensorScale (q.tensorScale or options.tensorScale), got ${describe(ts)}`);
    }
    tensorScale = Math.fround(ts);
  }
  const allowNaN = (opts as { allowNaN?: unknown }).allowNaN;
  checkScales(t.scales, scaleFmt, nb, allowNaN === undefined ? false : checkBoolean(allowNaN, `${fn}: allowNaN`), fn);
  return { plan, geometry: geometryOf(plan, rows, n, tensorScale), codes: t.codes, scales: t.scales };
}

function checkLength(actual: number, expected: number, name: string, why: string, fn: string): void {
  if (actual < expected) throw new KompaktError('TRUNCATED', `${fn}: ${name} has ${actual} bytes, ${why} need ${expected}`);
  if (actual > expected) throw new KompaktError('SHAPE_MISMATCH', `${fn}: ${name} has ${actual} bytes, ${why} need ${expected}`);
}

function checkScales(scales: Uint8Array, scaleFmt: 0 | 1, nb: number, allowNaN: boolean, fn: string): void {
  for (let i = 0; i < scales.length; i++) {
    const b = scales[i];
    if (scaleFmt === 1 && isNegativeUe4m3(b)) {
      throw new KompaktError('CORRUPT', `${fn}: block ${i} (row ${Math.floor(i / nb)}, block ${i % nb}) has UE4M3 scale byte 0x${b.toString(16)} with the sign bit set`);
    }
    if (!allowNaN && isNaNScale(b, scaleFmt)) {
      throw new KompaktError('CORRUPT', `${fn}: block ${i} (row ${Math.floor(i / nb)}, block ${i % nb}) has the NaN scale byte 0x${b.toString(16)}; pass allowNaN: true to decode it as NaN`);
    }
  }
}

/**
 * Decodes a quantized tensor with the options it was made with: a Float32Array of rows · n values
 * (padding dropped), or f16/bf16 bits with `outDtype`. With `hadamard`, the rotation is undone, so the
 * result is in the original basis.
 */
export function dequantize(q: Quantized, opts: DequantizeOptions & { outDtype: 'f16' | 'bf16' }): Uint16Array;
export function dequantize(q: Quantized, opts: DequantizeOptions & { outDtype?: 'f32' }): Float32Array;
export function dequantize(q: Quantized, opts: DequantizeOptions): Float32Array | Uint16Array;
export function dequantize(q: Quantized, opts: DequantizeOptions): Float32Array | Uint16Array {
  const fn = 'dequantize';
  const o = (opts ?? {}) as DequantizeOptions;
  const outDtype: OutDtype = o.outDtype === undefined ? 'f32' : o.outDtype;
  if (outDtype !== 'f32' && outDtype !== 'f16' && outDtype !== 'bf16') throw invalid(`${fn}: outDtype must be 'f32', 'f16' or 'bf16', got ${describe(outDtype)}`);
  const rowsOpt = o.rows === undefined ? undefined : checkInteger(o.rows, `${fn}: rows`, 0);
  const r = resolveQuantized(q, opts, fn, DEQUANTIZE_KEYS, rowsOpt);
  const h = r.plan.hadamard;
  const kernelDtype = h ? 'f32' : outDtype;
  const { out, firstNaN } = dequantizeRows({
    ...r.geometry, codes: r.codes, scales: r.scales, rounding: r.plan.ids.rounding, outDtype: OUT_DTYPE_IDS[kernelDtype], threads: r.plan.threads,
  });
  if (firstNaN >= 0 && o.allowNaN !== true) {
    throw new KompaktError('INTERNAL', `${fn}: the kernel reported a NaN scale at block ${firstNaN} that validation missed`);
  }
  if (!h || out.length === 0) return out;
  irht(out as Float32Array, { n: r.geometry.n, block: h.block, seed: h.seed });
  return outDtype === 'f32' ? out : narrow16(out as Float32Array, outDtype);
}
