import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { BLOCKS, LAYOUTS, type NibbleLayout } from './formats.js';
import { invalid } from './options.js';
import { resolveQuantized, type Quantized } from './quantize.js';

/** The FP4 formats that have a llama.cpp block struct. */
export type GgmlFormat = 'mxfp4' | 'nvfp4';

/** llama.cpp block_mxfp4: e (E8M0) + qs[16], 32 values. */
export const GGML_MXFP4_BLOCK_BYTES = 17;
/** llama.cpp block_nvfp4: d[4] (UE4M3) + qs[32], 64 values. */
export const GGML_NVFP4_BLOCK_BYTES = 36;

function parseGgmlFormat(format: unknown, fn: string): GgmlFormat {
  if (format !== 'mxfp4' && format !== 'nvfp4') throw invalid(`${fn}: format must be 'mxfp4' or 'nvfp4', got ${describe(format)}`);
  return format;
}

function parseLayout(value: unknown, name: string): NibbleLayout {
  if (typeof value !== 'string' || !(LAYOUTS as readonly string[]).includes(value)) {
    throw invalid(`${name} must be 'pairs' or 'ggml', got ${describe(value)}`);
  }
  return value as NibbleLayout;
}

/** Repacks one FP4 block of `half` bytes (2·half nibbles) between nibble orders. */
function repackBlock(src: Uint8Array, s: number, dst: Uint8Array, d: number, half: number, from: NibbleLayout, to: NibbleLayout): void {
  if (from === to) {
    dst.set(src.subarray(s, s + half), d);
    return;
  }
  if (from === 'pairs') {
    // element i: byte i>>1, nibble i&1 → ggml byte (i mod half), nibble (i >= half)
    for (let j = 0; j < half; j++) {
      const lo = j;
      const hi = j + half;
      const cLo = (src[s + (lo >> 1)] >> ((lo & 1) * 4)) & 15;
      const cHi = (src[s + (hi >> 1)] >> ((hi & 1) * 4)) & 15;
      dst[d + j] = cLo | (cHi << 4);
    }
  } else {
    for (let j = 0; j < half; j++) {
      const e0 = 2 * j;
      const e1 = 2 * j + 1;
      const c0 = e0 < half ? src[s + e0] & 15 : src[s + e0 - half] >> 4;
      const c1 = e1 < half ? src[s + e1] & 15 : src[s + e1 - half] >> 4;
      dst[d + j] = c0 | (c1 << 4);
    }
  }
}

/**
 * Converts packed FP4 codes between nibble orders: 'pairs' (byte j = element 2j | element 2j+1 << 4)
 * and 'ggml' (byte j = element j | element j + bs/2 << 4), block by block.
 */
