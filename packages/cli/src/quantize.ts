import { narrow16 } from '@kompakt/core';
import { isSupportedSize } from '@kompakt/hadamard';
import { writeSafetensors, type SafetensorsDtype, type SafetensorsInput } from '@kompakt/io';
import { openSafetensors } from '@kompakt/io/node';
import { CODEBOOKS, dequantize as latticeDequantize, quantize as latticeQuantize, type Codebook, type Quantized as LatticeQuantized } from '@kompakt/lattice';
import { decodeGptOss, dequantize as mxDequantize, quantize as mxQuantize, type BlockFormat, type Quantized as MxQuantized } from '@kompakt/mx';
import { CliError } from './errors.js';
import { FLOAT_DTYPES, loadSource, toFloat32 } from './sources.js';

/** `--format` values: the MX block formats (mxfp8 = mxfp8-e4m3) and the lattice codebooks. */
export const FORMATS = ['mxfp4', 'nvfp4', 'mxfp8', 'mxfp8-e4m3', 'mxfp8-e5m2', 'mxfp6-e2m3', 'mxfp6-e3m2', 'mxint8', 'e8p', 'e8p-rvq3', 'e8p-rvq4', 'leech-sq', 'leech-voronoi'] as const;
export type CliFormat = (typeof FORMATS)[number];
// Typed as CliFormat: a codebook @kompakt/lattice adds does not compile here until FORMATS lists it.
const LATTICE = new Set<CliFormat>(Object.keys(CODEBOOKS) as Codebook[]);
const MX_BLOCK: Record<BlockFormat, { bs: number; blockBytes: number; bits: number }> = {
  mxfp4: { bs: 32, blockBytes: 16, bits: 4.25 }, nvfp4: { bs: 16, blockBytes: 8, bits: 4.5 },
  'mxfp6-e2m3': { bs: 32, blockBytes: 24, bits: 6.25 }, 'mxfp6-e3m2': { bs: 32, blockBytes: 24, bits: 6.25 },
  'mxfp8-e4m3': { bs: 32, blockBytes: 32, bits: 8.25 }, 'mxfp8-e5m2': { bs: 32, blockBytes: 32, bits: 8.25 }, mxint8: { bs: 32, blockBytes: 32, bits: 8.25 },
};
/** The key of the recipe in the output's `__metadata__`. */
export const RECIPE_KEY = 'kompakt.quantization';

export interface TensorRecipe {
  /** The original dtype and shape. */
  dtype: string;
  shape: number[];
  rows: number;
  n: number;
  codes: string;
  scales: string;
  /** nvfp4: the per-tensor f32 scale (also stored as the tensor `<name>_tensor_scale`). */
  tensorScale?: number;
  /** lattice: weights per f32 scale. */
  groupSize?: number;
  /** The Hadamard rotation block (block-diagonal RHT over the row), when --hadamard. */
  hadamardBlock?: number;
  bitsPerWeight: number;
  sqnrDb: number;
}

export interface Recipe {
  version: 1;
  tool: 'kompakt';
  format: CliFormat;
  /** @kompakt/mx format or @kompakt/lattice codebook. */
  library: '@kompakt/mx' | '@kompakt/lattice';
  scheme: BlockFormat | Codebook;
  hadamard: boolean;
  seed: number;
  /** The input's own __metadata__ (restored by dequantize). */
  metadata: Record<string, string> | null;
  tensors: Record<string, TensorRecipe>;
  /** Tensors copied unchanged, with the reason. */
  copied: Record<string, string>;
}

export interface QuantizeOptions {
  format: CliFormat;
  hadamard: boolean;
  seed: number;
  groupSize?: number;
  include1d: boolean;
  onProgress?: (done: number, total: number, name: string) => void;
}

function mxScheme(f: CliFormat): BlockFormat | null {
  if (f === 'mxfp8') return 'mxfp8-e4m3';
  return LATTICE.has(f) ? null : (f as BlockFormat);
}

export function largestPow2Divisor(n: number): number {
  let p = 1;
  while (n % (p * 2) === 0 && p * 2 <= n) p *= 2;
  return p;
}

