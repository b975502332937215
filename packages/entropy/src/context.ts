import { KompaktError } from '@kompakt/core';
import { CONTEXT_RANS, readPlane, writePlane, type PlaneRules } from './plane.js';
import { ByteWriter, type ByteReader } from './reader.js';

/**
 * Context coding of one byte plane (`.kpk` version 2, plane mode 3; docs/kpk-format.md): every byte
 * is conditioned on a context byte the decoder already knows, and the plane is split into groups by
 * it: contexts frequent and distinct enough to pay for a table of their own get a group, all others
 * share the fallback group 0. Each group is then an ordinary plane (raw, constant or order-0 rANS),
 * so the fast kernels still do all the coding; only the split and its inverse are per byte here.
 */

/** Where a plane's context comes from. */
export const SOURCE_PREVIOUS = 0; // the previous element's byte of the same plane (order 1)
export const SOURCE_EXPONENT = 1; // the same element's exponent byte (the plane stored first)
export const SOURCE_BASE = 2; // the base tensor's exponent byte of the same element (delta streams)

/** Context bytes the decoder knows before it reads a plane (null where unavailable). */
export interface ContextInputs {
  exponent: Uint8Array | null;
  base: Uint8Array | null;
}

/** The context byte of every element (for SOURCE_PREVIOUS: the plane shifted by one, 0 first). */
function contextsOf(plane: Uint8Array, source: number, inputs: ContextInputs): Uint8Array | null {
  if (source === SOURCE_PREVIOUS) {
    const ctx = new Uint8Array(plane.length);
    ctx.set(plane.subarray(0, plane.length - 1), 1);
    return ctx;
  }
  return source === SOURCE_EXPONENT ? inputs.exponent : inputs.base;
}

/** c·log2(c) for counts below 2^16 (512 KiB, built on first use): the greedy search needs thousands. */
const C_LOG_C_SIZE = 1 << 16;
let cLogCTable: Float64Array | null = null;

function cLogC(c: number): number {
  if (c >= C_LOG_C_SIZE) return c * Math.log2(c);
  if (!cLogCTable) {
    cLogCTable = new Float64Array(C_LOG_C_SIZE);
    for (let k = 1; k < C_LOG_C_SIZE; k++) cLogCTable[k] = k * Math.log2(k);
  }
  return cLogCTable[c];
}

/** Estimated bits of a group coded on its own: order-0 entropy plus its table and stream framing. */
function groupBits(hist: Float64Array, n: number): number {
  if (n === 0) return 0;
  // Σ c·log2(n / c) = n·log2(n) − Σ c·log2(c).
  let bits = cLogC(n);
  let present = 0;
  for (let k = 0; k < 256; k++) {
    const c = hist[k];
    if (c === 0) continue;
    bits -= cLogC(c);
    present++;
  }
  if (present === 1) return 2 * 8;
  // mode + precision + bitmap + ~1.5 bytes per frequency + length + 16 lane states (half of them information).
  const framing = (2 + 32 + 1.5 * present + 4 + 32) * 8;
  return Math.min(bits + framing, (1 + n) * 8);
}

/**
 * Picks the contexts that get a group of their own (map[ctx] = group, 0 = fallback): greedily, most
 * frequent first, a context leaves the fallback when coding it separately is estimated to save bits
 * (its own table included). Returns null when no context pays, i.e. order-0 is as good.
 */
function chooseGroups(plane: Uint8Array, ctx: Uint8Array): { map: Uint8Array; groups: number } | null {
  const hist = new Float64Array(256 * 256);
  const sizes = new Float64Array(256);
  for (let i = 0; i < plane.length; i++) {
    hist[(ctx[i] << 8) | plane[i]]++;
    sizes[ctx[i]]++;
  }
  const fallback = new Float64Array(256);
  for (let c = 0; c < 256; c++) for (let k = 0; k < 256; k++) fallback[k] += hist[(c << 8) | k];
  let fallbackSize = plane.length;
  let fallbackBits = groupBits(fallback, fallbackSize);
  const own = new Uint8Array(256);
  let groups = 1;
  const order = Array.from({ length: 256 }, (_, c) => c).filter((c) => sizes[c] > 0).sort((a, b) => sizes[b] - sizes[a]);
  const rest = new Float64Array(256);
  for (const c of order) {
    if (groups === 256) break;
    const h = hist.subarray(c << 8, (c + 1) << 8);
    for (let k = 0; k < 256; k++) rest[k] = fallback[k] - h[k];
    const restBits = groupBits(rest, fallbackSize - sizes[c]);
    if (restBits + groupBits(h, sizes[c]) >= fallbackBits) continue;
    own[c] = 1;
    groups++;
    fallback.set(rest);
    fallbackSize -= sizes[c];
    fallbackBits = restBits;
  }
  if (groups === 1) return null;
  // Groups are numbered in increasing context order, as the decoder reads them from the bitmap.
  const map = new Uint8Array(256);
  for (let c = 0, g = 1; c < 256; c++) if (own[c]) map[c] = g++;
  return { map, groups };
}

