import type { Rounding } from '@kompakt/mx';
import { dispatch, maxItemsPerBinding, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer, uniformBuffer } from '../../runtime/index.js';
import { WIDE_ELEMENTS, quantizeWide } from './wide-wgsl.js';
import type { InputDtype } from '../dtype-wgsl.js';
import { WORKGROUP, amaxWgsl, dequantizeWgsl, fp4Variant, matvecWgsl, quantizeFp4 } from './wgsl.js';

/** Shape and format of an MX block tensor as the kernels see it. */
export interface MxGeometry {
  n: number;
  bs: number;
  scaleFmt: 0 | 1;
  /** Scale rule id: 0 floor, 1 ceil, 2 even, 3 rceil (e8m0 only). */
  rule: number;
  /** 0 pairs, 1 ggml (FP4 only). */
  layout: number;
  /** Bits per element code: 4 (FP4), 6 (FP6) or 8 (FP8, INT8). */
  bits: number;
  /** The element format (e2m1 for FP4). */
  element: 'e2m1' | keyof typeof WIDE_ELEMENTS;
  /** Element rounding (decoding reads only whether it is stochastic-3/4: its 4/3 factor). */
  rounding: Rounding;
  /** The seed's Philox key (key0, key1): the stochastic roundings' random words. */
  key: readonly [number, number];
}

const blocksPerRow = (g: MxGeometry): number => Math.ceil(g.n / g.bs);
const codeBytes = (g: MxGeometry, blocks: number): number => (blocks * g.bs * g.bits) / 8;

function quantizePipeline(device: GPUDevice, g: MxGeometry, input: InputDtype): GPUComputePipeline {
  // Whole blocks only: a workgroup's blocks are one run of x, read into workgroup memory coalesced.
  const staged = g.n % g.bs === 0;
  const suffix = `${input}${staged ? '-staged' : ''}`;
  if (g.element === 'e2m1') {
    const variant = fp4Variant(g.rounding);
    const pow2 = g.scaleFmt === 0; // e8m0 multipliers: the quotient is an exponent shift
    return pipelineFor(device, `mx-quantize-fp4-${variant}-${suffix}${pow2 ? '-pow2' : ''}`, quantizeFp4(variant as Rounding, input, pow2, staged));
  }
  // ggml is mxfp4 only (the CPU validates that); the wide kernels take the other four.
  const rounding = g.rounding as Exclude<Rounding, 'ggml'>;
  return pipelineFor(device, `mx-quantize-${g.element}-${rounding}-${suffix}`, quantizeWide(WIDE_ELEMENTS[g.element], rounding, input, staged));
}

/** The kernels' Params (wgsl.ts); `firstRow` is the global index of row 0 (quantize's random words). */
function params(g: MxGeometry, rows: number, total: number, outDtype = 0, firstRow = 0): Uint32Array {
  return Uint32Array.of(rows, g.n, blocksPerRow(g), g.bs, g.scaleFmt, g.rule, g.layout, total, outDtype, g.bits,
    firstRow, g.key[0], g.key[1]);
}

/**
 * Row ranges whose data fit one storage binding each (`bytesPerRow` of the largest per-row buffer);
 * kernels run them one after the other so memory stays bounded.
 */
export function rowChunks(device: GPUDevice, rows: number, bytesPerRow: number): Array<[number, number]> {
  const step = maxItemsPerBinding(device, bytesPerRow);
  const chunks: Array<[number, number]> = [];
  for (let r = 0; r < rows; r += step) chunks.push([r, Math.min(rows, r + step)]);
  return chunks;
}

/** Max |v| over the finite values of x (f32, or f16 / bf16 bits; 0 when none), as the CPU's mx_amax. */
export async function amaxOnGpu(device: GPUDevice, x: Float32Array | Uint16Array, input: InputDtype): Promise<number> {
  let best = 0;
  const pipeline = pipelineFor(device, `mx-amax-${input}`, amaxWgsl(input));
  for (const [from, to] of rowChunks(device, x.length, x.BYTES_PER_ELEMENT)) {
    const xb = storageBuffer(device, x.subarray(from, to));
    const result = storageBuffer(device, 4);
    dispatch(device, pipeline, [xb, result, uniformBuffer(device, Uint32Array.of(to - from))], [Math.ceil((to - from) / 256)]);
    const bits = readBuffer(device, result, 4);
    releaseAfterBatch(device, xb, result);
    best = Math.max(best, new Float32Array(await bits)[0]);
  }
  return best;
}

/**
 * Records the quantization of `rows` rows in `x` (of `input` values), the first of them row `firstRow` of
 * the tensor; returns the codes and scale buffers (new ones unless `into` gives them; the caller releases them).
 */
