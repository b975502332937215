import { KompaktError } from '@kompakt/core';
import { MAX_TABLE_PRECISION, ransDecode, ransEncode, quantizeCounts } from './kernels.js';
import type { ByteReader, ByteWriter } from './reader.js';
import { throwDecodeStatus, throwEncodeStatus } from './status.js';

/**
 * One byte plane of one chunk (docs/kpk-format.md, "Planes"): stored raw, as a constant, or with
 * order-0 rANS and its frequency table (a presence bitmap, then each present symbol's f − 1 as LEB128).
 */
const RAW = 0;
const CONSTANT = 1;
export const RANS = 2;
/** Version 2 only: the plane split by a context into groups, each coded as a plane (context.ts). */
export const CONTEXT_RANS = 3;

/** What a plane reader may accept, from the container version; `context` reads mode 3. */
export interface PlaneRules {
  maxPrecision: number;
  context: ((r: ByteReader, into: Uint8Array) => void) | null;
}

/** Writes the frequency table: 32-byte presence bitmap, then LEB128(f − 1) per present symbol. */
function tableBytes(freqs: Uint32Array): Uint8Array {
  const out: number[] = new Array<number>(32).fill(0);
  for (let k = 0; k < 256; k++) {
    if (freqs[k] === 0) continue;
    out[k >> 3] |= 1 << (k & 7);
  }
  for (let k = 0; k < 256; k++) {
    if (freqs[k] === 0) continue;
    let v = freqs[k] - 1;
    while (v >= 0x80) {
      out.push((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.push(v);
  }
  return Uint8Array.from(out);
}

export function readTable(r: ByteReader, precision = 16): Uint32Array {
  // f − 1 < 2^precision takes at most ceil(precision / 7) LEB128 bytes (3 up to precision 21).
  const maxBytes = Math.ceil(precision / 7);
  const bitmap = r.take(32);
  const freqs = new Uint32Array(256);
  for (let k = 0; k < 256; k++) {
    if (!(bitmap[k >> 3] & (1 << (k & 7)))) continue;
    let v = 0;
    for (let i = 0; ; i++) {
      const b = r.u8();
      v |= (b & 0x7f) << (7 * i);
      if (!(b & 0x80)) break;
      if (i === maxBytes - 1) throw new KompaktError('CORRUPT', `${r.what}: frequency of symbol ${k} is longer than ${maxBytes} bytes`);
    }
    freqs[k] = v + 1;
  }
  return freqs;
}

/**
 * A lower bound on the rANS stream length of a plane with these counts under `freqs`, minus a safety
 * margin. The stream holds 64 bytes of final states plus the words; the coded information is the
 * ideal Σ count·log2(2^s / f) bits, of which the 16 initial states (2^16 each) carry 256 bits, so the
 * stream is ≈ 32 + ideal / 8 bytes (≈ 64 + ideal / 8 for the 128-byte states of precision > 16).
 * rANS comes within a tiny fraction of a bit per symbol of the
 * ideal and on average above it (a 32-bit state loses ~2^(s−32) relative precision per step); the
 * margin of 64 bytes + n/4096 is far beyond its measured deviation (below the estimate by at most
 * ~5e−6 byte per symbol, above it on average), so a plane skipped here would have lost to raw
 * anyway and the output bytes do not change. It saves coding the near-uniform mantissa planes.
 */
function codedLowerBound(counts: Uint32Array, freqs: Uint32Array, precision: number): number {
  let bits = 0;
  let n = 0;
  for (let k = 0; k < 256; k++) {
    const c = counts[k];
    if (c === 0) continue;
    bits += c * (precision - Math.log2(freqs[k]));
    n += c;
  }
  return (precision > MAX_TABLE_PRECISION ? 64 : 32) + bits / 8 - 64 - n / 4096;
}

/** Codes one plane; `counts` is its byte histogram. The cheapest of the three modes wins. */
export function writePlane(w: ByteWriter, plane: Uint8Array, counts: Uint32Array, precision: number): void {
  const count = plane.length;
  let present = 0;
  for (let k = 0; k < 256; k++) present += counts[k] ? 1 : 0;
  if (present === 1) {
    w.u8(CONSTANT);
    w.u8(plane[0]);
    return;
  }
  if (count > 0) {
    const freqs = quantizeCounts(counts, precision);
    if (typeof freqs === 'number') throwEncodeStatus(freqs, 'compressTensor');
    const table = tableBytes(freqs);
    // Coding pays only if the table and stream together beat storing the plane as it is. Planes that
    // are clearly incompressible (mantissa bytes) are not coded at all: see codedLowerBound.
    if (2 + table.length + 4 + codedLowerBound(counts, freqs, precision) >= 1 + count) {
      w.u8(RAW);
      w.bytes(plane);
      return;
    }
    const stream = ransEncode(plane, freqs, precision);
    if (typeof stream === 'number') throwEncodeStatus(stream, 'compressTensor');
    if (2 + table.length + 4 + stream.length < 1 + count) {
      w.u8(RANS);
      w.u8(precision);
      w.bytes(table);
      w.u32(stream.length);
      w.bytes(stream);
      return;
    }
  }
  w.u8(RAW);
  w.bytes(plane);
}

/** Decodes one plane of `into.length` bytes into `into`. */
export function readPlane(r: ByteReader, into: Uint8Array, rules: PlaneRules): void {
  const mode = r.u8();
  if (mode === RAW) {
    into.set(r.take(into.length));
  } else if (mode === CONSTANT) {
    into.fill(r.u8());
  } else if (mode === RANS) {
    const precision = r.u8();
    if (precision < 1 || precision > rules.maxPrecision) {
      throw new KompaktError('CORRUPT', `${r.what}: precision ${precision} is outside 1 … ${rules.maxPrecision}`);
    }
    const freqs = readTable(r, precision);
    const len = r.u32();
    const stream = r.take(len);
    const rc = ransDecode(stream, freqs, precision, into);
    if (rc !== 0) throwDecodeStatus(rc, r.what);
  } else if (mode === CONTEXT_RANS && rules.context) {
    rules.context(r, into);
  } else {
    throw new KompaktError('CORRUPT', `${r.what}: unknown plane mode ${mode}`);
  }
}
