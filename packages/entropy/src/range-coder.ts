import { KompaktError, checkInteger, describe } from '@kompakt/core';
import { StaticCodingModel, checkInterval, checkTotal, toCodingModel, type CodingModel } from './coding-model.js';
import type { Model } from './model.js';

/**
 * A range coder (queue/FIFO: symbols decode in the order they were encoded) with a 48-bit range and
 * carry handling by a cached byte plus a count of pending 0xFF bytes (LZMA's scheme, widened).
 * Byte format and end-of-stream rule: docs/formats/range-coder.md.
 *
 * The state lives in JS numbers (doubles): every value stays below 2^53, so the arithmetic is exact
 * integer arithmetic on every engine. 48 bits instead of LZMA's 32 leave ≥ 2^16 after dividing by a
 * 24-bit total, so truncating range / total costs < 2^-16 of a symbol's interval (≈ 0 bits), where a
 * 32-bit range coder at precision 16 loses up to 2^-8.
 */

/** range ≤ 2^48 always; low < 2^49 (bit 48 is a carry not yet propagated). */
export const TOP = 2 ** 48;
/** Renormalise (shift one byte out) while range < 2^40. */
export const BOTTOM = 2 ** 40;
const INV_BOTTOM = 2 ** -40;
/** Bytes the encoder's flush adds and the decoder reads before the first symbol. */
export const FLUSH_BYTES = 6;

type AnyModel = Model | CodingModel;

/** Index of `value` in `m`, or a KompaktError naming it. */
function indexOf(m: CodingModel, value: number, fn: string): number {
  const index = value - (m.offset ?? 0);
  if (!(index >= 0 && index < m.size && Number.isInteger(index))) {
    const lo = m.offset ?? 0;
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: value ${describe(value)} is outside the model's values ${lo} … ${lo + m.size - 1}`);
  }
  return index;
}

/** floor(a / b) for integers a < 2^49, 1 ≤ b < 2^49: the double quotient can only round up across an integer. */
function floorDiv(a: number, b: number): number {
  const q = Math.floor(a / b);
  return q * b > a ? q - 1 : q;
}

/**
 * Encodes symbols, in order, into one byte stream. Symbols coded with different models (static,
 * adaptive, your own {@link CodingModel}) and, in {@link AdaptiveBinaryEncoder}, binary decisions
 * can be mixed freely; the decoder must make the same calls in the same order.
 */
export class RangeEncoder {
  protected low = 0;
  protected range = TOP;
  /** The last byte shifted out of low, held back because a carry may still change it. */
  #cache = 0;
  /** 0xFF bytes after the cache, held for the same reason. */
  #pending = 0;
  /** The first cached byte is a phantom 0 (the interval never reaches 2^48), so it is not written. */
  #started = false;
  #out = new Uint8Array(1024);
  #length = 0;
  #finished = false;

  /** Bytes written so far (the final stream is this plus what finish() adds). */
  get length(): number {
    return this.#length;
  }

  /** Codes `value` (model.offset + an index of the model) with `model`, then calls model.update. */
  encode(value: number, model: AnyModel): void {
    const fn = 'RangeEncoder.encode';
    this.checkOpen(fn);
    const m = toCodingModel(model, fn);
    this.#encodeIndex(m, indexOf(m, value, fn), fn);
  }

  /** Codes every value with `model` (a fast loop for static models). On error the values before the bad one stay coded. */
  encodeAll(values: ArrayLike<number>, model: AnyModel): void {
    const fn = 'RangeEncoder.encodeAll';
    this.checkOpen(fn);
    const m = toCodingModel(model, fn);
    if (!values || typeof values !== 'object' || typeof values.length !== 'number') {
      throw new KompaktError('INVALID_TYPE', `${fn}: values must be an array of numbers, got ${describe(values)}`);
    }
    if (m instanceof StaticCodingModel) {
      this.#encodeStatic(values, m, fn);
      return;
    }
    for (let i = 0; i < values.length; i++) this.#encodeIndex(m, indexOf(m, values[i], fn), fn);
  }

