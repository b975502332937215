import { KompaktError } from '@kompakt/core';
import { workgroupGrid } from './grid.js';

// WebGPU's numeric flags, written out so the library never needs the GPUBufferUsage globals
// (Dawn's Node binding does not install them unless asked to).
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_MODE_READ = 0x1;

interface PendingRead {
  staging: GPUBuffer;
  byteLength: number;
  resolve(data: ArrayBuffer): void;
  reject(e: unknown): void;
}

/**
 * Work recorded for one device and not yet submitted. Every runtime call on a device joins its open
 * batch; the first `readBuffer` schedules one submission at the end of the current microtask turn,
 * so kernels started together (e.g. under `Promise.all`) share one command buffer and one submit.
 * The batch holds a validation and an out-of-memory error scope, so a failure rejects its reads
 * with a KompaktError instead of reading zeros.
 */
interface Batch {
  encoder: GPUCommandEncoder;
  reads: PendingRead[];
  release: GPUBuffer[];
  /** Callers of `settleBatch`, told once the batch ran (or failed). */
  settled: Array<{ resolve(): void; reject(e: unknown): void }>;
  scheduled: boolean;
}

const open = new WeakMap<GPUDevice, Batch>();

/** The device's open batch, opened (with its error scopes) when there is none. */
export function openBatch(device: GPUDevice): Batch {
  let batch = open.get(device);
  if (!batch) {
    device.pushErrorScope('validation');
    device.pushErrorScope('out-of-memory');
    batch = { encoder: device.createCommandEncoder({ label: 'kompakt batch' }), reads: [], release: [], settled: [], scheduled: false };
    open.set(device, batch);
  }
  return batch;
}

/**
 * Records one dispatch of `pipeline` with `buffers` bound to bindings 0…n−1 of group 0. A 1D grid larger
 * than 65535 is folded into 2D (see `workgroupGrid`); the shader must then use `linearWorkgroup`.
 */
export function dispatch(device: GPUDevice, pipeline: GPUComputePipeline, buffers: GPUBuffer[], workgroups: [number, number?, number?]): void {
  const [x, y = 1, z = 1] = workgroups;
  if (x === 0 || y === 0 || z === 0) return;
  const grid: [number, number, number] = y === 1 && z === 1 ? workgroupGrid(x) : [x, y, z];
  const batch = openBatch(device);
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const pass = batch.encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(...grid);
  pass.end();
}

/** Destroys `buffers` once the open batch has run (call after the dispatches and reads that use them). */
export function releaseAfterBatch(device: GPUDevice, ...buffers: GPUBuffer[]): void {
  openBatch(device).release.push(...buffers);
}

/**
 * Destroys `buffers` after the work recorded on them: with the open batch when there is one, else now
 * (WebGPU lets work already submitted finish before a destroyed buffer's memory goes).
 */
export function releaseWhenIdle(device: GPUDevice, ...buffers: GPUBuffer[]): void {
  const batch = open.get(device);
  if (batch) batch.release.push(...buffers);
  else for (const buffer of buffers) buffer.destroy();
}

/**
 * Submits the open batch and resolves once it ran without a WebGPU error, so work that only creates
 * buffers (uploads) reports an out-of-memory failure to its own caller.
 */
export function settleBatch(device: GPUDevice): Promise<void> {
  const batch = openBatch(device);
  const done = new Promise<void>((resolve, reject) => batch.settled.push({ resolve, reject }));
  schedule(device, batch);
  return done;
}

/** Submits `batch` at the end of the current microtask turn (once), so calls started together share it. */
function schedule(device: GPUDevice, batch: Batch): void {
  if (batch.scheduled) return;
  batch.scheduled = true;
  queueMicrotask(() => submit(device, batch));
}

/**
 * The first `byteLength` bytes of `buffer` (which needs COPY_SRC usage, as `storageBuffer`'s have) after
 * every dispatch recorded before this call. Submission is batched: see `Batch`.
 */
export function readBuffer(device: GPUDevice, buffer: GPUBuffer, byteLength: number): Promise<ArrayBuffer> {
  const batch = openBatch(device);
  const size = Math.max(4, Math.ceil(byteLength / 4) * 4);
  const staging = device.createBuffer({ label: 'kompakt readback', size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
  batch.encoder.copyBufferToBuffer(buffer, 0, staging, 0, Math.min(size, buffer.size));
  const done = new Promise<ArrayBuffer>((resolve, reject) => batch.reads.push({ staging, byteLength, resolve, reject }));
  schedule(device, batch);
  return done;
}

function submit(device: GPUDevice, batch: Batch): void {
  open.delete(device);
  device.queue.submit([batch.encoder.finish()]);
  const oom = device.popErrorScope();
  const validation = device.popErrorScope();
  // Running out of device memory is the caller's size (TOO_LARGE); a validation error is a Kompakt bug.
  const failure = Promise.all([validation, oom]).then(([v, o]) => {
    if (v) return new KompaktError('INTERNAL', `WebGPU rejected a Kompakt batch: ${v.message}`);
    return o ? new KompaktError('TOO_LARGE', `the GPU ran out of memory: ${o.message}`) : null;
  });
  void failure.then(async (rejection) => {
    for (const waiter of batch.settled) {
      if (rejection) waiter.reject(rejection);
      else waiter.resolve();
    }
    for (const read of batch.reads) {
      if (rejection) {
        read.reject(rejection);
        continue;
      }
      try {
        await read.staging.mapAsync(MAP_MODE_READ);
        read.resolve(read.staging.getMappedRange(0, Math.ceil(read.byteLength / 4) * 4 || 4).slice(0, read.byteLength));
        read.staging.unmap();
      } catch (cause) {
        read.reject(new KompaktError('INTERNAL', `reading a GPU result failed: ${(cause as Error).message}`, { cause }));
      }
    }
    for (const read of batch.reads) read.staging.destroy();
    for (const buffer of batch.release) buffer.destroy();
  });
}
