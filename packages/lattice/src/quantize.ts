import { KompaktError, checkBoolean, checkInteger, checkOptions, describe } from '@kompakt/core';
import { irht, rht } from '@kompakt/hadamard';
import { E8P_SCALE, e8pDecode, e8pEncode, e8pRvqDecode, e8pRvqEncode } from './e8p.js';
import { leechSqDecode, leechSqEncode } from './leech-sq.js';
import { LEECH_VORONOI_SCALE, leechVoronoiDecode, leechVoronoiEncode } from './leech-voronoi.js';

/**
 * Codebooks of `quantize`: E8P 2 bits/weight, its 3- and 4-bit RVQ variants, spherical Leech (18 bits per
 * 24 weights), the Leech Voronoi code (48 bits per 24 weights).
 */
export type Codebook = 'e8p' | 'e8p-rvq3' | 'e8p-rvq4' | 'leech-sq' | 'leech-voronoi';

/** What each codebook is: its vector length (`groupSize` must be a multiple of it) and its code bits per weight (scales extra). */
export const CODEBOOKS: Readonly<Record<Codebook, { readonly dim: number; readonly bitsPerWeight: number }>> = Object.freeze({
  e8p: { dim: 8, bitsPerWeight: 2 },
  'e8p-rvq3': { dim: 8, bitsPerWeight: 3 },
  'e8p-rvq4': { dim: 8, bitsPerWeight: 4 },
  'leech-sq': { dim: 24, bitsPerWeight: 0.75 },
  'leech-voronoi': { dim: 24, bitsPerWeight: 2 },
});

/** Options of `quantize` and `dequantize` (pass the same ones to both). */
export interface QuantizeOptions {
  codebook: Codebook;
  /** Row length: weights is `rows × n`, row-major. Default: weights.length (one row). */
  n?: number;
  /** Weights per scale: divides n, a multiple of the codebook dimension (`CODEBOOKS[codebook].dim`: 8, or 24 for the Leech codebooks). Default: n (one scale per row). */
  groupSize?: number;
  /**
   * Randomized Hadamard transform (`@kompakt/hadamard` rht) of every row before quantizing (irht after
   * decoding): `true` for a transform over the whole row with `seed`, or `{ seed, block }` for a
   * block-diagonal one. The size must be one `@kompakt/hadamard` supports.
   */
  hadamard?: boolean | { seed?: number | bigint; block?: number };
  /** Seed of `hadamard: true` (default 0). */
  seed?: number | bigint;
  /**
   * E8P codebooks: the RMS each group is scaled to before encoding (default QuIP#'s `opt_scale`,
   * `E8P_SCALE`: 1.03 for 2 and 4 bits, 0.98 for 3 bits; QuIP#'s README suggests 0.9 for real layers).
   * leech-voronoi: the same, in Λ24 units (default `LEECH_VORONOI_SCALE`, 0.96).
   * leech-sq: the gain of the unit codewords relative to the group RMS; default the least-squares gain
   * of each group, Σ⟨x_k, u_k⟩ / (number of 24-vectors).
   */
  scale?: number;
}

/** The result of `quantize`. */
export interface Quantized {
  codebook: Codebook;
  /** Bits per weight of `codes` (`CODEBOOKS[codebook].bitsPerWeight`: 2, 3, 4, or 18/24 = 0.75 for leech-sq); scales are extra. */
  bitsPerWeight: number;
  rows: number;
  n: number;
  groupSize: number;
  /**
   * Packed codes, group after group: e8p 2 bytes (u16 LE) per 8 weights; e8p-rvq4 4 bytes (u32 LE,
   * `e8pRvqEncode` layout); e8p-rvq3 3 bytes (c₁ u16 LE, then c₂ u8); leech-sq 18 bits per 24 weights,
   * bit-packed LSB first over the whole tensor (the last byte zero-padded); leech-voronoi 6 bytes per 24
   * weights (`leechVoronoiEncode` layout).
   */
  codes: Uint8Array;
  /** One f32 per group (rows · n / groupSize): the dequantized group is `scale × codeword`. */
  scales: Float32Array;
}

