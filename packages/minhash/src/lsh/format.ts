import { KompaktError, describe } from '@kompakt/core';
import { hashItems } from '../kernels.js';
import { LSHIndex, type IndexIdentity, type LSHKey } from './lsh.js';

// The saved index (all little-endian; described in docs/minhash.md):
//   0 "KMLH" | 4 u16 version | 6 u8 kind (0 none, 1 classic, 2 oph) | 7 u8 hash (0 xxh32, 1 sha1)
//   8 u32 numPerm | 12 u32 bands | 16 u32 rows | 20 u32 seed | 24 f64 threshold | 32 u32 count
//   36 entries: u8 key type (0 string: u32 length + UTF-8; 1 number: f64), then numPerm × u32
//   end: u32 XXH32 (seed 0) of every byte before it.
const MAGIC = 0x484c4d4b; // "KMLH" read little-endian
// Version 2: 'xxh32' signatures changed (classic: the 32-bit permutation family; word shingles: the
// word hash; docs/minhash.md), so version 1 files of 'xxh32' sketches cannot be mixed with new ones.
const VERSION = 2;
const HEADER = 36;
const KINDS = ['none', 'classic', 'oph'] as const;
const HASHES = ['xxh32', 'sha1'] as const;

/** XXH32 (seed 0) of `bytes`: token hash kind 0 over one item. */
function xxh32(bytes: Uint8Array): number {
  const out = new Uint32Array(1);
  hashItems(bytes, Uint32Array.of(0, bytes.length), 0, out);
  return out[0];
}

/** The index as versioned, checksummed bytes (keys, signatures and banding; buckets are rebuilt on load). */
export function saveIndex(index: LSHIndex): Uint8Array {
  if (!(index instanceof LSHIndex)) throw new KompaktError('INVALID_TYPE', `saveIndex: expected an LSHIndex, got ${describe(index)}`);
  const encoder = new TextEncoder();
  const k = index.numPerm;
  const entries = [...index.entries()].map(([key, values]) => ({ key, values, utf8: typeof key === 'string' ? encoder.encode(key) : null }));
  const size = HEADER + entries.reduce((s, e) => s + 1 + (e.utf8 ? 4 + e.utf8.length : 8) + 4 * k, 0) + 4;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const id = index.identity;
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, VERSION, true);
  view.setUint8(6, id ? KINDS.indexOf(id.kind) : 0);
  view.setUint8(7, id ? HASHES.indexOf(id.hash) : 0);
  view.setUint32(8, k, true);
  view.setUint32(12, index.bands, true);
  view.setUint32(16, index.rows, true);
  view.setUint32(20, id ? id.seed : 0, true);
  view.setFloat64(24, index.threshold, true);
  view.setUint32(32, entries.length, true);
  let at = HEADER;
  for (const e of entries) {
    if (e.utf8) {
      view.setUint8(at, 0);
      view.setUint32(at + 1, e.utf8.length, true);
      out.set(e.utf8, at + 5);
      at += 5 + e.utf8.length;
    } else {
      view.setUint8(at, 1);
      view.setFloat64(at + 1, e.key as number, true);
      at += 9;
    }
    for (let i = 0; i < k; i++) view.setUint32(at + 4 * i, e.values[i], true);
    at += 4 * k;
  }
  view.setUint32(at, xxh32(out.subarray(0, at)), true);
  return out;
}

/** Reads saveIndex() bytes. Throws KompaktError CORRUPT, TRUNCATED, CHECKSUM or UNSUPPORTED_VERSION. */
export function loadIndex(bytes: Uint8Array): LSHIndex {
  if (!(bytes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `loadIndex: expected a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length < HEADER + 4) throw new KompaktError('TRUNCATED', `loadIndex: ${bytes.length} bytes is shorter than the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new KompaktError('CORRUPT', 'loadIndex: not a Kompakt LSH index (bad magic)');
  const version = view.getUint16(4, true);
  if (version > VERSION) throw new KompaktError('UNSUPPORTED_VERSION', `loadIndex: format version ${version}, this reader knows ${VERSION}`);
  const end = bytes.length - 4;
  if (view.getUint32(end, true) !== xxh32(bytes.subarray(0, end))) throw new KompaktError('CHECKSUM', 'loadIndex: checksum mismatch (the bytes are damaged)');
  const kind = KINDS[view.getUint8(6)];
  const hash = HASHES[view.getUint8(7)];
  if (kind === undefined || hash === undefined) throw new KompaktError('CORRUPT', 'loadIndex: unknown sketch kind or hash id');
  if (version < 2 && hash === 'xxh32' && kind !== 'none') {
    throw new KompaktError('UNSUPPORTED_VERSION', "loadIndex: format version 1 holds 'xxh32' signatures of earlier token definitions; re-sketch the documents");
  }
  const numPerm = view.getUint32(8, true);
  let index: LSHIndex;
  try {
    index = new LSHIndex({ numPerm, bands: view.getUint32(12, true), rows: view.getUint32(16, true), threshold: view.getFloat64(24, true) });
  } catch (cause) {
    throw new KompaktError('CORRUPT', 'loadIndex: invalid header parameters', { cause });
  }
  const count = view.getUint32(32, true);
  if (kind === 'none' && count > 0) throw new KompaktError('CORRUPT', 'loadIndex: entries without a sketch kind');
  const identity: IndexIdentity = { kind: kind === 'none' ? 'classic' : kind, numPerm, seed: view.getUint32(20, true), hash };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let at = HEADER;
  const need = (n: number) => {
    if (at + n > end) throw new KompaktError('TRUNCATED', `loadIndex: entries end at byte ${end}, entry needs ${at + n}`);
  };
  for (let e = 0; e < count; e++) {
    need(1);
    let key: LSHKey;
    const type = view.getUint8(at);
    if (type === 0) {
      need(5);
      const len = view.getUint32(at + 1, true);
      need(5 + len);
      try {
        key = decoder.decode(bytes.subarray(at + 5, at + 5 + len));
      } catch (cause) {
        throw new KompaktError('CORRUPT', `loadIndex: key of entry ${e} is not UTF-8`, { cause });
      }
      at += 5 + len;
    } else if (type === 1) {
      need(9);
      key = view.getFloat64(at + 1, true);
      at += 9;
    } else throw new KompaktError('CORRUPT', `loadIndex: entry ${e} has key type ${type}`);
    need(4 * numPerm);
    const values = new Uint32Array(numPerm);
    for (let i = 0; i < numPerm; i++) values[i] = view.getUint32(at + 4 * i, true);
    at += 4 * numPerm;
    if (index.has(key)) throw new KompaktError('CORRUPT', `loadIndex: key ${describe(key)} appears twice`);
    index.insertValues(key, values, identity);
  }
  if (at !== end) throw new KompaktError('CORRUPT', `loadIndex: ${end - at} bytes after the last entry`);
  return index;
}
