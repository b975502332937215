import { KompaktError, describe } from '@kompakt/core';
import { ByteReader } from '../bytes.js';
import { fail, NeedMore, q } from '../errors.js';
import { elementCount, typedView, type TypedArray, type TypedArrayConstructor } from '../typed.js';
import { ggmlType } from './types.js';

/** GGUF metadata value types, by their id in the file. */
export type GgufValueType =
  | 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'bool' | 'string' | 'array' | 'uint64' | 'int64' | 'float64';
const VALUE_TYPES: readonly GgufValueType[] = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'bool', 'string', 'array', 'uint64', 'int64', 'float64'];

/**
 * A metadata value: 8–32-bit ints and floats → number, 64-bit ints → bigint, bool → boolean,
 * string → string. Arrays of numbers come back as typed arrays (token scores, token types: one
 * allocation, not 150k boxed numbers), arrays of strings, bools or arrays as JS arrays.
 */
export type GgufValue = number | bigint | boolean | string | TypedArray | GgufValue[];

const ARRAYS: Partial<Record<GgufValueType, TypedArrayConstructor>> = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array, uint32: Uint32Array, int32: Int32Array,
  float32: Float32Array, uint64: BigUint64Array, int64: BigInt64Array, float64: Float64Array,
};
const SCALAR_BYTES: Partial<Record<GgufValueType, number>> = { uint8: 1, int8: 1, bool: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4, uint64: 8, int64: 8, float64: 8 };
/** Fewest bytes one element of each type takes: bounds array counts before anything is allocated. */
const MIN_BYTES: Record<GgufValueType, number> = { ...(SCALAR_BYTES as Record<GgufValueType, number>), string: 8, array: 12 };
/** gguf-py writes nested arrays; ggml reads none. Deeper nesting than this is CORRUPT, not a stack overflow. */
const MAX_DEPTH = 8;
/** ggml's GGML_MAX_DIMS. */
const MAX_DIMS = 4;

export interface GgufTensorInfo {
  name: string;
  /** Dimensions in ggml order: dims[0] is the fastest-varying (ne[0], the row length). */
  dims: number[];
  /** The same, row-major (numpy/PyTorch order): dims reversed. */
  shape: number[];
  /** ggml type name ('F32', 'F16', 'MXFP4', 'Q4_K', …) and id (39 for MXFP4). */
  type: string;
  typeId: number;
  /** Absolute byte range in the file, [start, end). */
  start: number;
  end: number;
}

export interface GgufHeader {
  version: 2 | 3;
  metadata: Map<string, GgufValue>;
  /** The type of each metadata value; arrays as 'array<float32>', 'array<string>', 'array<array>'. */
  metadataTypes: Map<string, string>;
  /** general.alignment, default 32. */
  alignment: number;
  /** In header order. */
  tensors: GgufTensorInfo[];
  /** Where tensor data starts (the end of the header, padded to the alignment). */
  dataStart: number;
}

export interface GgufTensor extends GgufTensorInfo {
  /** The tensor's raw bytes in ggml layout (a view into the input, no copy). */
  data: Uint8Array;
}

/**
 * Parse a GGUF header (versions 2 and 3) from `prefix`, the first bytes of a file of `fileSize`
 * bytes. Returns `{ needed }` when the header runs past the prefix: fetch at least that many bytes
 * and call again (what the Node reader and HTTP range readers do). Every count and length is
 * checked against the file size before anything is allocated.
 */
export function parseGgufHeader(prefix: Uint8Array, fileSize: number, opts?: { name?: string }): GgufHeader | { needed: number } {
  const source = opts?.name ?? 'gguf';
  try {
    return parse(new ByteReader(prefix, source, Math.max(fileSize, prefix.length)));
  } catch (e) {
    if (e instanceof NeedMore) return { needed: e.end };
    throw e;
  }
}

