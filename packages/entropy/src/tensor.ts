import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import {
  DTYPES, ELEMENT_BYTES, FLAG_CONTEXT, FLAG_DELTA, MAX_LOG2_CHUNK, MAX_PLANE_PRECISION, MIN_LOG2_CHUNK, VERSION, hashOfHashes, readHeader, writeHeader,
  type ChunkEntry, type TensorDtype,
} from './container.js';
import { SOURCE_BASE, SOURCE_EXPONENT, SOURCE_PREVIOUS, readContextPlane, writeContextPlane, type ContextInputs } from './context.js';
import { MAX_TABLE_PRECISION, mergeChunk, splitChunk, xxh32 } from './kernels.js';
import { DEFAULT_PRECISION, MAX_PRECISION } from './model.js';
import { readPlane, writePlane, type PlaneRules } from './plane.js';
import { ByteReader, ByteWriter } from './reader.js';

export interface CompressTensorOptions {
  /** Element type of the raw little-endian bytes: it decides the byte planes. */
  dtype: TensorDtype;
  /** XOR-delta against this tensor of the same byte length (ZipLLM BitX); decompressing needs it too. */
  base?: Uint8Array;
  /** Bytes per chunk, a power of two from 4 KiB to 16 MiB (default 256 KiB). Chunks are coded independently. */
  chunkSize?: number;
  /**
   * rANS probability precision in bits, 1 … 24 (default 14). Above 16 the exact (slower) rANS path
   * codes the planes, which pays on sparse data such as XOR deltas.
   */
  precision?: number;
  /**
   * Context modelling beyond order 0 (default false): each byte of a plane may be
   * conditioned on the previous element's byte (the exponent plane), on the same element's exponent
   * (the other planes) or, with `base`, on the base tensor's exponent. Per plane the encoder keeps
   * whichever coding is smallest, order 0 included, so the stream is never larger than without it.
   */
  context?: boolean;
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

/** Context streams store the exponent plane (the last) first: the other planes may condition on it. */
function contextOrder(planes: number): number[] {
  return [planes - 1, ...Array.from({ length: planes - 1 }, (_, p) => p)];
}

/** The exponent plane (the last byte plane) of a base chunk: the context of SOURCE_BASE. */
function exponentPlane(chunk: Uint8Array, dtypeId: number, planes: number): Uint8Array {
  const count = chunk.length / planes;
  return splitChunk(chunk, null, dtypeId, planes).planes.subarray((planes - 1) * count);
}

/** Writes the smallest of the order-0 coding and the context codings that apply to this plane. */
function writeBestPlane(w: ByteWriter, exponent: boolean, plane: Uint8Array, counts: Uint32Array, precision: number, inputs: ContextInputs): void {
  let best = new ByteWriter();
  writePlane(best, plane, counts, precision);
  const sources = [exponent ? SOURCE_PREVIOUS : SOURCE_EXPONENT, SOURCE_BASE];
  for (const source of sources) {
    const candidate = writeContextPlane(plane, source, inputs, precision);
    if (candidate && candidate.length < best.length) best = candidate;
  }
  for (const part of best.parts) w.bytes(part);
}

/**
 * Losslessly compresses a tensor's raw bytes into a `.kpk` stream (docs/kpk-format.md): chunks of
 * `chunkSize` bytes split into byte planes (the exponent gets a plane of its own for f32/bf16), each
 * plane coded with order-0 rANS, as a constant, or raw, whichever is smallest — or, with `context`,
 * split by a context byte into groups coded that way (docs/kpk-format.md, "Context planes").
 */
export function compressTensor(bytes: Uint8Array, options: CompressTensorOptions): Uint8Array {
  const fn = 'compressTensor';
  checkBytes(bytes, `${fn}: bytes`);
  const o = checkOptions<CompressTensorOptions>(options, `${fn} options`, ['dtype', 'base', 'chunkSize', 'precision', 'context']);
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
  if (o.context !== undefined && typeof o.context !== 'boolean') {
    throw new KompaktError('INVALID_TYPE', `${fn}: context must be a boolean, got ${describe(o.context)}`);
  }
  const context = o.context === true;
  const dtypeId = DTYPES.indexOf(dtype);

  const body = new ByteWriter();
  const chunks: ChunkEntry[] = [];
  const rawHashes: number[] = [];
  const baseHashes: number[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) {
    const chunk = bytes.subarray(at, Math.min(at + chunkSize, bytes.length));
    const baseChunk = base ? base.subarray(at, at + chunk.length) : null;
    const split = splitChunk(chunk, baseChunk, dtypeId, planes);
    const count = chunk.length / planes;
    const planeOf = (p: number) => split.planes.subarray(p * count, (p + 1) * count);
    const w = new ByteWriter();
    if (context) {
      const inputs = { exponent: planeOf(planes - 1), base: baseChunk ? exponentPlane(baseChunk, dtypeId, planes) : null };
      for (const p of contextOrder(planes)) writeBestPlane(w, p === planes - 1, planeOf(p), split.counts.subarray(p * 256, (p + 1) * 256), precision, inputs);
    } else {
      for (let p = 0; p < planes; p++) writePlane(w, planeOf(p), split.counts.subarray(p * 256, (p + 1) * 256), precision);
    }
    const stored = w.concat();
    body.bytes(stored);
    chunks.push({ stored: stored.length, storedHash: xxh32(stored), rawHash: split.rawHash });
    rawHashes.push(split.rawHash);
    baseHashes.push(split.baseHash);
  }
  const header = writeHeader({
    version: VERSION,
    dtype, flags: (base ? FLAG_DELTA : 0) | (context ? FLAG_CONTEXT : 0), log2Chunk, length: bytes.length, chunks,
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
  const dtypeId = DTYPES.indexOf(header.dtype);
  const maxPrecision = MAX_PLANE_PRECISION;
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
    const baseChunk = base ? base.subarray(at, at + len) : null;
    if (header.flags & FLAG_CONTEXT) {
      const inputs: ContextInputs = { exponent: null, base: baseChunk ? exponentPlane(baseChunk, dtypeId, planes) : null };
      const rules: PlaneRules = { maxPrecision, context: (cr, into) => readContextPlane(cr, into, inputs, { maxPrecision, context: null }) };
      for (const p of contextOrder(planes)) {
        const into = planeBytes.subarray(p * count, (p + 1) * count);
        readPlane(r, into, rules);
        if (p === planes - 1) inputs.exponent = into;
      }
    } else {
      for (let p = 0; p < planes; p++) readPlane(r, planeBytes.subarray(p * count, (p + 1) * count), { maxPrecision, context: null });
    }
    if (r.left !== 0) throw new KompaktError('CORRUPT', `${what}: ${r.left} bytes left over`);
    const target = out.subarray(at, at + len);
    const rawHash = mergeChunk(planeBytes, baseChunk, dtypeId, planes, target);
    if (rawHash !== entry.rawHash) throw new KompaktError('CHECKSUM', `${what}: decoded bytes do not match their checksum`);
    rawHashes.push(rawHash);
  });
  if (hashOfHashes(rawHashes) !== header.contentHash) throw new KompaktError('CHECKSUM', `${fn}: payload checksum mismatch`);
  return out;
}
