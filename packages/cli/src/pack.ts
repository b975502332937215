import { createHash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { compressTensor, decompressTensor, xxh32, type TensorDtype } from '@kompakt/entropy';
import { CliError } from './errors.js';
import type { AtomicFile } from './output.js';
import { detect, loadSource, type Source, type SourceKind } from './sources.js';

// The multi-segment wrapper ("KPKF", version 1); specified in packages/cli/README.md, "Packed files".
export const PACK_MAGIC = 'KPKF';
export const PACK_VERSION = 1;
const FIXED = 84;
const ENTRY = 32;
/** Segments are split at this many bytes so memory stays bounded (a multiple of every element size). */
export const MAX_SEGMENT = 64 * 1024 * 1024;
const DTYPE_IDS: TensorDtype[] = ['u8', 'f16', 'bf16', 'f32'];
const KIND_IDS: (SourceKind | 'raw')[] = ['raw', 'safetensors', 'npy', 'gguf'];
const CODEC_PLAIN = 0;
const CODEC_DELTA = 1;

export interface Segment {
  offset: number;
  length: number;
  dtype: TensorDtype;
  /** Where the base bytes start in the base file (delta segments). */
  baseOffset: number | null;
  /** The tensor it belongs to, if any (not stored; for reports). */
  name?: string;
}

const DTYPE_OF: Record<string, TensorDtype> = { F32: 'f32', F16: 'f16', BF16: 'bf16' };

/** Regions of a tensor file with their element types, gaps filled with u8, split at MAX_SEGMENT. */
export function planSegments(size: number, regions: { start: number; end: number; dtype: string; name: string; baseOffset?: number | null }[]): Segment[] {
  const sorted = regions.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  const push = (offset: number, length: number, dtype: TensorDtype, baseOffset: number | null, name?: string) => {
    for (let at = 0; at < length; at += MAX_SEGMENT) {
      const len = Math.min(MAX_SEGMENT, length - at);
      out.push({ offset: offset + at, length: len, dtype, baseOffset: baseOffset === null ? null : baseOffset + at, ...(name ? { name } : {}) });
    }
  };
  let at = 0;
  for (const r of sorted) {
    if (r.start < at) continue; // overlapping regions cannot occur in valid files; treat as bytes
    if (r.start > at) push(at, r.start - at, 'u8', null);
    const dt = DTYPE_OF[r.dtype] ?? 'u8';
    const elem = dt === 'f32' ? 4 : dt === 'u8' ? 1 : 2;
    const ok = (r.end - r.start) % elem === 0;
    push(r.start, r.end - r.start, ok ? dt : 'u8', r.baseOffset ?? null, r.name);
    at = r.end;
  }
  if (at < size) push(at, size - at, 'u8', null);
  return out;
}

async function readAt(fh: FileHandle, position: number, length: number, path: string): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  for (let done = 0; done < length;) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw new CliError('TRUNCATED', `${path}: the file ended at byte ${position + done} (it changed while being read?)`);
    done += bytesRead;
  }
  return buf;
}

async function sha256File(path: string): Promise<Buffer> {
  const h = createHash('sha256');
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    for (let at = 0; at < size; at += MAX_SEGMENT) h.update(await readAt(fh, at, Math.min(MAX_SEGMENT, size - at), path));
  } finally {
    await fh.close();
  }
  return h.digest();
}

export interface PackPlan {
  kind: SourceKind | 'raw';
  size: number;
  segments: Segment[];
}

async function regionsOf(path: string, raw: boolean): Promise<{ kind: SourceKind | 'raw'; source: Source | null }> {
  if (raw) return { kind: 'raw', source: null };
  let kind: SourceKind;
  try {
    kind = await detect(path);
  } catch (e) {
    if (e instanceof CliError && (e.code === 'UNSUPPORTED_FORMAT' || e.code === 'TRUNCATED')) return { kind: 'raw', source: null };
    throw e;
  }
  if (kind === 'tfjs') return { kind: 'raw', source: null }; // a model.json is text: one u8 segment
  if (kind === 'kpk' || kind === 'kompakt-pack') throw new CliError('INVALID_ARGUMENT', `${path}: already a packed .kpk file`);
  return { kind, source: await loadSource(path) };
}

