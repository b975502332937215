import { describe, expect, it } from 'vitest';
import { Lattice, nearestDn, nearestE8, nearestZn, KompaktError } from '@kompakt/lattice';
import { rng, uniform } from './backends';

function dist(a: ArrayLike<number>, b: ArrayLike<number>, off: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[off + i] - b[off + i]) ** 2;
  return s;
}

/** Columns are basis vectors: G[i][j] = component i of basis vector j. */
function fromRows(rows: number[][]): number[] {
  const n = rows.length, g: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g.push(rows[j][i]);
  return g;
}

function dnBasis(n: number): number[][] {
  const rows: number[][] = [];
  for (let k = 0; k < n; k++) {
    const r = new Array(n).fill(0);
    if (k === 0) { r[0] = -1; r[1] = -1; } else { r[k - 1] = 1; r[k] = -1; }
    rows.push(r);
  }
  return rows;
}

const E8_ROWS = [[2, 0, 0, 0, 0, 0, 0, 0], ...Array.from({ length: 6 }, (_, k) => {
  const r = new Array(8).fill(0); r[k] = -1; r[k + 1] = 1; return r;
}), new Array(8).fill(0.5)];

describe('generic lattices from a generator matrix', () => {
  it('Zⁿ: every method equals nearestZn', () => {
    const x = uniform(6 * 200, 1, -5, 5);
    const I = Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? 1 : 0));
    const L = new Lattice(I);
    const ref = nearestZn(x, 6);
    for (const m of ['babai-rounding', 'nearest-plane', 'exact'] as const) expect(Array.from(L.nearest(x, m))).toEqual(Array.from(ref));
  });

  it('D5 and E8 (non-orthogonal bases): exact equals the dedicated decoders; Babai is worse', () => {
    const x5 = uniform(5 * 300, 2, -4, 4);
    const d5 = new Lattice(fromRows(dnBasis(5)));
    const ref5 = nearestDn(x5, 5);
    const got5 = d5.nearest(x5);
    for (let k = 0; k < 300; k++) expect(dist(x5, got5, 5 * k, 5)).toBeCloseTo(dist(x5, ref5, 5 * k, 5), 5);
    const x8 = uniform(8 * 400, 3, -3, 3);
    const e8 = new Lattice(fromRows(E8_ROWS));
    const ref = nearestE8(x8);
    const exact = e8.nearest(x8);
    expect(Array.from(exact)).toEqual(Array.from(ref));
    // coefficients reproduce the point
    expect(Array.from(e8.decode(e8.encode(x8)))).toEqual(Array.from(ref));
    let dr = 0, dp = 0, de = 0;
    const br = e8.nearest(x8, 'babai-rounding'), bp = e8.nearest(x8, 'nearest-plane');
    for (let k = 0; k < 400; k++) { dr += dist(x8, br, 8 * k, 8); dp += dist(x8, bp, 8 * k, 8); de += dist(x8, exact, 8 * k, 8); }
    expect(dp).toBeGreaterThan(de * 1.1);
    expect(dr).toBeGreaterThan(dp);
  });

  it('Schnorr–Euchner equals brute force on small random lattices', () => {
    const r = rng(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 2 + (trial % 3);
      const G = Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1.5 : 0) + (r() - 0.5));
      const L = new Lattice(G);
      const x = uniform(n * 20, 100 + trial, -3, 3);
      const z0 = L.encode(x, 'babai-rounding');
      const got = L.nearest(x);
      for (let v = 0; v < 20; v++) {
        let best = Infinity;
        const K = 4, z = new Array(n).fill(-K);
        for (;;) {
          let d = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j < n; j++) s += G[i * n + j] * (z0[v * n + j] + z[j]);
            d += (x[v * n + i] - s) ** 2;
          }
          best = Math.min(best, d);
          let i = 0;
          while (i < n && z[i] === K) z[i++] = -K;
          if (i === n) break;
          z[i]++;
        }
        expect(dist(x, got, v * n, n)).toBeLessThanOrEqual(best + 1e-6);
      }
    }
  });

  it('rejects bad input', () => {
    expect(() => new Lattice([1, 2, 3])).toThrow(KompaktError);
    expect(() => new Lattice([1, 2, 2, 4])).toThrow(KompaktError);
    expect(() => new Lattice('x' as never)).toThrow(KompaktError);
    const L = new Lattice([1, 0, 0, 1]);
    expect(() => L.nearest(new Float32Array(3))).toThrow(KompaktError);
    expect(() => L.nearest(new Float32Array([NaN, 0]))).toThrow(KompaktError);
    expect(() => L.nearest(new Float32Array(2), 'lll' as never)).toThrow(KompaktError);
    expect(() => new Lattice(new Float64Array(33 * 33).map((_, k) => (k % 34 === 0 ? 1 : 0))).nearest(new Float32Array(33))).toThrow(KompaktError);
  });
});