function parse(r: ByteReader): GgufHeader {
  const source = r.source;
  const magic = r.u32('the magic');
  if (magic !== 0x46554747) fail('CORRUPT', source, 'not a GGUF file (no GGUF magic)');
  const version = r.u32('the version');
  if (version !== 2 && version !== 3) {
    const swapped = version === 0x02000000 || version === 0x03000000;
    fail('UNSUPPORTED_VERSION', source, swapped ? 'big-endian GGUF is not supported' : `version ${version} (this reader knows 2 and 3)`);
  }
  const tensorCount = r.u64('the tensor count');
  const kvCount = r.u64('the metadata count');
  if (kvCount * 13 > r.remaining()) fail('TRUNCATED', source, `${kvCount} metadata entries cannot fit in the ${r.remaining()} bytes left`);

  const metadata = new Map<string, GgufValue>();
  const metadataTypes = new Map<string, string>();
  for (let i = 0; i < kvCount; i++) {
    const key = string(r, `metadata key ${i}`);
    if (metadata.has(key)) fail('CORRUPT', source, `metadata key ${q(key)} appears twice`);
    const [value, type] = readValue(r, r.u32(`the type of ${q(key)}`), key, 0);
    metadata.set(key, value);
    metadataTypes.set(key, type);
  }

  let alignment = 32;
  if (metadata.has('general.alignment')) {
    const a = metadata.get('general.alignment');
    if (metadataTypes.get('general.alignment') !== 'uint32' || typeof a !== 'number' || a === 0 || (a & (a - 1)) !== 0) {
      fail('CORRUPT', source, `general.alignment must be a uint32 power of two, got ${describe(a)}`);
    }
    alignment = a;
  }

  if (tensorCount * 24 > r.remaining()) fail('TRUNCATED', source, `${tensorCount} tensor infos cannot fit in the ${r.remaining()} bytes left`);
  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) tensors.push(tensorInfo(r, i, names));
  const dataStart = Math.ceil(r.pos / alignment) * alignment;

  for (const t of tensors) {
    if (t.start % alignment !== 0) fail('CORRUPT', source, `tensor ${q(t.name)}: offset ${t.start} is not a multiple of the alignment ${alignment}`);
    t.start += dataStart;
    t.end += dataStart;
    if (t.end > r.total) fail('TRUNCATED', source, `tensor ${q(t.name)} ends at byte ${t.end}, the file has ${r.total}`);
  }
  const byStart = [...tensors].sort((a, b) => a.start - b.start);
  for (let i = 1; i < byStart.length; i++) {
    if (byStart[i].start < byStart[i - 1].end) fail('CORRUPT', source, `tensor ${q(byStart[i].name)} overlaps tensor ${q(byStart[i - 1].name)}`);
  }
  return { version, metadata, metadataTypes, alignment, tensors, dataStart };
}

function string(r: ByteReader, what: string): string {
  const n = r.u64(`the length of ${what}`);
  return r.utf8(n, what);
}

function readValue(r: ByteReader, typeId: number, key: string, depth: number): [GgufValue, string] {
  const type = VALUE_TYPES[typeId];
  const what = `metadata ${q(key)}`;
  if (type === undefined) fail('CORRUPT', r.source, `${what} has unknown value type ${typeId}`);
  if (type === 'string') return [string(r, what), type];
  if (type !== 'array') {
    const size = SCALAR_BYTES[type]!;
    const v = scalar(r, type, r.take(size, what));
    return [v, type];
  }
  if (depth >= MAX_DEPTH) fail('CORRUPT', r.source, `${what} nests arrays more than ${MAX_DEPTH} deep`);
  const elemId = r.u32(`the element type of ${what}`);
  const elem = VALUE_TYPES[elemId];
  if (elem === undefined) fail('CORRUPT', r.source, `${what} has unknown element type ${elemId}`);
  const count = r.u64(`the length of ${what}`);
  if (count * MIN_BYTES[elem] > r.remaining()) fail('TRUNCATED', r.source, `${what}: ${count} elements of ${elem} cannot fit in the ${r.remaining()} bytes left`);
  const Ctor = ARRAYS[elem];
  // Copy (slice) so the value owns aligned memory and does not pin the file's buffer.
  if (Ctor) return [typedView(Ctor, r.take(count * Ctor.BYTES_PER_ELEMENT, what).slice()), `array<${elem}>`];
  const out: GgufValue[] = [];
  for (let i = 0; i < count; i++) {
    if (elem === 'bool') out.push(r.u8(what) !== 0);
    else out.push(readValue(r, elemId, key, depth + 1)[0]);
  }
  return [out, `array<${elem}>`];
}