function writeLeb128(w: ByteWriter, v: number): void {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  w.bytes(Uint8Array.from(out));
}

function readLeb128(r: ByteReader, max: number): number {
  let v = 0;
  for (let i = 0; ; i++) {
    const b = r.u8();
    v += (b & 0x7f) * 2 ** (7 * i);
    if (!(b & 0x80)) break;
    if (i === 3) throw new KompaktError('CORRUPT', `${r.what}: group size is longer than 4 bytes`);
  }
  if (v > max) throw new KompaktError('CORRUPT', `${r.what}: group of ${v} bytes in a plane of ${max}`);
  return v;
}

/** Byte histogram as u32 counts (what writePlane takes). */
function histogram(bytes: Uint8Array): Uint32Array {
  const counts = new Uint32Array(256);
  for (let i = 0; i < bytes.length; i++) counts[bytes[i]]++;
  return counts;
}

/**
 * Writes `plane` as mode 3 with the context `source`, or returns null when no context pays (or the
 * source is unavailable). The caller compares the result with the order-0 coding.
 */
export function writeContextPlane(plane: Uint8Array, source: number, inputs: ContextInputs, precision: number): ByteWriter | null {
  const ctx = contextsOf(plane, source, inputs);
  if (!ctx || plane.length === 0) return null;
  const chosen = chooseGroups(plane, ctx);
  if (!chosen) return null;
  const { map, groups } = chosen;
  // All groups in one buffer, group g at [start[g], start[g + 1]): typed arrays only in the hot loop.
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < plane.length; i++) start[map[ctx[i]] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const grouped = new Uint8Array(plane.length);
  const fill = start.slice(0, groups);
  for (let i = 0; i < plane.length; i++) grouped[fill[map[ctx[i]]]++] = plane[i];
  const parts = Array.from({ length: groups }, (_, g) => grouped.subarray(start[g], start[g + 1]));
  const w = new ByteWriter();
  w.u8(CONTEXT_RANS);
  w.u8(source);
  const bitmap = new Uint8Array(32);
  for (let c = 0; c < 256; c++) if (map[c]) bitmap[c >> 3] |= 1 << (c & 7);
  w.bytes(bitmap);
  for (const part of parts) {
    writeLeb128(w, part.length);
    if (part.length > 0) writePlane(w, part, histogram(part), precision);
  }
  return w;
}

/** Reads a mode-3 plane (the mode byte already consumed) into `into`. */
export function readContextPlane(r: ByteReader, into: Uint8Array, inputs: ContextInputs, rules: PlaneRules): void {
  const source = r.u8();
  const known = source === SOURCE_EXPONENT ? inputs.exponent : source === SOURCE_BASE ? inputs.base : null;
  if (source !== SOURCE_PREVIOUS && !known) throw new KompaktError('CORRUPT', `${r.what}: context source ${source} is not available for this plane`);
  const bitmap = r.take(32);
  const map = new Uint8Array(256);
  let groups = 1;
  for (let c = 0; c < 256; c++) if (bitmap[c >> 3] & (1 << (c & 7))) map[c] = groups++;
  if (groups > 256) throw new KompaktError('CORRUPT', `${r.what}: more than 255 context groups`);
  // Groups hold disjoint parts of the plane, group g at [next[g], end[g]) of one buffer: their sizes
  // must add up to the plane exactly.
  const inner: PlaneRules = { maxPrecision: rules.maxPrecision, context: null };
  const grouped = new Uint8Array(into.length);
  const next = new Int32Array(groups);
  const end = new Int32Array(groups);
  let total = 0;
  for (let g = 0; g < groups; g++) {
    const size = readLeb128(r, into.length - total);
    next[g] = total;
    total += size;
    end[g] = total;
    if (size > 0) readPlane(r, grouped.subarray(next[g], total), inner);
  }
  if (total !== into.length) throw new KompaktError('CORRUPT', `${r.what}: context groups hold ${total} bytes, the plane ${into.length}`);
  // Sizes add up and no group runs out, so every group is consumed exactly.
  let previous = 0;
  for (let i = 0; i < into.length; i++) {
    const g = map[known ? known[i] : previous];
    if (next[g] === end[g]) throw new KompaktError('CORRUPT', `${r.what}: context group ${g} runs out at element ${i}`);
    previous = into[i] = grouped[next[g]++];
  }
}
