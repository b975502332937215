import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { e8pDecode } from '@kompakt/lattice';
import {
  acquireDevice, dispatch, matvecOnce, maxItemsPerBinding, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer, uniformBuffer,
  uploadedMatrix, type GpuMatrix, type GpuOptions, type ResidentParts,
} from '../runtime/index.js';
import { E8P_DECODE_WGSL, E8P_MATVEC_WGSL, MATVEC_ROWS } from './e8p-wgsl.js';

/** Options of {@link e8pMatvecGpu}. */
export interface E8pMatvecOptions extends GpuOptions {
  /** Rows of W (= length of y). */
  rows: number;
  /** Columns of W (= length of x), a multiple of 8: each row is cols / 8 codes. */
  cols: number;
  /**
   * One f32 per group of `groupSize` weights along each row, row after row (rows · cols / groupSize,
   * what lattice `quantize` returns as `scales`). Default: no scaling (W is the bare codewords).
   */
  scales?: Float32Array;
  /** Weights per scale: a multiple of 8 dividing cols. Default cols (one scale per row). */
  groupSize?: number;
}

const MATVEC_KEYS = ['device', 'rows', 'cols', 'scales', 'groupSize'] as const;

/**
 * ABS of docs/internals.md ("E8P tables"), 256 patterns × 8 f32, derived from the CPU decoder: code
 * a << 8 has no sign flips and a +¼ shift, so its pattern is decode(a << 8) − ¼ (exact).
 */
let patterns: Float32Array | null = null;
const tables = new WeakMap<GPUDevice, GPUBuffer>();

function patternTable(device: GPUDevice): GPUBuffer {
  let buffer = tables.get(device);
  if (!buffer) {
    patterns ??= e8pDecode(Uint16Array.from({ length: 256 }, (_, a) => a << 8)).map((v) => v - 0.25);
    buffer = storageBuffer(device, patterns);
    tables.set(device, buffer);
  }
  return buffer;
}

function checkCodes(codes: unknown, fn: string): Uint16Array {
  if (!(codes instanceof Uint16Array)) throw new KompaktError('INVALID_TYPE', `${fn}: codes must be a Uint16Array, got ${describe(codes)}`);
  return codes;
}

/**
 * The GPU twin of lattice `e8pDecode`: the 8 values of each u16 E8P code, bit-identical to the CPU
 * (every value is an odd multiple of ¼, exact in f32). One invocation per code.
 */
export async function e8pDecodeGpu(codes: Uint16Array, opts?: GpuOptions): Promise<Float32Array> {
  const fn = 'e8pDecodeGpu';
  checkCodes(codes, fn);
  const device = await acquireDevice(checkOptions<GpuOptions>(opts, `${fn} options`, ['device']));
  const out = new Float32Array(codes.length * 8);
  const pipeline = pipelineFor(device, 'e8p-decode', E8P_DECODE_WGSL);
  const table = patternTable(device);
  const per = maxItemsPerBinding(device, 32);
  const parts: Promise<void>[] = [];
  for (let at = 0; at < codes.length; at += per) {
    const count = Math.min(per, codes.length - at);
    const input = storageBuffer(device, codes.subarray(at, at + count));
    const output = storageBuffer(device, count * 32);
    dispatch(device, pipeline, [table, input, output, uniformBuffer(device, Uint32Array.of(count, 0, 0, 0))], [Math.ceil(count / 64)]);
    parts.push(readBuffer(device, output, count * 32).then((bytes) => out.set(new Float32Array(bytes), at * 8)));
    releaseAfterBatch(device, input, output);
  }
  await Promise.all(parts);
  return out;
}

interface MatvecShape { rows: number; cols: number; groupSize: number; scales: Float32Array }

function matvecShape(codes: Uint16Array, opts: unknown, fn: string): MatvecShape {
  const o = checkOptions<E8pMatvecOptions>(opts, `${fn} options`, MATVEC_KEYS);
  if (o.rows === undefined || o.cols === undefined) throw new KompaktError('INVALID_ARGUMENT', `${fn}: options.rows and options.cols are required`);
  const rows = checkInteger(o.rows, `${fn}: rows`, 1);
  const cols = checkInteger(o.cols, `${fn}: cols`, 8);
  if (cols % 8 !== 0) throw new KompaktError('SHAPE_MISMATCH', `${fn}: cols = ${cols} is not a multiple of 8 (one E8P code per 8 weights)`);
  if (codes.length !== (rows * cols) / 8) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: codes has ${codes.length} entries, a ${rows} × ${cols} matrix needs ${(rows * cols) / 8}`);
  }
  const groupSize = o.groupSize === undefined ? cols : checkInteger(o.groupSize, `${fn}: groupSize`, 8);
  if (groupSize % 8 !== 0 || cols % groupSize !== 0) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: groupSize = ${groupSize} must be a multiple of 8 dividing cols = ${cols}`);
  }
  const groups = (rows * cols) / groupSize;
  if (o.scales === undefined) return { rows, cols, groupSize, scales: new Float32Array(groups).fill(1) };
  if (!(o.scales instanceof Float32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: scales must be a Float32Array, got ${describe(o.scales)}`);
  if (o.scales.length !== groups) throw new KompaktError('SHAPE_MISMATCH', `${fn}: scales has ${o.scales.length} entries, expected ${groups} (rows · cols / groupSize)`);
  return { rows, cols, groupSize, scales: o.scales };
}

function checkVector(x: unknown, cols: number, fn: string): void {
  if (!(x instanceof Float32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: x must be a Float32Array, got ${describe(x)}`);
  if (x.length !== cols) throw new KompaktError('SHAPE_MISMATCH', `${fn}: x has ${x.length} entries, cols is ${cols}`);
}