  #encodeIndex(m: CodingModel, index: number, fn: string): void {
    const start = m.start(index);
    const freq = m.frequency(index);
    checkInterval(start, freq, m.total, index, fn);
    this.encodeInterval(start, freq, m.total);
    m.update?.(index);
  }

  /** The static-model loop: state in locals, the division replaced by an exact power-of-two scale. */
  #encodeStatic(values: ArrayLike<number>, m: StaticCodingModel, fn: string): void {
    const { cumulative, frequencies, offset } = m;
    const scale = 1 / m.total;
    let low = this.low;
    let range = this.range;
    for (let i = 0; i < values.length; i++) {
      const k = values[i] - offset;
      const f = frequencies[k];
      if (!(f > 0)) {
        this.low = low;
        this.range = range;
        indexOf(m, values[i], fn);
        throw new KompaktError('INVALID_ARGUMENT', `${fn}: values[${i}] = ${values[i]} has probability 0 in the model`);
      }
      const r = Math.floor(range * scale);
      low += r * cumulative[k];
      range = r * f;
      if (range < BOTTOM) {
        this.low = low;
        this.range = range;
        this.normalize();
        low = this.low;
        range = this.range;
      }
    }
    this.low = low;
    this.range = range;
  }

  /** Narrows the interval to [start, start + freq) of `total` (total ≤ 2^24, checked by the caller). */
  protected encodeInterval(start: number, freq: number, total: number): void {
    const r = floorDiv(this.range, total);
    this.low += r * start;
    this.range = r * freq;
    if (this.range < BOTTOM) this.normalize();
  }

  /** Writes `bits` (0 … 32) raw bits of `value`, most significant first, each costing exactly one bit. */
  encodeDirect(value: number, bits: number): void {
    const fn = 'RangeEncoder.encodeDirect';
    this.checkOpen(fn);
    const max = bits > 0 ? 0xffffffff >>> (32 - bits) : 0;
    if (!(bits >= 0 && bits <= 32 && (bits | 0) === bits && value >= 0 && value <= max && Number.isInteger(value))) {
      checkInteger(bits, `${fn}: bits`, 0, 32);
      checkInteger(value, `${fn}: value`, 0, 2 ** bits - 1);
    }
    for (let i = bits - 1; i >= 0; i--) {
      this.range = Math.floor(this.range * 0.5);
      if ((value >>> i) & 1) this.low += this.range;
      if (this.range < BOTTOM) this.normalize();
    }
  }

  protected normalize(): void {
    while (this.range < BOTTOM) {
      this.range *= 256;
      this.#shiftLow();
    }
  }

  /** Moves the top byte of low out: written once no carry can reach it any more. */
  #shiftLow(): void {
    // top = bits 40 … 48 of low: the outgoing byte plus the carry (bit 8). Scaling by 2^-40 is exact.
    const top = Math.floor(this.low * INV_BOTTOM);
    if (top !== 0xff) {
      const carry = top >>> 8;
      if (this.#started) this.#put(this.#cache + carry);
      this.#started = true;
      for (; this.#pending > 0; this.#pending--) this.#put((0xff + carry) & 0xff);
      this.#cache = top & 0xff;
    } else {
      this.#pending++;
    }
    this.low = (this.low - top * BOTTOM) * 256;
  }

  #put(byte: number): void {
    if (this.#length === this.#out.length) {
      const grown = new Uint8Array(this.#out.length * 2);
      grown.set(this.#out);
      this.#out = grown;
    }
    this.#out[this.#length++] = byte;
  }

  protected checkOpen(fn: string): void {
    if (this.#finished) throw new KompaktError('INVALID_ARGUMENT', `${fn}: the encoder is finished`);
  }

  /** Flushes the 6 bytes of low and returns the stream; the encoder cannot be used afterwards. */
  finish(): Uint8Array {
    this.checkOpen('RangeEncoder.finish');
    for (let i = 0; i <= FLUSH_BYTES; i++) this.#shiftLow();
    this.#finished = true;
    return this.#out.slice(0, this.#length);
  }
}

/**
 * Decodes a stream made by {@link RangeEncoder} (or {@link AdaptiveBinaryEncoder}) with the same
 * sequence of calls. Reads only inside `bytes` (a read past the end throws TRUNCATED); call
 * {@link RangeDecoder.finish} at the end to check that the stream ends exactly there (CORRUPT if not).
 * After an error the decoder's state is unspecified: start a new one.
 */
export class RangeDecoder {
  protected code: number;
  protected range = TOP;
  #bytes: Uint8Array;
  #pos = FLUSH_BYTES;

  constructor(bytes: Uint8Array) {
    const fn = 'RangeDecoder';
    if (!(bytes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: bytes must be a Uint8Array, got ${describe(bytes)}`);
    if (bytes.length < FLUSH_BYTES) throw new KompaktError('TRUNCATED', `${fn}: a range-coded stream has at least ${FLUSH_BYTES} bytes, got ${bytes.length}`);
    this.#bytes = bytes;
    let code = 0;
    for (let i = 0; i < FLUSH_BYTES; i++) code = code * 256 + bytes[i];
    this.code = code;
  }

  /** Bytes consumed so far. */
  get position(): number {
    return this.#pos;
  }

  /** Decodes one value coded with `model` (then calls model.update). */
  decode(model: AnyModel): number {
    const fn = 'RangeDecoder.decode';
    const m = toCodingModel(model, fn);
    return this.#decodeIndex(m, fn) + (m.offset ?? 0);
  }

  /** Decodes `count` values coded with `model` (a fast loop for static models). */
  decodeAll(model: AnyModel, count: number): Int32Array {
    const fn = 'RangeDecoder.decodeAll';
    const m = toCodingModel(model, fn);
    checkInteger(count, `${fn}: count`, 0, 2 ** 31 - 1);
    const offset = m.offset ?? 0;
    if (offset + m.size - 1 > 2 ** 31 - 1 || offset < -(2 ** 31)) {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: the model's values ${offset} … ${offset + m.size - 1} do not fit an Int32Array`);
    }
    if (m instanceof StaticCodingModel) return this.#decodeStatic(m, count, fn);
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.#decodeIndex(m, fn) + offset;
    return out;
  }

  #decodeIndex(m: CodingModel, fn: string): number {
    const total = m.total;
    checkTotal(total, fn);
    const r = floorDiv(this.range, total);
    const target = floorDiv(this.code, r);
    if (target >= total) this.corrupt(fn);
    const index = m.find(target);
    if (!(index >= 0 && index < m.size && Number.isInteger(index))) {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: model.find(${target}) returned ${describe(index)}, not an index 0 … ${m.size - 1}`);
    }
    const start = m.start(index);
    const freq = m.frequency(index);
    checkInterval(start, freq, total, index, fn);
    if (target < start || target >= start + freq) {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: model.find(${target}) returned index ${index}, whose interval [${start}, ${start + freq}) does not contain it`);
    }
    this.consume(r * start, r * freq);
    m.update?.(index);
    return index;
  }

  #decodeStatic(m: StaticCodingModel, count: number, fn: string): Int32Array {
    const { cumulative, frequencies, offset, total, slots } = m;
    const scale = 1 / total;
    const bytes = this.#bytes;
    const out = new Int32Array(count);
    let code = this.code;
    let range = this.range;
    let pos = this.#pos;
    for (let i = 0; i < count; i++) {
      const r = Math.floor(range * scale);
      const target = floorDiv(code, r);
      if (target >= total) this.corrupt(fn);
      const k = slots[target];
      code -= r * cumulative[k];
      range = r * frequencies[k];
      while (range < BOTTOM) {
        if (pos >= bytes.length) this.truncated(fn);
        code = code * 256 + bytes[pos++];
        range *= 256;
      }
      out[i] = k + offset;
    }
    this.code = code;
    this.range = range;
    this.#pos = pos;
    return out;
  }

  /** Removes `below` from the code and narrows the range to `size`, then renormalises. */
  protected consume(below: number, size: number): void {
    this.code -= below;
    this.range = size;
    while (this.range < BOTTOM) {
      if (this.#pos >= this.#bytes.length) this.truncated('RangeDecoder');
      this.code = this.code * 256 + this.#bytes[this.#pos++];
      this.range *= 256;
    }
  }

  /** Reads `bits` (0 … 32) raw bits written by encodeDirect. */
  decodeDirect(bits: number): number {
    const fn = 'RangeDecoder.decodeDirect';
    if (!(bits >= 0 && bits <= 32 && (bits | 0) === bits)) checkInteger(bits, `${fn}: bits`, 0, 32);
    let value = 0;
    for (let i = 0; i < bits; i++) {
      const half = Math.floor(this.range * 0.5);
      const bit = this.code >= half ? 1 : 0;
      // An odd range leaves its last unit to neither bit: a code there is not from an encoder.
      if (bit && this.code - half >= half) this.corrupt(fn, 'its code lies in the unused unit of an odd range');
      value = value * 2 + bit;
      this.consume(bit * half, half);
    }
    return value;
  }

  /** Checks the end-of-stream rule: every byte consumed and the final code 0 (what the flush leaves). */
  finish(): void {
    const fn = 'RangeDecoder.finish';
    if (this.#pos !== this.#bytes.length) throw new KompaktError('CORRUPT', `${fn}: ${this.#bytes.length - this.#pos} bytes after the end of the coded data`);
    if (this.code !== 0) this.corrupt(fn, 'the final state is not the one the encoder flushes');
  }

  protected corrupt(fn: string, why = 'its code lies outside every interval'): never {
    throw new KompaktError('CORRUPT', `${fn}: the stream is corrupt (${why})`);
  }

  protected truncated(fn: string): never {
    throw new KompaktError('TRUNCATED', `${fn}: the stream ends before the coded data does`);
  }
}

/** Range-codes `values` with one model; the stream has no header (the decoder needs the model and the count). */
export function rangeEncode(values: ArrayLike<number>, model: AnyModel): Uint8Array {
  const encoder = new RangeEncoder();
  encoder.encodeAll(values, model);
  return encoder.finish();
}

/** Decodes `count` values made by {@link rangeEncode} with the same model and checks the end of the stream. */
export function rangeDecode(bytes: Uint8Array, model: AnyModel, count: number): Int32Array {
  const decoder = new RangeDecoder(bytes);
  const out = decoder.decodeAll(model, count);
  decoder.finish();
  return out;
}
