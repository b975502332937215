import { Bytes } from './helpers.js';

/** Value type ids of the GGUF spec. */
export const T = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, str: 8, arr: 9, u64: 10, i64: 11, f64: 12 } as const;

export interface KV {
  key: string;
  type: number;
  /** Writes the value bytes (after the type id). */
  write: (b: Bytes) => void;
}

export interface TensorSpec {
  name: string;
  dims: number[]; // ggml order
  type: number; // ggml type id
  data: Uint8Array;
  /** Override the offset written in the header (default: packed, aligned). */
  offset?: number;
}

/** A minimal GGUF writer, as llama.cpp's gguf-py lays files out: header, infos, pad, aligned data. */
export function buildGguf(opts: { version?: number; kvs?: KV[]; tensors?: TensorSpec[]; alignment?: number }): Uint8Array {
  const align = opts.alignment ?? 32;
  const tensors = opts.tensors ?? [];
  const kvs = opts.kvs ?? [];
  const b = new Bytes().raw([0x47, 0x47, 0x55, 0x46]).u32(opts.version ?? 3).u64(tensors.length).u64(kvs.length);
  for (const kv of kvs) {
    b.str(kv.key).u32(kv.type);
    kv.write(b);
  }
  let offset = 0;
  for (const t of tensors) {
    b.str(t.name).u32(t.dims.length);
    for (const d of t.dims) b.u64(d);
    b.u32(t.type).u64(t.offset ?? offset);
    offset = Math.ceil((offset + t.data.length) / align) * align;
  }
  b.pad(align);
  for (const t of tensors) b.raw(t.data).pad(align);
  return b.bytes();
}

export const kvU32 = (key: string, v: number): KV => ({ key, type: T.u32, write: (b) => b.u32(v) });
export const kvStr = (key: string, v: string): KV => ({ key, type: T.str, write: (b) => b.str(v) });
