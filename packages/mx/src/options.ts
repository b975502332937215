import { KompaktError, checkBoolean, checkInteger, checkOptions, describe, seedToKey, type Dtype16 } from '@kompakt/core';
import { isSupportedSize } from '@kompakt/hadamard';
import {
  BLOCKS, BLOCK_FORMATS, LAYOUTS, LAYOUT_IDS, ROUNDINGS, ROUNDING_IDS, SCALE_RULES, SCALE_RULE_IDS,
  type BlockFormat, type BlockInfo, type NibbleLayout, type Rounding, type ScaleRule,
} from './formats.js';

/** Randomized Hadamard rotation applied over blocks before quantizing (and undone after dequantizing). */
export interface HadamardOption {
  /** Seed of @kompakt/hadamard's sign stream (number or bigint < 2^64). Default 0. */
  seed?: number | bigint;
  /** Rotation block; must divide `n` and be a size @kompakt/hadamard supports. Default 32 (MX) or 16 (nvfp4). */
  block?: number;
}

/** Options of `quantize`; `dequantize`, `dot` and `matvec` take the same ones (plus their own). */
export interface QuantizeOptions {
  /** The block format. */
  format: BlockFormat;
  /** Row length: blocks run along rows of `n` values; a partial last block is zero-padded. Default: x.length. */
  n?: number;
  /** For a Uint16Array input: 'f16' or 'bf16' bits. */
  dtype?: 'f32' | Dtype16;
  /** MX formats: the shared-exponent rule (default 'floor', OCP). Not for nvfp4 or rounding 'ggml'. */
  scaleRule?: ScaleRule;
  /** Element rounding (default 'rne'). 'stochastic' and 'stochastic-3/4' need `seed`; 'ggml' is mxfp4 only. */
  rounding?: Rounding;
  /** Seed of the stochastic-rounding stream (number or bigint < 2^64). */
  seed?: number | bigint;
  /** FP4 nibble order (default 'pairs'); 'ggml' only for mxfp4 and nvfp4. */
  layout?: NibbleLayout;
  /** Rotate blocks with a randomized Hadamard transform first (`true` = seed 0, default block). */
  hadamard?: boolean | HadamardOption;
  /** nvfp4: the per-tensor f32 scale to use instead of amax / (6·448). Must be positive and finite. */
  tensorScale?: number;
  /** Native backend: threads over rows (0 = all cores, the default; 1 = calling thread). */
  threads?: number;
}

export const QUANTIZE_KEYS = ['format', 'n', 'dtype', 'scaleRule', 'rounding', 'seed', 'layout', 'hadamard', 'tensorScale', 'threads'] as const;

/** Everything about a block call that does not depend on the data. */
export interface BlockPlan {
  format: BlockFormat;
  info: BlockInfo;
  scaleRule: ScaleRule | 'ggml';
  rounding: Rounding;
  layout: NibbleLayout;
  key0: number;
  key1: number;
  hadamard: { seed: number | bigint; block: number } | null;
  tensorScale: number | undefined;
  threads: number;
  dtype: 'f32' | Dtype16 | undefined;
  n: number | undefined;
  /** Kernel ids. */
  ids: { fmt: number; scaleRule: number; rounding: number; layout: number };
}