function sqnr(x: Float32Array, y: Float32Array): number {
  let s = 0, e = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    s += x[i] * x[i];
    e += d * d;
  }
  return e === 0 ? Infinity : s === 0 ? -Infinity : 10 * Math.log10(s / e);
}

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** Why a tensor cannot be quantized in this format, or null when it can. */
export function unfit(dtype: string, shape: number[], o: Pick<QuantizeOptions, 'format' | 'groupSize' | 'include1d'>): string | null {
  if (!FLOAT_DTYPES.has(dtype)) return `dtype ${dtype} is not a float type`;
  if (shape.length === 0) return 'a scalar';
  if (shape.length === 1 && !o.include1d) return '1-D (use --include-1d)';
  const n = shape[shape.length - 1];
  const mx = mxScheme(o.format);
  if (mx) {
    const bs = MX_BLOCK[mx].bs;
    if (n % bs !== 0) return `last dim ${n} is not a multiple of ${bs}`;
  } else {
    const { dim } = CODEBOOKS[o.format as Codebook];
    const g = o.groupSize ?? n;
    if (n % dim !== 0) return `last dim ${n} is not a multiple of ${dim}`;
    if (g % dim !== 0 || n % g !== 0) return `group size ${g} must be a multiple of ${dim} dividing the last dim ${n}`;
  }
  if (shape.reduce((a, b) => a * b, 1) === 0) return 'empty';
  return null;
}

/** What one tensor became: the library's codes and scales, the reconstruction and its cost. */
export type RowsQuantized = { y: Float32Array; bitsPerWeight: number; hadamardBlock?: number } & (
  | { kind: 'mx'; scheme: BlockFormat; q: MxQuantized }
  | { kind: 'lattice'; groupSize: number; q: LatticeQuantized }
);

/**
 * Quantizes `x` (rows of `n` values; `unfit` said yes) in `o.format` and reconstructs it. The
 * Hadamard block: the MX block for MX formats; the whole row for lattices, or its largest
 * power-of-two block when the row length is not a supported size.
 */
export function quantizeRows(x: Float32Array, n: number, o: Pick<QuantizeOptions, 'format' | 'hadamard' | 'seed' | 'groupSize'>): RowsQuantized {
  const mx = mxScheme(o.format);
  if (mx) {
    const { bs, bits } = MX_BLOCK[mx];
    const opts = { format: mx, n, ...(o.hadamard ? { hadamard: { seed: o.seed, block: bs } } : {}) };
    const q = mxQuantize(x, opts);
    const y = mxDequantize(q, { ...opts, ...(q.tensorScale !== undefined ? { tensorScale: q.tensorScale } : {}) }) as Float32Array;
    return { kind: 'mx', scheme: mx, q, y, bitsPerWeight: bits, ...(o.hadamard ? { hadamardBlock: bs } : {}) };
  }
  const codebook = o.format as Codebook;
  const groupSize = o.groupSize ?? n;
  const block = isSupportedSize(n) ? n : largestPow2Divisor(n);
  const opts = { codebook, n, groupSize, ...(o.hadamard ? { hadamard: { seed: o.seed, block } } : {}) };
  const q = latticeQuantize(x, opts);
  const y = latticeDequantize(q, opts);
  return { kind: 'lattice', groupSize, q, y, bitsPerWeight: CODEBOOKS[codebook].bitsPerWeight + 32 / groupSize, ...(o.hadamard ? { hadamardBlock: block } : {}) };
}

export interface QuantizeResult {
  input: string;
  output: string;
  format: CliFormat;
  hadamard: boolean;
  seed: number;
  quantized: { name: string; shape: number[]; dtype: string; sqnrDb: number; bitsPerWeight: number }[];
  copied: { name: string; reason: string }[];
  inputBytes: number;
  outputBytes: number;
  seconds: number;
}

