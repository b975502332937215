import { KompaktError, checkOptions, describe } from '@kompakt/core';
import { invalid } from './options.js';
import { dequantize } from './quantize.js';

/** Options of `decodeGptOss`. */
export interface GptOssOptions {
  /** Output: 'f32' (default, Float32Array) or 'bf16' (Uint16Array of bfloat16 bits, RNE). */
  dtype?: 'f32' | 'bf16';
  /** Decode scale byte 0xFF as NaN blocks instead of throwing CORRUPT (gpt-oss's own decoder gives ±Inf). */
  allowNaN?: boolean;
  /** Native backend: threads (0 = all cores). */
  threads?: number;
}

/**
 * Decodes a gpt-oss MXFP4 tensor pair — `*_blocks` (U8 `[..., G, 16]`) and `*_scales` (U8 `[..., G]`),
 * as in the original/ and HF safetensors checkpoints — to `[..., G·32]` values. Low nibble first
 * ('pairs'), scale 2^(byte − 127). Pass the raw bytes of both tensors, flattened.
 *
 * @example
 * const w = decodeGptOss(blocksBytes, scalesBytes);                 // Float32Array
 * const wb = decodeGptOss(blocksBytes, scalesBytes, { dtype: 'bf16' }); // Uint16Array
 */
export function decodeGptOss(blocks: Uint8Array, scales: Uint8Array, opts?: GptOssOptions & { dtype?: 'f32' }): Float32Array;
export function decodeGptOss(blocks: Uint8Array, scales: Uint8Array, opts: GptOssOptions & { dtype: 'bf16' }): Uint16Array;
export function decodeGptOss(blocks: Uint8Array, scales: Uint8Array, opts?: GptOssOptions): Float32Array | Uint16Array;
export function decodeGptOss(blocks: Uint8Array, scales: Uint8Array, opts?: GptOssOptions): Float32Array | Uint16Array {
  const fn = 'decodeGptOss';
  const o = checkOptions<GptOssOptions>(opts, `${fn} options`, ['dtype', 'allowNaN', 'threads']);
  if (!(blocks instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: blocks must be a Uint8Array, got ${describe(blocks)}`);
  if (!(scales instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: scales must be a Uint8Array, got ${describe(scales)}`);
  const dtype = o.dtype ?? 'f32';
  if (dtype !== 'f32' && dtype !== 'bf16') throw invalid(`${fn}: dtype must be 'f32' or 'bf16', got ${describe(dtype)}`);
  const need = scales.length * 16;
  if (blocks.length !== need) {
    throw new KompaktError(blocks.length < need ? 'TRUNCATED' : 'SHAPE_MISMATCH',
      `${fn}: blocks has ${blocks.length} bytes, ${scales.length} scales need ${need} (16 per block)`);
  }
  // One block per row: any [..., G] shape flattens to G·(...) rows of 32.
  return dequantize({ codes: blocks, scales }, {
    format: 'mxfp4', n: 32, rows: scales.length, outDtype: dtype,
    ...(o.allowNaN === undefined ? {} : { allowNaN: o.allowNaN }),
    ...(o.threads === undefined ? {} : { threads: o.threads }),
  });
}
