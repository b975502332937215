import { KompaktError, WasmModule, backendFor, nativeBinding, wasmVariant, type WasmArena, type WasmCoreExports } from '@kompakt/core';
import { wasmScalarBase64, wasmSimdBase64 } from './generated/wasm.js';

/** wasm/minhash exports (docs/internals.md, "MinHash"). Pointers and counts are plain numbers. */
interface MinHashWasm extends WasmCoreExports {
  hash_items(bytes: number, offsets: number, n: number, kind: number, out: number): number;
  minhash_update(hashes: number, n: number, perm: number, k: number, sig: number): number;
  minhash_update32(hashes: number, n: number, perm: number, k: number, sig: number): number;
  oph_update(hashes: number, n: number, k: number, seedLo: number, seedHi: number, bins: number): number;
  oph_densify(bins: number, rows: number, k: number, seedLo: number, seedHi: number, out: number): number;
  sketch_texts(
    text: number, offsets: number, ndocs: number, gram: number, n: number, kind: number, method: number,
    k: number, perm: number, seedLo: number, seedHi: number, scratch: number, out: number, counts: number,
  ): number;
}

/** The @kompakt/native twins: typed arrays instead of pointers, a trailing `threads` on the batch kernels. */
interface MinHashNative {
  minhashHashItems(bytes: Uint8Array, offsets: Uint32Array, kind: number, out: Uint32Array): number;
  minhashUpdate(hashes: Uint32Array, perm: Uint32Array, sig: Uint32Array): number;
  minhashUpdate32(hashes: Uint32Array, perm: Uint32Array, sig: Uint32Array): number;
  minhashOphUpdate(hashes: Uint32Array, seedLo: number, seedHi: number, bins: Uint32Array): number;
  minhashOphDensify(bins: Uint32Array, k: number, seedLo: number, seedHi: number, out: Uint32Array, threads: number): number;
  minhashSketchTexts(
    text: Uint8Array, offsets: Uint32Array, gram: number, n: number, kind: number, method: number, k: number,
    perm: Uint32Array | null, seedLo: number, seedHi: number, out: Uint32Array, counts: Uint32Array, threads: number,
  ): number;
}

/** Native kernels this package needs; `auto` picks native only when the loaded addon has them all. */
export const NATIVE_KERNELS = ['minhashHashItems', 'minhashUpdate', 'minhashUpdate32', 'minhashOphUpdate', 'minhashOphDensify', 'minhashSketchTexts'] as const;

export const wasm = new WasmModule<MinHashWasm>('@kompakt/minhash', { simd: wasmSimdBase64, scalar: wasmScalarBase64 });

type Arena = WasmArena<MinHashWasm>;

/** The native kernels when the active backend is native, else null (run wasm). */
function native(): MinHashNative | null {
  return backendFor(NATIVE_KERNELS) === 'native' ? nativeBinding<MinHashNative & Record<string, unknown>>() : null;
}

/** Runs `fn` in the arena of the active wasm backend (callers take the native path first). */
function withArena<T>(fn: (arena: Arena) => T): T {
  const backend = backendFor(NATIVE_KERNELS);
  if (backend === 'native') throw new KompaktError('INTERNAL', 'wasm arena requested on the native backend');
  return wasm.arena(wasmVariant(backend)).run(fn);
}

/** Turns a kernel's negative return code into an error: the TS layer validates first, so it is a bug. */
function check(rc: number, kernel: string): void {
  if (rc < 0) throw new KompaktError('INTERNAL', `${kernel} rejected its arguments (code ${rc})`);
}

/** Reserves and fills a copy of `src` in the arena; returns its pointer. */
function put(a: Arena, src: Uint8Array | Uint32Array): number {
  const p = a.reserve(Math.max(src.byteLength, 4));
  (src instanceof Uint8Array ? a.u8(p, src.length) : a.u32(p, src.length)).set(src as never);
  return p;
}

/** Token hashes: item i = bytes[offsets[i] … offsets[i+1]), written to `out` (u32 each). */
export function hashItems(bytes: Uint8Array, offsets: Uint32Array, kind: number, out: Uint32Array): void {
  const nat = native();
  if (nat) return check(nat.minhashHashItems(bytes, offsets, kind, out), 'minhashHashItems');
  withArena((a) => {
    const bp = put(a, bytes);
    const op = put(a, offsets);
    const outP = a.reserve(out.length * 4);
    check(a.exports.hash_items(bp, op, out.length, kind, outP), 'hash_items');
    out.set(a.u32(outP, out.length));
  });
}