const KEYS = ['codebook', 'n', 'groupSize', 'hadamard', 'seed', 'scale'] as const;
/** Bytes of code per codebook vector (leech-sq: bit-packed over the tensor instead). */
const VECTOR_BYTES: Record<Exclude<Codebook, 'leech-sq'>, number> = { e8p: 2, 'e8p-rvq3': 3, 'e8p-rvq4': 4, 'leech-voronoi': 6 };
/** The input RMS each group is scaled to, unless `scale` says otherwise. */
const TARGET_RMS: Record<Exclude<Codebook, 'leech-sq'>, number> = {
  e8p: E8P_SCALE[2], 'e8p-rvq3': E8P_SCALE[3], 'e8p-rvq4': E8P_SCALE[4], 'leech-voronoi': LEECH_VORONOI_SCALE,
};

interface Plan {
  codebook: Codebook; dim: number; n: number; rows: number; groupSize: number; scale: number | undefined;
  rotation: { n: number; block: number; seed: number | bigint } | null;
}

function plan(length: number, opts: unknown, fn: string): Plan {
  const o = checkOptions<QuantizeOptions>(opts, `${fn} options`, KEYS);
  const codebook = o.codebook as Codebook;
  if (typeof codebook !== 'string' || !Object.hasOwn(CODEBOOKS, codebook)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: codebook must be one of ${Object.keys(CODEBOOKS).map((c) => `'${c}'`).join(', ')}, got ${describe(o.codebook)}`);
  }
  const { dim } = CODEBOOKS[codebook];
  const n = o.n === undefined ? length : checkInteger(o.n, `${fn}: n`, 1);
  if (n === 0 || length % n !== 0) throw new KompaktError('SHAPE_MISMATCH', `${fn}: weights.length = ${length} is not a multiple of n = ${n}`);
  const groupSize = o.groupSize === undefined ? n : checkInteger(o.groupSize, `${fn}: groupSize`, 1);
  if (groupSize % dim !== 0 || n % groupSize !== 0) {
    throw new KompaktError('SHAPE_MISMATCH', `${fn}: groupSize = ${groupSize} must be a multiple of ${dim} (${codebook}) and divide n = ${n}`);
  }
  let scale: number | undefined;
  if (o.scale !== undefined) {
    if (typeof o.scale !== 'number' || !(o.scale > 0) || !Number.isFinite(o.scale)) {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: scale must be a positive finite number, got ${describe(o.scale)}`);
    }
    scale = o.scale;
  }
  let rotation: Plan['rotation'] = null;
  const h = o.hadamard;
  if (h !== undefined && h !== false) {
    if (h === true) rotation = { n, block: n, seed: o.seed ?? 0 };
    else if (h !== null && typeof h === 'object' && !Array.isArray(h)) {
      const ho = checkOptions<{ seed: number | bigint; block: number }>(h, `${fn}: hadamard`, ['seed', 'block']);
      const block = ho.block === undefined ? n : checkInteger(ho.block, `${fn}: hadamard.block`, 1);
      rotation = { n, block, seed: ho.seed ?? o.seed ?? 0 };
    } else checkBoolean(h, `${fn}: hadamard`);
  } else if (o.seed !== undefined && h === undefined) {
    // a seed without hadamard does nothing; accept it (same options for both calls)
  }
  return { codebook, dim, n, rows: length / n, groupSize, scale, rotation };
}

