import { KompaktError, checkInteger, narrow16, seedToKey, widen16 } from '@kompakt/core';
import { rht } from '@kompakt/hadamard';
import { dequantize, matvec, quantize, type DequantizeOptions, type FusedOptions, type Quantized, type QuantizeOptions, type Rounding } from '@kompakt/mx';
import { irhtGpu, rhtGpu } from './hadamard.js';
import { mxConsts } from './kernels/mx/consts.js';
import { amaxOnGpu, dequantizeOnGpu, encodeMatvec, quantizeOnGpu, rowChunks, type MxGeometry } from './kernels/mx/run.js';
import type { InputDtype } from './kernels/dtype-wgsl.js';
import { emptyLike, splitOptions, validateLikeCpu } from './options.js';
import {
  acquireDevice, matvecOnce, readBuffer, releaseAfterBatch, storageBuffer, uploadedMatrix, type GpuMatrix, type GpuOptions, type ResidentParts,
} from './runtime/index.js';

// Every block format of @kompakt/mx, as the kernels see it.
const FORMATS = {
  mxfp4: { bs: 32, scaleFmt: 0, bits: 4, element: 'e2m1' },
  nvfp4: { bs: 16, scaleFmt: 1, bits: 4, element: 'e2m1' },
  'mxfp8-e4m3': { bs: 32, scaleFmt: 0, bits: 8, element: 'e4m3' },
  'mxfp8-e5m2': { bs: 32, scaleFmt: 0, bits: 8, element: 'e5m2' },
  mxint8: { bs: 32, scaleFmt: 0, bits: 8, element: 'int8' },
  'mxfp6-e2m3': { bs: 32, scaleFmt: 0, bits: 6, element: 'e2m3' },
  'mxfp6-e3m2': { bs: 32, scaleFmt: 0, bits: 6, element: 'e3m2' },
} as const;
const RULES = ['floor', 'ceil', 'even', 'rceil'] as const;

type GpuFormat = keyof typeof FORMATS;

interface GpuPlan {
  format: GpuFormat;
  rule: number;
  rounding: Rounding;
  layout: number;
  key: readonly [number, number];
}

/** The kernels' view of options the CPU function has already validated. */
function gpuPlan(opts: QuantizeOptions): GpuPlan {
  const { key0, key1 } = seedToKey(opts.seed ?? 0);
  return {
    format: opts.format as GpuFormat,
    rule: RULES.indexOf(opts.scaleRule ?? 'floor'), // rounding 'ggml' implies its own rule (quantizeFp4)
    rounding: opts.rounding ?? 'rne',
    layout: opts.layout === 'ggml' ? 1 : 0,
    key: [key0, key1],
  };
}

/** x as f32: a Uint16Array of f16 / bf16 bits (validated by the CPU function) widened exactly. */
function widened(x: Float32Array | Uint16Array, dtype: QuantizeOptions['dtype']): Float32Array {
  return x instanceof Uint16Array ? widen16(x, dtype as 'f16' | 'bf16') : x;
}

function hadamardOf(opts: QuantizeOptions, format: GpuFormat): { seed: number | bigint; block: number } | null {
  const h = opts.hadamard;
  if (h === undefined || h === false) return null;
  if (h === true) return { seed: 0, block: FORMATS[format].bs };
  return { seed: h.seed ?? 0, block: h.block ?? FORMATS[format].bs };
}

function geometry(plan: GpuPlan, n: number, layout = plan.layout): MxGeometry {
  return { n, ...FORMATS[plan.format], rule: plan.rule, layout, rounding: plan.rounding, key: plan.key };
}
/** Bytes of codes per block. */
const blockBytes = (f: { bs: number; bits: number }): number => (f.bs * f.bits) / 8;

/**
 * GPU twin of `quantize` for every block format (mxfp4, nvfp4, mxfp6-e2m3/e3m2, mxfp8-e4m3/e5m2, mxint8),
 * every scale rule and rounding (rne, away, stochastic and stochastic-3/4 with the same random words
 * for the same seed, ggml), both FP4 nibble layouts, `hadamard`, f32 or f16 / bf16 input: the same
 * codes, scales and tensorScale as the wasm path, bit for bit.
 */
