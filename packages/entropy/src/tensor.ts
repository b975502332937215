import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import {
  DTYPES, ELEMENT_BYTES, FLAG_DELTA, MAX_LOG2_CHUNK, MIN_LOG2_CHUNK, hashOfHashes, readHeader, writeHeader,
  type ChunkEntry, type TensorDtype,
} from './container.js';
import { mergeChunk, splitChunk, xxh32 } from './kernels.js';
import { DEFAULT_PRECISION, MAX_PRECISION } from './model.js';
import { readPlane, writePlane } from './plane.js';
import { ByteReader, ByteWriter } from './reader.js';

export interface CompressTensorOptions {
  /** Element type of the raw little-endian bytes: it decides the byte planes. */
  dtype: TensorDtype;
  /** XOR-delta against this tensor of the same byte length (ZipLLM BitX); decompressing needs it too. */
  base?: Uint8Array;
  /** Bytes per chunk, a power of two from 4 KiB to 16 MiB (default 256 KiB). Chunks are coded independently. */
  chunkSize?: number;
  /** rANS probability precision in bits, 1 … 16 (default 14). */
  precision?: number;
}

export interface DecompressTensorOptions {
  /** The base tensor, required when the stream was compressed with one. */
  base?: Uint8Array;
}

const DEFAULT_LOG2_CHUNK = 18;

function checkBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${name} must be a Uint8Array, got ${describe(value)}`);
  return value;
}

/**
 * Losslessly compresses a tensor's raw bytes into a `.kpk` stream (docs/kpk-format.md): chunks of
 * `chunkSize` bytes split into byte planes (the exponent gets a plane of its own for f32/bf16), each
 * plane coded with order-0 rANS, as a constant, or raw, whichever is smallest.
 */
export function compressTensor(bytes: Uint8Array, options: CompressTensorOptions): Uint8Array {
  const fn = 'compressTensor';
  checkBytes(bytes, `${fn}: bytes`);
  const o = checkOptions<CompressTensorOptions>(options, `${fn} options`, ['dtype', 'base', 'chunkSize', 'precision']);
  if (!DTYPES.includes(o.dtype as TensorDtype)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: dtype must be one of ${DTYPES.join(', ')}, got ${describe(o.dtype)}`);
  }
  const dtype = o.dtype as TensorDtype;
  const planes = ELEMENT_BYTES[dtype];
  if (bytes.length % planes !== 0) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: ${bytes.length} bytes is not a whole number of ${dtype} elements`);
  }
  const base = o.base === undefined ? null : checkBytes(o.base, `${fn}: base`);
  if (base && base.length !== bytes.length) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: base has ${base.length} bytes, the tensor ${bytes.length}`);
  }
  const chunkSize = o.chunkSize === undefined ? 2 ** DEFAULT_LOG2_CHUNK : checkInteger(o.chunkSize, `${fn}: chunkSize`, 2 ** MIN_LOG2_CHUNK, 2 ** MAX_LOG2_CHUNK);
  const log2Chunk = Math.log2(chunkSize);
  if (!Number.isInteger(log2Chunk)) throw new KompaktError('INVALID_ARGUMENT', `${fn}: chunkSize must be a power of two, got ${chunkSize}`);
  const precision = o.precision === undefined ? DEFAULT_PRECISION : checkInteger(o.precision, `${fn}: precision`, 1, MAX_PRECISION);

  const body = new ByteWriter();
  const chunks: ChunkEntry[] = [];
  const rawHashes: number[] = [];
  const baseHashes: number[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    const chunk = bytes.subarray(at, Math.min(at + chunkSize, bytes.length));
    const split = splitChunk(chunk, base ? base.subarray(at, at + chunk.length) : null, DTYPES.indexOf(dtype), planes);
    const count = chunk.length / planes;
    const w = new ByteWriter();
    for (let p = 0; p < planes; p++) {
      writePlane(w, split.planes.subarray(p * count, (p + 1) * count), split.counts.subarray(p * 256, (p + 1) * 256), precision);
    }
    const stored = w.concat();
    body.bytes(stored);
    chunks.push({ stored: stored.length, storedHash: xxh32(stored), rawHash: split.rawHash });
    rawHashes.push(split.rawHash);
    baseHashes.push(split.baseHash);
  }
  const header = writeHeader({
    dtype, flags: base ? FLAG_DELTA : 0, log2Chunk, length: bytes.length, chunks,
    contentHash: hashOfHashes(rawHashes), baseHash: base ? hashOfHashes(baseHashes) : 0,
  });
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  let pos = header.length;
  for (const part of body.parts) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}

/**
 * Restores exactly the bytes given to {@link compressTensor}. Every length is checked before use and
 * every chunk's checksum before and after decoding: a damaged stream throws KompaktError CORRUPT,
 * TRUNCATED or CHECKSUM, a wrong or missing base CHECKSUM or INVALID_ARGUMENT.
 */
export function decompressTensor(stream: Uint8Array, options?: DecompressTensorOptions): Uint8Array {
  const fn = 'decompressTensor';
  checkBytes(stream, `${fn}: stream`);
  const o = checkOptions<DecompressTensorOptions>(options, `${fn} options`, ['base']);
  const { header, body } = readHeader(stream);
  const delta = (header.flags & FLAG_DELTA) !== 0;
  const base = o.base === undefined ? null : checkBytes(o.base, `${fn}: base`);
  if (delta && !base) throw new KompaktError('INVALID_ARGUMENT', `${fn}: the stream is a delta; pass the base tensor as options.base`);
  if (!delta && base) throw new KompaktError('INVALID_ARGUMENT', `${fn}: the stream is not a delta, but a base was given`);
  if (base && base.length !== header.length) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: base has ${base.length} bytes, the stream holds ${header.length}`);
  }
  const planes = ELEMENT_BYTES[header.dtype];
  const chunkSize = 2 ** header.log2Chunk;
  if (base) {
    const hashes = header.chunks.map((_, i) => xxh32(base.subarray(i * chunkSize, (i + 1) * chunkSize)));
    if (hashOfHashes(hashes) !== header.baseHash) throw new KompaktError('CHECKSUM', `${fn}: the base is not the one the stream was made against`);
  }
  const out = new Uint8Array(header.length);
  const rawHashes: number[] = [];
  let pos = body;
  header.chunks.forEach((entry, i) => {
    const what = `${fn}: chunk ${i}`;
    const stored = stream.subarray(pos, pos + entry.stored);
    pos += entry.stored;
    if (xxh32(stored) !== entry.storedHash) throw new KompaktError('CHECKSUM', `${what}: checksum mismatch`);
    const at = i * chunkSize;
    const len = Math.min(chunkSize, header.length - at);
    const count = len / planes;
    const planeBytes = new Uint8Array(len);
    const r = new ByteReader(stored, what);
    for (let p = 0; p < planes; p++) readPlane(r, planeBytes.subarray(p * count, (p + 1) * count));
    if (r.left !== 0) throw new KompaktError('CORRUPT', `${what}: ${r.left} bytes left over`);
    const target = out.subarray(at, at + len);
    const rawHash = mergeChunk(planeBytes, base ? base.subarray(at, at + len) : null, DTYPES.indexOf(header.dtype), planes, target);
    if (rawHash !== entry.rawHash) throw new KompaktError('CHECKSUM', `${what}: decoded bytes do not match their checksum`);
    rawHashes.push(rawHash);
  });
  if (hashOfHashes(rawHashes) !== header.contentHash) throw new KompaktError('CHECKSUM', `${fn}: payload checksum mismatch`);
  return out;
}
