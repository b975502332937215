import { KompaktError, checkInteger, describe } from '@kompakt/core';
import { ransDecodeView, ransEncode } from './kernels.js';
import { MAX_PRECISION, MAX_SYMBOLS, type Model } from './model.js';
import { ERR_SYMBOL, throwDecodeStatus, throwEncodeStatus } from './status.js';

/** Symbol arrays encode() accepts. */
export type Symbols = ArrayLike<number>;

function checkModel(model: unknown, fn: string): Model {
  const m = model as Model;
  if (!m || typeof m !== 'object' || !(m.frequencies instanceof Uint32Array)) {
    throw new KompaktError('INVALID_TYPE', `${fn}: model must be a Model (from categorical(), gaussian(), …), got ${describe(model)}`);
  }
  checkInteger(m.precision, `${fn}: model.precision`, 1, MAX_PRECISION);
  checkInteger(m.offset, `${fn}: model.offset`, -(2 ** 31), 2 ** 31 - 1);
  if (m.frequencies.length < 1 || m.frequencies.length > MAX_SYMBOLS) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: model has ${m.frequencies.length} symbols (1 … ${MAX_SYMBOLS})`);
  }
  return m;
}

/** Symbols as kernel input: bytes when the alphabet fits (fast path, no copy for Uint8Array), else u16. */
function toIndices(symbols: Symbols, model: Model, fn: string): Uint8Array | Uint16Array {
  const size = model.frequencies.length;
  if (symbols instanceof Uint8Array && model.offset === 0 && size <= 256) return symbols;
  if (!symbols || typeof symbols !== 'object' || typeof symbols.length !== 'number') {
    throw new KompaktError('INVALID_TYPE', `${fn}: symbols must be an array of integers, got ${describe(symbols)}`);
  }
  const out = size <= 256 ? new Uint8Array(symbols.length) : new Uint16Array(symbols.length);
  for (let i = 0; i < symbols.length; i++) {
    const k = symbols[i] - model.offset;
    if (!(k >= 0 && k < size && Number.isInteger(k))) {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: symbols[${i}] = ${describe(symbols[i])} is outside the model's values ${model.offset} … ${model.offset + size - 1}`);
    }
    out[i] = k;
  }
  return out;
}

/**
 * Encodes symbols with a static model into an interleaved rANS stream (16 lanes, docs/internals.md).
 * rANS is a stack: the kernel codes the last symbol first so that {@link decode} returns them first to
 * last; a finished stream cannot be appended to. The stream has no header: the decoder needs the
 * same model and the symbol count. Size ≤ 64 + 2·count bytes (rans16x16, precision ≤ 16), or
 * ≤ 128 + 4·count bytes at precision 17 … 24 (the exact rans16x32 stream, docs/internals.md).
 */
export function encode(symbols: Symbols, model: Model): Uint8Array {
  const fn = 'encode';
  const m = checkModel(model, fn);
  const syms = toIndices(symbols, m, fn);
  const out = ransEncode(syms, m.frequencies, m.precision);
  if (typeof out !== 'number') return out;
  if (out === ERR_SYMBOL) {
    const i = syms.findIndex((k) => m.frequencies[k] === 0);
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: symbols[${i}] = ${symbols[i]} has probability 0 in the model`);
  }
  return throwEncodeStatus(out, fn);
}

function checkDecodeArgs(stream: unknown, model: unknown, count: unknown, fn: string): Model {
  const m = checkModel(model, fn);
  if (!(stream instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: stream must be a Uint8Array, got ${describe(stream)}`);
  checkInteger(count, `${fn}: count`, 0, 2 ** 31 - 1);
  return m;
}

function widen(view: Uint8Array | Uint16Array, offset: number): Int32Array {
  const out = new Int32Array(view.length);
  // A typed-array set converts natively; only a nonzero offset needs a loop.
  out.set(view);
  if (offset !== 0) for (let i = 0; i < out.length; i++) out[i] += offset;
  return out;
}

/**
 * Decodes `count` symbols (values offset … offset + size − 1) from a stream made by {@link encode}
 * with the same model. Never reads outside `stream` and always terminates; a damaged stream throws
 * KompaktError TRUNCATED or CORRUPT (the final lane states double as a check). See
 * {@link decodeIndices} for a faster variant that skips the widening to Int32Array.
 */
export function decode(stream: Uint8Array, model: Model, count: number): Int32Array {
  const fn = 'decode';
  const m = checkDecodeArgs(stream, model, count, fn);
  const width = m.frequencies.length <= 256 ? 1 : 2;
  const out = ransDecodeView(stream, m.frequencies, m.precision, count, width, (view) => widen(view, m.offset));
  if (typeof out === 'number') throwDecodeStatus(out, fn);
  return out;
}

/**
 * Like {@link decode}, but returns the symbol indices `value − model.offset` (0 … size − 1) in the
 * kernel's own width: a Uint8Array when the model has at most 256 symbols, else a Uint16Array. It
 * skips the Int32Array widening, which costs more than decoding itself; with offset 0 (e.g. a
 * {@link categorical} model) the indices are the values.
 */
export function decodeIndices(stream: Uint8Array, model: Model, count: number): Uint8Array | Uint16Array {
  const fn = 'decodeIndices';
  const m = checkDecodeArgs(stream, model, count, fn);
  const width = m.frequencies.length <= 256 ? 1 : 2;
  const out = ransDecodeView(stream, m.frequencies, m.precision, count, width, (view, owned) => (owned ? view : view.slice()));
  if (typeof out === 'number') throwDecodeStatus(out, fn);
  return out;
}
