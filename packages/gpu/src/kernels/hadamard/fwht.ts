import { dispatch, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer, uniformBuffer } from '../../runtime/index.js';
import { encodeNarrow, encodeWiden } from '../dtype.js';
import { FINISH, FWHT_STAGE, FWHT_TILE, HADAMARD_MIX, SIGNS_AFTER, SIGNS_BEFORE, TILE, WORKGROUP } from './wgsl.js';

/** One validated transform of whole blocks: the GPU twin of @kompakt/hadamard's TransformCall. */
export interface GpuTransform {
  /** Block length k·2^log2m. */
  size: number;
  k: number;
  log2m: number;
  /** k×k factor (its transpose for inverses); null when k = 1. */
  hk: Float32Array | null;
  signs: Float32Array | null;
  signsAfter: boolean;
  scale: number;
}

function params(total: number, t: GpuTransform, span: number, flags: number, bits = 0): Uint8Array {
  const words = new ArrayBuffer(28);
  new Uint32Array(words, 0, 4).set([total, t.size, span, flags]);
  new Float32Array(words, 16, 1)[0] = t.scale;
  new Uint32Array(words, 20, 2).set([t.k, bits]);
  return new Uint8Array(words);
}

/**
 * Records the transform of the `total` floats in `x` (whole blocks) and returns the buffer that will hold
 * the result: `x` itself, or for k > 1 a new buffer (the caller releases it). Passes: butterflies up to
 * stride TILE in workgroup memory (signs before applied on load), one global pass per four larger
 * strides, then the dense k-point mix when k > 1; the last pass applies scale and output signs.
 */
export function encodeTransform(device: GPUDevice, x: GPUBuffer, total: number, t: GpuTransform): GPUBuffer {
  const m = 2 ** t.log2m;
  const signs = storageBuffer(device, t.signs ?? 4);
  releaseAfterBatch(device, signs);
  const preFlags = t.signs && !t.signsAfter ? SIGNS_BEFORE : 0;
  const finishFlags = FINISH | (t.signs && t.signsAfter ? SIGNS_AFTER : 0);
  const lastButterfly = t.k === 1 ? finishFlags : 0;

  const tileSpan = Math.min(m, TILE);
  const tileFlags = preFlags | (m <= TILE ? lastButterfly : 0);
  dispatch(device, pipelineFor(device, 'hadamard-tile', FWHT_TILE), [x, signs, uniformBuffer(device, params(total, t, tileSpan, tileFlags))],
    [Math.ceil(total / TILE)]);
  for (let h = TILE; h < m; h *= 16) {
    const bits = Math.min(4, Math.log2(m / h)); // up to four stages per pass
    const flags = h * 2 ** bits === m ? lastButterfly : 0;
    dispatch(device, pipelineFor(device, 'hadamard-stage', FWHT_STAGE), [x, signs, uniformBuffer(device, params(total, t, h, flags, bits))],
      [Math.ceil(total / 2 ** bits / WORKGROUP)]);
  }
  if (!t.hk) return x;
  const y = storageBuffer(device, total * 4);
  const hk = storageBuffer(device, t.hk);
  releaseAfterBatch(device, hk);
  dispatch(device, pipelineFor(device, 'hadamard-mix', HADAMARD_MIX), [x, signs, uniformBuffer(device, params(total, t, m, finishFlags)), y, hk],
    [Math.ceil(total / WORKGROUP)]);
  return y;
}

/**
 * Transforms `data` (whole blocks; its f32 form within the device's binding limit) and resolves to the
 * result's bytes. f16 / bf16 bits (`dtype`) travel as 16 bits both ways: widened on the GPU, transformed
 * in f32, rounded back once (as the CPU transforms 16-bit rows).
 */
export function transformOnGpu(device: GPUDevice, data: Float32Array | Uint16Array, t: GpuTransform, dtype?: 'f16' | 'bf16'): Promise<ArrayBuffer> {
  const input = storageBuffer(device, data);
  const x = dtype ? encodeWiden(device, input, data.length, dtype) : input;
  const result = encodeTransform(device, x, data.length, t);
  const output = dtype ? encodeNarrow(device, result, data.length, dtype) : result;
  const out = readBuffer(device, output, data.byteLength);
  releaseAfterBatch(device, ...new Set([input, x, result, output]));
  return out;
}
