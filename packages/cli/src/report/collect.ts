// The measurements behind `kompakt report`: every quantizer's SQNR and bit rate on the file's weights,
// each tensor's lossless ratio against gzip/zstd, and value histograms before and after a rotation.
import { gzipSync } from 'node:zlib';
import * as zlib from 'node:zlib';
import { compressTensor, type TensorDtype } from '@kompakt/entropy';
import { isSupportedSize, rht } from '@kompakt/hadamard';
import { CliError } from '../errors.js';
import { FORMATS, largestPow2Divisor, quantizeRows, unfit, type CliFormat } from '../quantize.js';
import { toFloat32, type Source, type TensorEntry } from '../sources.js';
import { narrow16 } from '@kompakt/core';
import { RTN_BITS, rtnRows, type RtnName } from './rtn.js';

export interface SqnrPoint {
  /** A `--format`, or the scalar round-to-nearest baseline `int{2,3,4}-rtn` (rtn.ts). */
  format: CliFormat | RtnName;
  hadamard: boolean;
  /** Storage cost including scales, averaged over the values measured. */
  bitsPerWeight: number;
  /** 10·log10(Σx² / Σ(x − y)²) pooled over every fitting tensor. */
  sqnrDb: number;
  tensors: number;
  values: number;
}

export interface LosslessRow {
  name: string;
  dtype: string;
  bytes: number;
  /** compressed / original (lower is better); zstd is null when no zstd is available. */
  kpk: number;
  gzip: number;
  zstd: number | null;
}

export interface Distribution {
  /** Bin edges: `bins + 1` values from -limit to +limit. */
  edges: number[];
  counts: number[];
  /** max|x| / rms and kurtosis (3 for a Gaussian). */
  peakToRms: number;
  kurtosis: number;
}

export interface HistogramData {
  tensor: string;
  shape: number[];
  values: number;
  /** The rotation: rht over blocks of this many values of each row. */
  block: number;
  seed: number;
  before: Distribution;
  after: Distribution;
}

export interface ReportData {
  sqnr: SqnrPoint[];
  /** Formats no tensor of the file fits (with the first tensor's reason). */
  skipped: { format: CliFormat; reason: string }[];
  /**
   * `total`: every row together; null when no tensor is 1 KiB or more. `bf16`: the F32 rows again,
   * rounded to bf16 (RNE) first, as a bf16 checkpoint of the same model would store them.
   */
  lossless: { rows: LosslessRow[]; total: LosslessRow | null; bf16: LosslessRow | null; zstd: string | null };
  histogram: HistogramData | null;
}

export interface CollectOptions {
  seed: number;
  /** At most this many values (whole rows) of each tensor are quantized and rotated. */
  maxValues: number;
  /** The tensor of the histograms (default: the largest 2-D float tensor). */
  tensor?: string;
  onProgress?: (done: number, total: number, what: string) => void;
}

/** The leading rows of a rows × n tensor, at most `max` values (always at least one row). */
function leadingRows(x: Float32Array, n: number, max: number): Float32Array {
  return x.subarray(0, Math.max(1, Math.floor(max / n)) * n);
}

/** A float tensor's leading rows (a copy, so the whole tensor is not kept: memory follows the largest tensor, not the model). */
interface FloatTensor { entry: TensorEntry; x: Float32Array; n: number; elements: number }

async function floatTensors(src: Source, maxValues: number): Promise<FloatTensor[]> {
  const out: FloatTensor[] = [];
  for (const t of src.tensors) {
    if (t.shape.length < 1) continue;
    const all = toFloat32(t.dtype, await src.raw(t.name));
    if (!all || all.length === 0 || !all.every(Number.isFinite)) continue;
    const n = t.shape[t.shape.length - 1];
    out.push({ entry: t, x: leadingRows(all, n, maxValues).slice(), n, elements: all.length });
  }
  return out;
}

/** The quantizers of `--format` (the alias mxfp8 = mxfp8-e4m3 once). */
export const REPORT_FORMATS = FORMATS.filter((f) => f !== 'mxfp8');

/**
 * Quantizers with a slow encoder, measured on 1/k of `maxValues` per tensor: leech-voronoi costs 12–19
 * Leech decodes per 24 weights, 5–10× E8P's time per value.
 */
export const SLOW_FORMATS: Partial<Record<CliFormat, number>> = { 'leech-voronoi': 8 };

/** The most values (whole leading rows) of each tensor `format` is measured on. */
export function valuesMeasured(format: CliFormat, maxValues: number): number {
  return Math.floor(maxValues / (SLOW_FORMATS[format] ?? 1));
}

type Reconstruct = (x: Float32Array, n: number) => { y: Float32Array; bitsPerWeight: number };

