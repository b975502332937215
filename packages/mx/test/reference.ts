/**
 * An independent reference of the MX contract (docs/internals.md, "MX"), written for the tests only
 * and sharing no code with src/: minifloat values from their bit fields, rounding by searching the
 * value grid (not bit tricks), scale rules from their definitions, packing by element index.
 * Plain f64 arithmetic except where the contract says a value is rounded to f32 (Math.fround).
 */
import { philox4x32 } from '@kompakt/core';

export type Fmt = 'e2m1' | 'e2m3' | 'e3m2' | 'e4m3' | 'e5m2' | 'int8' | 'ue4m3' | 'e8m0';
export type Mode = 'rne' | 'away' | 'ggml' | 'stochastic';

interface Spec {
  bits: number;
  ebits: number;
  mbits: number;
  bias: number;
}

const SPECS: Record<Exclude<Fmt, 'int8' | 'e8m0'>, Spec> = {
  e2m1: { bits: 4, ebits: 2, mbits: 1, bias: 1 },
  e2m3: { bits: 6, ebits: 2, mbits: 3, bias: 1 },
  e3m2: { bits: 6, ebits: 3, mbits: 2, bias: 3 },
  e4m3: { bits: 8, ebits: 4, mbits: 3, bias: 7 },
  e5m2: { bits: 8, ebits: 5, mbits: 2, bias: 15 },
  ue4m3: { bits: 7, ebits: 4, mbits: 3, bias: 7 }, // no sign bit: 7 significant bits in a byte
};

/** Number of codes of a format as a byte value range. */
export function codeCount(f: Fmt): number {
  return f === 'e2m1' ? 16 : f === 'e2m3' || f === 'e3m2' ? 64 : f === 'ue4m3' ? 128 : 256;
}

/** The value of a code, from the definition of each field. */
export function refDecode(f: Fmt, code: number): number {
  if (f === 'e8m0') return code === 0xff ? NaN : 2 ** (code - 127);
  if (f === 'int8') return (code >= 128 ? code - 256 : code) / 64;
  const s = SPECS[f];
  const signed = f !== 'ue4m3';
  const neg = signed && (code >> (s.bits - 1)) & 1;
  const e = (code >> s.mbits) & ((1 << s.ebits) - 1);
  const m = code & ((1 << s.mbits) - 1);
  const emaxField = (1 << s.ebits) - 1;
  if ((f === 'e4m3' || f === 'ue4m3') && e === emaxField && m === (1 << s.mbits) - 1) return NaN;
  if (f === 'e5m2' && e === emaxField) return m === 0 ? (neg ? -Infinity : Infinity) : NaN;
  const mag = e === 0 ? (m / 2 ** s.mbits) * 2 ** (1 - s.bias) : (1 + m / 2 ** s.mbits) * 2 ** (e - s.bias);
  return neg ? -mag : mag;
}

interface Grid {
  /** Non-negative finite magnitudes ascending, with their (positive) codes; last entry is virtual (overflow). */
  values: number[];
  codes: number[];
  max: number;
  maxCode: number;
  signBit: number;
}

const grids = new Map<Fmt, Grid>();

