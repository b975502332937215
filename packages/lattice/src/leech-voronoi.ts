import { KompaktError } from '@kompakt/core';
import { leechSqDecode } from './leech-sq.js';
import { nearestLeech } from './nearest.js';
import { checkCodes, checkPoints } from './options.js';

// Voronoi (nested-lattice) code of the Leech lattice at 2 bits per weight (Conway & Sloane 1983):
// codewords are the points of Λ24 in 4·V(Λ24) + a (V the Voronoi cell of the origin, a = 0.05·sin(i + 1), a
// fixed offset that keeps lattice points off the boundary), one per class of Λ24 / 4Λ24, so 4^24 = 2^48
// codewords: 48 bits per 24 weights. Index = coordinates of the point in a lattice basis, mod 4.
// Decoding: λ₀ = B·z, then λ₀ − 4·Q((λ₀ − a)/4), Q the exact Leech decoder.
// Encoding: λ = Q(x) is the nearest codeword whenever it lies in the region (then it is exact: the
// code is a subset of Λ24). Otherwise ("overload") the encoder takes the best of the codewords of
// Q(αx) for α = 1, 0.975, …, 0.5 (the decoder is unchanged; this is a search, not exact).

/** The input RMS (in Λ24 units, min norm² 4) at which a unit Gaussian reaches the lowest MSE. */
export const LEECH_VORONOI_SCALE = 0.96;

const SQRT8 = Math.sqrt(8);
const OFFSET = Float32Array.from({ length: 24 }, (_, i) => 0.05 * Math.sin(i + 1));
const MAX_NORM = 64;
const SHRINK = Array.from({ length: 20 }, (_, k) => 0.975 - 0.025 * k);

let basis: Int32Array[] | undefined;

/**
 * A triangular basis of L = √8·Λ24 (row i starts at column i, pivot > 0), built once from minimal
 * vectors (the (±4, ±4) ones, the all-plus octad ones, (−3, 1²³)) and 8e_i, which all lie in L and
 * generate it: the pivots multiply to det L = 8^12 (checked).
 */
function leechBasis(): Int32Array[] {
  if (basis) return basis;
  const rows: (Int32Array | undefined)[] = new Array(24);
  const insert = (v: Int32Array) => {
    for (let i = 0; i < 24; i++) {
      if (v[i] === 0) continue;
      const r = rows[i];
      if (!r) {
        if (v[i] < 0) for (let j = i; j < 24; j++) v[j] = -v[j];
        rows[i] = v;
        return;
      }
      // extended gcd of the two pivots: r ← x·r + y·v (pivot g), v ← (a/g)·v − (b/g)·r (entry i → 0)
      const a = r[i], b = v[i];
      let [g, x, y] = [a, 1, 0];
      let [g1, x1, y1] = [b, 0, 1];
      while (g1 !== 0) {
        const q = Math.floor(g / g1);
        [g, g1] = [g1, g - q * g1];
        [x, x1] = [x1, x - q * x1];
        [y, y1] = [y1, y - q * y1];
      }
      if (g < 0) { g = -g; x = -x; y = -y; }
      const nr = new Int32Array(24), nv = new Int32Array(24);
      for (let j = i; j < 24; j++) {
        nr[j] = x * r[j] + y * v[j];
        nv[j] = (a / g) * v[j] - (b / g) * r[j];
      }
      // 8e_j ∈ L: entries right of the pivot may be taken mod 8, which keeps the numbers small
      for (let j = i + 1; j < 24; j++) { nr[j] = ((nr[j] % 8) + 8) % 8; nv[j] = ((nv[j] % 8) + 8) % 8; }
      rows[i] = nr;
      v = nv;
    }
  };
  const sq = leechSqDecode(Uint32Array.from([...Array.from({ length: 1104 }, (_, i) => i),
    ...Array.from({ length: 759 }, (_, o) => 1104 + 128 * o), 98256]));
  for (let k = 0; k < sq.length / 24; k++) insert(Int32Array.from({ length: 24 }, (_, i) => Math.round(sq[24 * k + i] * Math.sqrt(32))));
  for (let i = 0; i < 24; i++) insert(Int32Array.from({ length: 24 }, (_, j) => (j === i ? 8 : 0)));
  let det = 1;
  for (let i = 0; i < 24; i++) det *= rows[i]?.[i] ?? 0;
  if (det !== 8 ** 12) throw new KompaktError('INTERNAL', `Leech basis: determinant ${det}, expected 8^12`);
  basis = rows as Int32Array[];
  return basis;
}

// Plain loops below, not TypedArray.from(·, mapper): V8 runs that through the iterator protocol, and it
// took most of the encoder's time.

/** Integer coordinates in L = √8·Λ24 of Λ24 points as the Leech decoder writes them (f32(v/√8)). */
function toInt(f: Float32Array): Int32Array {
  const out = new Int32Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.round(f[i] * SQRT8);
  return out;
}

function fromInt(l: Int32Array): Float32Array {
  const out = new Float32Array(l.length);
  for (let i = 0; i < l.length; i++) out[i] = l[i] / SQRT8;
  return out;
}

/** The codewords of points of L (integer, same layout): λ − 4·Q((λ − a)/4). */
function wrap(lambda: Int32Array): Int32Array {
  const t = new Float32Array(lambda.length);
  for (let i = 0; i < lambda.length; i++) t[i] = (lambda[i] / SQRT8 - OFFSET[i % 24]) / 4;
  const w = nearestLeech(t);
  const out = new Int32Array(lambda.length);
  for (let i = 0; i < lambda.length; i++) out[i] = lambda[i] - 4 * Math.round(w[i] * SQRT8);
  return out;
}

