import { KompaktError, WasmModule, backendFor, getBackend, nativeBinding, simdSupported, wasmVariant, type WasmArena, type WasmCoreExports } from '@kompakt/core';
import { wasmScalarBase64, wasmSimdBase64 } from './generated/wasm.js';

/**
 * The kernels of docs/internals.md ("Entropy") as functions on JS typed arrays, one implementation
 * per backend. Everything above this file is backend-neutral. Kernels return status codes (≥ 0 ok,
 * see status.ts); callers turn them into KompaktErrors with context.
 */

/** wasm/entropy exports. Pointers and counts are plain numbers. */
interface EntropyWasm extends WasmCoreExports {
  rans_encode(syms: number, n: number, width: number, freqs: number, nsym: number, precision: number, out: number, cap: number, scratch: number): number;
  rans_decode(src: number, len: number, freqs: number, nsym: number, precision: number, out: number, n: number, width: number, scratch: number): number;
  rans_decode_scratch_bytes(nsym: number, precision: number, width: number): number;
  model_quantize_counts(counts: number, nsym: number, precision: number, freqs: number): number;
  model_quantize_parametric(kind: number, loc: number, scale: number, lo: number, nsym: number, precision: number, freqs: number, scratch: number): number;
  rans_encode_parametric(kind: number, syms: number, means: number, scales: number, n: number, lo: number, nsym: number, precision: number, out: number, cap: number, scratch: number): number;
  rans_decode_parametric(kind: number, src: number, len: number, means: number, scales: number, n: number, lo: number, nsym: number, precision: number, out: number, scratch: number): number;
  parametric_scratch_bytes(nsym: number, n: number): number;
  hist_u8(src: number, n: number, counts: number): void;
  xor_bytes(dst: number, a: number, b: number, n: number): void;
  tensor_split(src: number, count: number, dtype: number, dst: number): void;
  tensor_merge(src: number, count: number, dtype: number, dst: number): void;
  xxh32(ptr: number, len: number, seed: number): number;
}

/** The same kernels in @kompakt/native (camelCase, lengths from the arrays). */
interface EntropyNative {
  ransEncode(syms: Uint8Array | Uint16Array, freqs: Uint32Array, precision: number, out: Uint8Array): number;
  ransDecode(src: Uint8Array, freqs: Uint32Array, precision: number, out: Uint8Array | Uint16Array): number;
  modelQuantizeCounts(counts: Uint32Array, precision: number, freqs: Uint32Array): number;
  modelQuantizeParametric(kind: number, loc: number, scale: number, lo: number, precision: number, freqs: Uint32Array): number;
  histU8(src: Uint8Array, counts: Uint32Array): void;
  xorBytes(dst: Uint8Array, a: Uint8Array, b: Uint8Array): void;
  tensorSplit(src: Uint8Array, dtype: number, dst: Uint8Array): void;
  tensorMerge(src: Uint8Array, dtype: number, dst: Uint8Array): void;
  xxh32(src: Uint8Array, seed: number): number;
}

const NATIVE_KERNELS = ['ransEncode', 'ransDecode', 'modelQuantizeCounts', 'modelQuantizeParametric', 'histU8', 'xorBytes', 'tensorSplit', 'tensorMerge', 'xxh32'];

export const wasm = new WasmModule<EntropyWasm>('@kompakt/entropy', { simd: wasmSimdBase64, scalar: wasmScalarBase64 });

/** Precisions above this use the exact rans16x32 stream (u64 states, u32 words, no slot table). */
export const MAX_TABLE_PRECISION = 16;

/** Worst-case rANS stream length for n symbols: 16 lane states plus at most one word per symbol. */
export function ransBound(n: number, precision: number): number {
  return precision > MAX_TABLE_PRECISION ? 128 + 4 * n : 64 + 2 * n;
}

