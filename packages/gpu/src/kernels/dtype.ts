import { dispatch, pipelineFor, storageBuffer, uniformBuffer } from '../runtime/index.js';
import { narrowWgsl, widenWgsl } from './dtype-wgsl.js';

/** Records the widening of `count` f16 / bf16 values in `x16` to f32; returns the f32 buffer (the caller releases it). */
export function encodeWiden(device: GPUDevice, x16: GPUBuffer, count: number, dtype: 'f16' | 'bf16'): GPUBuffer {
  const out = storageBuffer(device, count * 4);
  dispatch(device, pipelineFor(device, `widen-${dtype}`, widenWgsl(dtype)), [x16, out, uniformBuffer(device, Uint32Array.of(count))], [Math.ceil(count / 256)]);
  return out;
}

/** Records the rounding of `count` f32 values in `x` to f16 / bf16 bits; returns the 16-bit buffer (the caller releases it). */
export function encodeNarrow(device: GPUDevice, x: GPUBuffer, count: number, dtype: 'f16' | 'bf16'): GPUBuffer {
  const out = storageBuffer(device, count * 2);
  dispatch(device, pipelineFor(device, `narrow-${dtype}`, narrowWgsl(dtype)), [x, out, uniformBuffer(device, Uint32Array.of(count))], [Math.ceil(count / 512)]);
  return out;
}