export function encodeQuantize(
  device: GPUDevice, x: GPUBuffer, rows: number, g: MxGeometry, consts: GPUBuffer, firstRow = 0, input: InputDtype = 'f32',
  into?: { codes: GPUBuffer; scales: GPUBuffer },
): { codes: GPUBuffer; scales: GPUBuffer } {
  const blocks = rows * blocksPerRow(g);
  // Every word of both outputs is written, so buffers given in `into` (the benchmark's) need no clearing.
  const codes = into?.codes ?? storageBuffer(device, codeBytes(g, blocks));
  const scales = into?.scales ?? storageBuffer(device, blocks);
  const uniform = uniformBuffer(device, params(g, rows, blocks, 0, firstRow));
  dispatch(device, quantizePipeline(device, g, input), g.element === 'e2m1' ? [x, codes, scales, consts, uniform] : [x, codes, scales, uniform],
    [Math.ceil(blocks / WORKGROUP)]);
  return { codes, scales };
}

/**
 * Quantizes `rows` rows of x (f32, or f16 / bf16 bits as `input` says; rows firstRow … of the tensor);
 * resolves to the packed codes and scale bytes of those rows.
 */
export async function quantizeOnGpu(
  device: GPUDevice, x: Float32Array | Uint16Array, rows: number, g: MxGeometry, consts: Uint32Array, firstRow: number, input: InputDtype,
): Promise<{ codes: Uint8Array; scales: Uint8Array }> {
  const blocks = rows * blocksPerRow(g);
  const xb = storageBuffer(device, x);
  const cb = storageBuffer(device, consts);
  const { codes, scales } = encodeQuantize(device, xb, rows, g, cb, firstRow, input);
  const out = Promise.all([readBuffer(device, codes, codeBytes(g, blocks)), readBuffer(device, scales, blocks)]);
  releaseAfterBatch(device, xb, codes, scales, cb);
  const [c, s] = await out;
  return { codes: new Uint8Array(c), scales: new Uint8Array(s) };
}

/** Output element types of the dequantize kernel: f32, or f16 / bf16 bits. */
export const OUT_DTYPES = { f32: 0, f16: 1, bf16: 2 } as const;

/** Records the dequantization of `rows` rows into `into` or a new buffer; returns it (the caller releases it). */
export function encodeDequantize(
  device: GPUDevice, codes: GPUBuffer, scales: GPUBuffer, rows: number, g: MxGeometry, consts: GPUBuffer, outDtype: keyof typeof OUT_DTYPES,
  into?: GPUBuffer,
): GPUBuffer {
  const count = rows * g.n;
  const wide = outDtype === 'f32';
  const invocations = wide ? count : Math.ceil(count / 2);
  const out = into ?? storageBuffer(device, count * (wide ? 4 : 2));
  const fp4 = g.bits === 4;
  const three4 = g.rounding === 'stochastic-3/4';
  const pipeline = pipelineFor(device, `mx-dequantize-${fp4 ? 'fp4' : 'wide'}${three4 ? '-three4' : ''}`, dequantizeWgsl(fp4, three4));
  dispatch(device, pipeline, [codes, scales, out, consts, uniformBuffer(device, params(g, rows, invocations, OUT_DTYPES[outDtype]))],
    [Math.ceil(invocations / WORKGROUP)]);
  return out;
}

/** Dequantizes `rows` rows; resolves to the output's bytes (4 per value for f32, 2 for f16/bf16). */
export async function dequantizeOnGpu(
  device: GPUDevice, codes: Uint8Array, scales: Uint8Array, rows: number, g: MxGeometry, consts: Uint32Array, outDtype: keyof typeof OUT_DTYPES,
): Promise<ArrayBuffer> {
  const cb = storageBuffer(device, codes);
  const sb = storageBuffer(device, scales);
  const kb = storageBuffer(device, consts);
  const out = encodeDequantize(device, cb, sb, rows, g, kb, outDtype);
  const result = readBuffer(device, out, rows * g.n * (outDtype === 'f32' ? 4 : 2));
  releaseAfterBatch(device, cb, sb, out, kb);
  return result;
}

/** Records y = W·x for `rows` rows of packed W into `into` or a new buffer; returns it (the caller releases it). */
export function encodeMatvec(
  device: GPUDevice, codes: GPUBuffer, scales: GPUBuffer, x: GPUBuffer, rows: number, g: MxGeometry, consts: GPUBuffer, into?: GPUBuffer,
): GPUBuffer {
  const y = into ?? storageBuffer(device, rows * 4);
  const fp4 = g.bits === 4;
  dispatch(device, pipelineFor(device, `mx-matvec-${fp4 ? 'fp4' : 'wide'}`, matvecWgsl(fp4)), [codes, scales, x, consts, uniformBuffer(device, params(g, rows, rows)), y], [rows]);
  return y;
}
