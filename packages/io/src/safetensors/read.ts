import { KompaktError } from '@kompakt/core';
import { fail, q } from '../errors.js';
import { elementCount, typedView, type TypedArray } from '../typed.js';
import { dtypeArray, dtypeBits, isSafetensorsDtype, type SafetensorsDtype } from './dtypes.js';

/** The reference implementation's bound on the JSON header (100 MB): larger is TOO_LARGE. */
export const SAFETENSORS_MAX_HEADER = 100_000_000;

export interface SafetensorsTensorInfo {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Absolute byte offsets in the file, [start, end): the header's data_offsets + 8 + header length. */
  start: number;
  end: number;
}

export interface SafetensorsHeader {
  /** The `__metadata__` string map, or null when the file has none. */
  metadata: Record<string, string> | null;
  /** Every tensor, in file order (by offset). */
  tensors: SafetensorsTensorInfo[];
  /** Where the data section starts: 8 + the header length. */
  dataStart: number;
}

export interface SafetensorsTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /**
   * F32 → Float32Array, F64 → Float64Array, I8/I16/I32 → Int*Array, U16/U32 → Uint*Array,
   * I64/U64 → BigInt64Array/BigUint64Array, F16/BF16 → Uint16Array bits, C64 → Float32Array of
   * (re, im) pairs, BOOL, U8, the F8, F6 and F4 types → Uint8Array of the raw bytes.
   */
  data: TypedArray;
}

export interface ReadOptions {
  /** What to call the input in error messages (a file name); default "safetensors". */
  name?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** 8 + the header length N, read from the first 8 bytes: how many bytes `parseSafetensorsHeader` needs. */
export function safetensorsHeaderSize(first8: Uint8Array, opts?: ReadOptions): number {
  const source = opts?.name ?? 'safetensors';
  if (first8.length < 8) fail('TRUNCATED', source, `${first8.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const n = view.getUint32(4, true) * 0x1_0000_0000 + view.getUint32(0, true);
  if (n > SAFETENSORS_MAX_HEADER) {
    fail('TOO_LARGE', source, `header length ${view.getBigUint64(0, true)} exceeds the ${SAFETENSORS_MAX_HEADER}-byte limit`);
  }
  return 8 + n;
}

/**
 * Parse and validate a header. `prefix` holds at least the first `safetensorsHeaderSize` bytes of
 * a file of `fileSize` bytes (the rest need not be loaded: this is how the Node reader and HTTP
 * range readers work). Checks, as the reference implementation does: UTF-8 JSON object, known
 * dtypes, shapes whose byte size equals their data_offsets span, and offsets that tile the data
 * section exactly (no gap, no overlap, nothing after the last tensor).
 */
export function parseSafetensorsHeader(prefix: Uint8Array, fileSize: number, opts?: ReadOptions): SafetensorsHeader {
  const source = opts?.name ?? 'safetensors';
  const dataStart = safetensorsHeaderSize(prefix, opts);
  if (fileSize < dataStart) fail('TRUNCATED', source, `the header needs ${dataStart} bytes, the file has ${fileSize}`);
  if (prefix.length < dataStart) {
    throw new KompaktError('INVALID_ARGUMENT', `${source}: prefix has ${prefix.length} bytes, the header needs ${dataStart}`);
  }
  const json = parseJson(prefix.subarray(8, dataStart), source);
  let metadata: Record<string, string> | null = null;
  const tensors: SafetensorsTensorInfo[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = checkMetadata(value, source);
    else tensors.push(checkEntry(name, value, source));
  }
  // Order by (start, end), as the reference does, then require the ranges to tile the data section.
  tensors.sort((a, b) => a.start - b.start || a.end - b.end);
  const dataLength = fileSize - dataStart;
  let expected = 0;
  let previous: string | null = null;
  for (const t of tensors) {
    if (t.start > expected) fail('CORRUPT', source, `bytes [${expected}, ${t.start}) of the data section belong to no tensor (before tensor ${q(t.name)})`);
    if (t.start < expected) fail('CORRUPT', source, `tensor ${q(t.name)} at data_offsets [${t.start}, ${t.end}] overlaps tensor ${q(previous!)}`);
    if (t.end > dataLength) fail('TRUNCATED', source, `tensor ${q(t.name)} ends at byte ${t.end} of the data section, which has ${dataLength}`);
    expected = t.end;
    previous = t.name;
    t.start += dataStart;
    t.end += dataStart;
  }
  if (expected < dataLength) fail('CORRUPT', source, `${dataLength - expected} bytes after the last tensor: the data offsets must cover the data section exactly`);
  return { metadata, tensors, dataStart };
}

function parseJson(bytes: Uint8Array, source: string): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail('CORRUPT', source, 'header is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return fail('CORRUPT', source, `header is not valid JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('CORRUPT', source, 'header is not a JSON object');
  return value as Record<string, unknown>;
}

function checkMetadata(value: unknown, source: string): Record<string, string> | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) fail('CORRUPT', source, '__metadata__ is not an object');
  for (const [k, v] of Object.entries(value as object)) {
    if (typeof v !== 'string') fail('CORRUPT', source, `__metadata__ value for ${q(k)} is not a string`);
  }
  return value as Record<string, string>;
}