export async function quantizeGpu(x: Float32Array | Uint16Array, opts: QuantizeOptions & GpuOptions): Promise<Quantized> {
  const fn = 'quantizeGpu';
  const { gpu, cpu } = splitOptions<QuantizeOptions>(opts, fn);
  const n = cpu?.n ?? (x?.length > 0 ? x.length : undefined);
  validateLikeCpu(fn, () => quantize(emptyLike(x, 0), { ...cpu!, n }));
  const plan = gpuPlan(cpu!);
  if (n === undefined) return quantize(x, cpu!); // empty input, nothing to run
  if (x.length % n !== 0) throw new KompaktError('SHAPE_MISMATCH', `${fn}: x.length = ${x.length} is not a multiple of n = ${n}`);
  const rows = x.length / n;
  const device = await acquireDevice(gpu);
  const h = hadamardOf(cpu!, plan.format);
  // 16-bit inputs cross the bus as they are and are widened in the kernels; the rotation needs f32.
  const x32 = h ? widened(x, cpu!.dtype) : x;
  const data = h ? await rhtGpu(x32 === x ? x32.slice() : x32, { n, block: h.block, seed: h.seed, device }) : x32;
  const input: InputDtype = data instanceof Uint16Array ? (cpu!.dtype as 'f16' | 'bf16') : 'f32';
  const { bs, scaleFmt } = FORMATS[plan.format];
  let tensorScale = cpu!.tensorScale === undefined ? undefined : Math.fround(cpu!.tensorScale);
  if (scaleFmt === 1 && tensorScale === undefined) {
    // s_global = amax / (6·448) in f32, or 1 when that is 0 (as @kompakt/mx's quantize).
    const s = Math.fround((await amaxOnGpu(device, data, input)) / (6 * 448));
    tensorScale = s > 0 && Number.isFinite(s) ? s : 1;
  }
  const g = geometry(plan, n);
  const consts = mxConsts(scaleFmt, tensorScale ?? 1, plan.rounding);
  const nb = Math.ceil(n / bs);
  const bb = blockBytes(g);
  const codes = new Uint8Array(rows * nb * bb);
  const scales = new Uint8Array(rows * nb);
  for (const [from, to] of rowChunks(device, rows, n * data.BYTES_PER_ELEMENT)) {
    const part = await quantizeOnGpu(device, data.subarray(from * n, to * n), to - from, g, consts, from, input);
    codes.set(part.codes, from * nb * bb);
    scales.set(part.scales, from * nb);
  }
  const out: Quantized = { codes, scales, format: plan.format, n, rows, layout: cpu!.layout ?? 'pairs' };
  if (scaleFmt === 1) out.tensorScale = tensorScale;
  return out;
}

/** A quantized tensor checked as @kompakt/mx checks it (codes TRUNCATED/SHAPE_MISMATCH, scales CORRUPT). */
interface ResolvedTensor {
  q: Quantized;
  g: MxGeometry;
  rows: number;
  consts: Uint32Array;
  hadamard: { seed: number | bigint; block: number } | null;
}

/**
 * `x` is matvec's vector (its type is validated with the options), undefined for dequantize.
 */
function resolveTensor(
  q: Quantized, cpu: DequantizeOptions, fn: string, x: Float32Array | Uint16Array | undefined, n0: number | undefined, rowsOverride?: number,
): ResolvedTensor {
  // The CPU function validates every option and q's metadata on an empty tensor of the same kind.
  const empty = (o: DequantizeOptions) => (x === undefined
    ? dequantize({ ...q, codes: new Uint8Array(0), scales: new Uint8Array(0) }, { ...o, rows: 0 })
    : matvec({ ...q, codes: new Uint8Array(0), scales: new Uint8Array(0) }, emptyLike(x, o.n ?? 0), { ...o, rows: 0 } as FusedOptions));
  validateLikeCpu(fn, () => empty({ ...cpu, n: n0 ?? cpu?.n }));
  const plan = gpuPlan(cpu);
  const { bs, scaleFmt, bits, element } = FORMATS[plan.format];
  const n = n0 ?? cpu.n ?? (q.n === undefined ? q.scales.length * bs : checkInteger(q.n, `${fn}: q.n`, 0));
  validateLikeCpu(fn, () => empty({ ...cpu, n })); // now with the real n: the hadamard block must divide it
  const nb = Math.ceil(n / bs);
  const bb = blockBytes(FORMATS[plan.format]);
  let rows = rowsOverride ?? (cpu.n === undefined && q.rows !== undefined ? checkInteger(q.rows, `${fn}: q.rows`, 0) : undefined);
  rows ??= nb === 0 ? 0 : Math.max(Math.ceil(q.scales.length / nb), Math.ceil(q.codes.length / (nb * bb)));
  checkLength(q.scales.length, rows * nb, 'q.scales', fn);
  checkLength(q.codes.length, rows * nb * bb, 'q.codes', fn);
  const bad = q.scales.findIndex((b) => (scaleFmt === 1 && b >= 0x80 && b !== 0xff) || (cpu.allowNaN !== true && (scaleFmt === 0 ? b === 0xff : (b & 0x7f) === 0x7f)));
  if (bad >= 0) {
    throw new KompaktError('CORRUPT', `${fn}: block ${bad} (row ${Math.floor(bad / nb)}, block ${bad % nb}) has the invalid scale byte 0x${q.scales[bad].toString(16)} (NaN needs allowNaN: true; UE4M3 has no sign)`);
  }
  const layout = cpu.layout ?? q.layout;
  const tensorScale = scaleFmt === 1 ? Math.fround((cpu.tensorScale ?? q.tensorScale)!) : 1;
  return {
    q, rows, hadamard: hadamardOf(cpu, plan.format),
    g: geometry(plan, n, layout === 'ggml' ? 1 : 0),
    // Decoding needs no thresholds: 'rne' (the rounding itself is in g, for stochastic-3/4's factor).
    consts: mxConsts(scaleFmt as 0 | 1, tensorScale, 'rne', element, bits),
  };
}