export function convertLayout(codes: Uint8Array, opts: { from: NibbleLayout; to: NibbleLayout; format: GgmlFormat }): Uint8Array {
  const fn = 'convertLayout';
  const o = checkOptions<{ from: NibbleLayout; to: NibbleLayout; format: GgmlFormat }>(opts, `${fn} options`, ['from', 'to', 'format']);
  const format = parseGgmlFormat(o.format, fn);
  const from = parseLayout(o.from, `${fn}: from`);
  const to = parseLayout(o.to, `${fn}: to`);
  if (!(codes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: codes must be a Uint8Array, got ${describe(codes)}`);
  const half = BLOCKS[format].blockBytes;
  if (codes.length % half !== 0) throw new KompaktError('TRUNCATED', `${fn}: codes has ${codes.length} bytes, not a whole number of ${half}-byte ${format} blocks`);
  const out = new Uint8Array(codes.length);
  for (let s = 0; s < codes.length; s += half) repackBlock(codes, s, out, s, half, from, to);
  return out;
}

/**
 * Writes llama.cpp block structs (GGML_TYPE_MXFP4 = 39, GGML_TYPE_NVFP4 = 40) from a quantized tensor.
 * block_mxfp4 (17 B / 32 values): e, then qs[16] with qs[j] = element j | element j+16 << 4.
 * block_nvfp4 (36 B / 64 values): d[4] UE4M3, then qs[32]; sub-block s: qs[8s+j] = element 16s+j | element 16s+j+8 << 4.
 * A row whose 16-blocks do not fill the last nvfp4 struct gets zero sub-blocks (d = 0, qs = 0).
 * NaN scale bytes are copied as they are. block_nvfp4 has no per-tensor scale: keep q.tensorScale yourself.
 */
export function toGgmlBlocks(q: Quantized, opts: { format: GgmlFormat; n?: number; layout?: NibbleLayout }): Uint8Array {
  const fn = 'toGgmlBlocks';
  const o = checkOptions<{ format: GgmlFormat; n?: number; layout?: NibbleLayout }>(opts, `${fn} options`, ['format', 'n', 'layout']);
  const format = parseGgmlFormat(o.format, fn);
  const t = resolveQuantized(q, {
    format, ...(o.n === undefined ? {} : { n: o.n }), ...(o.layout === undefined ? {} : { layout: o.layout }),
    ...(format === 'nvfp4' ? { tensorScale: 1 } : {}), allowNaN: true,
  }, fn, ['allowNaN']);
  const { rows, n } = t.geometry;
  const from = t.plan.layout;
  const half = BLOCKS[format].blockBytes;
  const nb = Math.ceil(n / BLOCKS[format].bs);
  if (format === 'mxfp4') {
    const out = new Uint8Array(rows * nb * GGML_MXFP4_BLOCK_BYTES);
    for (let b = 0; b < rows * nb; b++) {
      out[b * 17] = t.scales[b];
      repackBlock(t.codes, b * half, out, b * 17 + 1, half, from, 'ggml');
    }
    return out;
  }
  const structs = Math.ceil(nb / 4);
  const out = new Uint8Array(rows * structs * GGML_NVFP4_BLOCK_BYTES);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < nb; k++) {
      const b = r * nb + k;
      const base = (r * structs + (k >> 2)) * GGML_NVFP4_BLOCK_BYTES;
      const s = k & 3;
      out[base + s] = t.scales[b];
      repackBlock(t.codes, b * half, out, base + 4 + 8 * s, half, from, 'ggml');
    }
  }
  return out;
}

/** Options of `fromGgmlBlocks`. */
export interface FromGgmlOptions {
  format: GgmlFormat;
  /** Row length in values (the GGUF tensor's ne[0]). */
  n: number;
  /** Rows; default: what `bytes` holds. */
  rows?: number;
  /** Nibble order of the returned codes (default 'pairs'). */
  layout?: NibbleLayout;
  /** nvfp4: the per-tensor scale stored beside the blocks (default 1). */
  tensorScale?: number;
}

/** Reads llama.cpp block_mxfp4 / block_nvfp4 structs back into separate codes and scales. */
export function fromGgmlBlocks(bytes: Uint8Array, opts: FromGgmlOptions): Quantized {
  const fn = 'fromGgmlBlocks';
  const o = checkOptions<FromGgmlOptions>(opts, `${fn} options`, ['format', 'n', 'rows', 'layout', 'tensorScale']);
  const format = parseGgmlFormat(o.format, fn);
  if (!(bytes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: bytes must be a Uint8Array, got ${describe(bytes)}`);
  if (o.n === undefined) throw invalid(`${fn}: options.n (the row length) is required`);
  const n = checkInteger(o.n, `${fn}: n`, 1);
  const layout = o.layout === undefined ? 'pairs' : parseLayout(o.layout, `${fn}: layout`);
  const { bs, blockBytes: half } = BLOCKS[format];
  const nb = Math.ceil(n / bs);
  const structBytes = format === 'mxfp4' ? GGML_MXFP4_BLOCK_BYTES : GGML_NVFP4_BLOCK_BYTES;
  const structsPerRow = format === 'mxfp4' ? nb : Math.ceil(nb / 4);
  const rowBytes = structsPerRow * structBytes;
  const rows = o.rows === undefined ? Math.ceil(bytes.length / rowBytes) : checkInteger(o.rows, `${fn}: rows`, 0);
  const need = rows * rowBytes;
  if (bytes.length < need) throw new KompaktError('TRUNCATED', `${fn}: bytes has ${bytes.length} bytes, ${rows} rows of ${structsPerRow} ${format} blocks need ${need}`);
  if (bytes.length > need) throw new KompaktError('SHAPE_MISMATCH', `${fn}: bytes has ${bytes.length} bytes, ${rows} rows of ${structsPerRow} ${format} blocks need ${need}`);
  let tensorScale: number | undefined;
  if (o.tensorScale !== undefined) {
    if (format !== 'nvfp4') throw invalid(`${fn}: tensorScale is only for 'nvfp4'`);
    if (typeof o.tensorScale !== 'number' || !(o.tensorScale > 0) || !Number.isFinite(o.tensorScale)) {
      throw invalid(`${fn}: tensorScale must be a positive finite number, got ${describe(o.tensorScale)}`);
    }
    tensorScale = Math.fround(o.tensorScale);
  }
  const codes = new Uint8Array(rows * nb * half);
  const scales = new Uint8Array(rows * nb);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < nb; k++) {
      const b = r * nb + k;
      if (format === 'mxfp4') {
        scales[b] = bytes[b * 17];
        repackBlock(bytes, b * 17 + 1, codes, b * half, half, 'ggml', layout);
      } else {
        const base = (r * structsPerRow + (k >> 2)) * GGML_NVFP4_BLOCK_BYTES;
        scales[b] = bytes[base + (k & 3)];
        repackBlock(bytes, base + 4 + 8 * (k & 3), codes, b * half, half, 'ggml', layout);
      }
    }
  }
  const out: Quantized = { codes, scales, format, n, rows, layout };
  if (format === 'nvfp4') out.tensorScale = tensorScale ?? 1;
  return out;
}