/** Whether rows a[ao … ao + 24) and b[bo … bo + 24) are equal. */
function sameRow(a: Int32Array, ao: number, b: Int32Array, bo: number): boolean {
  for (let i = 0; i < 24; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

function dist2(x: Float32Array, xo: number, c: Int32Array, co: number): number {
  let d = 0;
  for (let i = 0; i < 24; i++) d += (x[xo + i] - c[co + i] / SQRT8) ** 2;
  return d;
}

/** The 6-byte index of codeword k of c: coordinates in the basis, mod 4, 2 bits each (LSB first). */
function indexOf(c: Int32Array, k: number, codes: Uint8Array): void {
  const B = leechBasis();
  const z = new Array<number>(24);
  for (let i = 0; i < 24; i++) {
    let r = c[24 * k + i];
    for (let j = 0; j < i; j++) r -= z[j] * B[j][i];
    z[i] = r / B[i][i];
  }
  for (let i = 0; i < 24; i++) codes[6 * k + (i >> 2)] |= (((z[i] % 4) + 4) % 4) << (2 * (i & 3));
}

/**
 * Encodes 24-vectors (in Λ24 units; for Gaussian weights scale them to RMS `LEECH_VORONOI_SCALE`
 * first) into 6 bytes each. NaN/±Inf coordinates read as 0; a vector longer than 64 (far outside the
 * code) is shortened to length 64 first.
 */
export function leechVoronoiEncode(x: Float32Array): Uint8Array {
  const y = checkPoints(x, 24, 'leechVoronoiEncode').map((v) => (Number.isFinite(v) ? v : 0));
  const n = y.length / 24;
  for (let k = 0; k < n; k++) {
    // far outside the code (every codeword has norm < 4·√2): shorten to MAX_NORM, keeping integers small
    let nn = 0;
    for (let i = 24 * k; i < 24 * k + 24; i++) nn += y[i] * y[i];
    if (nn > MAX_NORM * MAX_NORM) for (let i = 24 * k; i < 24 * k + 24; i++) y[i] *= MAX_NORM / Math.sqrt(nn);
  }
  const lambda = toInt(nearestLeech(y));
  const best = wrap(lambda);
  const err = new Float64Array(n);
  const over: number[] = [];
  for (let k = 0; k < n; k++) {
    err[k] = dist2(y, 24 * k, best, 24 * k);
    if (!sameRow(best, 24 * k, lambda, 24 * k)) over.push(k);
  }
  const m = over.length;
  const sub = new Float32Array(24 * m), scaled = new Float32Array(24 * m);
  // prev: each overloaded vector's latest Q(αx). A candidate whose Q(αx) has not moved wraps to the same
  // codeword as before, which cannot beat err: only the moved ones (≈ 1 in 5) are wrapped.
  const prev = new Int32Array(24 * m), moved = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    sub.set(y.subarray(24 * over[j], 24 * over[j] + 24), 24 * j);
    prev.set(lambda.subarray(24 * over[j], 24 * over[j] + 24), 24 * j);
  }
  for (let s = 0; m > 0 && s < SHRINK.length; s++) {
    for (let i = 0; i < scaled.length; i++) scaled[i] = sub[i] * SHRINK[s];
    const lam = toInt(nearestLeech(scaled));
    let count = 0;
    for (let j = 0; j < m; j++) {
      if (sameRow(lam, 24 * j, prev, 24 * j)) continue;
      prev.set(lam.subarray(24 * j, 24 * j + 24), 24 * j);
      moved[count++] = j;
    }
    if (count === 0) continue;
    const points = new Int32Array(24 * count);
    for (let r = 0; r < count; r++) points.set(lam.subarray(24 * moved[r], 24 * moved[r] + 24), 24 * r);
    const cand = wrap(points);
    for (let r = 0; r < count; r++) {
      const k = over[moved[r]];
      const e = dist2(y, 24 * k, cand, 24 * r);
      if (e < err[k]) { err[k] = e; best.set(cand.subarray(24 * r, 24 * r + 24), 24 * k); }
    }
  }
  const codes = new Uint8Array(6 * n);
  for (let k = 0; k < n; k++) indexOf(best, k, codes);
  return codes;
}

/** The codewords of 6-byte codes (integer coordinates in L). */
function codewords(c: Uint8Array): Int32Array {
  const B = leechBasis();
  const lambda = new Int32Array(4 * c.length);
  for (let k = 0; k < c.length / 6; k++) {
    for (let i = 0; i < 24; i++) {
      const z = (c[6 * k + (i >> 2)] >> (2 * (i & 3))) & 3;
      for (let j = i; z && j < 24; j++) lambda[24 * k + j] += z * B[i][j];
    }
  }
  return wrap(lambda);
}

/** Decodes 6-byte codes into 24-vectors (Λ24 units). */
export function leechVoronoiDecode(codes: Uint8Array): Float32Array {
  const c = checkCodes(codes, Uint8Array, 'leechVoronoiDecode');
  if (c.length % 6 !== 0) throw new KompaktError('SHAPE_MISMATCH', `leechVoronoiDecode: codes.length = ${c.length} is not a multiple of 6`);
  return fromInt(codewords(c));
}
