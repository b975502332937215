import { dispatch, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer, uniformBuffer } from '../../runtime/index.js';
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
 * Transforms `data` (whole blocks; its byte length within the device's binding limit) and resolves to
 * the result's bytes. Passes: butterflies up to stride TILE in workgroup memory (signs before applied on
 * load), one global pass per four larger strides, then the dense k-point mix when k > 1; the last pass
 * applies scale and output signs.
 */
export function transformOnGpu(device: GPUDevice, data: Float32Array, t: GpuTransform): Promise<ArrayBuffer> {
  const total = data.length;
  const m = 2 ** t.log2m;
  const x = storageBuffer(device, data);
  const signs = storageBuffer(device, t.signs ?? 4);
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
  let result = x;
  if (t.hk) {
    const y = storageBuffer(device, data.byteLength);
    const hk = storageBuffer(device, t.hk);
    dispatch(device, pipelineFor(device, 'hadamard-mix', HADAMARD_MIX), [x, signs, uniformBuffer(device, params(total, t, m, finishFlags)), y, hk],
      [Math.ceil(total / WORKGROUP)]);
    releaseAfterBatch(device, y, hk);
    result = y;
  }
  const out = readBuffer(device, result, data.byteLength);
  releaseAfterBatch(device, x, signs);
  return out;
}