/** One point: SQNR pooled over `fit` (each tensor's leading `maxValues`), and the mean bit rate. */
function pooled(fit: FloatTensor[], format: SqnrPoint['format'], hadamard: boolean, maxValues: number, reconstruct: Reconstruct): SqnrPoint {
  let signal = 0, noise = 0, bits = 0, values = 0;
  for (const t of fit) {
    const x = leadingRows(t.x, t.n, maxValues);
    const r = reconstruct(x, t.n);
    for (let i = 0; i < x.length; i++) {
      signal += x[i] * x[i];
      noise += (x[i] - r.y[i]) ** 2;
    }
    bits += r.bitsPerWeight * x.length;
    values += x.length;
  }
  return { format, hadamard, bitsPerWeight: bits / values, sqnrDb: noise === 0 ? Infinity : 10 * Math.log10(signal / noise), tensors: fit.length, values };
}

function sqnrPoints(tensors: FloatTensor[], o: CollectOptions, tick: (what: string) => void): Pick<ReportData, 'sqnr' | 'skipped'> {
  const points: SqnrPoint[] = [];
  const skipped: ReportData['skipped'] = [];
  for (const format of REPORT_FORMATS) {
    const fit = tensors.filter((t) => unfit(t.entry.dtype, t.entry.shape, { format, include1d: false }) === null);
    if (fit.length === 0) {
      const first = tensors.find((t) => t.entry.shape.length >= 2) ?? tensors[0];
      skipped.push({ format, reason: first ? `${first.entry.name}: ${unfit(first.entry.dtype, first.entry.shape, { format, include1d: false })}` : 'no float tensors' });
      continue;
    }
    for (const hadamard of [false, true]) {
      tick(`${format}${hadamard ? ' + hadamard' : ''}`);
      points.push(pooled(fit, format, hadamard, valuesMeasured(format, o.maxValues), (x, n) => quantizeRows(x, n, { format, hadamard, seed: o.seed })));
    }
  }
  // The scalar baseline, on every weight matrix (2-D or more).
  const matrices = tensors.filter((t) => t.entry.shape.length >= 2);
  for (const bits of matrices.length ? RTN_BITS : []) {
    for (const hadamard of [false, true]) {
      tick(`int${bits}-rtn${hadamard ? ' + hadamard' : ''}`);
      points.push(pooled(matrices, `int${bits}-rtn`, hadamard, o.maxValues, (x, n) => rtnRows(x, n, bits, hadamard ? { seed: o.seed } : null)));
    }
  }
  return { sqnr: points, skipped };
}

/** Bytes of each tensor the lossless codecs are measured on (a multiple of every element size). */
export const LOSSLESS_BYTES = 16 << 20;

const CODEC_DTYPE: Record<string, TensorDtype> = { F32: 'f32', BF16: 'bf16', F16: 'f16' };

/** zstd level 3 from node:zlib (Node ≥ 22.15) or, where installed, @bokuweb/zstd-wasm; null when neither. */
async function zstdCompressor(): Promise<{ name: string; compress: (b: Uint8Array) => number } | null> {
  const native = (zlib as unknown as { zstdCompressSync?: (b: Uint8Array, o?: object) => Buffer }).zstdCompressSync;
  if (native) return { name: 'zstd -3 (node:zlib)', compress: (b) => native(b).length };
  try {
    // A variable specifier: an optional baseline the bundler must leave alone (it is not a dependency).
    const spec = '@bokuweb/zstd-wasm';
    const z = (await import(spec)) as { init(): Promise<void>; compress(b: Uint8Array, level: number): Uint8Array };
    await z.init();
    return { name: 'zstd -3 (@bokuweb/zstd-wasm)', compress: (b) => z.compress(b, 3).length };
  } catch {
    return null;
  }
}

type Zstd = Awaited<ReturnType<typeof zstdCompressor>>;

/** Compressed sizes of `raw` under the three codecs. */
function sizes(raw: Uint8Array, dtype: TensorDtype, zstd: Zstd): { kpk: number; gzip: number; zstd: number } {
  const fits = raw.length % (dtype === 'f32' ? 4 : dtype === 'u8' ? 1 : 2) === 0;
  return {
    kpk: compressTensor(raw, { dtype: fits ? dtype : 'u8' }).length,
    gzip: gzipSync(raw, { level: 9 }).length,
    zstd: zstd ? zstd.compress(raw) : 0,
  };
}

/** Sums of compressed sizes, turned into a ratio row. */
class Total {
  private bytes = 0;
  private sum = { kpk: 0, gzip: 0, zstd: 0 };
  add(bytes: number, s: { kpk: number; gzip: number; zstd: number }): void {
    this.bytes += bytes;
    this.sum.kpk += s.kpk;
    this.sum.gzip += s.gzip;
    this.sum.zstd += s.zstd;
  }
  row(name: string, dtype: string, zstd: Zstd): LosslessRow | null {
    const b = this.bytes;
    return b === 0 ? null : { name, dtype, bytes: b, kpk: this.sum.kpk / b, gzip: this.sum.gzip / b, zstd: zstd ? this.sum.zstd / b : null };
  }
}

