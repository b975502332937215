import { acquireDevice, type GpuOptions } from './runtime/device.js';

/**
 * The GPUDevice Kompakt runs on for these options: `opts.device` when given, else the shared automatic
 * one. Rejects with KompaktError('GPU_UNAVAILABLE') naming why when there is no adapter; use it to pick
 * the GPU or the CPU path up front.
 */
export function gpuDevice(opts?: GpuOptions): Promise<GPUDevice> {
  return acquireDevice(opts);
}
