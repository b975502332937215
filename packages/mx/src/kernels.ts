import { KompaktError, WasmModule, backendFor, nativeBinding, wasmVariant, type WasmCoreExports } from '@kompakt/core';
import { wasmScalarBase64, wasmSimdBase64 } from './generated/wasm.js';

/** wasm/mx exports (docs/internals.md, "MX" → "Kernels"). Pointers and counts are plain numbers. */
interface MxWasm extends WasmCoreExports {
  mx_amax(x: number, len: number): number;
  mx_quantize(
    x: number, rows: number, n: number, fmt: number, bs: number, scaleFmt: number, scaleRule: number, rounding: number,
    saturate: number, layout: number, tensorScale: number, key0: number, key1: number, firstRow: number, codes: number, scales: number,
  ): void;
  mx_dequantize(
    codes: number, scales: number, rows: number, n: number, fmt: number, bs: number, scaleFmt: number, rounding: number,
    layout: number, tensorScale: number, out: number, outDtype: number,
  ): number;
  mx_matvec(
    codes: number, scales: number, rows: number, n: number, fmt: number, bs: number, scaleFmt: number, layout: number,
    tensorScale: number, x: number, y: number,
  ): void;
  mx_encode_elements(x: number, len: number, fmt: number, rounding: number, saturate: number, key0: number, key1: number, out: number): void;
  mx_decode_elements(codes: number, len: number, fmt: number, out: number): void;
}

/**
 * The part of @kompakt/native this package calls: the wasm kernels with typed arrays instead of
 * pointers (lengths come from the arrays, so `len` arguments are dropped), `saturate` as a boolean,
 * plus a trailing `threads` on the block kernels.
 */
interface MxNative {
  mxAmax(x: Float32Array): number;
  mxQuantize(
    x: Float32Array, rows: number, n: number, fmt: number, bs: number, scaleFmt: number, scaleRule: number, rounding: number,
    saturate: boolean, layout: number, tensorScale: number, key0: number, key1: number, firstRow: number,
    codes: Uint8Array, scales: Uint8Array, threads: number,
  ): void;
  mxDequantize(
    codes: Uint8Array, scales: Uint8Array, rows: number, n: number, fmt: number, bs: number, scaleFmt: number, rounding: number,
    layout: number, tensorScale: number, out: Float32Array | Uint16Array, outDtype: number, threads: number,
  ): number;
  mxMatvec(
    codes: Uint8Array, scales: Uint8Array, rows: number, n: number, fmt: number, bs: number, scaleFmt: number, layout: number,
    tensorScale: number, x: Float32Array, y: Float32Array, threads: number,
  ): void;
  mxEncodeElements(x: Float32Array, fmt: number, rounding: number, saturate: boolean, key0: number, key1: number, out: Uint8Array): void;
  mxDecodeElements(codes: Uint8Array, fmt: number, out: Float32Array): void;
}

const NATIVE_NAMES = ['mxAmax', 'mxQuantize', 'mxDequantize', 'mxMatvec', 'mxEncodeElements', 'mxDecodeElements'] as const;

export const wasm = new WasmModule<MxWasm>('@kompakt/mx', { simd: wasmSimdBase64, scalar: wasmScalarBase64 });

/** Wasm calls stream rows through the arena in chunks of about this many input bytes. */
const CHUNK_BYTES = 256 << 10;

/** Kernel-level description of a block tensor (ids as in docs/internals.md). */
export interface BlockGeometry {
  rows: number;
  n: number;
  fmt: number;
  bs: number;
  blockBytes: number;
  scaleFmt: number;
  layout: number;
  tensorScale: number;
}

export interface QuantizeCall extends BlockGeometry {
  x: Float32Array;
  scaleRule: number;
  rounding: number;
  key0: number;
  key1: number;
  threads: number;
}

export interface DequantizeCall extends BlockGeometry {
  codes: Uint8Array;
  scales: Uint8Array;
  rounding: number;
  outDtype: number;
  threads: number;
}

export interface MatvecCall extends BlockGeometry {
  codes: Uint8Array;
  scales: Uint8Array;
  x: Float32Array;
  threads: number;
}