/** Quantizes every fitting float tensor of `path`; returns the output file bytes and a summary. */
export async function quantizeFile(path: string, o: QuantizeOptions): Promise<{ file: Uint8Array; result: Omit<QuantizeResult, 'input' | 'output'> }> {
  const t0 = performance.now();
  const src = await loadSource(path);
  const out = new Map<string, SafetensorsInput>();
  const recipe: Recipe = {
    version: 1, tool: 'kompakt', format: o.format, library: mxScheme(o.format) ? '@kompakt/mx' : '@kompakt/lattice',
    scheme: mxScheme(o.format) ?? (o.format as Codebook), hadamard: o.hadamard, seed: o.seed,
    metadata: src.kind === 'safetensors' ? (src.metadata as Record<string, string> | null) : null, tensors: {}, copied: {},
  };
  const quantized: QuantizeResult['quantized'] = [];
  const copied: QuantizeResult['copied'] = [];
  const names = new Set(src.tensors.map((t) => t.name));
  const claim = (name: string) => {
    if (names.has(name) || out.has(name)) throw new CliError('INVALID_ARGUMENT', `${path}: output tensor name "${name}" collides with an existing tensor`);
  };
  try {
    for (const [i, t] of src.tensors.entries()) {
      o.onProgress?.(i, src.tensors.length, t.name);
      const raw = await src.raw(t.name);
      let reason = unfit(t.dtype, t.shape, o);
      const x = reason ? null : toFloat32(t.dtype, raw)!;
      if (x && !x.every(Number.isFinite)) reason = 'has NaN or Inf values';
      if (reason || !x) {
        if (!isSafetensorsDtypeName(t.dtype)) throw new CliError('UNSUPPORTED_FORMAT', `${path}: tensor "${t.name}" of type ${t.dtype} cannot be copied into safetensors`);
        out.set(t.name, { dtype: t.dtype as SafetensorsDtype, shape: t.shape, data: raw });
        recipe.copied[t.name] = reason!;
        copied.push({ name: t.name, reason: reason! });
        continue;
      }
      const n = t.shape[t.shape.length - 1];
      const rows = x.length / n;
      const lead = t.shape.slice(0, -1);
      const r = quantizeRows(x, n, o);
      const entry: TensorRecipe = { dtype: t.dtype, shape: t.shape, rows, n, codes: '', scales: '', bitsPerWeight: r.bitsPerWeight, sqnrDb: 0 };
      if (r.kind === 'mx') {
        const { q, scheme } = r;
        const { blockBytes } = MX_BLOCK[scheme];
        const G = q.scales.length / rows;
        entry.codes = `${t.name}_blocks`;
        entry.scales = `${t.name}_scales`;
        claim(entry.codes); claim(entry.scales);
        const codeDtype: SafetensorsDtype = scheme === 'mxfp8-e4m3' ? 'F8_E4M3' : scheme === 'mxfp8-e5m2' ? 'F8_E5M2' : 'U8';
        out.set(entry.codes, { dtype: codeDtype, shape: [...lead, G, blockBytes], data: q.codes });
        out.set(entry.scales, { dtype: scheme === 'nvfp4' ? 'F8_E4M3' : 'U8', shape: [...lead, G], data: q.scales });
        if (q.tensorScale !== undefined) {
          const tsName = `${t.name}_tensor_scale`;
          claim(tsName);
          out.set(tsName, { dtype: 'F32', shape: [], data: Float32Array.of(q.tensorScale) });
          entry.tensorScale = q.tensorScale;
        }
      } else {
        const { q, groupSize } = r;
        entry.codes = `${t.name}_codes`;
        entry.scales = `${t.name}_scales`;
        claim(entry.codes); claim(entry.scales);
        const perRow = q.codes.length / rows;
        out.set(entry.codes, { dtype: 'U8', shape: Number.isInteger(perRow) && q.codebook !== 'leech-sq' ? [...lead, perRow] : [q.codes.length], data: q.codes });
        out.set(entry.scales, { dtype: 'F32', shape: [...lead, n / groupSize], data: q.scales });
        entry.groupSize = groupSize;
      }
      if (r.hadamardBlock !== undefined) entry.hadamardBlock = r.hadamardBlock;
      entry.sqnrDb = sqnr(x, r.y);
      recipe.tensors[t.name] = entry;
      quantized.push({ name: t.name, shape: t.shape, dtype: t.dtype, sqnrDb: entry.sqnrDb, bitsPerWeight: entry.bitsPerWeight });
    }
    o.onProgress?.(src.tensors.length, src.tensors.length, '');
  } finally {
    await src.close();
  }
  const metadata: Record<string, string> = { ...(recipe.metadata ?? {}), [RECIPE_KEY]: JSON.stringify(recipe) };
  const file = writeSafetensors(out, { metadata });
  return {
    file,
    result: { format: o.format, hadamard: o.hadamard, seed: o.seed, quantized, copied, inputBytes: src.size, outputBytes: file.length, seconds: (performance.now() - t0) / 1e3 },
  };
}

