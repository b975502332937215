import { KompaktError, describe } from '@kompakt/core';
import { fail, q } from './errors.js';
import { bytesOf, elementCount, typedView, type TypedArray, type TypedArrayConstructor } from './typed.js';

/**
 * NumPy `.npy` (format versions 1.0, 2.0, 3.0) for plain C-order arrays of bool, int, uint and
 * float. Big-endian files ('>f4') are byte-swapped into little-endian arrays; `fortran_order: True`,
 * structured and object dtypes are rejected with INVALID_ARGUMENT.
 */
export type NpyDtype =
  | 'bool' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'float16' | 'float32' | 'float64';

/** kind + itemsize ('f4') → dtype and array; float16 travels as Uint16Array bits. */
const KINDS: Record<string, readonly [NpyDtype, TypedArrayConstructor]> = {
  b1: ['bool', Uint8Array],
  i1: ['int8', Int8Array],
  u1: ['uint8', Uint8Array],
  i2: ['int16', Int16Array],
  u2: ['uint16', Uint16Array],
  i4: ['int32', Int32Array],
  u4: ['uint32', Uint32Array],
  i8: ['int64', BigInt64Array],
  u8: ['uint64', BigUint64Array],
  f2: ['float16', Uint16Array],
  f4: ['float32', Float32Array],
  f8: ['float64', Float64Array],
};