function native(): MxNative {
  const binding = nativeBinding<MxNative & Record<string, unknown>>();
  if (!binding) throw new KompaktError('BACKEND_UNAVAILABLE', 'the native backend was selected but @kompakt/native is not loaded');
  return binding;
}

function arena() {
  const backend = backendFor(NATIVE_NAMES);
  return backend === 'native' ? null : wasm.arena(wasmVariant(backend));
}

function nblocksOf(g: BlockGeometry): number {
  return Math.ceil(g.n / g.bs);
}

function rowsPerChunk(bytesPerRow: number): number {
  return Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, bytesPerRow)));
}

/** max |v| over the finite values of x (0 when none). */
export function amax(x: Float32Array): number {
  if (x.length === 0) return 0;
  const a = arena();
  if (!a) return native().mxAmax(x);
  const step = CHUNK_BYTES / 4;
  let m = 0;
  for (let off = 0; off < x.length; off += step) {
    const len = Math.min(step, x.length - off);
    m = Math.max(m, a.run((w) => {
      const p = w.reserve(len * 4);
      w.f32(p, len).set(x.subarray(off, off + len));
      return w.exports.mx_amax(p, len);
    }));
  }
  return m;
}

export function quantizeRows(c: QuantizeCall): { codes: Uint8Array; scales: Uint8Array } {
  const nb = nblocksOf(c);
  const codes = new Uint8Array(c.rows * nb * c.blockBytes);
  const scales = new Uint8Array(c.rows * nb);
  if (c.rows === 0 || c.n === 0) return { codes, scales };
  const a = arena();
  if (!a) {
    native().mxQuantize(c.x, c.rows, c.n, c.fmt, c.bs, c.scaleFmt, c.scaleRule, c.rounding, true, c.layout, c.tensorScale,
      c.key0, c.key1, 0, codes, scales, c.threads);
    return { codes, scales };
  }
  const step = rowsPerChunk(c.n * 4);
  for (let r0 = 0; r0 < c.rows; r0 += step) {
    const rows = Math.min(step, c.rows - r0);
    a.run((w) => {
      const xp = w.reserve(rows * c.n * 4);
      const cp = w.reserve(rows * nb * c.blockBytes);
      const sp = w.reserve(rows * nb);
      w.f32(xp, rows * c.n).set(c.x.subarray(r0 * c.n, (r0 + rows) * c.n));
      w.exports.mx_quantize(xp, rows, c.n, c.fmt, c.bs, c.scaleFmt, c.scaleRule, c.rounding, 1, c.layout, c.tensorScale,
        c.key0, c.key1, r0, cp, sp);
      codes.set(w.u8(cp, rows * nb * c.blockBytes), r0 * nb * c.blockBytes);
      scales.set(w.u8(sp, rows * nb), r0 * nb);
    });
  }
  return { codes, scales };
}

/** Decodes rows; returns the output and the index of the first NaN-scale block (−1 when none). */
export function dequantizeRows(c: DequantizeCall): { out: Float32Array | Uint16Array; firstNaN: number } {
  const len = c.rows * c.n;
  const out = c.outDtype === 0 ? new Float32Array(len) : new Uint16Array(len);
  if (len === 0) return { out, firstNaN: -1 };
  const nb = nblocksOf(c);
  const a = arena();
  if (!a) {
    const firstNaN = native().mxDequantize(c.codes, c.scales, c.rows, c.n, c.fmt, c.bs, c.scaleFmt, c.rounding, c.layout,
      c.tensorScale, out, c.outDtype, c.threads);
    return { out, firstNaN };
  }
  const elemBytes = c.outDtype === 0 ? 4 : 2;
  const step = rowsPerChunk(c.n * elemBytes);
  let firstNaN = -1;
  for (let r0 = 0; r0 < c.rows; r0 += step) {
    const rows = Math.min(step, c.rows - r0);
    a.run((w) => {
      const cp = w.reserve(rows * nb * c.blockBytes);
      const sp = w.reserve(rows * nb);
      const op = w.reserve(rows * c.n * elemBytes);
      w.u8(cp, rows * nb * c.blockBytes).set(c.codes.subarray(r0 * nb * c.blockBytes, (r0 + rows) * nb * c.blockBytes));
      w.u8(sp, rows * nb).set(c.scales.subarray(r0 * nb, (r0 + rows) * nb));
      const bad = w.exports.mx_dequantize(cp, sp, rows, c.n, c.fmt, c.bs, c.scaleFmt, c.rounding, c.layout, c.tensorScale, op, c.outDtype);
      if (bad >= 0 && firstNaN < 0) firstNaN = r0 * nb + bad;
      if (c.outDtype === 0) (out as Float32Array).set(w.f32(op, rows * c.n), r0 * c.n);
      else (out as Uint16Array).set(w.u16(op, rows * c.n), r0 * c.n);
    });
  }
  return { out, firstNaN };
}