function checkWeights(w: unknown, fn: string): Float32Array {
  if (!(w instanceof Float32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: weights must be a Float32Array, got ${describe(w)}`);
  return w;
}

/**
 * Quantizes a weight matrix (rows × n, row-major) with a lattice codebook: optional randomized
 * Hadamard rotation per row, one scale per group of `groupSize` weights (RMS normalization to the
 * codebook's optimal input RMS, docs/lattice.md "Weight quantizer"), then the nearest codeword (exact,
 * except for leech-voronoi vectors outside the code's region: see `leechVoronoiEncode`).
 * Non-finite weights throw INVALID_ARGUMENT.
 */
export function quantize(weights: Float32Array, opts: QuantizeOptions): Quantized {
  const fn = 'quantize';
  const w = checkWeights(weights, fn);
  const p = plan(w.length, opts, fn);
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i])) throw new KompaktError('INVALID_ARGUMENT', `${fn}: weights[${i}] = ${w[i]} is not finite`);
  }
  const x = Float32Array.from(w);
  if (p.rotation && x.length > 0) rht(x, { n: p.rotation.n, block: p.rotation.block, seed: p.rotation.seed });
  const groups = x.length / p.groupSize;
  const scales = new Float32Array(groups);
  const inScale = new Float32Array(groups); // what each group is multiplied by before encoding
  for (let g = 0; g < groups; g++) {
    let ss = 0;
    for (let i = g * p.groupSize; i < (g + 1) * p.groupSize; i++) ss += x[i] * x[i];
    const rms = Math.sqrt(ss / p.groupSize);
    if (p.codebook === 'leech-sq') {
      inScale[g] = rms > 0 ? 1 / rms : 0;
      scales[g] = p.scale === undefined ? 0 : rms * p.scale;
    } else {
      const target = p.scale ?? TARGET_RMS[p.codebook];
      inScale[g] = rms > 0 ? target / rms : 0;
      scales[g] = rms > 0 ? rms / target : 0;
    }
    for (let i = g * p.groupSize; i < (g + 1) * p.groupSize; i++) x[i] *= inScale[g];
  }
  let codes: Uint8Array;
  const vecs = x.length / p.dim;
  switch (p.codebook) {
    case 'e8p': codes = new Uint8Array(e8pEncode(x).buffer); break;
    case 'e8p-rvq4': codes = new Uint8Array(e8pRvqEncode(x, 4).buffer); break;
    case 'leech-voronoi': codes = leechVoronoiEncode(x); break;
    case 'e8p-rvq3': {
      const c = e8pRvqEncode(x, 3);
      codes = new Uint8Array(3 * vecs);
      for (let k = 0; k < vecs; k++) { codes[3 * k] = (c[k] >>> 8) & 255; codes[3 * k + 1] = c[k] >>> 16; codes[3 * k + 2] = c[k] & 255; }
      break;
    }
    case 'leech-sq': {
      const idx = leechSqEncode(x);
      codes = pack18(idx);
      if (p.scale === undefined) {
        // least-squares gain per group: Σ⟨x_k, u_k⟩ / (vectors per group), in units of the original weights
        const u = leechSqDecode(idx);
        const per = p.groupSize / 24;
        for (let g = 0; g < groups; g++) {
          let dot = 0;
          for (let i = g * p.groupSize; i < (g + 1) * p.groupSize; i++) dot += x[i] * u[i];
          scales[g] = inScale[g] > 0 ? dot / per / inScale[g] : 0;
        }
      }
      break;
    }
  }
  return { codebook: p.codebook, bitsPerWeight: CODEBOOKS[p.codebook].bitsPerWeight, rows: p.rows, n: p.n, groupSize: p.groupSize, codes, scales };
}

/** Reconstructs the weights of `quantize` (pass the same options). Returns a new Float32Array (rows × n). */
export function dequantize(q: Quantized, opts: QuantizeOptions): Float32Array {
  const fn = 'dequantize';
  if (q === null || typeof q !== 'object' || !(q.codes instanceof Uint8Array) || !(q.scales instanceof Float32Array)) {
    throw new KompaktError('INVALID_TYPE', `${fn}: q must be the result of quantize, got ${describe(q)}`);
  }
  const length = q.rows * q.n;
  if (!Number.isInteger(length) || length < 0) throw new KompaktError('INVALID_ARGUMENT', `${fn}: q.rows × q.n is not a valid length`);
  const p = plan(length, opts, fn);
  if (p.codebook !== q.codebook || p.groupSize !== q.groupSize || p.n !== q.n) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: options (codebook ${p.codebook}, n ${p.n}, groupSize ${p.groupSize}) do not match q (${q.codebook}, ${q.n}, ${q.groupSize})`);
  }
  const vecs = length / p.dim;
  const want = p.codebook === 'leech-sq' ? Math.ceil((18 * vecs) / 8) : vecs * VECTOR_BYTES[p.codebook];
  if (q.codes.length !== want) throw new KompaktError('SHAPE_MISMATCH', `${fn}: q.codes has ${q.codes.length} bytes, expected ${want}`);
  if (q.scales.length !== length / p.groupSize) throw new KompaktError('SHAPE_MISMATCH', `${fn}: q.scales has ${q.scales.length} entries, expected ${length / p.groupSize}`);
  const bytes = q.codes.byteOffset % 4 === 0 ? q.codes : q.codes.slice();
  let x: Float32Array;
  switch (p.codebook) {
    case 'e8p': x = e8pDecode(new Uint16Array(bytes.buffer, bytes.byteOffset, vecs)); break;
    case 'e8p-rvq4': x = e8pRvqDecode(new Uint32Array(bytes.buffer, bytes.byteOffset, vecs), 4); break;
    case 'e8p-rvq3': {
      const c = new Uint32Array(vecs);
      for (let k = 0; k < vecs; k++) c[k] = (bytes[3 * k] << 8) | (bytes[3 * k + 1] << 16) | bytes[3 * k + 2];
      x = e8pRvqDecode(c, 3);
      break;
    }
    case 'leech-sq': x = leechSqDecode(unpack18(bytes, vecs)); break;
    case 'leech-voronoi': x = leechVoronoiDecode(bytes); break;
  }
  for (let g = 0; g < q.scales.length; g++) {
    const s = q.scales[g];
    for (let i = g * p.groupSize; i < (g + 1) * p.groupSize; i++) x[i] = x[i] * s + 0; // −0 → +0
  }
  if (p.rotation && x.length > 0) irht(x, { n: p.rotation.n, block: p.rotation.block, seed: p.rotation.seed });
  return x;
}