function native(): EntropyNative {
  const binding = nativeBinding<EntropyNative & Record<string, unknown>>();
  if (!binding) throw new KompaktError('BACKEND_UNAVAILABLE', 'the native backend was selected but @kompakt/native is not loaded');
  return binding;
}

/** The wasm arena of the active backend, or null for native (an addon without these kernels is passed over). */
function arena(): WasmArena<EntropyWasm> | null {
  const backend = backendFor(NATIVE_KERNELS);
  return backend === 'native' ? null : wasm.arena(wasmVariant(backend));
}

/** Encodes into a fresh array; returns the stream or a negative status. */
export function ransEncode(syms: Uint8Array | Uint16Array, freqs: Uint32Array, precision: number): Uint8Array | number {
  const cap = ransBound(syms.length, precision);
  const width = syms.BYTES_PER_ELEMENT;
  const a = arena();
  if (!a) {
    const out = new Uint8Array(cap);
    const len = native().ransEncode(syms, freqs, precision, out);
    return len < 0 ? len : out.slice(0, len);
  }
  return a.run((m) => {
    // Reserve everything first: a reservation may grow memory and detach earlier views.
    const sp = m.reserve(syms.byteLength);
    const fp = m.reserve(freqs.length * 4);
    const op = m.reserve(cap);
    const scratch = m.reserve(width === 1 ? 16 << 8 : 16 << 16);
    m.u8(sp, syms.byteLength).set(new Uint8Array(syms.buffer, syms.byteOffset, syms.byteLength));
    m.u32(fp, freqs.length).set(freqs);
    const len = m.exports.rans_encode(sp, syms.length, width, fp, freqs.length, precision, op, cap, scratch);
    return len < 0 ? len : m.u8(op, len).slice();
  });
}

/** Decodes `out.length` symbols into `out`; returns 0 or a negative status. */
export function ransDecode(src: Uint8Array, freqs: Uint32Array, precision: number, out: Uint8Array | Uint16Array): number {
  const a = arena();
  if (!a) return native().ransDecode(src, freqs, precision, out);
  const rc = ransDecodeView(src, freqs, precision, out.length, out.BYTES_PER_ELEMENT as 1 | 2, (view) => out.set(view));
  return typeof rc === 'number' ? rc : 0;
}

/**
 * Decodes `n` symbols of `width` bytes and hands them to `take` as a view that is valid only during
 * the call (wasm memory on the wasm backends: no intermediate array), unless `owned` says it is a
 * fresh array the caller may keep (native). Returns take's result or a negative status.
 */
export function ransDecodeView<R>(
  src: Uint8Array, freqs: Uint32Array, precision: number, n: number, width: 1 | 2, take: (view: Uint8Array | Uint16Array, owned: boolean) => R,
): R | number {
  const a = arena();
  if (!a) {
    const out = width === 1 ? new Uint8Array(n) : new Uint16Array(n);
    const rc = native().ransDecode(src, freqs, precision, out);
    return rc !== 0 ? rc : take(out, true);
  }
  return a.run((m) => {
    const sp = m.reserve(src.length);
    const fp = m.reserve(freqs.length * 4);
    const op = m.reserve(n * width);
    const scratch = m.reserve(m.exports.rans_decode_scratch_bytes(freqs.length, precision, width));
    m.u8(sp, src.length).set(src);
    m.u32(fp, freqs.length).set(freqs);
    const rc = m.exports.rans_decode(sp, src.length, fp, freqs.length, precision, op, n, width, scratch);
    if (rc !== 0) return rc;
    return take(width === 1 ? m.u8(op, n) : m.u16(op, n), false);
  });
}