export function matvecRows(c: MatvecCall): Float32Array {
  const y = new Float32Array(c.rows);
  if (c.rows === 0 || c.n === 0) return y;
  const nb = nblocksOf(c);
  const a = arena();
  if (!a) {
    native().mxMatvec(c.codes, c.scales, c.rows, c.n, c.fmt, c.bs, c.scaleFmt, c.layout, c.tensorScale, c.x, y, c.threads);
    return y;
  }
  const step = rowsPerChunk(nb * c.blockBytes);
  for (let r0 = 0; r0 < c.rows; r0 += step) {
    const rows = Math.min(step, c.rows - r0);
    a.run((w) => {
      const cp = w.reserve(rows * nb * c.blockBytes);
      const sp = w.reserve(rows * nb);
      const xp = w.reserve(c.n * 4);
      const yp = w.reserve(rows * 4);
      w.u8(cp, rows * nb * c.blockBytes).set(c.codes.subarray(r0 * nb * c.blockBytes, (r0 + rows) * nb * c.blockBytes));
      w.u8(sp, rows * nb).set(c.scales.subarray(r0 * nb, (r0 + rows) * nb));
      w.f32(xp, c.n).set(c.x);
      w.exports.mx_matvec(cp, sp, rows, c.n, c.fmt, c.bs, c.scaleFmt, c.layout, c.tensorScale, xp, yp);
      y.set(w.f32(yp, rows), r0);
    });
  }
  return y;
}

/**
 * One code per byte. Not chunked on wasm: the random word of element i depends on i, and the kernel
 * has no offset argument.
 */
export function encodeElementsKernel(x: Float32Array, fmt: number, rounding: number, saturate: boolean, key0: number, key1: number): Uint8Array {
  const out = new Uint8Array(x.length);
  if (x.length === 0) return out;
  const a = arena();
  if (!a) {
    native().mxEncodeElements(x, fmt, rounding, saturate, key0, key1, out);
    return out;
  }
  a.run((w) => {
    const xp = w.reserve(x.length * 4);
    const op = w.reserve(x.length);
    w.f32(xp, x.length).set(x);
    w.exports.mx_encode_elements(xp, x.length, fmt, rounding, saturate ? 1 : 0, key0, key1, op);
    out.set(w.u8(op, x.length));
  });
  return out;
}

export function decodeElementsKernel(codes: Uint8Array, fmt: number): Float32Array {
  const out = new Float32Array(codes.length);
  if (codes.length === 0) return out;
  const a = arena();
  if (!a) {
    native().mxDecodeElements(codes, fmt, out);
    return out;
  }
  const step = CHUNK_BYTES / 4;
  for (let off = 0; off < codes.length; off += step) {
    const len = Math.min(step, codes.length - off);
    a.run((w) => {
      const cp = w.reserve(len);
      const op = w.reserve(len * 4);
      w.u8(cp, len).set(codes.subarray(off, off + len));
      w.exports.mx_decode_elements(cp, len, fmt, op);
      out.set(w.f32(op, len), off);
    });
  }
  return out;
}

/** Compiles the wasm module for the current backend ahead of the first call (optional). */
export async function init(): Promise<void> {
  const backend = backendFor(NATIVE_NAMES);
  if (backend !== 'native') await wasm.init(wasmVariant(backend));
}
