import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { toCodingModel, type CodingModel } from './coding-model.js';
import { xxh32 } from './kernels.js';
import type { Model } from './model.js';
import { FLUSH_BYTES, RangeDecoder, RangeEncoder } from './range-coder.js';
import { ByteReader, ByteWriter } from './reader.js';

/**
 * Framed range-coded streams for data larger than memory (docs/formats/range-coder.md, "Framed
 * stream"): a header, then blocks of at most 2^20 symbols, each range-coded on its own and checked
 * by XXH32, then an end marker carrying the symbol count and a checksum over all blocks. Memory is
 * bounded by one block on either side. An adaptive model keeps adapting across blocks.
 */

export const STREAM_MAGIC = Uint8Array.of(0x4b, 0x50, 0x52, 0x43); // "KPRC"
export const STREAM_VERSION = 1;
export const MAX_BLOCK_SYMBOLS = 2 ** 20;
const HEADER_BYTES = 8;
const BLOCK_HEAD = 8;
/** A symbol of a model with total ≤ 2^24 moves at most 3 bytes out of the coder. */
const MAX_BYTES_PER_SYMBOL = 3;

export interface StreamOptions {
  /** Symbols per block, 1 … 2^20 (default 2^20). Each block costs 18 bytes (frame 12, flush 6); smaller blocks need less memory. */
  blockSize?: number;
}

type Source<T> = AsyncIterable<T> | Iterable<T>;

function iteratorOf<T>(source: Source<T>, fn: string): AsyncIterator<T> | Iterator<T> {
  const s = source as { [Symbol.asyncIterator]?: () => AsyncIterator<T>; [Symbol.iterator]?: () => Iterator<T> };
  if (s && typeof s[Symbol.asyncIterator] === 'function') return s[Symbol.asyncIterator]!();
  if (s && typeof s[Symbol.iterator] === 'function') return s[Symbol.iterator]!();
  throw new KompaktError('INVALID_TYPE', `${fn}: source must be an iterable or async iterable, got ${describe(source)}`);
}

/** values[from, to) as an array-like without copying typed arrays. */
function slice(values: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (from === 0 && to === values.length) return values;
  const v = values as ArrayLike<number> & { subarray?: (a: number, b: number) => ArrayLike<number>; slice?: (a: number, b: number) => ArrayLike<number> };
  if (typeof v.subarray === 'function') return v.subarray(from, to);
  if (Array.isArray(values)) return values.slice(from, to);
  return Array.from({ length: to - from }, (_, i) => values[from + i]);
}

/** Block frame: count u32, length u32, the range-coded bytes, XXH32 of everything before it. */
function frame(count: number, coded: Uint8Array): { bytes: Uint8Array; hash: number } {
  const w = new ByteWriter();
  w.u32(count);
  w.u32(coded.length);
  w.bytes(coded);
  const hash = xxh32(w.concat());
  w.u32(hash);
  return { bytes: w.concat(), hash };
}

/**
 * Range-codes a sequence of symbol arrays (of any sizes) with one model into a framed stream,
 * yielding it chunk by chunk: the header, one chunk per block, then the end marker.
 */
export async function* encodeStream(source: Source<ArrayLike<number>>, model: Model | CodingModel, options?: StreamOptions): AsyncGenerator<Uint8Array> {
  const fn = 'encodeStream';
  const o = checkOptions<StreamOptions>(options, `${fn} options`, ['blockSize']);
  const blockSize = o.blockSize === undefined ? MAX_BLOCK_SYMBOLS : checkInteger(o.blockSize, `${fn}: blockSize`, 1, MAX_BLOCK_SYMBOLS);
  const m = toCodingModel(model, fn);
  const it = iteratorOf(source, fn);
  yield Uint8Array.of(...STREAM_MAGIC, STREAM_VERSION, 0, 0, 0);
  const blockHashes: number[] = [];
  let total = 0;
  let encoder = new RangeEncoder();
  let inBlock = 0;
  const endBlock = (): Uint8Array => {
    const { bytes, hash } = frame(inBlock, encoder.finish());
    blockHashes.push(hash);
    total += inBlock;
    encoder = new RangeEncoder();
    inBlock = 0;
    return bytes;
  };
  for (let r = await it.next(); !r.done; r = await it.next()) {
    const values = r.value;
    if (!values || typeof values !== 'object' || typeof values.length !== 'number') {
      throw new KompaktError('INVALID_TYPE', `${fn}: each item must be an array of numbers, got ${describe(values)}`);
    }
    for (let at = 0; at < values.length; ) {
      const take = Math.min(blockSize - inBlock, values.length - at);
      encoder.encodeAll(slice(values, at, at + take), m);
      at += take;
      inBlock += take;
      if (inBlock === blockSize) yield endBlock();
    }
  }
  if (inBlock > 0) yield endBlock();
  const w = new ByteWriter();
  w.u32(0);
  w.u32(total % 2 ** 32);
  w.u32(Math.floor(total / 2 ** 32));
  w.u32(hashOfHashes(blockHashes));
  yield w.concat();
}