/** Decides the segments of `path` (and, with a base, which are deltas). */
export async function planPack(path: string, opts: { raw: boolean; base?: string }): Promise<PackPlan> {
  const st = await stat(path);
  if (st.isDirectory()) throw new CliError('INVALID_ARGUMENT', `${path}: is a directory; pack takes one file (pack a TF.js model's model.json and shards one by one)`);
  const { kind, source } = await regionsOf(path, opts.raw);
  let baseSource: Source | null = null;
  try {
    if (opts.base !== undefined) {
      const b = await regionsOf(opts.base, opts.raw);
      baseSource = b.source;
    }
    const baseByName = new Map((baseSource?.tensors ?? []).map((t) => [t.name, t]));
    const regions = (source?.tensors ?? []).filter((t) => t.start !== undefined).map((t) => {
      const b = baseByName.get(t.name);
      const delta = b && b.start !== undefined && b.dtype === t.dtype && b.bytes === t.bytes && t.bytes > 0;
      return { start: t.start!, end: t.end!, dtype: t.dtype, name: t.name, baseOffset: delta ? b.start! : null };
    });
    let segments = planSegments(st.size, regions);
    if (opts.base !== undefined && !segments.some((s) => s.baseOffset !== null)) {
      // No named tensors to match: a raw delta of the whole file when the sizes agree.
      const bsize = (await stat(opts.base)).size;
      if (bsize === st.size) segments = planSegments(st.size, [{ start: 0, end: st.size, dtype: 'U8', name: '', baseOffset: 0 }]);
    }
    return { kind, size: st.size, segments };
  } finally {
    await source?.close();
    await baseSource?.close();
  }
}

export interface PackResult {
  input: string;
  output: string;
  format: SourceKind | 'raw';
  originalBytes: number;
  packedBytes: number;
  ratio: number;
  seconds: number;
  mbPerSecond: number;
  sha256: string;
  segments: number;
  deltaSegments: number;
  byDtype: Record<string, { original: number; packed: number; ratio: number }>;
  /** Whether the planes were coded with entropy's `context` option. */
  context: boolean;
  base?: string;
}

/** Packs `path` into `out` (an AtomicFile): header placeholder, streams, then the real header. */
export async function pack(
  path: string, out: AtomicFile, opts: { raw: boolean; base?: string; context?: boolean; onProgress?: (done: number, total: number) => void },
): Promise<Omit<PackResult, 'input' | 'output'>> {
  const t0 = performance.now();
  const plan = await planPack(path, opts);
  const n = plan.segments.length;
  const headerLength = FIXED + ENTRY * n + 4;
  const stored: number[] = [];
  const hash = createHash('sha256');
  const baseHash = opts.base === undefined ? Buffer.alloc(32) : await sha256File(opts.base);
  const fh = await open(path, 'r');
  const bfh = opts.base === undefined ? null : await open(opts.base, 'r');
  const byDtype: PackResult['byDtype'] = {};
  try {
    if ((await fh.stat()).size !== plan.size) throw new CliError('IO', `${path}: the file changed while being packed`);
    await out.write(new Uint8Array(headerLength), 0);
    let position = headerLength;
    let done = 0;
    for (const s of plan.segments) {
      const bytes = await readAt(fh, s.offset, s.length, path);
      hash.update(bytes);
      const base = s.baseOffset !== null && bfh ? await readAt(bfh, s.baseOffset, s.length, opts.base!) : undefined;
      const stream = compressTensor(bytes, { dtype: s.dtype, context: opts.context === true, ...(base ? { base } : {}) });
      await out.write(stream, position);
      position += stream.length;
      stored.push(stream.length);
      const key = s.baseOffset !== null ? `${s.dtype}+delta` : s.dtype;
      const d = (byDtype[key] ??= { original: 0, packed: 0, ratio: 0 });
      d.original += s.length;
      d.packed += stream.length;
      done += s.length;
      opts.onProgress?.(done, plan.size);
    }
    const sha = hash.digest();
    const header = new Uint8Array(headerLength);
    const dv = new DataView(header.buffer);
    header.set([0x4b, 0x50, 0x4b, 0x46], 0);
    header[4] = PACK_VERSION;
    header[5] = opts.base === undefined ? 0 : 1;
    header[6] = Math.max(0, KIND_IDS.indexOf(plan.kind));
    dv.setBigUint64(8, BigInt(plan.size), true);
    header.set(sha, 16);
    header.set(baseHash, 48);
    dv.setUint32(80, n, true);
    plan.segments.forEach((s, i) => {
      const o = FIXED + ENTRY * i;
      dv.setBigUint64(o, BigInt(s.length), true);
      dv.setBigUint64(o + 8, BigInt(stored[i]), true);
      dv.setBigUint64(o + 16, BigInt(s.baseOffset ?? 0), true);
      header[o + 24] = s.baseOffset !== null ? CODEC_DELTA : CODEC_PLAIN;
      header[o + 25] = DTYPE_IDS.indexOf(s.dtype);
    });
    dv.setUint32(headerLength - 4, xxh32(header.subarray(0, headerLength - 4)), true);
    await out.write(header, 0);
    for (const d of Object.values(byDtype)) d.ratio = d.original ? d.packed / d.original : 1;
    const seconds = (performance.now() - t0) / 1e3;
    const packedBytes = position;
    return {
      format: plan.kind, originalBytes: plan.size, packedBytes, ratio: plan.size ? packedBytes / plan.size : 1, seconds,
      mbPerSecond: plan.size / 1e6 / Math.max(seconds, 1e-9), sha256: sha.toString('hex'), segments: n,
      deltaSegments: plan.segments.filter((s) => s.baseOffset !== null).length, byDtype, context: opts.context === true,
      ...(opts.base !== undefined ? { base: opts.base } : {}),
    };
  } finally {
    await fh.close();
    await bfh?.close();
  }
}

