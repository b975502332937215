import { KompaktError, WasmModule, backendFor, nativeBinding, wasmVariant, type WasmArena, type WasmCoreExports } from '@kompakt/core';
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

/** Elements of one row per wasm call when rows are longer than a chunk: whole blocks, about CHUNK_BYTES. */
function columnsPerChunk(bs: number, bytesPerElement: number): number {
  return Math.max(1, Math.floor(CHUNK_BYTES / (bytesPerElement * bs))) * bs;
}

/**
 * Column chunk for quantizing rows of n elements on wasm. The kernel numbers the random word of an
 * element (firstRow + r)·n + col, so with stochastic rounding a chunk must divide the row (then a
 * chunk at global element g starts "row" g / chunk); failing a usable divisor the row is one chunk.
 */
function quantizeColumns(n: number, bs: number, rounding: number): number {
  const cols = columnsPerChunk(bs, 4);
  if (n <= cols || (rounding !== 2 && rounding !== 3)) return cols;
  if (n % bs !== 0) return n;
  const blocks = n / bs;
  let k = cols / bs;
  while (blocks % k !== 0) k--;
  return k * 16 >= cols / bs ? k * bs : n;
}

/** max |v| over the finite values of x (0 when none). */
export function amax(x: Float32Array): number {
  if (x.length === 0) return 0;
  const a = arena();
  if (!a) return native().mxAmax(x);
  const step = Math.min(CHUNK_BYTES / 4, x.length);
  return a.run((w) => {
    const p = w.reserve(step * 4);
    const view = w.f32(p, step);
    let m = 0;
    for (let off = 0; off < x.length; off += step) {
      const len = Math.min(step, x.length - off);
      view.set(x.subarray(off, off + len));
      m = Math.max(m, w.exports.mx_amax(p, len));
    }
    return m;
  });
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
  const { n, bs, blockBytes: bb } = c;
  const cols = quantizeColumns(n, bs, c.rounding);
  const stochastic = c.rounding === 2 || c.rounding === 3;
  // Buffers are reserved once per call and their views made once; every chunk reuses them.
  a.run((w) => {
    const kernel = w.exports.mx_quantize;
    if (n <= cols) {
      // Whole rows per kernel call.
      const step = Math.min(rowsPerChunk(n * 4), c.rows);
      const xp = w.reserve(step * n * 4);
      const cp = w.reserve(step * nb * bb);
      const sp = w.reserve(step * nb);
      const xv = w.f32(xp, step * n);
      const cv = w.u8(cp, step * nb * bb);
      const sv = w.u8(sp, step * nb);
      for (let r0 = 0; r0 < c.rows; r0 += step) {
        const rows = Math.min(step, c.rows - r0);
        xv.set(c.x.subarray(r0 * n, (r0 + rows) * n));
        kernel(xp, rows, n, c.fmt, bs, c.scaleFmt, c.scaleRule, c.rounding, 1, c.layout, c.tensorScale, c.key0, c.key1, r0, cp, sp);
        codes.set(rows === step ? cv : cv.subarray(0, rows * nb * bb), r0 * nb * bb);
        scales.set(rows === step ? sv : sv.subarray(0, rows * nb), r0 * nb);
      }
      return;
    }
    // Long rows: whole blocks of one row per call (the last chunk of a row may end in a partial block).
    const chunkBlocks = cols / bs;
    const xp = w.reserve(cols * 4);
    const cp = w.reserve(chunkBlocks * bb);
    const sp = w.reserve(chunkBlocks);
    const xv = w.f32(xp, cols);
    const cv = w.u8(cp, chunkBlocks * bb);
    const sv = w.u8(sp, chunkBlocks);
    for (let r = 0; r < c.rows; r++) {
      for (let c0 = 0; c0 < n; c0 += cols) {
        const len = Math.min(cols, n - c0);
        const blocks = Math.ceil(len / bs);
        const g = r * n + c0;
        xv.set(c.x.subarray(g, g + len));
        // Only stochastic rounding reads firstRow; there cols divides n (quantizeColumns), so g / cols is whole.
        const firstRow = stochastic ? g / cols : 0;
        kernel(xp, 1, len, c.fmt, bs, c.scaleFmt, c.scaleRule, c.rounding, 1, c.layout, c.tensorScale, c.key0, c.key1, firstRow, cp, sp);
        const b = r * nb + c0 / bs;
        codes.set(blocks === chunkBlocks ? cv : cv.subarray(0, blocks * bb), b * bb);
        scales.set(blocks === chunkBlocks ? sv : sv.subarray(0, blocks), b);
      }
    }
  });
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
  const { n, bs, blockBytes: bb } = c;
  const elemBytes = c.outDtype === 0 ? 4 : 2;
  const cols = columnsPerChunk(bs, elemBytes);
  const view = (w: WasmArena<MxWasm>, p: number, count: number) => (c.outDtype === 0 ? w.f32(p, count) : w.u16(p, count));
  let firstNaN = -1;
  a.run((w) => {
    const kernel = w.exports.mx_dequantize;
    if (n <= cols) {
      const step = Math.min(rowsPerChunk(n * elemBytes), c.rows);
      const cp = w.reserve(step * nb * bb);
      const sp = w.reserve(step * nb);
      const op = w.reserve(step * n * elemBytes);
      const cv = w.u8(cp, step * nb * bb);
      const sv = w.u8(sp, step * nb);
      const ov = view(w, op, step * n);
      for (let r0 = 0; r0 < c.rows; r0 += step) {
        const rows = Math.min(step, c.rows - r0);
        cv.set(c.codes.subarray(r0 * nb * bb, (r0 + rows) * nb * bb));
        sv.set(c.scales.subarray(r0 * nb, (r0 + rows) * nb));
        const bad = kernel(cp, sp, rows, n, c.fmt, bs, c.scaleFmt, c.rounding, c.layout, c.tensorScale, op, c.outDtype);
        if (bad >= 0 && firstNaN < 0) firstNaN = r0 * nb + bad;
        out.set(rows === step ? ov : ov.subarray(0, rows * n), r0 * n);
      }
      return;
    }
    const chunkBlocks = cols / bs;
    const cp = w.reserve(chunkBlocks * bb);
    const sp = w.reserve(chunkBlocks);
    const op = w.reserve(cols * elemBytes);
    const cv = w.u8(cp, chunkBlocks * bb);
    const sv = w.u8(sp, chunkBlocks);
    const ov = view(w, op, cols);
    for (let r = 0; r < c.rows; r++) {
      for (let c0 = 0; c0 < n; c0 += cols) {
        const count = Math.min(cols, n - c0);
        const blocks = Math.ceil(count / bs);
        const b = r * nb + c0 / bs;
        cv.set(c.codes.subarray(b * bb, (b + blocks) * bb));
        sv.set(c.scales.subarray(b, b + blocks));
        const bad = kernel(cp, sp, 1, count, c.fmt, bs, c.scaleFmt, c.rounding, c.layout, c.tensorScale, op, c.outDtype);
        if (bad >= 0 && firstNaN < 0) firstNaN = b + bad;
        out.set(count === cols ? ov : ov.subarray(0, count), r * n + c0);
      }
    }
  });
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
  const bb = c.blockBytes;
  const step = Math.min(rowsPerChunk(nb * bb), c.rows);
  a.run((w) => {
    // x is copied once; the weight rows stream through one chunk buffer.
    const xp = w.reserve(c.n * 4);
    const cp = w.reserve(step * nb * bb);
    const sp = w.reserve(step * nb);
    const yp = w.reserve(step * 4);
    w.f32(xp, c.n).set(c.x);
    const cv = w.u8(cp, step * nb * bb);
    const sv = w.u8(sp, step * nb);
    const yv = w.f32(yp, step);
    for (let r0 = 0; r0 < c.rows; r0 += step) {
      const rows = Math.min(step, c.rows - r0);
      cv.set(c.codes.subarray(r0 * nb * bb, (r0 + rows) * nb * bb));
      sv.set(c.scales.subarray(r0 * nb, (r0 + rows) * nb));
      w.exports.mx_matvec(cp, sp, rows, c.n, c.fmt, c.bs, c.scaleFmt, c.layout, c.tensorScale, xp, yp);
      y.set(rows === step ? yv : yv.subarray(0, rows), r0);
    }
  });
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
  const step = Math.min(CHUNK_BYTES / 4, codes.length);
  a.run((w) => {
    const cp = w.reserve(step);
    const op = w.reserve(step * 4);
    const cv = w.u8(cp, step);
    const ov = w.f32(op, step);
    for (let off = 0; off < codes.length; off += step) {
      const len = Math.min(step, codes.length - off);
      cv.set(codes.subarray(off, off + len));
      w.exports.mx_decode_elements(cp, len, fmt, op);
      out.set(len === step ? ov : ov.subarray(0, len), off);
    }
  });
  return out;
}

/** Compiles the wasm module for the current backend ahead of the first call (optional). */
export async function init(): Promise<void> {
  const backend = backendFor(NATIVE_NAMES);
  if (backend !== 'native') await wasm.init(wasmVariant(backend));
}