/** The grid of non-negative magnitudes, plus one virtual point above max: max + (spacing at max). */
export function grid(f: Fmt): Grid {
  const cached = grids.get(f);
  if (cached) return cached;
  const pairs: [number, number][] = [];
  const count = f === 'int8' ? 128 : f === 'ue4m3' ? 128 : codeCount(f) / 2;
  for (let c = 0; c < count; c++) {
    const v = refDecode(f, c);
    if (Number.isFinite(v)) pairs.push([v, c]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const values = pairs.map((p) => p[0]);
  const codes = pairs.map((p) => p[1]);
  const max = values[values.length - 1];
  const step = max - values[values.length - 2];
  const g: Grid = {
    values: [...values, max + step],
    codes: [...codes, -1],
    max,
    maxCode: codes[codes.length - 1],
    signBit: f === 'int8' || f === 'ue4m3' ? 0 : 1 << (SPECS[f as keyof typeof SPECS].bits - 1),
  };
  grids.set(f, g);
  return g;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
export function bitsOf(v: number): number {
  f32[0] = v;
  return u32[0];
}
export function fromBits(b: number): number {
  u32[0] = b >>> 0;
  return f32[0];
}
export function nextUp(v: number): number {
  const x = Math.fround(v);
  if (x === 0) return 2 ** -149;
  return x > 0 ? fromBits(bitsOf(x) + 1) : fromBits(bitsOf(x) - 1);
}
export function nextDown(v: number): number {
  return -nextUp(-v);
}

/** floor(log2 a) for a > 0, exactly. */
export function ilog2(a: number): number {
  let e = Math.floor(Math.log2(a));
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  return e;
}

/** Element format parity: the even neighbour of a tie is the one whose code has LSB 0. */
function isEven(g: Grid, i: number): boolean {
  if (i === g.values.length - 1) return (g.maxCode & 1) === 1; // the virtual point continues the code sequence
  return (g.codes[i] & 1) === 0;
}

/**
 * Encodes one f32 value per the contract. `u` ∈ [0, 1) is the stochastic draw (r / 2^32).
 */
export function refEncode(f: Fmt, v: number, mode: Mode = 'rne', saturate = true, u = 0): number {
  if (f === 'e8m0') return refEncodeE8m0(v, saturate);
  const g = grid(f);
  const neg = (bitsOf(v) >>> 31) === 1 && f !== 'ue4m3';
  const withSign = (c: number) => (f === 'int8' ? (neg ? (256 - c) & 0xff : c) : neg ? c | g.signBit : c);
  if (Number.isNaN(v)) {
    if (f === 'e4m3') return neg ? 0xff : 0x7f;
    if (f === 'e5m2') return neg ? 0xfe : 0x7e;
    if (f === 'ue4m3') return 0x7f;
    if (f === 'int8') return 0;
    return neg ? 0 : g.signBit; // ml_dtypes: +NaN → −0 code, −NaN → +0 code
  }
  const a = Math.abs(v);
  if (f === 'ue4m3' && a !== Infinity && (v < 0 || Object.is(v, -0))) return v === 0 ? 0 : saturate ? 0 : 0x7f;
  if (a === Infinity) {
    if (f === 'e5m2') return withSign(0x7c);
    if (f === 'e4m3' || f === 'ue4m3') return withSign(0x7f);
    return withSign(g.maxCode);
  }
  let idx: number;
  if (mode === 'stochastic') {
    const mag = stochasticMag(f, a, u);
    if (mag > g.max) return withSign(g.maxCode);
    idx = g.values.indexOf(mag);
    if (idx < 0) throw new Error(`reference: ${mag} not on the ${f} grid`);
  } else {
    idx = nearestIndex(g, a, mode);
  }
  if (idx === g.values.length - 1 || a > g.values[g.values.length - 1]) {
    if (saturate) return withSign(g.maxCode);
    if (f === 'e4m3' || f === 'ue4m3') return withSign(0x7f);
    if (f === 'e5m2') return withSign(0x7c);
    return withSign(g.maxCode);
  }
  const code = g.codes[idx];
  if (code === 0 && (mode === 'ggml' || f === 'int8')) return 0;
  return withSign(code);
}

function nearestIndex(g: Grid, a: number, mode: Mode): number {
  const vals = g.values;
  if (a >= vals[vals.length - 1]) return vals.length - 1;
  let hi = 0;
  while (vals[hi] < a) hi++;
  if (vals[hi] === a) return hi;
  const lo = hi - 1;
  const mid = (vals[lo] + vals[hi]) / 2;
  if (a < mid) return lo;
  if (a > mid) return hi;
  if (mode === 'away') return hi;
  if (mode === 'ggml') return lo;
  return isEven(g, lo) ? lo : hi;
}

/** floor(a·2^q + u)·2^−q with 2^−q the grid spacing at a; exact in f64 for these formats. */
export function stochasticMag(f: Fmt, a: number, u: number): number {
  let spacing: number;
  if (f === 'int8') spacing = 2 ** -6;
  else {
    const s = SPECS[f as keyof typeof SPECS];
    const emin = 1 - s.bias;
    spacing = a < 2 ** emin ? 2 ** (emin - s.mbits) : 2 ** (ilog2(a) - s.mbits);
  }
  return Math.floor(a / spacing + u) * spacing;
}

/**
 * ml_dtypes float8_e8m0fnu: the f32 bits are rounded to 0 mantissa bits, nearest, with the implicit
 * bit as the "odd" LSB: a normal input's tie (significand 1.5) rounds up. An f32-subnormal input has
 * implicit bit 0, so it is rounded as a multiple of 2^-126 whose zero stands for 2^-127: the tie
 * (v = 2^-127) goes down to 0x00 and everything in (2^-127, 2^-126) goes up to 0x01.
 */
export function refEncodeE8m0(v: number, saturate: boolean): number {
  if (Number.isNaN(v) || Math.abs(v) === Infinity) return 0xff;
  if (v <= 0) return saturate ? 0 : 0xff;
  if (v <= 2 ** -127) return 0;
  if (v < 2 ** -126) return 1;
  let e = ilog2(v);
  const s = v / 2 ** e;
  if (s >= 1.5) e++;
  const b = e + 127;
  if (b >= 255) return saturate ? 0xfe : 0xff;
  return Math.max(0, b);
}

// ---- block quantization ---------------------------------------------------------------------

export type RefBlockFormat = 'mxfp4' | 'mxfp6-e2m3' | 'mxfp6-e3m2' | 'mxfp8-e4m3' | 'mxfp8-e5m2' | 'mxint8' | 'nvfp4';
export type RefRule = 'floor' | 'ceil' | 'even' | 'rceil' | 'ggml';
export type RefRounding = 'rne' | 'away' | 'ggml' | 'stochastic' | 'stochastic-3/4';

export const REF_BLOCK: Record<RefBlockFormat, { elem: Fmt; bs: number; emax: number; mbits: number; max: number }> = {
  mxfp4: { elem: 'e2m1', bs: 32, emax: 2, mbits: 1, max: 6 },
  'mxfp6-e2m3': { elem: 'e2m3', bs: 32, emax: 2, mbits: 3, max: 7.5 },
  'mxfp6-e3m2': { elem: 'e3m2', bs: 32, emax: 4, mbits: 2, max: 28 },
  'mxfp8-e4m3': { elem: 'e4m3', bs: 32, emax: 8, mbits: 3, max: 448 },
  'mxfp8-e5m2': { elem: 'e5m2', bs: 32, emax: 15, mbits: 2, max: 57344 },
  mxint8: { elem: 'int8', bs: 32, emax: 0, mbits: 6, max: 127 / 64 },
  nvfp4: { elem: 'e2m1', bs: 16, emax: 2, mbits: 1, max: 6 },
};

/** The stochastic draw of element g (docs/internals.md "Random words"). */
export function randomWord(g: number, key0: number, key1: number): number {
  const blk = Math.floor(g / 4);
  const w = philox4x32(blk % 2 ** 32, Math.floor(g / 2 ** 34), 0, 0, key0, key1);
  return w[g % 4];
}

/** Shared exponent per rule, for amax > 0 finite. */
export function refScaleExponent(amax: number, rule: RefRule, emax: number, mbits: number, max: number): number {
  let se: number;
  switch (rule) {
    case 'floor':
      se = ilog2(amax) - emax;
      break;
    case 'ceil':
      se = ilog2(amax) - emax + (2 ** ilog2(amax) === amax ? 0 : 1);
      break;
    case 'even': {
      const bumped = fromBits(bitsOf(amax) + 2 ** (22 - mbits));
      se = (Number.isFinite(bumped) ? ilog2(bumped) : 128) - emax;
      break;
    }
    case 'rceil': {
      const r = Math.fround(amax / max);
      if (r === 0) {
        se = -127;
        break;
      }
      // round r up to a power of two (f32 semantics: a subnormal rounds up to at least 2^-126)
      let e = r < 2 ** -126 ? -126 : ilog2(r);
      if (r >= 2 ** -126 && 2 ** e !== r) e++;
      se = e;
      break;
    }
    case 'ggml':
      se = Math.floor(Math.fround(Math.log2(amax))) - 2;
      break;
  }
  return Math.min(127, Math.max(-127, se));
}

export interface RefQuantizeArgs {
  x: Float32Array;
  n: number;
  format: RefBlockFormat;
  rule?: RefRule;
  rounding?: RefRounding;
  layout?: 'pairs' | 'ggml';
  key0?: number;
  key1?: number;
  tensorScale?: number;
}

/** Block quantization per the contract; returns packed codes and scale bytes. */
export function refQuantize(args: RefQuantizeArgs): { codes: Uint8Array; scales: Uint8Array; tensorScale: number } {
  const { x, n, format } = args;
  const rounding = args.rounding ?? 'rne';
  const rule = rounding === 'ggml' ? 'ggml' : args.rule ?? 'floor';
  const info = REF_BLOCK[format];
  const { bs, elem } = info;
  const rows = n === 0 ? 0 : x.length / n;
  const nb = Math.ceil(n / bs);
  let sg = 1;
  if (format === 'nvfp4') {
    if (args.tensorScale !== undefined) sg = Math.fround(args.tensorScale); // the API keeps it as an f32
    else {
      let m = 0;
      for (const v of x) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
      sg = Math.fround(m / 2688) || 1;
    }
  }
  const elemCodes = new Uint8Array(rows * nb * bs);
  const scales = new Uint8Array(rows * nb);
  const mode: Mode = rounding === 'stochastic-3/4' ? 'stochastic' : (rounding as Mode);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < nb; k++) {
      const b = r * nb + k;
      const start = k * bs;
      const end = Math.min(n, start + bs);
      let amax = 0;
      let bad = false;
      for (let j = start; j < end; j++) {
        const v = x[r * n + j];
        if (!Number.isFinite(v)) bad = true;
        else amax = Math.max(amax, Math.abs(v));
      }
      if (bad) {
        scales[b] = format === 'nvfp4' ? 0x7f : 0xff;
        const nanCode = elem === 'e4m3' ? 0x7f : elem === 'e5m2' ? 0x7e : 0;
        elemCodes.fill(nanCode, b * bs, b * bs + (end - start));
        continue;
      }
      let inv: (v: number) => number;
      if (format === 'nvfp4') {
        if (amax === 0) {
          scales[b] = 0;
          continue;
        }
        let s = Math.fround(amax / Math.fround(6 * sg));
        s = Math.min(448, Math.max(2 ** -9, s));
        const sb = refEncode('ue4m3', s, 'rne', true);
        scales[b] = sb;
        const d = Math.fround(refDecode('ue4m3', sb) * sg);
        // d underflowed to 0: ±0 / 0 is a signed zero (docs/internals.md), other values ±Inf.
        inv = (v) => (d === 0 && v === 0 ? v : Math.fround(v / d));
      } else {
        const se = amax === 0 ? -127 : refScaleExponent(amax, rule, info.emax, info.mbits, info.max);
        scales[b] = se + 127;
        inv = (v) => v * 2 ** -se;
      }
      for (let j = start; j < end; j++) {
        const g = r * n + j;
        let v = inv(x[g]);
        if (rounding === 'stochastic-3/4') v = Math.fround(v * 0.75);
        else v = Math.fround(v);
        const u = mode === 'stochastic' ? randomWord(g, args.key0 ?? 0, args.key1 ?? 0) / 2 ** 32 : 0;
        elemCodes[b * bs + (j - start)] = refEncode(elem, v, mode, true, u);
      }
    }
  }
  return { codes: refPack(elemCodes, format, args.layout ?? 'pairs'), scales, tensorScale: sg };
}

/** Packs one-code-per-byte element codes (whole blocks) per the format's layout. */
export function refPack(elemCodes: Uint8Array, format: RefBlockFormat, layout: 'pairs' | 'ggml'): Uint8Array {
  const { elem, bs } = REF_BLOCK[format];
  const blocks = elemCodes.length / bs;
  if (elem === 'e2m1') {
    const out = new Uint8Array(blocks * bs / 2);
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < bs; i++) {
        const c = elemCodes[b * bs + i];
        const byte = layout === 'pairs' ? i >> 1 : i % (bs / 2);
        const high = layout === 'pairs' ? i & 1 : i >= bs / 2 ? 1 : 0;
        out[b * bs / 2 + byte] |= c << (4 * high);
      }
    }
    return out;
  }
  if (elem === 'e2m3' || elem === 'e3m2') {
    const out = new Uint8Array(blocks * 24);
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < 32; i++) {
        for (let k = 0; k < 6; k++) {
          const bit = 6 * i + k;
          if ((elemCodes[b * 32 + i] >> k) & 1) out[b * 24 + (bit >> 3)] |= 1 << (bit & 7);
        }
      }
    }
    return out;
  }
  return elemCodes.slice();
}

