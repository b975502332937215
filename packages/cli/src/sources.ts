import { open, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { widen16 } from '@kompakt/core';
import { readNpy, type NpyDtype } from '@kompakt/io';
import { openGguf, openSafetensors, readTfjsModel, type GgufFile, type SafetensorsFile } from '@kompakt/io/node';
import { CliError } from './errors.js';

export type SourceKind = 'safetensors' | 'npy' | 'gguf' | 'tfjs' | 'kpk' | 'kompakt-pack';

/** One tensor of a source file, dtypes spelled as in safetensors (F32, BF16, I64, …; GGUF: its ggml type). */
export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  bytes: number;
  /** Absolute byte range in the file, when the tensor is stored contiguously in it (not TF.js). */
  start?: number;
  end?: number;
}

export interface Source {
  kind: SourceKind;
  path: string;
  /** Bytes on disk (TF.js: model.json plus its shards). */
  size: number;
  metadata: Record<string, unknown> | null;
  tensors: TensorEntry[];
  /** The raw little-endian bytes of one tensor (TF.js: as decoded, float32 for quantized weights). */
  raw(name: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

export const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

const NPY: Record<NpyDtype, string> = {
  bool: 'BOOL', int8: 'I8', uint8: 'U8', int16: 'I16', uint16: 'U16', int32: 'I32', uint32: 'U32', int64: 'I64', uint64: 'U64',
  float16: 'F16', float32: 'F32', float64: 'F64',
};
const TFJS: Record<string, string> = { float32: 'F32', int32: 'I32', bool: 'BOOL', complex64: 'C64' };

function view(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** The first bytes of a file (fewer when it is shorter). */
async function head(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** Recognizes a file by its magic bytes (a folder or .json is TF.js). */
export async function detect(path: string): Promise<SourceKind> {
  const s = await stat(path);
  if (s.isDirectory()) return 'tfjs';
  const b = await head(path, 16);
  if (ascii(b, 0, 4) === 'GGUF') return 'gguf';
  if (b[0] === 0x93 && ascii(b, 1, 6) === 'NUMPY') return 'npy';
  if (ascii(b, 0, 4) === 'KPK\0') return 'kpk';
  if (ascii(b, 0, 4) === 'KPKF') return 'kompakt-pack';
  if (extname(path).toLowerCase() === '.json' || b[0] === 0x7b) return 'tfjs';
  if (b[8] === 0x7b || extname(path).toLowerCase() === '.safetensors') return 'safetensors';
  if (b.length < 8) throw new CliError('TRUNCATED', `${path}: ${b.length} bytes is too short for any supported format`);
  throw new CliError('UNSUPPORTED_FORMAT', `${path}: not a safetensors, .npy, GGUF, TF.js model.json or .kpk file`);
}

/** Opens any supported tensor file (safetensors, .npy, GGUF, TF.js model.json or its folder). */
export async function openSource(path: string): Promise<Source> {
  const kind = await detect(path);
  switch (kind) {
    case 'safetensors': return fromSafetensors(path, await openSafetensors(path));
    case 'gguf': return fromGguf(path, await openGguf(path));
    case 'npy': {
      const bytes = await readFile(path);
      const a = readNpy(view(bytes), { name: path });
      const raw = view(a.data);
      const t: TensorEntry = { name: 'array', dtype: NPY[a.dtype], shape: a.shape, bytes: raw.length, start: bytes.length - raw.length, end: bytes.length };
      return { kind, path, size: bytes.length, metadata: { descr: a.descr }, tensors: [t], raw: async () => raw, close: async () => {} };
    }
    case 'tfjs': {
      const { model, tensors } = await readTfjsModel(path);
      const dir = (await stat(path)).isDirectory() ? path : join(path, '..');
      let size = 0;
      const modelJson = (await stat(path)).isDirectory() ? join(path, 'model.json') : path;
      size += (await stat(modelJson)).size;
      const groups = (model as { weightsManifest?: { paths?: string[] }[] }).weightsManifest ?? [];
      for (const g of groups) for (const p of g.paths ?? []) size += (await stat(join(dir, p))).size;
      const byName = new Map(tensors.map((t) => [t.name, t]));
      const meta: Record<string, unknown> = {};
      for (const k of ['format', 'generatedBy', 'convertedBy']) if (k in model) meta[k] = model[k];
      return {
        kind, path, size, metadata: meta,
        tensors: tensors.map((t) => ({ name: t.name, dtype: TFJS[t.dtype] ?? t.dtype, shape: t.shape, bytes: t.data.byteLength })),
        raw: async (name) => view(byName.get(name)!.data),
        close: async () => {},
      };
    }
    case 'kpk':
    case 'kompakt-pack':
      throw new CliError('UNSUPPORTED_FORMAT', `${path}: a packed .kpk file holds compressed bytes, not tensors; run \`kompakt unpack\` first`);
  }
}

function fromSafetensors(path: string, f: SafetensorsFile): Source {
  return {
    kind: 'safetensors', path, size: 0, metadata: f.metadata,
    tensors: f.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.end - t.start, start: t.start, end: t.end })),
    raw: async (name) => view((await f.tensor(name)).data),
    close: () => f.close(),
  };
}

function fromGguf(path: string, g: GgufFile): Source {
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of g.metadata) {
    const type = g.metadataTypes.get(k) ?? '';
    // Big arrays (vocabularies) are summarized, not dumped.
    if (Array.isArray(v) || ArrayBuffer.isView(v)) metadata[k] = `${type} [${(v as { length: number }).length}]`;
    else metadata[k] = typeof v === 'bigint' ? v.toString() : v;
  }
  return {
    kind: 'gguf', path, size: 0, metadata,
    tensors: g.tensors.map((t) => ({ name: t.name, dtype: t.type, shape: t.shape, bytes: t.end - t.start, start: t.start, end: t.end })),
    raw: async (name) => (await g.tensor(name)).data,
    close: () => g.close(),
  };
}

/** Opens a source and fills in its size. */
export async function loadSource(path: string): Promise<Source> {
  const s = await openSource(path);
  if (s.size === 0) s.size = (await stat(path)).size;
  return s;
}

/** The values of a float tensor as f32 (F64 is rounded), or null for other dtypes. */
export function toFloat32(dtype: string, raw: Uint8Array): Float32Array | null {
  const aligned = (k: number) => (raw.byteOffset % k === 0 ? raw : raw.slice());
  switch (dtype) {
    case 'F32': { const r = aligned(4); return new Float32Array(r.buffer, r.byteOffset, r.length / 4); }
    case 'F16':
    case 'BF16': { const r = aligned(2); return widen16(new Uint16Array(r.buffer, r.byteOffset, r.length / 2), dtype === 'F16' ? 'f16' : 'bf16'); }
    case 'F64': { const r = aligned(8); return Float32Array.from(new Float64Array(r.buffer, r.byteOffset, r.length / 8)); }
    default: return null;
  }
}

export interface ValueStats {
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** NaN and ±Inf values (left out of the other statistics). */
  nonFinite: number;
  zeros: number;
}

/** min/max/mean/std (population) over the finite values, in f64. */
export function valueStats(x: Float32Array): ValueStats {
  let min = Infinity, max = -Infinity, sum = 0, nonFinite = 0, zeros = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) { nonFinite++; continue; }
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
    sum += v;
  }
  const n = x.length - nonFinite;
  if (n === 0) return { count: x.length, min: null, max: null, mean: null, std: null, nonFinite, zeros };
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return { count: x.length, min, max, mean, std: Math.sqrt(ss / n), nonFinite, zeros };
}
