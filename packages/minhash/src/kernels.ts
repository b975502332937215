import { KompaktError, WasmModule, backendFor, wasmVariant, type WasmArena, type WasmCoreExports } from '@kompakt/core';
import { wasmScalarBase64, wasmSimdBase64 } from './generated/wasm.js';

/** wasm/minhash exports (docs/internals.md, "MinHash"). Pointers and counts are plain numbers. */
interface MinHashWasm extends WasmCoreExports {
  xxh32(ptr: number, len: number, seed: number): number;
  hash_items(bytes: number, offsets: number, n: number, kind: number, out: number): number;
  minhash_update(hashes: number, n: number, perm: number, k: number, sig: number): number;
  oph_update(hashes: number, n: number, k: number, seedLo: number, seedHi: number, bins: number): number;
  oph_densify(bins: number, rows: number, k: number, seedLo: number, seedHi: number, out: number): number;
  sketch_texts(
    text: number, offsets: number, ndocs: number, gram: number, n: number, kind: number, method: number,
    k: number, perm: number, seedLo: number, seedHi: number, scratch: number, out: number, counts: number,
  ): number;
}

/**
 * Native kernels this package would use. None exist yet, so `auto` always runs wasm here and a
 * forced `native` backend fails with BACKEND_UNAVAILABLE instead of silently running wasm.
 */
export const NATIVE_KERNELS = ['minhashUpdate', 'ophUpdate', 'ophDensify', 'sketchTexts'] as const;

export const wasm = new WasmModule<MinHashWasm>('@kompakt/minhash', { simd: wasmSimdBase64, scalar: wasmScalarBase64 });

export type Arena = WasmArena<MinHashWasm>;

/** Runs `fn` in the arena of the active wasm backend. */
export function withArena<T>(fn: (arena: Arena) => T): T {
  const backend = backendFor(NATIVE_KERNELS);
  if (backend === 'native') throw new KompaktError('INTERNAL', 'no native MinHash kernels');
  return wasm.arena(wasmVariant(backend)).run(fn);
}

/** Turns a kernel's negative return code into an error: the TS layer validates first, so it is a bug. */
export function check(rc: number, kernel: string): void {
  if (rc < 0) throw new KompaktError('INTERNAL', `${kernel} rejected its arguments (code ${rc})`);
}

/** Compiles the wasm module for the current backend ahead of the first call (optional). */
export async function init(): Promise<void> {
  const backend = backendFor(NATIVE_KERNELS);
  if (backend !== 'native') await wasm.init(wasmVariant(backend));
}
