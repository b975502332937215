import { KompaktError } from '@kompakt/core';
import { SUPPORTED_K, fwht, hadamardK, ifwht, irht, rht, rhtSigns, type RhtOptions, type TransformOptions } from '@kompakt/hadamard';
import { transformOnGpu, type GpuTransform } from './kernels/hadamard/fwht.js';
import { emptyLike, splitOptions, validateLikeCpu } from './options.js';
import { acquireDevice, maxItemsPerBinding, type GpuOptions } from './runtime/index.js';

type Cpu = typeof fwht | typeof ifwht | typeof rht | typeof irht;

/** k·2^log2m with the smallest k, as @kompakt/hadamard plans it (the size is already validated). */
function plan(size: number): { k: number; log2m: number } {
  for (const k of [1, ...SUPPORTED_K]) {
    const m = size / k;
    if (Number.isInteger(m) && (m & (m - 1)) === 0) return { k, log2m: Math.log2(m) };
  }
  throw new KompaktError('INTERNAL', `no Hadamard plan for validated size ${size}`);
}

function transpose(h: Float32Array, k: number): Float32Array {
  const t = new Float32Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) t[j * k + i] = h[i * k + j];
  return t;
}

/**
 * Validates like the CPU function (`cpu` run on an empty input with the same n, and for rht/irht on one
 * zero block so the seed or signs are checked too), then builds the GPU transform.
 */
function parse(fn: string, cpu: Cpu, x: Float32Array | Uint16Array, opts: RhtOptions | undefined, inverse: boolean, randomized: boolean): GpuTransform {
  const n = opts?.n ?? x.length;
  validateLikeCpu(fn, () => (cpu as typeof rht)(new Float32Array(0), { ...opts, n } as RhtOptions));
  if (x.length % n !== 0) throw new KompaktError('SHAPE_MISMATCH', `${fn}: x.length = ${x.length} is not a multiple of n = ${n}`);
  const size = opts?.block ?? n;
  let signs: Float32Array | null = null;
  if (randomized) {
    validateLikeCpu(fn, () => (cpu as typeof rht)(new Float32Array(size), { ...opts, n: size, block: size } as RhtOptions));
    signs = opts!.seed !== undefined ? rhtSigns(size, opts!.seed) : Float32Array.from(opts!.signs as ArrayLike<number>);
  }
  const { k, log2m } = plan(size);
  const hk = k === 1 ? null : inverse ? transpose(hadamardK(k), k) : hadamardK(k);
  const normalize = opts?.normalize ?? true;
  const scale = normalize ? 1 / Math.sqrt(size) : inverse ? 1 / size : 1;
  return { size, k, log2m, hk, signs, signsAfter: inverse, scale };
}

/**
 * Transforms x in place. A Uint16Array (f16 / bf16 with `dtype`, checked by the CPU function) crosses the
 * bus as 16 bits and is widened exactly, transformed in f32 and rounded back once on the GPU, as the CPU
 * transforms 16-bit rows.
 */
async function run<T extends Float32Array | Uint16Array, O extends TransformOptions>(
  fn: string, cpu: Cpu, x: T, opts: (O & GpuOptions) | undefined, inverse: boolean, randomized: boolean,
): Promise<T> {
  const { gpu, cpu: cpuOpts } = splitOptions<O>(opts, fn);
  // x's type, dtype and the options as the CPU checks them; for an empty batch that is the whole job.
  validateLikeCpu(fn, () => (cpu as typeof rht)(emptyLike(x, 0), cpuOpts as RhtOptions));
  if (x.length === 0) return x;
  const dtype = cpuOpts?.dtype === 'f16' || cpuOpts?.dtype === 'bf16' ? cpuOpts.dtype : undefined;
  const t = parse(fn, cpu, x, { ...cpuOpts, dtype: undefined } as RhtOptions, inverse, randomized);
  const device = await acquireDevice(gpu);
  // Inputs beyond one storage binding (of their f32 form) go through in whole-block chunks, one after the other.
  const step = maxItemsPerBinding(device, t.size * 4) * t.size;
  for (let at = 0; at < x.length; at += step) {
    const chunk = x.subarray(at, Math.min(x.length, at + step));
    const bytes = await transformOnGpu(device, chunk, t, dtype);
    x.set(dtype ? new Uint16Array(bytes) : new Float32Array(bytes), at);
  }
  return x;
}

/** GPU twin of `fwht` (f32, or f16 / bf16 bits with `dtype`): same options plus `device`; transforms `x` in place and resolves to it. */
export function fwhtGpu<T extends Float32Array | Uint16Array>(x: T, opts?: TransformOptions & GpuOptions): Promise<T> {
  return run('fwhtGpu', fwht, x, opts, false, false);
}

/** GPU twin of `ifwht`: the inverse of `fwhtGpu` with the same options. */
export function ifwhtGpu<T extends Float32Array | Uint16Array>(x: T, opts?: TransformOptions & GpuOptions): Promise<T> {
  return run('ifwhtGpu', ifwht, x, opts, true, false);
}

/** GPU twin of `rht`: same seed ⇒ the same Kompakt sign stream as the CPU. In place; resolves to `x`. */
export function rhtGpu<T extends Float32Array | Uint16Array>(x: T, opts: RhtOptions & GpuOptions): Promise<T> {
  return run('rhtGpu', rht, x, opts, false, true);
}

/** GPU twin of `irht`: the inverse of `rhtGpu` with the same options. */
export function irhtGpu<T extends Float32Array | Uint16Array>(x: T, opts: RhtOptions & GpuOptions): Promise<T> {
  return run('irhtGpu', irht, x, opts, true, true);
}