function scalar(r: ByteReader, type: GgufValueType, b: Uint8Array): number | bigint | boolean {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case 'uint8': return v.getUint8(0);
    case 'int8': return v.getInt8(0);
    case 'uint16': return v.getUint16(0, true);
    case 'int16': return v.getInt16(0, true);
    case 'uint32': return v.getUint32(0, true);
    case 'int32': return v.getInt32(0, true);
    case 'float32': return v.getFloat32(0, true);
    case 'bool': return v.getUint8(0) !== 0;
    case 'uint64': return v.getBigUint64(0, true);
    case 'int64': return v.getBigInt64(0, true);
    case 'float64': return v.getFloat64(0, true);
    default: return fail('INTERNAL', r.source, `scalar type ${type}`);
  }
}

function tensorInfo(r: ByteReader, i: number, names: Set<string>): GgufTensorInfo {
  const name = string(r, `the name of tensor ${i}`);
  const where = `tensor ${q(name)}`;
  if (names.has(name)) fail('CORRUPT', r.source, `${where} appears twice`);
  names.add(name);
  const nDims = r.u32(`the dimension count of ${where}`);
  if (nDims > MAX_DIMS) fail('CORRUPT', r.source, `${where} has ${nDims} dimensions, ggml allows at most ${MAX_DIMS}`);
  const dims: number[] = [];
  for (let d = 0; d < nDims; d++) dims.push(r.u64(`dimension ${d} of ${where}`));
  const typeId = r.u32(`the type of ${where}`);
  const offset = r.u64(`the offset of ${where}`);
  const type = ggmlType(typeId);
  if (!type) fail('CORRUPT', r.source, `${where} has unknown ggml type ${typeId}`);
  const n = elementCount(dims);
  if (n < 0) fail('CORRUPT', r.source, `${where}: dims [${dims.join(', ')}] hold more than 2^53 elements`);
  if ((dims[0] ?? 1) % type.blockSize !== 0) {
    fail('CORRUPT', r.source, `${where}: row length ${dims[0] ?? 1} is not a multiple of the ${type.name} block size ${type.blockSize}`);
  }
  const bytes = (n / type.blockSize) * type.blockBytes;
  if (!Number.isSafeInteger(bytes)) fail('CORRUPT', r.source, `${where}: dims [${dims.join(', ')}] are too large`);
  return { name, dims, shape: [...dims].reverse(), type: type.name, typeId, start: offset, end: offset + bytes };
}

/** A GGUF file held in memory: header parsed and validated, tensors as raw bytes by name. */
export class Gguf implements GgufHeader {
  readonly version: 2 | 3;
  readonly metadata: Map<string, GgufValue>;
  readonly metadataTypes: Map<string, string>;
  readonly alignment: number;
  readonly tensors: GgufTensorInfo[];
  readonly dataStart: number;
  private readonly byName: Map<string, GgufTensorInfo>;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
    header: GgufHeader,
  ) {
    ({ version: this.version, metadata: this.metadata, metadataTypes: this.metadataTypes, alignment: this.alignment, tensors: this.tensors, dataStart: this.dataStart } = header);
    this.byName = new Map(header.tensors.map((t) => [t.name, t]));
  }

  names(): string[] {
    return this.tensors.map((t) => t.name);
  }

  info(name: string): GgufTensorInfo {
    const t = this.byName.get(name);
    if (!t) throw new KompaktError('INVALID_ARGUMENT', `${this.source}: no tensor ${q(name)} (the file has ${this.tensors.length})`);
    return t;
  }

  /** One tensor's raw bytes (any ggml type; F32/F16 little-endian, MXFP4 17-byte blocks). */
  tensor(name: string): GgufTensor {
    const t = this.info(name);
    return { ...t, dims: t.dims.slice(), shape: t.shape.slice(), data: this.bytes.subarray(t.start, t.end) };
  }
}

/** Parse a whole GGUF file held in memory (browser or Node). */
export function readGguf(bytes: Uint8Array, opts?: { name?: string }): Gguf {
  if (!(bytes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `readGguf: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const source = opts?.name ?? 'gguf';
  return new Gguf(bytes, source, parse(new ByteReader(bytes, source)));
}
