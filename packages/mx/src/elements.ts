import { KompaktError, checkBoolean, checkOptions, describe, widen16, type Dtype16 } from '@kompakt/core';
import { ELEMENTS, ELEMENT_FORMATS, ROUNDING_IDS, type ElementFormat } from './formats.js';
import { decodeElementsKernel, encodeElementsKernel } from './kernels.js';
import { checkInput, invalid, parseSeed } from './options.js';

/** Rounding modes of the element codecs (the block-only 'stochastic-3/4' is not one). */
export type ElementRounding = 'rne' | 'away' | 'stochastic' | 'ggml';

export interface EncodeElementOptions {
  /** Default 'rne'. e8m0 and ue4m3 take only 'rne'. */
  rounding?: ElementRounding;
  /**
   * Overflow: true (default) clamps to ±max; false follows ml_dtypes' plain cast: e4m3 → NaN,
   * e5m2 → ±Inf, e8m0 → NaN (0xFF), the rest (no Inf, no NaN) still ±max.
   */
  saturate?: boolean;
  /** Seed of the stochastic-rounding stream (needed for 'stochastic'). */
  seed?: number | bigint;
  /** For a Uint16Array input: 'f16' or 'bf16' bits. */
  dtype?: 'f32' | Dtype16;
}

const ELEMENT_ROUNDINGS: readonly ElementRounding[] = ['rne', 'away', 'stochastic', 'ggml'];
const CODE_LIMIT: Readonly<Record<ElementFormat, number>> = {
  e2m1: 16, e2m3: 64, e3m2: 64, e4m3: 256, e5m2: 256, int8: 256, ue4m3: 128, e8m0: 256,
};

function parseElementFormat(format: unknown, fn: string): ElementFormat {
  if (typeof format !== 'string' || !(ELEMENT_FORMATS as readonly string[]).includes(format)) {
    throw invalid(`${fn}: format must be one of ${ELEMENT_FORMATS.map((f) => `'${f}'`).join(', ')}, got ${describe(format)}`);
  }
  return format as ElementFormat;
}

interface ParsedEncode {
  rounding: number;
  saturate: boolean;
  key0: number;
  key1: number;
  dtype: EncodeElementOptions['dtype'];
}

function parseEncode(format: ElementFormat, opts: unknown, fn: string): ParsedEncode {
  const o = checkOptions<EncodeElementOptions>(opts, `${fn} options`, ['rounding', 'saturate', 'seed', 'dtype']);
  const rounding = o.rounding ?? 'rne';
  if (!ELEMENT_ROUNDINGS.includes(rounding)) {
    throw invalid(`${fn}: rounding must be one of ${ELEMENT_ROUNDINGS.map((r) => `'${r}'`).join(', ')}, got ${describe(rounding)}`);
  }
  if ((format === 'e8m0' || format === 'ue4m3') && rounding !== 'rne') {
    throw invalid(`${fn}: the scale format '${format}' is encoded with rounding 'rne' only, got '${rounding}'`);
  }
  if (rounding === 'stochastic' && o.seed === undefined) throw invalid(`${fn}: rounding 'stochastic' needs a seed`);
  const { key0, key1 } = o.seed === undefined ? { key0: 0, key1: 0 } : parseSeed(o.seed, `${fn}: seed`);
  const saturate = o.saturate === undefined ? true : checkBoolean(o.saturate, `${fn}: saturate`);
  return { rounding: ROUNDING_IDS[rounding], saturate, key0, key1, dtype: o.dtype };
}

/**
 * Encodes values to one code per byte (unpacked). Float32Array input, or f16/bf16 bits with `dtype`.
 * Semantics (ties, overflow, NaN, Inf) are those of ml_dtypes; see docs/mx.md.
 *
 * @example
 * encodeElements('e4m3', Float32Array.of(400, 464, 1e6)); // [0x7c, 0x7e, 0x7e]
 */