export function invalid(message: string): KompaktError {
  return new KompaktError('INVALID_ARGUMENT', message);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalid(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

export function parseFormat(value: unknown, fn: string): BlockFormat {
  if (value === undefined) throw invalid(`${fn}: options.format is required (one of ${BLOCK_FORMATS.join(', ')})`);
  return oneOf(value, BLOCK_FORMATS, `${fn}: format`);
}

export function parseSeed(seed: unknown, name: string): { key0: number; key1: number } {
  try {
    return seedToKey(seed as number | bigint);
  } catch (cause) {
    throw new KompaktError('INVALID_ARGUMENT', `${name}: ${(cause as Error).message}`, { cause });
  }
}

/** Parses and cross-checks the options shared by every block call. Throws before any kernel runs. */
export function parseBlockOptions(opts: unknown, fn: string, extraKeys: readonly string[] = []): BlockPlan {
  if (opts === undefined) throw invalid(`${fn}: options with a format are required`);
  const o = checkOptions<QuantizeOptions>(opts, `${fn} options`, [...QUANTIZE_KEYS, ...extraKeys]);
  const format = parseFormat(o.format, fn);
  const info = BLOCKS[format];
  const fp4 = info.element === 'e2m1';
  const rounding = o.rounding === undefined ? 'rne' : oneOf(o.rounding, ROUNDINGS, `${fn}: rounding`);
  const explicitRule = o.scaleRule === undefined ? undefined : oneOf(o.scaleRule, SCALE_RULES, `${fn}: scaleRule`);
  const layout = o.layout === undefined ? 'pairs' : oneOf(o.layout, LAYOUTS, `${fn}: layout`);

  if (format === 'nvfp4' && explicitRule !== undefined) {
    throw invalid(`${fn}: scaleRule '${explicitRule}' contradicts format 'nvfp4' (its UE4M3 block scale is always amax/(6·tensorScale) rounded to nearest even); omit scaleRule`);
  }
  if (rounding === 'ggml') {
    if (format !== 'mxfp4') throw invalid(`${fn}: rounding 'ggml' reproduces llama.cpp's MXFP4 reference and is only for format 'mxfp4', got '${format}'`);
    if (explicitRule !== undefined) {
      throw invalid(`${fn}: rounding 'ggml' contradicts scaleRule '${explicitRule}': it implies llama.cpp's own floor(log2f(amax)) − 2 rule; omit scaleRule`);
    }
  }
  if (layout === 'ggml' && !fp4) throw invalid(`${fn}: layout 'ggml' is a nibble order for FP4 formats (mxfp4, nvfp4), got format '${format}'`);

  const stochastic = rounding === 'stochastic' || rounding === 'stochastic-3/4';
  if (stochastic && o.seed === undefined) throw invalid(`${fn}: rounding '${rounding}' needs a seed`);
  const { key0, key1 } = o.seed === undefined ? { key0: 0, key1: 0 } : parseSeed(o.seed, `${fn}: seed`);

  let tensorScale: number | undefined;
  if (o.tensorScale !== undefined) {
    if (format !== 'nvfp4') throw invalid(`${fn}: tensorScale is only for format 'nvfp4', got '${format}'`);
    if (typeof o.tensorScale !== 'number' || !(o.tensorScale > 0) || !Number.isFinite(o.tensorScale)) {
      throw invalid(`${fn}: tensorScale must be a positive finite number, got ${describe(o.tensorScale)}`);
    }
    tensorScale = Math.fround(o.tensorScale);
    if (tensorScale === 0 || !Number.isFinite(tensorScale)) throw invalid(`${fn}: tensorScale ${o.tensorScale} is not a positive finite f32`);
  }

  const threads = o.threads === undefined ? 0 : checkInteger(o.threads, `${fn}: threads`, 0, 1024);
  const n = o.n === undefined ? undefined : checkInteger(o.n, `${fn}: n`, 1);
  if (o.dtype !== undefined && o.dtype !== 'f32' && o.dtype !== 'f16' && o.dtype !== 'bf16') {
    throw invalid(`${fn}: dtype must be 'f32', 'f16' or 'bf16', got ${describe(o.dtype)}`);
  }
  const scaleRule = rounding === 'ggml' ? 'ggml' : explicitRule ?? 'floor';
  return {
    format, info, scaleRule, rounding, layout, key0, key1,
    hadamard: parseHadamard(o.hadamard, format, fn),
    tensorScale, threads, dtype: o.dtype, n,
    ids: {
      fmt: elementId(info), scaleRule: SCALE_RULE_IDS[scaleRule], rounding: ROUNDING_IDS[rounding], layout: LAYOUT_IDS[layout],
    },
  };
}

function elementId(info: BlockInfo): number {
  return { e2m1: 0, e2m3: 1, e3m2: 2, e4m3: 3, e5m2: 4, int8: 5, ue4m3: 6, e8m0: 7 }[info.element];
}

function parseHadamard(h: unknown, format: BlockFormat, fn: string): BlockPlan['hadamard'] {
  if (h === undefined || h === false) return null;
  const defaultBlock = BLOCKS[format].bs;
  if (h === true) return { seed: 0, block: defaultBlock };
  const o = checkOptions<HadamardOption>(h, `${fn}: hadamard`, ['seed', 'block']);
  const block = o.block === undefined ? defaultBlock : checkInteger(o.block, `${fn}: hadamard.block`, 1);
  if (!isSupportedSize(block)) throw new KompaktError('UNSUPPORTED_SIZE', `${fn}: hadamard.block = ${block} is not a size @kompakt/hadamard supports`);
  const seed = o.seed === undefined ? 0 : o.seed;
  parseSeed(seed, `${fn}: hadamard.seed`);
  return { seed, block };
}

/** Resolves the row length against an array of `length` values and checks the shape. */
export function resolveRows(length: number, n: number | undefined, fn: string, what = 'x'): { n: number; rows: number } {
  if (n === undefined) return { n: length, rows: length === 0 ? 0 : 1 };
  if (length % n !== 0) throw new KompaktError('SHAPE_MISMATCH', `${fn}: ${what}.length = ${length} is not a multiple of n = ${n}`);
  return { n, rows: length / n };
}

/** Checks that a Hadamard block fits the row length (the rotation cannot span a partial block). */
export function checkHadamardFits(plan: BlockPlan, n: number, fn: string): void {
  if (plan.hadamard && n % plan.hadamard.block !== 0) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: hadamard.block = ${plan.hadamard.block} does not divide n = ${n}; pad the rows or choose another block`);
  }
}

/** Input arrays: a Float32Array, or a Uint16Array with dtype 'f16' | 'bf16'. */
export function checkInput(x: unknown, dtype: BlockPlan['dtype'], fn: string, name = 'x'): 'f32' | Dtype16 {
  if (x instanceof Float32Array) {
    if (dtype !== undefined && dtype !== 'f32') throw invalid(`${fn}: dtype '${dtype}' needs a Uint16Array of raw 16-bit values, got a Float32Array`);
    return 'f32';
  }
  if (x instanceof Uint16Array) {
    if (dtype === 'f16' || dtype === 'bf16') return dtype;
    throw invalid(`${fn}: a Uint16Array ${name} needs dtype: 'f16' or 'bf16', got ${describe(dtype)}`);
  }
  throw new KompaktError('INVALID_TYPE', `${fn}: ${name} must be a Float32Array (or a Uint16Array with dtype 'f16' | 'bf16'), got ${describe(x)}`);
}

export { checkBoolean };