function checkLength(actual: number, expected: number, name: string, fn: string): void {
  if (actual === expected) return;
  throw new KompaktError(actual < expected ? 'TRUNCATED' : 'SHAPE_MISMATCH', `${fn}: ${name} has ${actual} bytes, the shape needs ${expected}`);
}

/** Bytes per row of the largest per-row buffer: the f32 row, or the row's codes (more when n is tiny). */
const rowBytes = (t: ResolvedTensor): number => Math.max(t.g.n * 4, Math.ceil(t.g.n / t.g.bs) * blockBytes(t.g), 1);

/** Codes and scales of rows [from, to) of a resolved tensor. */
function rowSlice(t: ResolvedTensor, from: number, to: number): [Uint8Array, Uint8Array] {
  const nb = Math.ceil(t.g.n / t.g.bs);
  const bb = blockBytes(t.g);
  return [t.q.codes.subarray(from * nb * bb, to * nb * bb), t.q.scales.subarray(from * nb, to * nb)];
}

/**
 * GPU twin of `dequantize` for every block format (mxfp4, nvfp4, mxfp6-e2m3/e3m2, mxfp8-e4m3/e5m2, mxint8): a Float32Array, or f16 / bf16 bits with `outDtype`
 * (rounded to nearest even), bit-exact against the wasm path (NaN-scale blocks decode to NaN with
 * allowNaN). With `hadamard`, the rotation is undone on the GPU in f32 and the result narrowed after, as
 * the CPU does.
 */
export function dequantizeGpu(q: Quantized, opts: DequantizeOptions & GpuOptions & { outDtype: 'f16' | 'bf16' }): Promise<Uint16Array>;
export function dequantizeGpu(q: Quantized, opts: DequantizeOptions & GpuOptions & { outDtype?: 'f32' }): Promise<Float32Array>;
export function dequantizeGpu(q: Quantized, opts: DequantizeOptions & GpuOptions): Promise<Float32Array | Uint16Array>;
export async function dequantizeGpu(q: Quantized, opts: DequantizeOptions & GpuOptions): Promise<Float32Array | Uint16Array> {
  const fn = 'dequantizeGpu';
  const { gpu, cpu } = splitOptions<DequantizeOptions>(opts, fn);
  const t = resolveTensor(q, cpu ?? ({} as DequantizeOptions), fn, undefined, undefined, cpu?.rows === undefined ? undefined : checkInteger(cpu.rows, `${fn}: rows`, 0));
  const outDtype = cpu?.outDtype ?? 'f32';
  const kernelDtype = t.hadamard ? 'f32' : outDtype;
  const { n } = t.g;
  const out = kernelDtype === 'f32' ? new Float32Array(t.rows * n) : new Uint16Array(t.rows * n);
  if (out.length === 0) return out;
  const device = await acquireDevice(gpu);
  for (const [from, to] of rowChunks(device, t.rows, rowBytes(t))) {
    const part = await dequantizeOnGpu(device, ...rowSlice(t, from, to), to - from, t.g, t.consts, kernelDtype);
    out.set(kernelDtype === 'f32' ? new Float32Array(part) : new Uint16Array(part), from * n);
  }
  if (!t.hadamard) return out;
  const rotated = await irhtGpu(out as Float32Array, { n, block: t.hadamard.block, seed: t.hadamard.seed, device });
  return outDtype === 'f32' ? rotated : narrow16(rotated, outDtype);
}

/** x as f32 in the weights' basis: f16 / bf16 widened, rotated like the weights were (⟨H·w, H·x⟩ = ⟨w, x⟩). */
function vectorFor(t: ResolvedTensor, x: Float32Array | Uint16Array, dtype: QuantizeOptions['dtype']): Float32Array {
  const x32 = widened(x, dtype);
  if (!t.hadamard || t.g.n === 0) return x32;
  // One vector: the CPU transform is enough.
  return rht(x32 === x ? x32.slice() : x32, { n: t.g.n, block: t.hadamard.block, seed: t.hadamard.seed });
}