/** Counts → frequencies (or a negative status). */
export function quantizeCounts(counts: Uint32Array, precision: number): Uint32Array | number {
  const freqs = new Uint32Array(counts.length);
  const a = arena();
  if (!a) {
    const rc = native().modelQuantizeCounts(counts, precision, freqs);
    return rc < 0 ? rc : freqs;
  }
  return a.run((m) => {
    const cp = m.reserve(counts.length * 4);
    const fp = m.reserve(counts.length * 4);
    m.u32(cp, counts.length).set(counts);
    const rc = m.exports.model_quantize_counts(cp, counts.length, precision, fp);
    if (rc === 0) freqs.set(m.u32(fp, counts.length));
    return rc < 0 ? rc : freqs;
  });
}

/** A quantized Gaussian (0), Laplace (1) or logistic (2) on lo … lo + nsym − 1 (or a negative status). */
export function quantizeParametric(kind: number, loc: number, scale: number, lo: number, nsym: number, precision: number): Uint32Array | number {
  const freqs = new Uint32Array(nsym);
  const a = arena();
  if (!a) {
    const rc = native().modelQuantizeParametric(kind, loc, scale, lo, precision, freqs);
    return rc < 0 ? rc : freqs;
  }
  return a.run((m) => {
    const fp = m.reserve(nsym * 4);
    const scratch = m.reserve(nsym * 4);
    const rc = m.exports.model_quantize_parametric(kind, loc, scale, lo, nsym, precision, fp, scratch);
    if (rc === 0) freqs.set(m.u32(fp, nsym));
    return rc < 0 ? rc : freqs;
  });
}

/** Per-symbol parametric models: kind (0 Gaussian, 1 Laplace, 2 logistic), f32 means and scales, support lo … lo + nsym − 1. */
export interface ParametricBatch {
  kind: number;
  means: Float32Array;
  scales: Float32Array;
  lo: number;
  nsym: number;
  precision: number;
}

/**
 * The arena for the per-symbol parametric kernels, which exist only in wasm: the active wasm variant,
 * or under the native backend the best wasm one (same bytes on every variant, so nothing changes).
 */
function parametricArena(): WasmArena<EntropyWasm> {
  const backend = getBackend();
  return wasm.arena(backend === 'native' ? (simdSupported() ? 'simd' : 'scalar') : wasmVariant(backend));
}

/** Codes i32 values, each with its own model; returns the rans16x16 stream or a negative status. */
export function ransEncodeParametric(values: Int32Array, b: ParametricBatch): Uint8Array | number {
  const n = values.length;
  const cap = ransBound(n, b.precision);
  return parametricArena().run((m) => {
    const vp = m.reserve(n * 4);
    const mp = m.reserve(n * 4);
    const sp = m.reserve(n * 4);
    const op = m.reserve(cap);
    const scratch = m.reserve(m.exports.parametric_scratch_bytes(b.nsym, n));
    m.u32(vp, n).set(new Uint32Array(values.buffer, values.byteOffset, n));
    m.f32(mp, n).set(b.means);
    m.f32(sp, n).set(b.scales);
    const len = m.exports.rans_encode_parametric(b.kind, vp, mp, sp, n, b.lo, b.nsym, b.precision, op, cap, scratch);
    return len < 0 ? len : m.u8(op, len).slice();
  });
}

/** Decodes `b.means.length` values into a fresh Int32Array, or returns a negative status. */
export function ransDecodeParametric(src: Uint8Array, b: ParametricBatch): Int32Array | number {
  const n = b.means.length;
  return parametricArena().run((m) => {
    const srcp = m.reserve(src.length);
    const mp = m.reserve(n * 4);
    const sp = m.reserve(n * 4);
    const op = m.reserve(n * 4);
    const scratch = m.reserve(m.exports.parametric_scratch_bytes(b.nsym, n));
    m.u8(srcp, src.length).set(src);
    m.f32(mp, n).set(b.means);
    m.f32(sp, n).set(b.scales);
    const rc = m.exports.rans_decode_parametric(b.kind, srcp, src.length, mp, sp, n, b.lo, b.nsym, b.precision, op, scratch);
    return rc !== 0 ? rc : new Int32Array(m.u32(op, n).slice().buffer);
  });
}