export interface NpyArray {
  dtype: NpyDtype;
  /** The header's descr, e.g. '<f4'. */
  descr: string;
  shape: number[];
  /** Little-endian; a view into the input when aligned and already little-endian, else a copy. */
  data: TypedArray;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy's own default `max_header_size`: a longer header is TOO_LARGE. */
const MAX_HEADER = 10_000;

/** Read a `.npy` file. The data must fill the rest of the input exactly. */
export function readNpy(bytes: Uint8Array, opts?: { name?: string }): NpyArray {
  if (!(bytes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `readNpy: bytes must be a Uint8Array, got ${describe(bytes)}`);
  const source = opts?.name ?? 'npy';
  if (bytes.length < 10) fail('TRUNCATED', source, `${bytes.length} bytes, shorter than the 10-byte preamble`);
  if (MAGIC.some((b, i) => bytes[i] !== b)) fail('CORRUPT', source, 'not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) fail('UNSUPPORTED_VERSION', source, `format version ${major}.${minor} (this reader knows 1.0, 2.0 and 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthSize) fail('TRUNCATED', source, 'the file ends inside the header length');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER) fail('TOO_LARGE', source, `header of ${headerLength} bytes exceeds ${MAX_HEADER} (numpy's max_header_size)`);
  const dataStart = 8 + lengthSize + headerLength;
  if (dataStart > bytes.length) fail('TRUNCATED', source, `the header needs ${dataStart} bytes, the file has ${bytes.length}`);
  // Versions 1 and 2 are latin1 (each byte one char); 3 is UTF-8.
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthSize, dataStart));
  const dict = parseHeader(header, source);

  const m = /^([<>|=])([biuf][1248])$/.exec(dict.descr);
  const kind = m && KINDS[m[2]];
  if (!m || !kind) fail('INVALID_ARGUMENT', source, `dtype ${q(dict.descr)} is not supported (plain bool, int, uint and float only)`);
  if (dict.fortran_order) fail('INVALID_ARGUMENT', source, 'fortran_order True is not supported: save a C-order array (np.ascontiguousarray)');
  const [dtype, Ctor] = kind;
  const n = elementCount(dict.shape);
  const size = Ctor.BYTES_PER_ELEMENT;
  if (n < 0 || n > Number.MAX_SAFE_INTEGER / size) fail('CORRUPT', source, `shape (${dict.shape.join(', ')}) is too large`);
  const available = bytes.length - dataStart;
  if (n * size > available) fail('TRUNCATED', source, `shape (${dict.shape.join(', ')}) of ${dict.descr} needs ${n * size} data bytes, the file has ${available}`);
  if (n * size < available) fail('CORRUPT', source, `${available - n * size} bytes after the data of shape (${dict.shape.join(', ')})`);
  let raw = bytes.subarray(dataStart);
  if (m[1] === '>' && size > 1) raw = byteSwap(raw, size);
  return { dtype, descr: dict.descr, shape: dict.shape, data: typedView(Ctor, raw) };
}

function byteSwap(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += size) {
    for (let j = 0; j < size; j++) out[i + j] = src[i + size - 1 - j];
  }
  return out;
}

interface Header {
  descr: string;
  fortran_order: boolean;
  shape: number[];
}

/**
 * The header is a Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
 * A tiny parser for exactly that grammar (string keys; string, bool or int-tuple values), as numpy
 * checks it: exactly those three keys, a real tuple (`(3)` is an int, `(3,)` a tuple).
 */
function parseHeader(text: string, source: string): Header {
  let i = 0;
  const bad = (what: string): never => fail('CORRUPT', source, `header ${what} at character ${i}: ${q(text)}`);
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const eat = (c: string) => {
    ws();
    if (text[i] !== c) bad(`expects '${c}'`);
    i++;
  };
  const str = (): string => {
    ws();
    const quote = text[i];
    if (quote !== "'" && quote !== '"') bad('expects a string');
    const end = text.indexOf(quote, i + 1);
    if (end < 0 || text.slice(i + 1, end).includes('\\')) bad('has an unterminated or escaped string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const int = (): number => {
    ws();
    const m = /^\d+L?/.exec(text.slice(i, i + 32)); // 'L': Python 2 longs, as numpy still accepts
    if (!m) bad('expects a non-negative integer');
    i += m![0].length;
    const v = Number(m![0].replace('L', ''));
    if (!Number.isSafeInteger(v)) bad('has a dimension beyond 2^53');
    return v;
  };
  const value = (): unknown => {
    ws();
    if (text.startsWith('True', i)) return (i += 4), true;
    if (text.startsWith('False', i)) return (i += 5), false;
    if (text[i] === "'" || text[i] === '"') return str();
    if (text[i] === '[') fail('INVALID_ARGUMENT', source, 'structured dtypes (a list descr) are not supported');
    if (text[i] !== '(') bad('expects a string, True, False or a tuple');
    i++;
    const dims: number[] = [];
    let comma = false;
    for (ws(); text[i] !== ')'; ws()) {
      dims.push(int());
      ws();
      comma = text[i] === ',';
      if (comma) i++;
      else if (text[i] !== ')') bad("expects ',' or ')'");
    }
    i++;
    if (dims.length === 1 && !comma) bad('has (n) where a tuple needs (n,)');
    return dims;
  };

  const dict: Record<string, unknown> = Object.create(null);
  eat('{');
  for (ws(); text[i] !== '}'; ws()) {
    const key = str();
    if (key in dict) bad(`repeats key ${q(key)}`);
    eat(':');
    dict[key] = value();
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') bad("expects ',' or '}'");
  }
  i++;
  ws();
  if (i !== text.length) bad('has text after the dict');
  const keys = Object.keys(dict).sort().join(',');
  if (keys !== 'descr,fortran_order,shape') fail('CORRUPT', source, `header keys are {${keys}}, numpy needs exactly descr, fortran_order, shape`);
  if (typeof dict.descr !== 'string') fail('INVALID_ARGUMENT', source, 'descr is not a string (structured dtypes are not supported)');
  if (typeof dict.fortran_order !== 'boolean') fail('CORRUPT', source, 'fortran_order is not True or False');
  if (!Array.isArray(dict.shape)) fail('CORRUPT', source, 'shape is not a tuple');
  return dict as unknown as Header;
}

const DEFAULT_DTYPE: [Function, NpyDtype][] = [
  [Float32Array, 'float32'], [Float64Array, 'float64'], [Int8Array, 'int8'], [Uint8Array, 'uint8'],
  [Int16Array, 'int16'], [Uint16Array, 'uint16'], [Int32Array, 'int32'], [Uint32Array, 'uint32'],
  [BigInt64Array, 'int64'], [BigUint64Array, 'uint64'],
];

export interface WriteNpyOptions {
  /** Default: [data.length]. Use [] for a 0-d array. */
  shape?: readonly number[];
  /** Default from the array type; needed for 'float16' (Uint16Array bits) and 'bool' (Uint8Array of 0/1). */
  dtype?: NpyDtype;
}

/**
 * Write a C-order `.npy` file, byte for byte what `np.save` writes (numpy ≥ 1.24: the header padded
 * so the data starts at a multiple of 64, with the spare room numpy leaves for growing the first
 * axis); version 1.0, or 2.0 when the header passes 65535 bytes.
 */
export function writeNpy(data: TypedArray, opts?: WriteNpyOptions): Uint8Array {
  const found = DEFAULT_DTYPE.find(([C]) => data instanceof C);
  if (!found) throw new KompaktError('INVALID_TYPE', `writeNpy: data must be a typed array, got ${describe(data)}`);
  const dtype = opts?.dtype ?? found[1];
  const entry = Object.entries(KINDS).find(([, [d]]) => d === dtype);
  if (!entry) throw new KompaktError('INVALID_ARGUMENT', `writeNpy: unknown dtype ${describe(dtype)}`);
  const [kind, [, Ctor]] = entry;
  if (!(data instanceof Ctor)) throw new KompaktError('INVALID_TYPE', `writeNpy: dtype '${dtype}' needs a ${Ctor.name}, got ${describe(data)}`);
  const shape = opts?.shape ?? [data.length];
  const n = Array.isArray(shape) ? elementCount(shape) : -1;
  if (n < 0) throw new KompaktError('INVALID_ARGUMENT', `writeNpy: shape must be non-negative integers, got ${describe(shape)}`);
  if (n !== data.length) throw new KompaktError('SHAPE_MISMATCH', `writeNpy: shape (${shape.join(', ')}) holds ${n} elements, data has ${data.length}`);

  const descr = `${kind[1] === '1' ? '|' : '<'}${kind}`;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  if (shape.length > 0) header += ' '.repeat(21 - String(shape[0]).length); // numpy's GROWTH_AXIS_MAX_DIGITS
  // As numpy: version 1.0 unless the padded header overflows its u16 length, then 2.0.
  const padded = (lengthSize: number) => header.length + 1 + 64 - ((8 + lengthSize + header.length + 1) % 64);
  const major = padded(2) <= 0xffff ? 1 : 2;
  const lengthSize = major === 1 ? 2 : 4;
  const headerLength = padded(lengthSize);
  const pad = headerLength - header.length - 1;
  const out = new Uint8Array(8 + lengthSize + headerLength + data.byteLength);
  out.set(MAGIC);
  out[6] = major;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  const text = header + ' '.repeat(pad) + '\n';
  for (let k = 0; k < text.length; k++) out[8 + lengthSize + k] = text.charCodeAt(k); // ASCII only
  out.set(bytesOf(data), 8 + lengthSize + headerLength);
  return out;
}