function pack18(idx: Uint32Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((18 * idx.length) / 8));
  let bit = 0;
  for (let k = 0; k < idx.length; k++, bit += 18) {
    const v = idx[k], b = bit >>> 3, s = bit & 7;
    // 18 bits + shift ≤ 7 span at most 4 bytes
    out[b] |= (v << s) & 255;
    out[b + 1] |= (v >>> (8 - s)) & 255;
    out[b + 2] |= (v >>> (16 - s)) & 255;
    if (s > 6) out[b + 3] |= (v >>> (24 - s)) & 255;
  }
  return out;
}

function unpack18(bytes: Uint8Array, count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let k = 0, bit = 0; k < count; k++, bit += 18) {
    const b = bit >>> 3, s = bit & 7;
    const word = bytes[b] | (bytes[b + 1] << 8) | (bytes[b + 2] << 16) | ((bytes[b + 3] ?? 0) << 24);
    out[k] = (word >>> s) & 0x3ffff;
  }
  return out;
}

/** Reconstruction error of y against x. */
export interface ErrorStats {
  /** mean (x − y)² */
  mse: number;
  /** mse / mean x² (0 when x is all zero and y = x) */
  relativeMse: number;
  /** 10·log10(mean x² / mse), dB (Infinity when mse = 0) */
  sqnrDb: number;
  /** max |x − y| */
  maxAbsError: number;
}

/** MSE, relative MSE, SQNR (dB) and max error of a reconstruction y of x (same length). */
export function errorStats(x: Float32Array, y: Float32Array): ErrorStats {
  if (!(x instanceof Float32Array) || !(y instanceof Float32Array)) {
    throw new KompaktError('INVALID_TYPE', `errorStats: x and y must be Float32Arrays, got ${describe(x)} and ${describe(y)}`);
  }
  if (x.length !== y.length) throw new KompaktError('SHAPE_MISMATCH', `errorStats: x.length = ${x.length}, y.length = ${y.length}`);
  let se = 0, sx = 0, mx = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    se += d * d; sx += x[i] * x[i];
    if (Math.abs(d) > mx) mx = Math.abs(d);
  }
  const n = Math.max(x.length, 1);
  const mse = se / n;
  return { mse, relativeMse: sx > 0 ? se / sx : se > 0 ? Infinity : 0, sqnrDb: se === 0 ? Infinity : 10 * Math.log10(sx / se), maxAbsError: mx };
}
