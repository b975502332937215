import { KompaktError } from '@kompakt/core';
import { releaseWhenIdle, settleBatch } from './batch.js';

/**
 * A weight matrix held in GPU memory for repeated y = W·x (`uploadMatrixGpu`, `uploadE8pMatrixGpu`):
 * the packed weights cross the bus once; each `matvec` uploads x and downloads y only. Calls started
 * together (e.g. every layer's matvec under `Promise.all`) share one submission.
 */
export interface GpuMatrix {
  /** Rows of W: the length of y. */
  readonly rows: number;
  /** Columns of W: the length of x. */
  readonly cols: number;
  /** The device holding the weights. */
  readonly device: GPUDevice;
  /** Bytes of weights, scales and tables this matrix keeps on the device. */
  readonly byteLength: number;
  /** y = W·x; x as the upload's options say (f32, or f16 / bf16 bits with `dtype`). */
  matvec(x: Float32Array | Uint16Array): Promise<Float32Array>;
  /** Frees the device memory once work already started on it has run; later `matvec` calls reject. */
  destroy(): void;
}

/** What a kernel module hands over to make a GpuMatrix: its device buffers and how to run one product. */
export interface ResidentParts {
  device: GPUDevice;
  rows: number;
  cols: number;
  /** Buffers owned by the matrix (destroyed with it); shared tables stay out of this list. */
  buffers: GPUBuffer[];
  /** Records y = W·x on the buffers and resolves to y (x already validated against the upload's options). */
  run(x: Float32Array | Uint16Array): Promise<Float32Array>;
  /** Throws when x does not fit the matrix (type, dtype, length), with the caller's function name. */
  check(x: unknown, fn: string): void;
}

// One watcher per device (not per matrix: one-shot matvec calls make a matrix each).
const lostDevices = new WeakSet<GPUDevice>();
const watched = new WeakSet<GPUDevice>();

function watchLoss(device: GPUDevice): void {
  if (watched.has(device)) return;
  watched.add(device);
  void device.lost.then(() => lostDevices.add(device));
}

/** Wraps uploaded parts in the public GpuMatrix, guarding use after destroy() and after device loss. */
export function residentMatrix(parts: ResidentParts, kind: string): GpuMatrix {
  const { device, rows, cols, buffers } = parts;
  watchLoss(device);
  let destroyed = false;
  const byteLength = buffers.reduce((sum, b) => sum + b.size, 0);
  return {
    rows, cols, device, byteLength,
    matvec(x) {
      const fn = `${kind}.matvec`;
      if (destroyed) return Promise.reject(new KompaktError('INVALID_ARGUMENT', `${fn}: the matrix was destroyed`));
      if (lostDevices.has(device)) {
        return Promise.reject(new KompaktError('GPU_UNAVAILABLE', `${fn}: the device holding the matrix was lost; upload the weights again`));
      }
      try {
        parts.check(x, fn);
      } catch (e) {
        return Promise.reject(e);
      }
      return parts.run(x);
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      releaseWhenIdle(device, ...buffers);
    },
  };
}

/**
 * The public upload functions' end: waits until the parts' buffers are in device memory (a failed
 * allocation frees them and rejects here, with TOO_LARGE), then wraps them.
 */
export async function uploadedMatrix(parts: ResidentParts): Promise<GpuMatrix> {
  try {
    await settleBatch(parts.device);
  } catch (e) {
    releaseWhenIdle(parts.device, ...parts.buffers);
    throw e;
  }
  return residentMatrix(parts, 'GpuMatrix');
}

/** The one-shot products (matvecGpu, e8pMatvecGpu): upload, one product and the release in one batch. */
export function matvecOnce(parts: ResidentParts, x: Float32Array | Uint16Array, fn: string): Promise<Float32Array> {
  const matrix = residentMatrix(parts, fn);
  const y = matrix.matvec(x);
  matrix.destroy(); // after the batch that reads y
  return y;
}
