import { KompaktError, describe } from '@kompakt/core';
import { q } from '../errors.js';
import { bytesOf, elementCount } from '../typed.js';
import { dtypeBits, dtypeRank, isSafetensorsDtype, type SafetensorsDtype } from './dtypes.js';

export interface SafetensorsInput {
  dtype: SafetensorsDtype;
  shape: readonly number[];
  /** The raw little-endian bytes, as any typed array or DataView; only the byte length is checked against the shape. */
  data: ArrayBufferView;
}

export interface WriteSafetensorsOptions {
  /** Written as `__metadata__`, keys sorted; omitted from the header when not given. */
  metadata?: Record<string, string>;
}

/**
 * Serialize tensors to a safetensors file, laid out as the reference implementation does, so the
 * bytes match its `serialize` for the same input: tensors sorted by dtype (the reference `Dtype`
 * order, widest first, so each starts aligned to its element size) then by name (code point
 * order = Rust's byte order of UTF-8); the JSON header compact, `__metadata__` first, padded with
 * spaces to a multiple of 8 bytes. Metadata keys are sorted (the reference uses a HashMap, whose
 * order is arbitrary).
 */
export function writeSafetensors(
  tensors: Record<string, SafetensorsInput> | ReadonlyMap<string, SafetensorsInput>,
  opts?: WriteSafetensorsOptions,
): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors as Record<string, SafetensorsInput>);
  const checked = entries.map(([name, t]) => check(name, t));
  checked.sort((a, b) => dtypeRank(b.dtype) - dtypeRank(a.dtype) || compareCodePoints(a.name, b.name));

  const parts: string[] = [];
  if (opts?.metadata !== undefined) parts.push(`"__metadata__":${metadataJson(opts.metadata)}`);
  let offset = 0;
  for (const t of checked) {
    const end = offset + t.bytes.length;
    parts.push(`${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;

  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const t of checked) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}

function check(name: string, t: SafetensorsInput): { name: string; dtype: SafetensorsDtype; shape: readonly number[]; bytes: Uint8Array } {
  const where = `writeSafetensors: tensor ${q(name)}`;
  if (name === '__metadata__') throw new KompaktError('INVALID_ARGUMENT', `${where}: the name is reserved for metadata`);
  if (t === null || typeof t !== 'object') throw new KompaktError('INVALID_TYPE', `${where}: expected { dtype, shape, data }, got ${describe(t)}`);
  if (!isSafetensorsDtype(t.dtype)) throw new KompaktError('INVALID_ARGUMENT', `${where}: unknown dtype ${describe(t.dtype)}`);
  if (!Array.isArray(t.shape)) throw new KompaktError('INVALID_TYPE', `${where}: shape must be an array, got ${describe(t.shape)}`);
  const n = elementCount(t.shape);
  if (n < 0) throw new KompaktError('INVALID_ARGUMENT', `${where}: shape [${t.shape.join(', ')}] must hold non-negative integers`);
  if (!ArrayBuffer.isView(t.data)) throw new KompaktError('INVALID_TYPE', `${where}: data must be a typed array, got ${describe(t.data)}`);
  const bits = n * dtypeBits(t.dtype);
  if (bits % 8 !== 0 || t.data.byteLength !== bits / 8) {
    throw new KompaktError('SHAPE_MISMATCH', `${where}: shape [${t.shape.join(', ')}] of ${t.dtype} needs ${bits / 8} bytes, data has ${t.data.byteLength}`);
  }
  return { name, dtype: t.dtype, shape: t.shape, bytes: bytesOf(t.data) };
}

function metadataJson(metadata: Record<string, string>): string {
  if (metadata === null || typeof metadata !== 'object') {
    throw new KompaktError('INVALID_TYPE', `writeSafetensors: metadata must be an object of strings, got ${describe(metadata)}`);
  }
  const keys = Object.keys(metadata).sort(compareCodePoints);
  for (const k of keys) {
    if (typeof metadata[k] !== 'string') {
      throw new KompaktError('INVALID_ARGUMENT', `writeSafetensors: metadata ${q(k)} must be a string, got ${describe(metadata[k])}`);
    }
  }
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`;
}

/** Code point order, which is the byte order of the UTF-8 encodings (how Rust orders strings). */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return (a.length - i) - (b.length - j);
}