/** Unpacks codes back to one code per element (whole blocks). */
export function refUnpack(codes: Uint8Array, format: RefBlockFormat, layout: 'pairs' | 'ggml'): Uint8Array {
  const { elem, bs } = REF_BLOCK[format];
  if (elem === 'e2m1') {
    const blocks = codes.length / (bs / 2);
    const out = new Uint8Array(blocks * bs);
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < bs; i++) {
        const byte = layout === 'pairs' ? i >> 1 : i % (bs / 2);
        const high = layout === 'pairs' ? i & 1 : i >= bs / 2 ? 1 : 0;
        out[b * bs + i] = (codes[b * bs / 2 + byte] >> (4 * high)) & 15;
      }
    }
    return out;
  }
  if (elem === 'e2m3' || elem === 'e3m2') {
    const blocks = codes.length / 24;
    const out = new Uint8Array(blocks * 32);
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < 32; i++) {
        let c = 0;
        for (let k = 0; k < 6; k++) {
          const bit = 6 * i + k;
          c |= ((codes[b * 24 + (bit >> 3)] >> (bit & 7)) & 1) << k;
        }
        out[b * 32 + i] = c;
      }
    }
    return out;
  }
  return codes.slice();
}

/** Dequantization per the contract: code value × block scale (× tensorScale; × 4/3 for stochastic-3/4). */
export function refDequantize(
  codes: Uint8Array, scales: Uint8Array, n: number, format: RefBlockFormat,
  opts: { layout?: 'pairs' | 'ggml'; tensorScale?: number; rounding?: RefRounding } = {},
): Float64Array {
  const { elem, bs } = REF_BLOCK[format];
  const nb = Math.ceil(n / bs);
  const rows = nb === 0 ? 0 : scales.length / nb;
  const elems = refUnpack(codes, format, opts.layout ?? 'pairs');
  const out = new Float64Array(rows * n);
  const widen = opts.rounding === 'stochastic-3/4' ? 4 / 3 : 1;
  // nvfp4 as ModelOpt: value · f32(blockScale · tensorScale), the scale product rounded to f32 first
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      const b = r * nb + Math.floor(j / bs);
      const scale = format === 'nvfp4' ? Math.fround(refDecode('ue4m3', scales[b]) * (opts.tensorScale ?? 1)) : refDecode('e8m0', scales[b]);
      out[r * n + j] = refDecode(elem, elems[b * bs + (j % bs)]) * scale * widen;
    }
  }
  return out;
}
