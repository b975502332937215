import { KompaktError } from '@kompakt/core';
import { xxh32 } from './kernels.js';
import { ByteReader, ByteWriter } from './reader.js';

/** The .kpk header and chunk table (docs/kpk-format.md). */

export const MAGIC = Uint8Array.of(0x4b, 0x50, 0x4b, 0x00); // "KPK\0"
/**
 * The version this code writes and reads. Version 3 moved the rANS planes to 16-lane streams; versions
 * 1 and 2 (8 lanes) were development formats that no release wrote, and a reader refuses them.
 */
export const VERSION = 3;
export const FLAG_DELTA = 1;
/** Planes stored exponent plane first, plane mode 3 (context rANS) allowed. */
export const FLAG_CONTEXT = 2;
/** Highest plane precision: 24, the exact rans16x32 path above 16. */
export const MAX_PLANE_PRECISION = 24;
const FIXED = 28;
const ENTRY = 12;

export const DTYPES = ['u8', 'f16', 'bf16', 'f32'] as const;
export type TensorDtype = (typeof DTYPES)[number];
/** Bytes per element = byte planes per chunk. */
export const ELEMENT_BYTES: Record<TensorDtype, number> = { u8: 1, f16: 2, bf16: 2, f32: 4 };

export const MIN_LOG2_CHUNK = 12;
export const MAX_LOG2_CHUNK = 24;

export interface ChunkEntry {
  stored: number; // bytes of the chunk's body in the file
  storedHash: number; // xxh32 of those bytes
  rawHash: number; // xxh32 of the chunk's original bytes
}

export interface Header {
  version: number;
  dtype: TensorDtype;
  flags: number;
  log2Chunk: number;
  length: number;
  contentHash: number;
  baseHash: number;
  chunks: ChunkEntry[];
}

/** xxh32 over the u32 LE list of per-chunk hashes: the whole-payload checksum without a second pass. */
export function hashOfHashes(hashes: number[]): number {
  const bytes = new Uint8Array(hashes.length * 4);
  const view = new DataView(bytes.buffer);
  hashes.forEach((h, i) => view.setUint32(i * 4, h, true));
  return xxh32(bytes);
}

export function writeHeader(h: Header): Uint8Array {
  const w = new ByteWriter();
  w.bytes(MAGIC);
  w.u8(h.version);
  w.u8(DTYPES.indexOf(h.dtype));
  w.u8(h.flags);
  w.u8(h.log2Chunk);
  w.u32(h.length % 2 ** 32);
  w.u32(Math.floor(h.length / 2 ** 32));
  w.u32(h.chunks.length);
  w.u32(h.contentHash);
  w.u32(h.baseHash);
  for (const c of h.chunks) {
    w.u32(c.stored);
    w.u32(c.storedHash);
    w.u32(c.rawHash);
  }
  const head = w.concat();
  w.u32(xxh32(head));
  return w.concat();
}

/**
 * Parses and checks the header: every field is validated, and the header checksum verified, before
 * any size in it is trusted; the chunk sizes must add up to exactly the rest of the file.
 */
export function readHeader(bytes: Uint8Array): { header: Header; body: number } {
  const what = 'decompressTensor';
  const r = new ByteReader(bytes, what);
  const magic = r.take(4);
  if (!magic.every((b, i) => b === MAGIC[i])) throw new KompaktError('CORRUPT', `${what}: not a .kpk stream (bad magic)`);
  const version = r.u8();
  if (version > VERSION) throw new KompaktError('UNSUPPORTED_VERSION', `${what}: .kpk version ${version}, this reader knows ${VERSION}`);
  if (version < 1) throw new KompaktError('CORRUPT', `${what}: version 0 is invalid`);
  if (version < VERSION) throw new KompaktError('UNSUPPORTED_VERSION', `${what}: .kpk version ${version} is a pre-release development format (8-lane rANS); this reader knows ${VERSION}`);
  const dtypeId = r.u8();
  const flags = r.u8();
  const log2Chunk = r.u8();
  const lo = r.u32();
  const hi = r.u32();
  const nchunks = r.u32();
  const contentHash = r.u32();
  const baseHash = r.u32();
  if (dtypeId >= DTYPES.length) throw new KompaktError('CORRUPT', `${what}: unknown dtype id ${dtypeId}`);
  if (flags & ~(FLAG_DELTA | FLAG_CONTEXT)) throw new KompaktError('CORRUPT', `${what}: unknown flags 0x${flags.toString(16)}`);
  if (log2Chunk < MIN_LOG2_CHUNK || log2Chunk > MAX_LOG2_CHUNK) throw new KompaktError('CORRUPT', `${what}: chunk size 2^${log2Chunk} is outside 2^12 … 2^24`);
  if (hi >= 2 ** 21) throw new KompaktError('CORRUPT', `${what}: length ≥ 2^53`);
  const length = hi * 2 ** 32 + lo;
  const dtype = DTYPES[dtypeId];
  if (length % ELEMENT_BYTES[dtype] !== 0) throw new KompaktError('CORRUPT', `${what}: length ${length} is not a whole number of ${dtype} elements`);
  if (nchunks !== Math.ceil(length / 2 ** log2Chunk)) throw new KompaktError('CORRUPT', `${what}: ${nchunks} chunks cannot hold ${length} bytes`);
  const table = r.take(nchunks * ENTRY); // TRUNCATED before any allocation sized by nchunks
  const headHash = xxh32(bytes.subarray(0, FIXED + nchunks * ENTRY));
  if (r.u32() !== headHash) throw new KompaktError('CHECKSUM', `${what}: header checksum mismatch`);
  const t = new ByteReader(table, what);
  const chunks: ChunkEntry[] = [];
  let total = 0;
  for (let i = 0; i < nchunks; i++) {
    const entry = { stored: t.u32(), storedHash: t.u32(), rawHash: t.u32() };
    total += entry.stored;
    chunks.push(entry);
  }
  if (total > r.left) throw new KompaktError('TRUNCATED', `${what}: chunks need ${total} bytes, the stream has ${r.left}`);
  if (total < r.left) throw new KompaktError('CORRUPT', `${what}: ${r.left - total} bytes after the last chunk`);
  return { header: { version, dtype, flags, log2Chunk, length, contentHash, baseHash, chunks }, body: r.pos };
}