/**
 * Folds token hashes into classic minima `sig` (kp values; `perm` in the kernel layout of its family
 * for kp: datasketch's Mersenne family, or the 32-bit one).
 */
export function minhashUpdate(hashes: Uint32Array, perm: Uint32Array, sig: Uint32Array, datasketch: boolean): void {
  const nat = native();
  if (nat) return check(datasketch ? nat.minhashUpdate(hashes, perm, sig) : nat.minhashUpdate32(hashes, perm, sig), 'minhashUpdate');
  withArena((a) => {
    const hp = put(a, hashes); // a copy: minhash_update32 overwrites it
    const pp = put(a, perm);
    const sp = put(a, sig);
    const update = datasketch ? a.exports.minhash_update : a.exports.minhash_update32;
    check(update(hp, hashes.length, pp, sig.length, sp), 'minhash_update');
    sig.set(a.u32(sp, sig.length));
  });
}

/** Folds token hashes into raw OPH bins (k = bins.length). */
export function ophUpdate(hashes: Uint32Array, seed: number, bins: Uint32Array): void {
  const nat = native();
  if (nat) return check(nat.minhashOphUpdate(hashes, seed, 0, bins), 'minhashOphUpdate');
  withArena((a) => {
    const hp = put(a, hashes);
    const bp = put(a, bins);
    check(a.exports.oph_update(hp, hashes.length, bins.length, seed, 0, bp), 'oph_update');
    bins.set(a.u32(bp, bins.length));
  });
}

/** Densified copies of `rows` rows of k raw bins. */
export function ophDensify(bins: Uint32Array, rows: number, k: number, seed: number, threads: number): Uint32Array {
  const out = new Uint32Array(rows * k);
  const nat = native();
  if (nat) {
    check(nat.minhashOphDensify(bins, k, seed, 0, out, threads), 'minhashOphDensify');
    return out;
  }
  withArena((a) => {
    const src = put(a, bins);
    const dst = a.reserve(bins.length * 4);
    check(a.exports.oph_densify(src, rows, k, seed, 0, dst), 'oph_densify');
    out.set(a.u32(dst, bins.length));
  });
  return out;
}

/** One batch of raw documents for sketchBatch(). */
export interface TextBatch {
  bytes: Uint8Array;
  offsets: Uint32Array;
  /** Bytes of the longest document (sizes the wasm scratch). */
  longest: number;
}

/** Kernel ids of one sketching run (docs/internals.md). */
export interface BatchPlan {
  gram: number;
  n: number;
  kind: number;
  /** 0 classic (datasketch's Mersenne family), 1 OPH raw bins, 2 classic (32-bit family), 3 OPH densified. */
  method: number;
  /** Row length: k, or kp for classic. */
  k: number;
  perm: Uint32Array | null;
  seed: number;
  threads: number;
}

/** Normalizes, shingles, hashes and sketches a batch: `out` (docs × plan.k) and `counts` (docs). */
export function sketchBatch(batch: TextBatch, plan: BatchPlan, out: Uint32Array, counts: Uint32Array): void {
  const { bytes, offsets } = batch;
  const nat = native();
  if (nat) {
    const rc = nat.minhashSketchTexts(bytes, offsets, plan.gram, plan.n, plan.kind, plan.method, plan.k, plan.perm, plan.seed, 0, out, counts, plan.threads);
    return check(rc, 'minhashSketchTexts');
  }
  const n = offsets.length - 1;
  withArena((a) => {
    // 8 bytes of slack: the word hash reads whole 8-byte chunks and masks off what is past the word.
    const textP = a.reserve(bytes.length + 8);
    a.u8(textP, bytes.length).set(bytes);
    const offP = put(a, offsets);
    const permP = plan.perm ? put(a, plan.perm) : 0;
    const scratchP = a.reserve((batch.longest + 2 + plan.k) * 4);
    const outP = a.reserve(n * plan.k * 4);
    const countsP = a.reserve(n * 4);
    check(a.exports.sketch_texts(textP, offP, n, plan.gram, plan.n, plan.kind, plan.method, plan.k, permP, plan.seed, 0,
      scratchP, outP, countsP), 'sketch_texts');
    out.set(a.u32(outP, n * plan.k));
    counts.set(a.u32(countsP, n));
  });
}

/** Compiles the wasm module for the current backend ahead of the first call (optional). */
export async function init(): Promise<void> {
  const backend = backendFor(NATIVE_KERNELS);
  if (backend !== 'native') await wasm.init(wasmVariant(backend));
}
