import { KompaktError, describe } from '@kompakt/core';

/** Options every GPU function takes besides the CPU function's own. */
export interface GpuOptions {
  /** The device to run on (e.g. your renderer's). Default: one device shared by Kompakt, requested on first use. */
  device?: GPUDevice;
}

/** Where the automatic device comes from: `navigator.gpu`, or what `@kompakt/gpu/node` registered. */
type GpuProvider = () => GPU;

let provider: GpuProvider | null = null;
let auto: Promise<GPUDevice> | null = null;

/** Used by `@kompakt/gpu/node` to hand Dawn's `GPU` object to the runtime (browsers use `navigator.gpu`). */
export function registerGpuProvider(make: GpuProvider): void {
  provider = make;
  auto = null;
}

/** The user's device when given, else the shared automatic device (requested once, re-requested after loss). */
export function acquireDevice(opts?: GpuOptions): Promise<GPUDevice> {
  const device = opts?.device;
  if (device !== undefined) {
    if (device === null || typeof device !== 'object' || typeof (device as GPUDevice).createComputePipeline !== 'function') {
      return Promise.reject(new KompaktError('INVALID_TYPE', `device must be a GPUDevice, got ${describe(device)}`));
    }
    return Promise.resolve(device);
  }
  auto ??= requestAutoDevice().catch((e: unknown) => {
    auto = null; // a later call may succeed (e.g. after the user installs `webgpu` or a device was lost)
    throw e;
  });
  return auto;
}

function findGpu(): { gpu: GPU; from: string } | null {
  if (provider) return { gpu: provider(), from: "the `webgpu` package (Dawn)" };
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, from: 'navigator.gpu' };
  return null;
}

async function requestAutoDevice(): Promise<GPUDevice> {
  const found = findGpu();
  if (!found) {
    throw new KompaktError('GPU_UNAVAILABLE',
      'no WebGPU implementation: navigator.gpu is missing (in Node import from `@kompakt/gpu/node` and install the `webgpu` package); the CPU functions keep working');
  }
  const adapter = await found.gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) {
    throw new KompaktError('GPU_UNAVAILABLE',
      `no WebGPU adapter from ${found.from} (no GPU or driver; in Node a software adapter needs VK_ICD_FILENAMES pointing at SwiftShader's Vulkan ICD); the CPU functions keep working`);
  }
  // Ask for the adapter's real buffer limits: the defaults (128 MiB bindings) would force needless chunking.
  const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize } });
  } catch (cause) {
    throw new KompaktError('GPU_UNAVAILABLE', `the WebGPU adapter from ${found.from} refused a device: ${(cause as Error).message}`, { cause });
  }
  void device.lost.then(() => {
    if (auto) auto = null;
  });
  return device;
}