export interface PackHeader {
  version: number;
  delta: boolean;
  format: SourceKind | 'raw';
  originalBytes: number;
  sha256: string;
  baseSha256: string | null;
  headerLength: number;
  segments: { length: number; stored: number; baseOffset: number | null; dtype: TensorDtype }[];
}

const u64 = (dv: DataView, at: number, what: string, path: string) => {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CliError('CORRUPT', `${path}: ${what} ${v} is out of range`);
  return Number(v);
};

/** Reads and checks the header of a KPKF file (all structural checks before anything is decoded). */
export async function readPackHeader(fh: FileHandle, path: string, fileSize: number): Promise<PackHeader> {
  if (fileSize < FIXED + 4) throw new CliError('TRUNCATED', `${path}: ${fileSize} bytes is shorter than a packed-file header`);
  const fixed = await readAt(fh, 0, FIXED, path);
  const dv = new DataView(fixed.buffer);
  if (String.fromCharCode(...fixed.subarray(0, 4)) !== PACK_MAGIC) throw new CliError('CORRUPT', `${path}: not a kompakt packed file (bad magic)`);
  if (fixed[4] !== PACK_VERSION) throw new CliError('UNSUPPORTED_VERSION', `${path}: packed-file version ${fixed[4]}, this kompakt reads version ${PACK_VERSION}`);
  if ((fixed[5] & ~1) !== 0 || fixed[7] !== 0) throw new CliError('CORRUPT', `${path}: unknown flags 0x${fixed[5].toString(16)}`);
  if (fixed[6] >= KIND_IDS.length) throw new CliError('CORRUPT', `${path}: unknown source format id ${fixed[6]}`);
  const n = dv.getUint32(80, true);
  const headerLength = FIXED + ENTRY * n + 4;
  if (headerLength > fileSize) throw new CliError('TRUNCATED', `${path}: the segment table (${n} entries) runs past the end of the file`);
  const header = new Uint8Array(headerLength);
  header.set(fixed, 0);
  header.set(await readAt(fh, FIXED, headerLength - FIXED, path), FIXED);
  const hv = new DataView(header.buffer);
  if (xxh32(header.subarray(0, headerLength - 4)) !== hv.getUint32(headerLength - 4, true)) {
    throw new CliError('CHECKSUM', `${path}: header checksum mismatch (the file is damaged)`);
  }
  const originalBytes = u64(hv, 8, 'original size', path);
  const segments: PackHeader['segments'] = [];
  let total = 0, storedTotal = 0;
  for (let i = 0; i < n; i++) {
    const o = FIXED + ENTRY * i;
    const codec = header[o + 24], dt = header[o + 25];
    if (codec > 1 || dt >= DTYPE_IDS.length || header.subarray(o + 26, o + 32).some((b) => b !== 0)) throw new CliError('CORRUPT', `${path}: segment ${i} has an unknown codec or dtype`);
    if (codec === CODEC_DELTA && !(fixed[5] & 1)) throw new CliError('CORRUPT', `${path}: segment ${i} is a delta but the file has no base`);
    const s = { length: u64(hv, o, 'segment length', path), stored: u64(hv, o + 8, 'stored length', path), baseOffset: codec === CODEC_DELTA ? u64(hv, o + 16, 'base offset', path) : null, dtype: DTYPE_IDS[dt] };
    total += s.length;
    storedTotal += s.stored;
    segments.push(s);
  }
  if (total !== originalBytes) throw new CliError('CORRUPT', `${path}: segments hold ${total} bytes, the header says ${originalBytes}`);
  if (storedTotal > fileSize - headerLength) throw new CliError('TRUNCATED', `${path}: the file ends ${storedTotal - (fileSize - headerLength)} bytes early`);
  if (storedTotal < fileSize - headerLength) throw new CliError('CORRUPT', `${path}: ${fileSize - headerLength - storedTotal} unexpected bytes after the last segment`);
  const baseSha = Buffer.from(header.subarray(48, 80)).toString('hex');
  return {
    version: fixed[4], delta: (fixed[5] & 1) === 1, format: KIND_IDS[fixed[6]], originalBytes,
    sha256: Buffer.from(header.subarray(16, 48)).toString('hex'), baseSha256: fixed[5] & 1 ? baseSha : null, headerLength, segments,
  };
}

