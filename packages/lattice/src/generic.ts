import { KompaktError, describe } from '@kompakt/core';

/** How `Lattice` finds a lattice point for a vector. */
export type LatticeDecodeMethod = 'babai-rounding' | 'nearest-plane' | 'exact';

type Vecs = Float32Array | Float64Array;

/**
 * A lattice given by its generator matrix (GLVQ-style generic lattice): points are `G·z` for integer
 * vectors z, G an n×n row-major matrix whose **columns** are the basis vectors. Plain TypeScript in
 * f64 (Float64Array): the decoders are
 * - `babai-rounding`: z = round(G⁻¹x);
 * - `nearest-plane`: Babai's nearest plane on G = QR (y = Qᵀx, z_i = round((y_i − Σ_{j>i} R_ij z_j)/R_ii), i = n−1…0);
 * - `exact`: Schnorr–Euchner enumeration (zig-zag, depth first) on R with the nearest-plane point as
 *   the initial radius — the exact closest point (up to f64 rounding), n ≤ 32 (cost grows exponentially with n).
 * Rounding ties go to even. Known lattices have faster exact decoders (`nearestE8`, `nearestLeech`, …).
 */
export class Lattice {
  readonly n: number;
  /** G, row-major (n × n), f64. */
  readonly generator: Float64Array;
  readonly #inv: Float64Array;
  readonly #q: Float64Array; // Q, row-major
  readonly #r: Float64Array; // R, row-major, upper triangular with R_ii > 0

  constructor(generator: ArrayLike<number>, n?: number) {
    if (!(generator instanceof Float32Array || generator instanceof Float64Array || Array.isArray(generator))) {
      throw new KompaktError('INVALID_TYPE', `Lattice: generator must be a Float32Array, Float64Array or number[], got ${describe(generator)}`);
    }
    const dim = n ?? Math.round(Math.sqrt(generator.length));
    if (!Number.isInteger(dim) || dim < 1 || dim > 1024 || dim * dim !== generator.length) {
      throw new KompaktError('SHAPE_MISMATCH', `Lattice: generator has ${generator.length} entries, not n² for an integer n in [1, 1024]${n === undefined ? '' : ` (n = ${String(n)})`}`);
    }
    const G = Float64Array.from(generator as ArrayLike<number>);
    if (!G.every(Number.isFinite)) throw new KompaktError('INVALID_ARGUMENT', 'Lattice: generator has a non-finite entry');
    this.n = dim;
    this.generator = G;
    const { q, r } = householderQR(G, dim);
    let maxDiag = 0;
    for (let i = 0; i < dim; i++) maxDiag = Math.max(maxDiag, r[i * dim + i]);
    for (let i = 0; i < dim; i++) {
      if (!(r[i * dim + i] > maxDiag * 1e-12)) throw new KompaktError('INVALID_ARGUMENT', 'Lattice: generator is singular');
    }
    this.#q = q;
    this.#r = r;
    this.#inv = invertUpper(r, q, dim);
  }

  /** Integer coefficients z (n per vector) of the lattice point chosen for each vector of x. */
  encode(x: Vecs, method: LatticeDecodeMethod = 'exact'): Int32Array {
    const pts = this.#check(x, method, 'Lattice.encode');
    const n = this.n, out = new Int32Array(pts);
    const y = new Float64Array(n), z = new Float64Array(n);
    const ws = new Workspace(n);
    for (let v = 0; v < pts / n; v++) {
      this.#solve(x, v * n, y, z, method, ws);
      for (let i = 0; i < n; i++) out[v * n + i] = z[i];
    }
    return out;
  }

  /** The lattice points G·z (same array type as x). */
  nearest<T extends Vecs>(x: T, method: LatticeDecodeMethod = 'exact'): T {
    const pts = this.#check(x, method, 'Lattice.nearest');
    const n = this.n, out = new (x.constructor as new (l: number) => T)(pts);
    const y = new Float64Array(n), z = new Float64Array(n);
    const ws = new Workspace(n);
    for (let v = 0; v < pts / n; v++) {
      this.#solve(x, v * n, y, z, method, ws);
      this.#mul(z, out, v * n);
    }
    return out;
  }

  /** G·z for coefficient vectors z (n per vector), as a Float32Array. */
  decode(z: Int32Array): Float32Array {
    if (!(z instanceof Int32Array)) throw new KompaktError('INVALID_TYPE', `Lattice.decode: z must be an Int32Array, got ${describe(z)}`);
    if (z.length % this.n !== 0) throw new KompaktError('SHAPE_MISMATCH', `Lattice.decode: z.length = ${z.length} is not a multiple of n = ${this.n}`);
    const out = new Float32Array(z.length), t = new Float64Array(this.n);
    for (let v = 0; v < z.length / this.n; v++) {
      for (let i = 0; i < this.n; i++) t[i] = z[v * this.n + i];
      this.#mul(t, out, v * this.n);
    }
    return out;
  }

