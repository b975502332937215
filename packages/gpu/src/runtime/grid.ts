import { KompaktError } from '@kompakt/core';

/** WebGPU's guaranteed maximum per grid dimension (adapters may offer more; we never rely on it). */
export const MAX_WORKGROUPS_PER_DIM = 65535;

/**
 * A grid for `count` workgroups: [count, 1] when it fits one dimension, else a 2D grid of at least
 * `count` workgroups. Shaders recover the linear index with `LINEAR_WORKGROUP` and skip indices ≥ count.
 */
export function workgroupGrid(count: number): [number, number, number] {
  if (count <= MAX_WORKGROUPS_PER_DIM) return [count, 1, 1];
  const y = Math.ceil(count / MAX_WORKGROUPS_PER_DIM);
  if (y > MAX_WORKGROUPS_PER_DIM) throw new KompaktError('TOO_LARGE', `a GPU dispatch of ${count} workgroups exceeds 65535² (split the input)`);
  return [MAX_WORKGROUPS_PER_DIM, y, 1];
}

/** WGSL: `linearWorkgroup(wid, nwg)` = the workgroup's index in the flattened grid of `workgroupGrid`. */
export const LINEAR_WORKGROUP = /* wgsl */ `
fn linearWorkgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 { return wid.x + wid.y * nwg.x; }
`;

/**
 * How many items of `itemBytes` one storage binding may hold on `device` (its maxStorageBufferBindingSize),
 * at least 1. Kernels split larger inputs into calls of at most this many rows.
 */
export function maxItemsPerBinding(device: GPUDevice, itemBytes: number): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const items = Math.floor(limit / Math.max(itemBytes, 1));
  if (items < 1) throw new KompaktError('TOO_LARGE', `one item of ${itemBytes} bytes exceeds the device's storage binding limit of ${limit} bytes`);
  return items;
}
