import { KompaktError, WasmModule, backendFor, nativeBinding, wasmVariant, type Dtype16, type WasmCoreExports } from '@kompakt/core';
import { wasmScalarBase64, wasmSimdBase64 } from './generated/wasm.js';
import type { SizePlan } from './sizes.js';

/** wasm/hadamard exports (docs/internals.md). Pointers and counts are plain numbers. */
interface HadamardWasm extends WasmCoreExports {
  fwht_rows(x: number, rows: number, k: number, log2m: number, hk: number, signs: number, signsAfter: number, scale: number, scratch: number): void;
  rademacher_fill(dst: number, n: number, key0: number, key1: number): void;
  f16_to_f32(src: number, dst: number, n: number): void;
  f32_to_f16(src: number, dst: number, n: number): void;
  bf16_to_f32(src: number, dst: number, n: number): void;
  f32_to_bf16(src: number, dst: number, n: number): void;
}

/** The part of @kompakt/native this package calls. */
interface HadamardNative {
  hadamardFwhtRows(x: Float32Array, rows: number, k: number, log2m: number, hk: Float32Array | null, signs: Float32Array | null, signsAfter: boolean, scale: number, threads: number): void;
  hadamardFwhtRows16(x: Uint16Array, dtype: 0 | 1, rows: number, k: number, log2m: number, hk: Float32Array | null, signs: Float32Array | null, signsAfter: boolean, scale: number, threads: number): void;
  rademacherFill(dst: Float32Array, key0: number, key1: number): void;
}

/** The @kompakt/native exports this package needs; an addon without them is passed over. */
const NATIVE_KERNELS = ['hadamardFwhtRows', 'hadamardFwhtRows16', 'rademacherFill'] as const;

export const wasm = new WasmModule<HadamardWasm>('@kompakt/hadamard', { simd: wasmSimdBase64, scalar: wasmScalarBase64 });

/**
 * Wasm calls stream rows through the arena in chunks of about this size: memory stays bounded for any
 * input, and copy-in, transform and copy-out of a chunk all hit L2 instead of DRAM.
 */
const CHUNK_BYTES = 256 << 10;

/** One batched transform, already validated: every backend gets exactly this. */
export interface TransformCall {
  x: Float32Array | Uint16Array;
  dtype: 'f32' | Dtype16;
  plan: SizePlan;
  hk: Float32Array | null; // k×k factor (or its transpose for inverses), null when k = 1
  signs: Float32Array | null;
  signsAfter: boolean;
  scale: number;
  threads: number;
}

export function runTransform(call: TransformCall): void {
  const backend = backendFor(NATIVE_KERNELS);
  if (backend === 'native') runNative(call);
  else runWasm(call, wasm.arena(wasmVariant(backend)));
}

function native(): HadamardNative {
  const binding = nativeBinding<HadamardNative & Record<string, unknown>>();
  if (!binding) throw new KompaktError('BACKEND_UNAVAILABLE', 'the native backend was selected but @kompakt/native is not loaded');
  return binding;
}

function runNative({ x, dtype, plan, hk, signs, signsAfter, scale, threads }: TransformCall): void {
  const rows = x.length / plan.n;
  if (dtype === 'f32') native().hadamardFwhtRows(x as Float32Array, rows, plan.k, plan.log2m, hk, signs, signsAfter, scale, threads);
  else native().hadamardFwhtRows16(x as Uint16Array, dtype === 'f16' ? 0 : 1, rows, plan.k, plan.log2m, hk, signs, signsAfter, scale, threads);
}

function runWasm(call: TransformCall, arena: ReturnType<typeof wasm.arena>): void {
  const { x, dtype, plan, hk, signs, signsAfter, scale } = call;
  const n = plan.n;
  const totalRows = x.length / n;
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / (n * 4)));
  const wide = dtype !== 'f32';
  for (let row = 0; row < totalRows; row += rowsPerChunk) {
    const rows = Math.min(rowsPerChunk, totalRows - row);
    const len = rows * n;
    arena.run((a) => {
      // Reserve everything first: a reservation may grow memory and detach earlier views.
      const xp = a.reserve(len * 4);
      const narrowP = wide ? a.reserve(len * 2) : 0;
      const hkp = hk ? a.reserve(hk.length * 4) : 0;
      const sp = signs ? a.reserve(n * 4) : 0;
      const scratch = plan.k > 1 ? a.reserve(n * 4) : 0;
      const e = a.exports;
      if (hk) a.f32(hkp, hk.length).set(hk);
      if (signs) a.f32(sp, n).set(signs);
      if (wide) {
        a.u16(narrowP, len).set((x as Uint16Array).subarray(row * n, row * n + len));
        (dtype === 'f16' ? e.f16_to_f32 : e.bf16_to_f32)(narrowP, xp, len);
      } else {
        a.f32(xp, len).set((x as Float32Array).subarray(row * n, row * n + len));
      }
      e.fwht_rows(xp, rows, plan.k, plan.log2m, hkp, sp, signsAfter ? 1 : 0, scale, scratch);
      if (wide) {
        (dtype === 'f16' ? e.f32_to_f16 : e.f32_to_bf16)(xp, narrowP, len);
        (x as Uint16Array).set(a.u16(narrowP, len), row * n);
      } else {
        (x as Float32Array).set(a.f32(xp, len), row * n);
      }
    });
  }
}

/** The Kompakt sign stream for a key, from the active backend's kernel (same bits everywhere). */
export function signStream(n: number, key0: number, key1: number): Float32Array {
  const out = new Float32Array(n);
  const backend = backendFor(NATIVE_KERNELS);
  if (backend === 'native') {
    native().rademacherFill(out, key0, key1);
    return out;
  }
  wasm.arena(wasmVariant(backend)).run((a) => {
    const p = a.reserve(n * 4);
    a.exports.rademacher_fill(p, n, key0, key1);
    out.set(a.f32(p, n));
  });
  return out;
}

/** Compiles the wasm module for the current backend ahead of the first call (optional). */
export async function init(): Promise<void> {
  const backend = backendFor(NATIVE_KERNELS);
  if (backend !== 'native') await wasm.init(wasmVariant(backend));
}