/** Records the upload of the codes and scales, in row chunks whose codes fit one binding each. */
function uploadCodes(device: GPUDevice, codes: Uint16Array, shape: MatvecShape): ResidentParts {
  const { rows, cols, groupSize, scales } = shape;
  const perRow = cols / 8;
  const groupsPerRow = cols / groupSize;
  const per = maxItemsPerBinding(device, perRow * 2);
  const chunks: Array<{ from: number; rows: number; codes: GPUBuffer; scales: GPUBuffer }> = [];
  for (let from = 0; from < rows; from += per) {
    const count = Math.min(per, rows - from);
    chunks.push({
      from, rows: count,
      codes: storageBuffer(device, codes.subarray(from * perRow, (from + count) * perRow)),
      scales: storageBuffer(device, scales.subarray(from * groupsPerRow, (from + count) * groupsPerRow)),
    });
  }
  const pipeline = pipelineFor(device, 'e8p-matvec', E8P_MATVEC_WGSL);
  const table = patternTable(device);
  return {
    device, rows, cols,
    buffers: chunks.flatMap((c) => [c.codes, c.scales]),
    check: (x, fn) => checkVector(x, cols, fn),
    async run(x) {
      const xBuffer = storageBuffer(device, x);
      const y = new Float32Array(rows);
      const parts = chunks.map(async (c) => {
        const yBuffer = storageBuffer(device, c.rows * 4);
        const params = uniformBuffer(device, Uint32Array.of(c.rows, perRow, groupSize / 8, 0));
        dispatch(device, pipeline, [table, c.codes, xBuffer, c.scales, yBuffer, params], [Math.ceil(c.rows / MATVEC_ROWS)]);
        const bytes = readBuffer(device, yBuffer, c.rows * 4);
        releaseAfterBatch(device, yBuffer);
        y.set(new Float32Array(await bytes), c.from);
      });
      releaseAfterBatch(device, xBuffer);
      await Promise.all(parts);
      return y;
    },
  };
}

/**
 * Uploads an E8P-coded matrix (the options of {@link e8pMatvecGpu}) and resolves, once it is in device
 * memory, to a {@link GpuMatrix} whose `matvec(x)` equals `e8pMatvecGpu(codes, x, opts)`: 2 bits per
 * weight stay on the device. A failed allocation rejects here with TOO_LARGE.
 */
export async function uploadE8pMatrixGpu(codes: Uint16Array, opts: E8pMatvecOptions): Promise<GpuMatrix> {
  const fn = 'uploadE8pMatrixGpu';
  checkCodes(codes, fn);
  const shape = matvecShape(codes, opts, fn);
  return uploadedMatrix(uploadCodes(await acquireDevice({ device: opts.device }), codes, shape));
}

/**
 * y = W·x for a `rows × cols` matrix W whose rows are E8P-coded (row-major, cols / 8 u16 codes per row:
 * lattice `quantize` with codebook 'e8p' and `n = cols`, its byte codes read as a Uint16Array),
 * W[r][j] = scale(group of (r, j)) · codeword value — the same W as lattice `dequantize` (without a
 * Hadamard rotation; for a rotated quantization pass rht(x) instead of x). The weights are decoded
 * in registers and never written out: the GPU reads 2 bits per weight instead of 32. Uploads W on every
 * call: for repeated products with the same weights use {@link uploadE8pMatrixGpu}.
 *
 * Accumulates in f32 in an order of its own, so it matches dequantize-then-multiply within float
 * tolerance: |y_r − (W·x)_r| ≤ cols · 2^−23 · Σ_j |W[r][j]·x[j]| (checked in the tests).
 */
export async function e8pMatvecGpu(codes: Uint16Array, x: Float32Array, opts: E8pMatvecOptions): Promise<Float32Array> {
  const fn = 'e8pMatvecGpu';
  checkCodes(codes, fn);
  const shape = matvecShape(codes, opts, fn);
  checkVector(x, shape.cols, fn);
  return matvecOnce(uploadCodes(await acquireDevice({ device: opts.device }), codes, shape), x, fn);
}