export interface UnpackResult {
  input: string;
  output: string;
  container: 'kompakt-pack' | 'kpk';
  format: string;
  originalBytes: number;
  packedBytes: number;
  seconds: number;
  mbPerSecond: number;
  sha256: string;
  verified: boolean;
}

/** Unpacks a KPKF file (or a bare .kpk stream) into `out`, verifying every checksum. */
export async function unpack(path: string, out: AtomicFile, opts: { base?: string; onProgress?: (done: number, total: number) => void }): Promise<Omit<UnpackResult, 'input' | 'output'>> {
  const t0 = performance.now();
  const fh = await open(path, 'r');
  let bfh: FileHandle | null = null;
  try {
    const size = (await fh.stat()).size;
    const magic = String.fromCharCode(...(await readAt(fh, 0, Math.min(4, size), path)));
    if (magic === 'KPK\0') {
      // A bare tensor stream from compressTensor: one segment.
      const stream = await readAt(fh, 0, size, path);
      let base: Uint8Array | undefined;
      if (opts.base !== undefined) base = await readAt((bfh = await open(opts.base, 'r')), 0, (await bfh.stat()).size, opts.base);
      const bytes = decompressTensor(stream, base ? { base } : {});
      await out.write(bytes, 0);
      const seconds = (performance.now() - t0) / 1e3;
      return {
        container: 'kpk', format: 'raw', originalBytes: bytes.length, packedBytes: size, seconds, mbPerSecond: bytes.length / 1e6 / Math.max(seconds, 1e-9),
        sha256: createHash('sha256').update(bytes).digest('hex'), verified: true,
      };
    }
    if (magic !== PACK_MAGIC) throw new CliError('CORRUPT', `${path}: not a .kpk file (bad magic)`);
    const h = await readPackHeader(fh, path, size);
    if (h.delta && opts.base === undefined) throw new CliError('USAGE', `${path}: was packed against a base file; pass it with --base`);
    if (!h.delta && opts.base !== undefined) throw new CliError('USAGE', `${path}: was not packed against a base; drop --base`);
    if (opts.base !== undefined) {
      const bh = (await sha256File(opts.base)).toString('hex');
      if (bh !== h.baseSha256) throw new CliError('CHECKSUM', `${opts.base}: is not the base this file was packed against (SHA-256 differs)`);
      bfh = await open(opts.base, 'r');
    }
    const hash = createHash('sha256');
    let position = h.headerLength, written = 0;
    for (const [i, s] of h.segments.entries()) {
      const stream = await readAt(fh, position, s.stored, path);
      position += s.stored;
      const base = s.baseOffset !== null ? await readAt(bfh!, s.baseOffset, s.length, opts.base!) : undefined;
      let bytes: Uint8Array;
      try {
        bytes = decompressTensor(stream, base ? { base } : {});
      } catch (e) {
        const err = e as Error & { code?: string };
        throw new CliError((['CHECKSUM', 'TRUNCATED', 'UNSUPPORTED_VERSION'].includes(err.code ?? '') ? err.code : 'CORRUPT') as 'CORRUPT', `${path}: segment ${i} (bytes ${written}…${written + s.length}): ${err.message}`, { cause: e });
      }
      if (bytes.length !== s.length) throw new CliError('CORRUPT', `${path}: segment ${i} decoded to ${bytes.length} bytes, the table says ${s.length}`);
      hash.update(bytes);
      await out.write(bytes, written);
      written += bytes.length;
      opts.onProgress?.(written, h.originalBytes);
    }
    const sha = hash.digest('hex');
    if (sha !== h.sha256) throw new CliError('CHECKSUM', `${path}: SHA-256 of the unpacked bytes does not match the one recorded at pack time`);
    const seconds = (performance.now() - t0) / 1e3;
    return {
      container: 'kompakt-pack', format: h.format, originalBytes: h.originalBytes, packedBytes: size, seconds,
      mbPerSecond: h.originalBytes / 1e6 / Math.max(seconds, 1e-9), sha256: sha, verified: true,
    };
  } finally {
    await fh.close();
    await bfh?.close();
  }
}

/** Header summary for `kompakt inspect FILE.kpk`. */
export async function describePack(path: string): Promise<PackHeader & { packedBytes: number }> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    return { ...(await readPackHeader(fh, path, size)), packedBytes: size };
  } finally {
    await fh.close();
  }
}
