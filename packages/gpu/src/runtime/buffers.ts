import { KompaktError } from '@kompakt/core';
import { USAGE, openBatch, releaseAfterBatch } from './batch.js';

/** Bytes rounded up to `align` (4: WebGPU's copy granularity; 16: WGSL uniform structs), never zero-sized. */
const padded = (bytes: number, align: number): number => Math.max(align, Math.ceil(bytes / align) * align);

function create(device: GPUDevice, data: ArrayBufferView | number, usage: number, align: number, label: string): GPUBuffer {
  const byteLength = typeof data === 'number' ? data : data.byteLength;
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (byteLength > limit) {
    throw new KompaktError('TOO_LARGE', `a GPU buffer of ${byteLength} bytes exceeds the device's binding limit of ${limit} bytes`);
  }
  openBatch(device); // creation errors (out of memory) land in the batch's error scopes
  const mapped = typeof data !== 'number';
  const buffer = device.createBuffer({ label, size: padded(byteLength, align), usage, mappedAtCreation: mapped });
  if (mapped) {
    // Uploading through a mapping (not queue.writeBuffer) keeps data and recorded commands in one order.
    new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    buffer.unmap();
  }
  return buffer;
}

/** A storage buffer (read-write, copyable) holding `data`, or zeroed with `byteLength` bytes. Caller releases it. */
export function storageBuffer(device: GPUDevice, dataOrByteLength: ArrayBufferView | number): GPUBuffer {
  return create(device, dataOrByteLength, USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST, 4, 'kompakt storage');
}

/** A uniform buffer holding `data` (16-byte aligned WGSL struct layout is the caller's job); released with the batch. */
export function uniformBuffer(device: GPUDevice, data: ArrayBufferView): GPUBuffer {
  const buffer = create(device, data, USAGE.UNIFORM | USAGE.COPY_DST, 16, 'kompakt uniform');
  releaseAfterBatch(device, buffer);
  return buffer;
}
