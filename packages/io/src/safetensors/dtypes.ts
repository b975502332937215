import type { TypedArrayConstructor } from '../typed.js';

/**
 * safetensors dtypes, in the reference implementation's `Dtype` order (huggingface/safetensors
 * `tensor.rs`): the writer sorts tensors by this order, descending, so every tensor starts aligned
 * to its element size, and matches the reference byte for byte.
 */
const TABLE = {
  BOOL: [8, Uint8Array],
  F4: [4, Uint8Array],
  F6_E2M3: [6, Uint8Array],
  F6_E3M2: [6, Uint8Array],
  U8: [8, Uint8Array],
  I8: [8, Int8Array],
  F8_E5M2: [8, Uint8Array],
  F8_E4M3: [8, Uint8Array],
  F8_E8M0: [8, Uint8Array],
  F8_E4M3FNUZ: [8, Uint8Array],
  F8_E5M2FNUZ: [8, Uint8Array],
  I16: [16, Int16Array],
  U16: [16, Uint16Array],
  F16: [16, Uint16Array],
  BF16: [16, Uint16Array],
  I32: [32, Int32Array],
  U32: [32, Uint32Array],
  F32: [32, Float32Array],
  C64: [64, Float32Array], // interleaved (re, im) pairs: 2 floats per element
  F64: [64, Float64Array],
  I64: [64, BigInt64Array],
  U64: [64, BigUint64Array],
} as const satisfies Record<SafetensorsDtype, readonly [number, TypedArrayConstructor]>;

export type SafetensorsDtype =
  | 'BOOL' | 'F4' | 'F6_E2M3' | 'F6_E3M2' | 'U8' | 'I8' | 'F8_E5M2' | 'F8_E4M3' | 'F8_E8M0' | 'F8_E4M3FNUZ' | 'F8_E5M2FNUZ'
  | 'I16' | 'U16' | 'F16' | 'BF16' | 'I32' | 'U32' | 'F32' | 'C64' | 'F64' | 'I64' | 'U64';

export const SAFETENSORS_DTYPES = Object.keys(TABLE) as SafetensorsDtype[];

export function isSafetensorsDtype(s: unknown): s is SafetensorsDtype {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(TABLE, s);
}

/** Bits per element (F4 and F6 pack below a byte; a tensor of them must fill whole bytes). */
export function dtypeBits(d: SafetensorsDtype): number {
  return TABLE[d][0];
}

/** The typed array a tensor of `d` comes back as (sub-byte and 8-bit floats: raw Uint8Array). */
export function dtypeArray(d: SafetensorsDtype): TypedArrayConstructor {
  return TABLE[d][1];
}

/** Position in the reference order (the writer sorts by it, descending). */
export function dtypeRank(d: SafetensorsDtype): number {
  return SAFETENSORS_DTYPES.indexOf(d);
}