function checkVectorLength(t: ResolvedTensor, x: { length: number }, fn: string): void {
  if (x.length !== t.g.n) throw new KompaktError('SHAPE_MISMATCH', `${fn}: x has ${x.length} values, the rows have n = ${t.g.n}`);
}

/** Records the upload of a resolved tensor's codes and scales, in row chunks that fit one binding each. */
function uploadTensor(device: GPUDevice, t: ResolvedTensor, cpu: FusedOptions): ResidentParts {
  const consts = storageBuffer(device, t.consts);
  const chunks = rowChunks(device, t.rows, rowBytes(t)).map(([from, to]) => {
    const [codes, scales] = rowSlice(t, from, to);
    return { from, rows: to - from, codes: storageBuffer(device, codes), scales: storageBuffer(device, scales) };
  });
  const emptyQ = { ...t.q, codes: new Uint8Array(0), scales: new Uint8Array(0) };
  return {
    device, rows: t.rows, cols: t.g.n,
    buffers: [consts, ...chunks.flatMap((c) => [c.codes, c.scales])],
    check(x, name) {
      // x's type and dtype as matvec checks them, then its length.
      validateLikeCpu(name, () => matvec(emptyQ, emptyLike(x as Float32Array, t.g.n), { ...cpu, n: t.g.n, rows: 0 }));
      checkVectorLength(t, x as Float32Array, name);
    },
    async run(x) {
      const xb = storageBuffer(device, vectorFor(t, x, cpu.dtype));
      const y = new Float32Array(t.rows);
      const parts = chunks.map(async (c) => {
        const yb = encodeMatvec(device, c.codes, c.scales, xb, c.rows, t.g, consts);
        const bytes = readBuffer(device, yb, c.rows * 4);
        releaseAfterBatch(device, yb);
        y.set(new Float32Array(await bytes), c.from);
      });
      releaseAfterBatch(device, xb);
      await Promise.all(parts);
      // stochastic-3/4 codes are 3/4 of the value: scaled back in the CPU's own arithmetic (@kompakt/mx fused.ts).
      if (t.g.rounding === 'stochastic-3/4') for (let i = 0; i < y.length; i++) y[i] = Math.fround(y[i] * (4 / 3));
      return y;
    },
  };
}

/** The CPU options and resolved tensor of a matvec, with x's type taken from `dtype` when x is not given. */
function resolveMatvec(q: Quantized, x: Float32Array | Uint16Array | undefined, opts: FusedOptions | undefined, fn: string): { t: ResolvedTensor; cpu: FusedOptions } {
  const cpu = opts ?? ({} as FusedOptions);
  const rowsOpt = cpu.rows === undefined ? undefined : checkInteger(cpu.rows, `${fn}: rows`, 0);
  const probe = x ?? (cpu.dtype === 'f16' || cpu.dtype === 'bf16' ? new Uint16Array(0) : new Float32Array(0));
  return { t: resolveTensor(q, cpu, fn, probe, cpu.n ?? x?.length, rowsOpt), cpu };
}

/**
 * Uploads a packed MX matrix (any block format; the same options as `matvecGpu`, `dtype` naming the
 * type of the x vectors to come) and resolves, once it is in device memory, to a {@link GpuMatrix}
 * whose `matvec(x)` equals `matvecGpu(q, x, opts)`. A failed allocation rejects here with TOO_LARGE.
 */
export async function uploadMatrixGpu(q: Quantized, opts: FusedOptions & GpuOptions): Promise<GpuMatrix> {
  const fn = 'uploadMatrixGpu';
  const { gpu, cpu } = splitOptions<FusedOptions>(opts, fn);
  const { t, cpu: resolved } = resolveMatvec(q, undefined, cpu, fn);
  return uploadedMatrix(uploadTensor(await acquireDevice(gpu), t, resolved));
}

/**
 * GPU twin of `matvec` for every block format: y[r] = Σ_j W[r, j]·x[j] on the packed matrix, x f32 or
 * f16 / bf16 bits (widened exactly). Within docs/gpu.md's tolerance of the wasm path (the blocks' terms
 * are summed as a tree, not left to right). Uploads W on every call: for repeated products with the
 * same weights use {@link uploadMatrixGpu}.
 */
export async function matvecGpu(q: Quantized, x: Float32Array | Uint16Array, opts: FusedOptions & GpuOptions): Promise<Float32Array> {
  const fn = 'matvecGpu';
  const { gpu, cpu } = splitOptions<FusedOptions>(opts, fn);
  const { t, cpu: resolved } = resolveMatvec(q, x, cpu, fn);
  checkVectorLength(t, x, fn); // before asking for a device
  if (t.rows === 0) return new Float32Array(0);
  return matvecOnce(uploadTensor(await acquireDevice(gpu), t, resolved), x, fn);
}
