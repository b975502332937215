import { WasmModule, backendFor, nativeBinding, wasmVariant, type WasmArena, type WasmCoreExports } from '@kompakt/core';
import { wasmScalarBase64, wasmSimdBase64 } from './generated/wasm.js';

/** wasm/lattice exports (docs/internals.md, "Lattice"). Pointers and counts are plain numbers. */
export interface LatticeWasm extends WasmCoreExports {
  nearest_zn(x: number, count: number, n: number, out: number): void;
  nearest_dn(x: number, count: number, n: number, out: number): void;
  nearest_dnplus(x: number, count: number, n: number, out: number): void;
  nearest_e8(x: number, count: number, out: number): void;
  nearest_leech(x: number, count: number, out: number): void;
  e8p_encode(x: number, count: number, codes: number): void;
  e8p_decode(codes: number, count: number, out: number): void;
  e81b_encode(x: number, count: number, codes: number): void;
  e81b_decode(codes: number, count: number, out: number): void;
  leech_sq_encode(x: number, count: number, out: number): void;
  leech_sq_decode(idx: number, count: number, out: number): number;
}

/** The @kompakt/native twins: typed arrays instead of pointers, lengths from the arrays, `threads` last. */
export interface LatticeNative {
  latticeNearestZn(x: Float32Array, n: number, out: Float32Array): void;
  latticeNearestDn(x: Float32Array, n: number, out: Float32Array): void;
  latticeNearestDnPlus(x: Float32Array, n: number, out: Float32Array): void;
  latticeNearestE8(x: Float32Array, out: Float32Array): void;
  latticeNearestLeech(x: Float32Array, out: Float32Array): void;
  latticeE8pEncode(x: Float32Array, codes: Uint16Array): void;
  latticeE8pDecode(codes: Uint16Array, out: Float32Array): void;
  latticeE81bEncode(x: Float32Array, codes: Uint8Array): void;
  latticeE81bDecode(codes: Uint8Array, out: Float32Array): void;
  latticeLeechSqEncode(x: Float32Array, out: Uint32Array): void;
  latticeLeechSqDecode(idx: Uint32Array, out: Float32Array): number;
}

/** The native kernels this package needs; an addon without them is passed over (wasm runs). */
export const NATIVE_KERNELS: readonly (keyof LatticeNative)[] = [
  'latticeNearestZn', 'latticeNearestDn', 'latticeNearestDnPlus', 'latticeNearestE8', 'latticeNearestLeech',
  'latticeE8pEncode', 'latticeE8pDecode', 'latticeE81bEncode', 'latticeE81bDecode', 'latticeLeechSqEncode', 'latticeLeechSqDecode',
];

export const wasm = new WasmModule<LatticeWasm>('@kompakt/lattice', { simd: wasmSimdBase64, scalar: wasmScalarBase64 });

/** Calls stream through the arena in chunks of about this many input bytes, so memory stays bounded. */
const CHUNK_BYTES = 256 << 10;

type Typed = Float32Array | Uint16Array | Uint32Array | Uint8Array;
type Ctor<T extends Typed> = { new (length: number): T; BYTES_PER_ELEMENT: number };

function view<T extends Typed>(a: WasmArena<LatticeWasm>, C: Ctor<T>, ptr: number, length: number): T {
  return new (C as unknown as new (b: ArrayBufferLike, o: number, l: number) => T)(a.exports.memory.buffer, ptr, length);
}

/**
 * Runs a kernel over `items` items of `inPer` input and `outPer` output elements: on native, one call
 * `nat(binding, input, out)` on the caller's arrays; on wasm, `fn(exports, in, count, out)` chunk by chunk
 * through the arena. Returns the output and the first non-negative kernel result (a position), or −1.
 */
export function runItems<I extends Typed, O extends Typed>(
  input: I, inPer: number, OutC: Ctor<O>, outPer: number,
  fn: (e: LatticeWasm, inp: number, count: number, out: number) => number | void,
  nat: (b: LatticeNative, inp: I, out: O) => number | void,
): { out: O; bad: number } {
  const items = input.length / inPer;
  const out = new OutC(items * outPer);
  const backend = backendFor(NATIVE_KERNELS);
  if (backend === 'native') {
    const r = nat(nativeBinding<LatticeNative & Record<string, unknown>>()!, input, out);
    return { out, bad: typeof r === 'number' ? r : -1 };
  }
  const a = wasm.arena(wasmVariant(backend));
  const InC = input.constructor as unknown as Ctor<I>;
  const per = Math.max(1, Math.floor(CHUNK_BYTES / (inPer * InC.BYTES_PER_ELEMENT)));
  let bad = -1;
  for (let start = 0; start < items; start += per) {
    const count = Math.min(per, items - start);
    a.run((ar) => {
      const ip = ar.reserve(count * inPer * InC.BYTES_PER_ELEMENT);
      const op = ar.reserve(count * outPer * OutC.BYTES_PER_ELEMENT);
      view(ar, InC, ip, count * inPer).set(input.subarray(start * inPer, (start + count) * inPer) as never);
      const r = fn(ar.exports, ip, count, op);
      if (typeof r === 'number' && r >= 0 && bad < 0) bad = start + r;
      out.set(view(ar, OutC, op, count * outPer) as never, start * outPer);
    });
  }
  return { out, bad };
}

/** Compiles the wasm module for the current backend ahead of the first call (optional). */
export async function init(): Promise<void> {
  const backend = backendFor(NATIVE_KERNELS);
  if (backend !== 'native') await wasm.init(wasmVariant(backend));
}