export function xxh32(src: Uint8Array, seed = 0): number {
  const a = arena();
  if (!a) return native().xxh32(src, seed) >>> 0;
  return a.run((m) => {
    const p = m.reserve(src.length);
    m.u8(p, src.length).set(src);
    return m.exports.xxh32(p, src.length, seed) >>> 0;
  });
}

/** One chunk of the tensor codec, forward: optional XOR with the base, byte planes, hashes, histograms. */
export interface SplitChunk {
  planes: Uint8Array; // planes × count bytes
  counts: Uint32Array; // 256 per plane
  rawHash: number; // xxh32 of the chunk's original bytes
  baseHash: number; // xxh32 of the base chunk (0 without base)
}

export function splitChunk(chunk: Uint8Array, base: Uint8Array | null, dtype: number, planes: number): SplitChunk {
  const count = chunk.length / planes;
  const a = arena();
  const counts = new Uint32Array(256 * planes);
  if (!a) {
    const k = native();
    const rawHash = k.xxh32(chunk, 0) >>> 0;
    let src = chunk;
    let baseHash = 0;
    if (base) {
      baseHash = k.xxh32(base, 0) >>> 0;
      src = new Uint8Array(chunk.length);
      k.xorBytes(src, chunk, base);
    }
    const out = new Uint8Array(chunk.length);
    k.tensorSplit(src, dtype, out);
    for (let p = 0; p < planes; p++) k.histU8(out.subarray(p * count, (p + 1) * count), counts.subarray(p * 256, (p + 1) * 256));
    return { planes: out, counts, rawHash, baseHash };
  }
  return a.run((m) => {
    const cp = m.reserve(chunk.length);
    const bp = base ? m.reserve(chunk.length) : 0;
    const pp = m.reserve(chunk.length);
    const hp = m.reserve(1024 * planes);
    const e = m.exports;
    m.u8(cp, chunk.length).set(chunk);
    const rawHash = e.xxh32(cp, chunk.length, 0) >>> 0;
    let baseHash = 0;
    if (base) {
      m.u8(bp, chunk.length).set(base);
      baseHash = e.xxh32(bp, chunk.length, 0) >>> 0;
      e.xor_bytes(cp, cp, bp, chunk.length);
    }
    e.tensor_split(cp, count, dtype, pp);
    for (let p = 0; p < planes; p++) e.hist_u8(pp + p * count, count, hp + p * 1024);
    counts.set(m.u32(hp, 256 * planes));
    return { planes: m.u8(pp, chunk.length).slice(), counts, rawHash, baseHash };
  });
}

/** One chunk backward: merge planes into `into`, XOR with the base; returns the xxh32 of the result. */
export function mergeChunk(planes: Uint8Array, base: Uint8Array | null, dtype: number, planeCount: number, into: Uint8Array): number {
  const count = planes.length / planeCount;
  const a = arena();
  if (!a) {
    const k = native();
    k.tensorMerge(planes, dtype, into);
    if (base) k.xorBytes(into, into, base);
    return k.xxh32(into, 0) >>> 0;
  }
  return a.run((m) => {
    const pp = m.reserve(planes.length);
    const op = m.reserve(planes.length);
    const bp = base ? m.reserve(planes.length) : 0;
    const e = m.exports;
    m.u8(pp, planes.length).set(planes);
    e.tensor_merge(pp, count, dtype, op);
    if (base) {
      m.u8(bp, planes.length).set(base);
      e.xor_bytes(op, op, bp, planes.length);
    }
    into.set(m.u8(op, planes.length));
    return e.xxh32(op, planes.length, 0) >>> 0;
  });
}

/** Compiles the wasm module for the current backend ahead of the first call (optional). */
export async function init(): Promise<void> {
  const backend = backendFor(NATIVE_KERNELS);
  if (backend !== 'native') await wasm.init(wasmVariant(backend));
}