const ST_DTYPES = new Set(['BOOL', 'U8', 'I8', 'I16', 'U16', 'I32', 'U32', 'I64', 'U64', 'F16', 'BF16', 'F32', 'F64', 'C64', 'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ', 'F4', 'F6_E2M3', 'F6_E3M2']);
function isSafetensorsDtypeName(d: string): boolean {
  return ST_DTYPES.has(d);
}

export type OutDtype = 'original' | 'f32' | 'f16' | 'bf16';

function encodeAs(y: Float32Array, dtype: string): { dtype: SafetensorsDtype; data: ArrayBufferView } {
  switch (dtype) {
    case 'F16': return { dtype, data: narrow16(y, 'f16') };
    case 'BF16': return { dtype, data: narrow16(y, 'bf16') };
    case 'F64': return { dtype, data: Float64Array.from(y) };
    default: return { dtype: 'F32', data: y };
  }
}

function parseRecipe(text: string, path: string): Recipe {
  let r: Recipe;
  try {
    r = JSON.parse(text) as Recipe;
  } catch (e) {
    throw new CliError('CORRUPT', `${path}: __metadata__["${RECIPE_KEY}"] is not valid JSON (${(e as Error).message})`);
  }
  if (!r || typeof r !== 'object' || r.version !== 1 || typeof r.tensors !== 'object' || r.tensors === null) {
    throw new CliError(r && typeof r === 'object' && typeof r.version === 'number' && r.version > 1 ? 'UNSUPPORTED_VERSION' : 'CORRUPT', `${path}: unrecognized quantization recipe`);
  }
  return r;
}

export interface DequantizeResult {
  input: string;
  output: string;
  mode: 'kompakt' | 'gpt-oss';
  format: string;
  tensors: { name: string; shape: number[]; dtype: string }[];
  copied: string[];
  outputBytes: number;
  seconds: number;
}