export function encodeElements(format: ElementFormat, x: Float32Array | Uint16Array, opts?: EncodeElementOptions): Uint8Array {
  const fn = 'encodeElements';
  const f = parseElementFormat(format, fn);
  const p = parseEncode(f, opts, fn);
  const dtype = checkInput(x, p.dtype, fn);
  const x32 = dtype === 'f32' ? (x as Float32Array) : widen16(x as Uint16Array, dtype);
  const out = encodeElementsKernel(x32, ELEMENTS[f].id, p.rounding, p.saturate, p.key0, p.key1);
  if (f === 'e8m0' || f === 'ue4m3') fixUnsignedSpecials(f, x32, out, p.saturate);
  return out;
}

/**
 * The scale formats have no sign, zero (e8m0) or Inf. Fixed here, whatever the kernel does with them:
 * NaN and ±Inf → NaN code; e8m0: 0 and negatives → 0x00 saturating, 0xFF (NaN) otherwise, as
 * ml_dtypes' float8_e8m0fnu, and f32-subnormal inputs rounded by their bits as PyTorch does; ue4m3: ±0 → 0x00, negatives → 0x00 saturating, 0x7F (NaN) otherwise.
 */
function fixUnsignedSpecials(f: 'e8m0' | 'ue4m3', x: Float32Array, out: Uint8Array, saturate: boolean): void {
  const nan = f === 'e8m0' ? 0xff : 0x7f;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v || v === Infinity || v === -Infinity) out[i] = nan;
    else if (v === 0) out[i] = f === 'ue4m3' ? 0 : saturate ? 0 : nan;
    else if (v < 0) out[i] = saturate ? 0 : nan;
    // e8m0 from an f32 subnormal: PyTorch/ml_dtypes round the bits with the implicit bit (0) as LSB,
    // so (2^-127, 2^-126) → 0x01 and ≤ 2^-127 → 0x00.
    else if (f === 'e8m0' && v < 2 ** -126) out[i] = v > 2 ** -127 ? 1 : 0;
  }
}

/**
 * Decodes codes (one per byte) to f32. Codes wider than the format throw INVALID_ARGUMENT: e.g. 0x10
 * for e2m1, or any ue4m3 code with bit 7 set (its sign bit is always 0).
 */
export function decodeElements(format: ElementFormat, codes: Uint8Array): Float32Array {
  const fn = 'decodeElements';
  const f = parseElementFormat(format, fn);
  if (!(codes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: codes must be a Uint8Array, got ${describe(codes)}`);
  const limit = CODE_LIMIT[f];
  if (limit < 256) {
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] >= limit) throw invalid(`${fn}: codes[${i}] = 0x${codes[i].toString(16)} is not a ${ELEMENTS[f].bits}-bit ${f} code`);
    }
  }
  return decodeElementsKernel(codes, ELEMENTS[f].id);
}

/** Encodes one value (first rounded to f32, as every kernel reads f32). */
export function encodeElement(format: ElementFormat, v: number, opts?: EncodeElementOptions): number {
  if (typeof v !== 'number') throw new KompaktError('INVALID_TYPE', `encodeElement: v must be a number, got ${describe(v)}`);
  if (opts && (opts as EncodeElementOptions).dtype !== undefined && (opts as EncodeElementOptions).dtype !== 'f32') {
    throw invalid(`encodeElement: dtype does not apply to a single number`);
  }
  return encodeElements(format, Float32Array.of(v), opts)[0];
}

/** Decodes one code. */
export function decodeElement(format: ElementFormat, code: number): number {
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 255) {
    throw invalid(`decodeElement: code must be an integer in [0, 255], got ${describe(code)}`);
  }
  return decodeElements(format, Uint8Array.of(code))[0];
}

/** The largest finite magnitude of an element format (e.g. 6 for e2m1, 448 for e4m3). */
export function elementMax(format: ElementFormat): number {
  return ELEMENTS[parseElementFormat(format, 'elementMax')].max;
}
