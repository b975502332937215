/**
 * @kompakt/gpu: WebGPU (WGSL) twins of Kompakt's CPU kernels. Each `<name>Gpu` function takes the CPU
 * function's arguments and options plus `{ device? }` and resolves to the same result. Browsers use
 * `navigator.gpu`; Node imports `@kompakt/gpu/node`, which adds Dawn through the `webgpu` package.
 * @packageDocumentation
 */
export { type GpuOptions } from './runtime/device.js';
export { type GpuMatrix } from './runtime/resident.js';
export { gpuDevice } from './device.js';
export { KompaktError } from '@kompakt/core';
export { e8pDecodeGpu, e8pMatvecGpu, uploadE8pMatrixGpu, type E8pMatvecOptions } from './kernels/e8p.js';
export { sketchHashesGpu, type SketchHashesOptions } from './kernels/minhash.js';
export { fwhtGpu, ifwhtGpu, rhtGpu, irhtGpu } from './hadamard.js';
export { decompressTensorGpu, type DecompressTensorGpuOptions } from './kernels/rans.js';
export { quantizeGpu, dequantizeGpu, matvecGpu, uploadMatrixGpu } from './mx.js';