/** Reconstructs a file written by quantize (recipe in __metadata__) or a gpt-oss MXFP4 checkpoint. */
export async function dequantizeFile(path: string, opts: { dtype: OutDtype; onProgress?: (done: number, total: number, name: string) => void }): Promise<{ file: Uint8Array; result: Omit<DequantizeResult, 'input' | 'output'> }> {
  const t0 = performance.now();
  const f = await openSafetensors(path);
  const out = new Map<string, SafetensorsInput>();
  const tensors: DequantizeResult['tensors'] = [];
  const copied: string[] = [];
  let mode: DequantizeResult['mode'];
  let format: string;
  let metadata: Record<string, string> | undefined;
  const want = (original: string) => (opts.dtype === 'original' ? original : opts.dtype.toUpperCase());
  try {
    const byName = new Map(f.tensors.map((t) => [t.name, t]));
    const recipeText = f.metadata?.[RECIPE_KEY];
    const used = new Set<string>();
    if (recipeText !== undefined) {
      mode = 'kompakt';
      const r = parseRecipe(recipeText, path);
      format = r.format;
      metadata = r.metadata ?? undefined;
      const entries = Object.entries(r.tensors);
      for (const [i, [name, e]] of entries.entries()) {
        opts.onProgress?.(i, entries.length, name);
        for (const part of [e.codes, e.scales]) {
          if (!byName.has(part)) throw new CliError('CORRUPT', `${path}: the recipe names tensor "${part}" for "${name}", but the file has no such tensor`);
          used.add(part);
        }
        const codes = (await f.tensor(e.codes)).data;
        const scalesT = await f.tensor(e.scales);
        let y: Float32Array;
        const hadamardBlock = e.hadamardBlock;
        try {
          if (r.library === '@kompakt/mx') {
            const mx = r.scheme as BlockFormat;
            if (e.tensorScale !== undefined) used.add(`${name}_tensor_scale`);
            y = mxDequantize({ codes: bytes(codes), scales: bytes(scalesT.data) }, {
              format: mx, n: e.n, rows: e.rows,
              ...(hadamardBlock ? { hadamard: { seed: r.seed, block: hadamardBlock } } : {}),
              ...(e.tensorScale !== undefined ? { tensorScale: e.tensorScale } : {}),
            }) as Float32Array;
          } else {
            const codebook = r.scheme as Codebook;
            const groupSize = e.groupSize ?? e.n;
            const o = { codebook, n: e.n, groupSize, ...(hadamardBlock ? { hadamard: { seed: r.seed, block: hadamardBlock } } : {}) };
            const sc = scalesT.data instanceof Float32Array ? scalesT.data : new Float32Array(bytes(scalesT.data).slice().buffer);
            y = latticeDequantize({ codebook, bitsPerWeight: CODEBOOKS[codebook].bitsPerWeight, rows: e.rows, n: e.n, groupSize, codes: bytes(codes), scales: sc }, o);
          }
        } catch (err) {
          const k = err as Error & { code?: string };
          throw new CliError('CORRUPT', `${path}: tensor "${name}": ${k.message}`, { cause: err });
        }
        const enc = encodeAs(y, want(e.dtype));
        out.set(name, { ...enc, shape: e.shape });
        tensors.push({ name, shape: e.shape, dtype: enc.dtype });
      }
    } else {
      mode = 'gpt-oss';
      format = 'mxfp4';
      metadata = f.metadata ?? undefined;
      for (const t of f.tensors) {
        if (!t.name.endsWith('_blocks') && !t.name.endsWith('.blocks')) continue;
        const stem = t.name.slice(0, -'_blocks'.length);
        const sep = t.name[stem.length];
        const s = byName.get(`${stem}${sep}scales`);
        if (!s || t.dtype !== 'U8' || s.dtype !== 'U8' || t.shape.at(-1) !== 16 || s.shape.join() !== t.shape.slice(0, -1).join()) continue;
        const blocks = bytes((await f.tensor(t.name)).data), scales = bytes((await f.tensor(s.name)).data);
        const y = decodeGptOss(blocks, scales, { allowNaN: true });
        const shape = [...t.shape.slice(0, -2), t.shape[t.shape.length - 2] * 32];
        const enc = encodeAs(y, opts.dtype === 'original' ? 'BF16' : opts.dtype.toUpperCase());
        out.set(stem, { ...enc, shape });
        tensors.push({ name: stem, shape, dtype: enc.dtype });
        used.add(t.name);
        used.add(s.name);
      }
      if (tensors.length === 0) throw new CliError('INVALID_ARGUMENT', `${path}: has no kompakt quantization recipe (__metadata__["${RECIPE_KEY}"]) and no gpt-oss *_blocks/*_scales MXFP4 pairs; nothing to dequantize`);
    }
    for (const t of f.tensors) {
      if (used.has(t.name)) continue;
      if (out.has(t.name)) throw new CliError('CORRUPT', `${path}: tensor "${t.name}" is both stored and reconstructed`);
      out.set(t.name, { dtype: t.dtype, shape: t.shape, data: (await f.tensor(t.name)).data });
      copied.push(t.name);
    }
  } finally {
    await f.close();
  }
  const file = writeSafetensors(out, metadata ? { metadata } : {});
  return { file, result: { mode, format, tensors, copied, outputBytes: file.length, seconds: (performance.now() - t0) / 1e3 } };
}