async function lossless(src: Source, tick: (what: string) => void): Promise<ReportData['lossless']> {
  const zstd = await zstdCompressor();
  const rows: LosslessRow[] = [];
  const total = new Total();
  const bf16 = new Total();
  for (const t of src.tensors) {
    if (t.bytes < 1024) continue; // tiny tensors (biases of a few values) are all header overhead
    tick(t.name);
    // gzip -9 runs at a few MB/s: a large tensor is measured on its first LOSSLESS_BYTES.
    const raw = (await src.raw(t.name)).subarray(0, LOSSLESS_BYTES);
    const s = sizes(raw, CODEC_DTYPE[t.dtype] ?? 'u8', zstd);
    rows.push({ name: t.name, dtype: t.dtype, bytes: raw.length, kpk: s.kpk / raw.length, gzip: s.gzip / raw.length, zstd: zstd ? s.zstd / raw.length : null });
    total.add(raw.length, s);
    if (t.dtype === 'F32' && raw.length % 4 === 0) {
      const f32 = new Float32Array(raw.slice().buffer);
      const b = new Uint8Array(narrow16(f32, 'bf16').buffer);
      bf16.add(b.length, sizes(b, 'bf16', zstd));
    }
  }
  return { rows, total: total.row('all tensors', '', zstd), bf16: bf16.row('F32 tensors as bf16', 'BF16', zstd), zstd: zstd?.name ?? null };
}

function distribution(x: Float32Array, limit: number, bins: number): Distribution {
  const counts = new Array<number>(bins).fill(0);
  let m2 = 0, m4 = 0, peak = 0, mean = 0;
  for (const v of x) mean += v / x.length;
  for (const v of x) {
    const d = v - mean;
    m2 += d * d;
    m4 += d * d * d * d;
    peak = Math.max(peak, Math.abs(v));
    counts[Math.min(bins - 1, Math.max(0, Math.floor(((v + limit) / (2 * limit)) * bins)))]++;
  }
  m2 /= x.length;
  m4 /= x.length;
  let energy = 0;
  for (const v of x) energy += v * v;
  return {
    edges: Array.from({ length: bins + 1 }, (_, i) => -limit + (2 * limit * i) / bins),
    counts, peakToRms: peak / Math.sqrt(energy / x.length || 1), kurtosis: m2 > 0 ? m4 / (m2 * m2) : 0,
  };
}

function histogram(tensors: FloatTensor[], o: CollectOptions): HistogramData | null {
  const pick = o.tensor !== undefined
    ? tensors.find((t) => t.entry.name === o.tensor)
    : tensors.filter((t) => t.entry.shape.length >= 2 && largestPow2Divisor(t.n) >= 2).sort((a, b) => b.elements - a.elements)[0];
  if (!pick) {
    if (o.tensor !== undefined) throw new CliError('INVALID_ARGUMENT', `${o.tensor}: not a finite float tensor`);
    return null;
  }
  const block = isSupportedSize(pick.n) ? pick.n : largestPow2Divisor(pick.n);
  if (block < 2) throw new CliError('INVALID_ARGUMENT', `${pick.entry.name}: its rows of ${pick.n} values have no power-of-two block to rotate`);
  const x = pick.x;
  const rotated = rht(x.slice(), { n: pick.n, block, seed: o.seed });
  let limit = 0;
  for (const v of x) limit = Math.max(limit, Math.abs(v));
  for (const v of rotated) limit = Math.max(limit, Math.abs(v));
  limit ||= 1;
  return {
    tensor: pick.entry.name, shape: pick.entry.shape, values: x.length, block, seed: o.seed,
    before: distribution(x, limit, 121), after: distribution(rotated, limit, 121),
  };
}

/** Runs every measurement of the report on an open source. */
export async function collect(src: Source, o: CollectOptions): Promise<ReportData> {
  if (o.tensor !== undefined && !src.tensors.some((t) => t.name === o.tensor)) {
    throw new CliError('INVALID_ARGUMENT', `${src.path}: no tensor named "${o.tensor}" (see \`kompakt inspect\`)`);
  }
  const tensors = await floatTensors(src, o.maxValues);
  const steps = (REPORT_FORMATS.length + RTN_BITS.length) * 2 + src.tensors.length + 1;
  let done = 0;
  const tick = (what: string) => o.onProgress?.(done++, steps, what);
  const quant = sqnrPoints(tensors, o, tick);
  const ll = await lossless(src, tick);
  tick('histograms');
  const h = histogram(tensors, o);
  o.onProgress?.(steps, steps, '');
  return { ...quant, lossless: ll, histogram: h };
}