  #check(x: unknown, method: unknown, fn: string): number {
    if (!(x instanceof Float32Array || x instanceof Float64Array)) {
      throw new KompaktError('INVALID_TYPE', `${fn}: x must be a Float32Array or Float64Array, got ${describe(x)}`);
    }
    if (x.length % this.n !== 0) throw new KompaktError('SHAPE_MISMATCH', `${fn}: x.length = ${x.length} is not a multiple of n = ${this.n}`);
    if (method !== 'babai-rounding' && method !== 'nearest-plane' && method !== 'exact') {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: method must be 'babai-rounding', 'nearest-plane' or 'exact', got ${describe(method)}`);
    }
    if (method === 'exact' && this.n > 32) throw new KompaktError('INVALID_ARGUMENT', `${fn}: 'exact' supports n ≤ 32, this lattice has n = ${this.n}`);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw new KompaktError('INVALID_ARGUMENT', `${fn}: x[${i}] = ${x[i]} is not finite`);
    }
    return x.length;
  }

  #mul(z: Float64Array, out: Vecs, off: number): void {
    const n = this.n, G = this.generator;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += G[i * n + j] * z[j];
      out[off + i] = s + 0; // −0 → +0
    }
  }

  #solve(x: Vecs, off: number, y: Float64Array, z: Float64Array, method: LatticeDecodeMethod, ws: Workspace): void {
    const n = this.n;
    if (method === 'babai-rounding') {
      const A = this.#inv;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j] * x[off + j];
        z[i] = roundEven(s);
      }
      return;
    }
    // y = Qᵀx
    const Q = this.#q, R = this.#r;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Q[j * n + i] * x[off + j];
      y[i] = s;
    }
    let dist = 0;
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let j = i + 1; j < n; j++) s -= R[i * n + j] * z[j];
      const c = s / R[i * n + i];
      z[i] = roundEven(c);
      dist += (R[i * n + i] * (c - z[i])) ** 2;
    }
    if (method === 'exact') schnorrEuchner(R, n, y, z, dist, ws);
  }
}

class Workspace {
  readonly z: Float64Array; readonly c: Float64Array; readonly d: Float64Array; readonly step: Float64Array;
  constructor(n: number) {
    this.z = new Float64Array(n); this.c = new Float64Array(n); this.d = new Float64Array(n + 1); this.step = new Float64Array(n);
  }
}

/**
 * Schnorr–Euchner enumeration of min ‖y − R·z‖² (R upper triangular): levels from n − 1 down to 0, each
 * visiting integers in zig-zag order around its centre, pruning when the partial distance reaches the
 * best full distance. `best` holds the nearest-plane point and its distance on entry, the optimum on exit.
 */
function schnorrEuchner(R: Float64Array, n: number, y: Float64Array, best: Float64Array, bestDist: number, ws: Workspace): void {
  const { z, c, d, step } = ws;
  // d[k]: distance contributed by levels > k (d[n] = 0)
  let limit = bestDist * (1 + 1e-12) + 1e-300; // strict improvements beyond rounding noise only replace the start
  let k = n - 1;
  d[n] = 0;
  const centre = (k: number) => {
    let s = y[k];
    for (let j = k + 1; j < n; j++) s -= R[k * n + j] * z[j];
    c[k] = s / R[k * n + k];
    z[k] = roundEven(c[k]);
    step[k] = c[k] >= z[k] ? 1 : -1;
  };
  centre(k);
  for (;;) {
    const e = R[k * n + k] * (c[k] - z[k]);
    const nd = d[k + 1] + e * e;
    if (nd < limit) {
      if (k === 0) {
        if (nd < bestDist) { bestDist = nd; best.set(z); limit = nd; }
        z[0] += step[0]; step[0] = -step[0] - Math.sign(step[0]);
      } else {
        d[k] = nd;
        k--;
        centre(k);
      }
    } else {
      if (k === n - 1) return;
      k++;
      z[k] += step[k]; step[k] = -step[k] - Math.sign(step[k]);
    }
  }
}

/** Round half to even (f64). */
function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r + 0;
}

/** Householder QR of G (row-major n×n): G = Q·R, R_ii ≥ 0. */
function householderQR(G: Float64Array, n: number): { q: Float64Array; r: Float64Array } {
  const r = Float64Array.from(G);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const v = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += r[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = r[k * n + k] > 0 ? -norm : norm;
    let vn = 0;
    for (let i = k; i < n; i++) { v[i] = r[i * n + k] - (i === k ? alpha : 0); vn += v[i] * v[i]; }
    if (vn === 0) continue;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i] * r[i * n + j];
      s = (2 * s) / vn;
      for (let i = k; i < n; i++) r[i * n + j] -= s * v[i];
    }
    // Q ← Q·H (H symmetric)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let l = k; l < n; l++) s += q[i * n + l] * v[l];
      s = (2 * s) / vn;
      for (let l = k; l < n; l++) q[i * n + l] -= s * v[l];
    }
  }
  // make the diagonal non-negative: flip row k of R and column k of Q
  for (let k = 0; k < n; k++) {
    if (r[k * n + k] < 0) {
      for (let j = 0; j < n; j++) r[k * n + j] = -r[k * n + j];
      for (let i = 0; i < n; i++) q[i * n + k] = -q[i * n + k];
    }
    for (let i = k + 1; i < n; i++) r[i * n + k] = 0;
  }
  return { q, r };
}

/** G⁻¹ = R⁻¹·Qᵀ. */
function invertUpper(R: Float64Array, Q: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // solve R·col = (Qᵀ)[:, c] = row c of Q
    for (let i = n - 1; i >= 0; i--) {
      let s = Q[c * n + i];
      for (let j = i + 1; j < n; j++) s -= R[i * n + j] * col[j];
      col[i] = s / R[i * n + i];
    }
    for (let i = 0; i < n; i++) inv[i * n + c] = col[i];
  }
  return inv;
}