function checkEntry(name: string, value: unknown, source: string): SafetensorsTensorInfo {
  const where = `tensor ${q(name)}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('CORRUPT', source, `${where}: entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isSafetensorsDtype(dtype)) fail('CORRUPT', source, `${where}: unknown dtype ${typeof dtype === 'string' ? q(dtype) : String(dtype)}`);
  if (!Array.isArray(shape)) fail('CORRUPT', source, `${where}: shape is not an array`);
  const n = elementCount(shape);
  if (n < 0) fail('CORRUPT', source, `${where}: shape [${shape.slice(0, 8).join(', ')}] is not a list of non-negative integers with a product below 2^53`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail('CORRUPT', source, `${where}: data_offsets must be [start, end], two non-negative integers`);
  }
  const [start, end] = offsets as [number, number];
  if (end < start) fail('CORRUPT', source, `${where}: data_offsets [${start}, ${end}] end before they start`);
  const bits = dtypeBits(dtype);
  if (n > Number.MAX_SAFE_INTEGER / bits) fail('CORRUPT', source, `${where}: shape [${shape.join(', ')}] is too large`);
  if ((n * bits) % 8 !== 0) fail('CORRUPT', source, `${where}: ${n} ${dtype} elements do not fill whole bytes`);
  if (end - start !== (n * bits) / 8) {
    fail('CORRUPT', source, `${where}: shape [${shape.join(', ')}] of ${dtype} needs ${(n * bits) / 8} bytes, data_offsets [${start}, ${end}] give ${end - start}`);
  }
  return { name, dtype, shape: shape as number[], start, end };
}

/** The raw bytes of one tensor as its typed array (a view when aligned, else a copy). */
export function toTypedArray(dtype: SafetensorsDtype, bytes: Uint8Array): TypedArray {
  return typedView(dtypeArray(dtype), bytes);
}

/** A safetensors file held in memory, validated up front; tensors are decoded on request. */
export class Safetensors implements SafetensorsHeader {
  readonly metadata: Record<string, string> | null;
  readonly tensors: SafetensorsTensorInfo[];
  readonly dataStart: number;
  private readonly byName: Map<string, SafetensorsTensorInfo>;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
    header: SafetensorsHeader,
  ) {
    this.metadata = header.metadata;
    this.tensors = header.tensors;
    this.dataStart = header.dataStart;
    this.byName = new Map(header.tensors.map((t) => [t.name, t]));
  }

  /** Tensor names in file order. */
  names(): string[] {
    return this.tensors.map((t) => t.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  info(name: string): SafetensorsTensorInfo {
    const t = this.byName.get(name);
    if (!t) throw new KompaktError('INVALID_ARGUMENT', `${this.source}: no tensor ${q(name)} (the file has ${this.tensors.length})`);
    return t;
  }

  /** One tensor. Its data is a view into the input when aligned (no copy): copy it before mutating. */
  tensor(name: string): SafetensorsTensor {
    const t = this.info(name);
    return { name: t.name, dtype: t.dtype, shape: t.shape.slice(), data: toTypedArray(t.dtype, this.bytes.subarray(t.start, t.end)) };
  }
}

/** Validate a whole safetensors file in memory (browser or Node) for random access by name. */
export function readSafetensors(bytes: Uint8Array, opts?: ReadOptions): Safetensors {
  if (!(bytes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `readSafetensors: bytes must be a Uint8Array`);
  const source = opts?.name ?? 'safetensors';
  return new Safetensors(bytes, source, parseSafetensorsHeader(bytes, bytes.length, opts));
}