function hashOfHashes(hashes: number[]): number {
  const w = new ByteWriter();
  for (const h of hashes) w.u32(h);
  return xxh32(w.concat());
}

/** Pulls exact byte counts out of a chunked source; allocates only for bytes that have arrived. */
class ChunkReader {
  readonly #it: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  readonly #fn: string;
  #chunk: Uint8Array = new Uint8Array(0);
  #pos = 0;

  constructor(source: Source<Uint8Array>, fn: string) {
    this.#it = iteratorOf(source, fn);
    this.#fn = fn;
  }

  async #more(): Promise<boolean> {
    const r = await this.#it.next();
    if (r.done) return false;
    if (!(r.value instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${this.#fn}: chunks must be Uint8Arrays, got ${describe(r.value)}`);
    this.#chunk = r.value;
    this.#pos = 0;
    return true;
  }

  async read(n: number, what: string): Promise<ByteReader> {
    if (this.#chunk.length - this.#pos >= n) {
      this.#pos += n;
      return new ByteReader(this.#chunk, `${this.#fn}: ${what}`, this.#pos - n, this.#pos);
    }
    const out = new Uint8Array(n);
    let have = 0;
    while (have < n) {
      if (this.#pos === this.#chunk.length && !(await this.#more())) {
        throw new KompaktError('TRUNCATED', `${this.#fn}: the stream ends inside the ${what} (${have} of ${n} bytes)`);
      }
      const take = Math.min(n - have, this.#chunk.length - this.#pos);
      out.set(this.#chunk.subarray(this.#pos, this.#pos + take), have);
      have += take;
      this.#pos += take;
    }
    return new ByteReader(out, `${this.#fn}: ${what}`);
  }

  /** True when no byte follows (empty chunks are skipped). */
  async atEnd(): Promise<boolean> {
    while (this.#pos === this.#chunk.length) if (!(await this.#more())) return true;
    return false;
  }
}

/**
 * Decodes a framed stream from {@link encodeStream}, fed in chunks of any sizes, with a model in
 * the encoder's starting state; yields one Int32Array per block. Every block's checksum is verified
 * before it is decoded. The stream must end exactly after the end marker: a source that stops
 * earlier is TRUNCATED, bytes after it are CORRUPT.
 */
export async function* decodeStream(source: Source<Uint8Array>, model: Model | CodingModel): AsyncGenerator<Int32Array> {
  const fn = 'decodeStream';
  const m = toCodingModel(model, fn);
  const input = new ChunkReader(source, fn);
  const head = await input.read(HEADER_BYTES, 'header');
  if (!head.take(4).every((b, i) => b === STREAM_MAGIC[i])) throw new KompaktError('CORRUPT', `${fn}: not a framed range-coded stream (bad magic)`);
  const version = head.u8();
  if (version > STREAM_VERSION) throw new KompaktError('UNSUPPORTED_VERSION', `${fn}: stream version ${version}, this reader knows ${STREAM_VERSION}`);
  if (version < 1) throw new KompaktError('CORRUPT', `${fn}: version 0 is invalid`);
  if (head.u8() | head.u8() | head.u8()) throw new KompaktError('CORRUPT', `${fn}: reserved header bytes must be 0`);
  const blockHashes: number[] = [];
  let total = 0;
  for (;;) {
    const blockHead = await input.read(BLOCK_HEAD, 'block header');
    const count = blockHead.u32();
    const length = blockHead.u32();
    if (count === 0) {
      // End marker: count 0, then the symbol total as u32 low (in the length field), u32 high, and the checksum.
      const end = await input.read(8, 'end marker');
      const symbols = length + end.u32() * 2 ** 32;
      const hash = end.u32();
      if (symbols !== total) throw new KompaktError('CORRUPT', `${fn}: the end marker counts ${symbols} symbols, the blocks held ${total}`);
      if (hash !== hashOfHashes(blockHashes)) throw new KompaktError('CHECKSUM', `${fn}: the end marker's checksum does not match the blocks`);
      if (!(await input.atEnd())) throw new KompaktError('CORRUPT', `${fn}: bytes after the end marker`);
      return;
    }
    if (count > MAX_BLOCK_SYMBOLS) throw new KompaktError('CORRUPT', `${fn}: a block of ${count} symbols (at most 2^20)`);
    if (length < FLUSH_BYTES || length > MAX_BYTES_PER_SYMBOL * count + FLUSH_BYTES) {
      throw new KompaktError('CORRUPT', `${fn}: a block of ${count} symbols cannot take ${length} bytes`);
    }
    const body = await input.read(length + 4, 'block');
    const coded = body.take(length);
    const framed = new Uint8Array(BLOCK_HEAD + length);
    framed.set(blockHead.bytes.subarray(blockHead.pos - BLOCK_HEAD, blockHead.pos));
    framed.set(coded, BLOCK_HEAD);
    const hash = xxh32(framed);
    if (body.u32() !== hash) throw new KompaktError('CHECKSUM', `${fn}: block ${blockHashes.length} checksum mismatch`);
    blockHashes.push(hash);
    const decoder = new RangeDecoder(coded);
    const values = decoder.decodeAll(m, count);
    decoder.finish();
    total += count;
    yield values;
  }
}
