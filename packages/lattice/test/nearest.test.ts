import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestDn, nearestDnPlus, nearestE8, nearestZn, setBackend, KompaktError } from '@kompakt/lattice';
import { dist2, testBackends, uniform } from './backends';

// The Voronoi-relevant vectors of Dₙ (and of E8 ⊃ D8) are its roots; a point z of the lattice is the
// nearest to x iff no relevant vector v has ‖x − z − v‖ < ‖x − z‖. That is the exactness check here.
function roots(n: number, half: boolean): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) for (const a of [-1, 1]) for (const b of [-1, 1]) {
    const v = new Array(n).fill(0); v[i] = a; v[j] = b; out.push(v);
  }
  if (half) for (let m = 0; m < 1 << n; m++) {
    let neg = 0; const v: number[] = [];
    for (let i = 0; i < n; i++) { const s = (m >> i) & 1; neg += s; v.push(s ? -0.5 : 0.5); }
    if (neg % 2 === 0) out.push(v);
  }
  return out;
}

function isNearest(x: Float32Array, z: Float32Array, n: number, rel: number[][]): boolean {
  for (let k = 0; k < x.length; k += n) {
    const d = dist2(x, k, z, k, n);
    for (const v of rel) {
      let e = 0;
      for (let i = 0; i < n; i++) e += (x[k + i] - z[k + i] - v[i]) ** 2;
      if (e < d - 1e-5) return false;
    }
  }
  return true;
}

const inDn = (z: Float32Array, n: number) => {
  for (let k = 0; k < z.length; k += n) {
    let s = 0;
    for (let i = 0; i < n; i++) { if (!Number.isInteger(z[k + i])) return false; s += z[k + i]; }
    if (s % 2 !== 0) return false;
  }
  return true;
};

describe.each(testBackends())('nearest points on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('Zⁿ rounds ties to even', () => {
    expect(Array.from(nearestZn(new Float32Array([0.5, 1.5, -0.5, 2.4, -2.6, 3]), 3))).toEqual([0, 2, 0, 2, -3, 3]);
  });

  it('Dₙ is exact (checked against every root) and in the lattice', () => {
    for (const n of [2, 3, 4, 7, 16]) {
      const x = uniform(n * 500, n, -5, 5);
      const z = nearestDn(x, n);
      expect(inDn(z, n)).toBe(true);
      expect(isNearest(x, z, n, roots(n, false))).toBe(true);
    }
  });

  it('E8 is exact against the 240 roots, lies in E8 and equals Dₙ⁺ with n = 8', () => {
    const rel = roots(8, true);
    expect(rel.length).toBe(240);
    for (const [seed, span] of [[1, 1], [2, 4], [3, 100]] as const) {
      const x = uniform(8 * 2000, seed, -span, span);
      const z = nearestE8(x);
      expect(isNearest(x, z, 8, rel)).toBe(true);
      expect(Array.from(nearestDnPlus(x, 8))).toEqual(Array.from(z));
      const shifted = z.map((v) => v - 0.5);
      for (let k = 0; k < z.length; k += 8) {
        const sub = z.subarray(k, k + 8), sh = shifted.subarray(k, k + 8);
        expect(inDn(sub, 8) || inDn(sh, 8)).toBe(true);
      }
    }
  });

  it('E8 has exactly 240 points of norm² 2 (minimal vectors), found by the decoder', () => {
    const vals = [-1, -0.5, 0, 0.5, 1];
    let count = 0;
    const cand: number[] = [];
    for (let t = 0; t < 5 ** 8; t++) {
      const v: number[] = [];
      let r = t, n2 = 0;
      for (let i = 0; i < 8; i++) { v.push(vals[r % 5]); n2 += vals[r % 5] ** 2; r = Math.floor(r / 5); }
      if (n2 === 2) cand.push(...v);
    }
    const x = Float32Array.from(cand);
    const z = nearestE8(x);
    for (let k = 0; k < x.length; k += 8) if (dist2(x, k, z, k, 8) === 0) count++;
    expect(count).toBe(240);
  });

  it('gives an all-NaN vector for a NaN or ±Inf coordinate, and leaves the others alone', () => {
    const x = new Float32Array(24).fill(0.2);
    x[3] = NaN; x[17] = Infinity;
    const z = nearestE8(x);
    expect(Array.from(z.subarray(0, 8)).every(Number.isNaN)).toBe(true);
    expect(Array.from(z.subarray(8, 16))).toEqual(new Array(8).fill(0));
    expect(Array.from(z.subarray(16, 24)).every(Number.isNaN)).toBe(true);
    expect(Array.from(nearestDn(x, 8).subarray(0, 8)).every(Number.isNaN)).toBe(true);
  });

  it('rejects bad shapes and types with KompaktError', () => {
    expect(() => nearestE8(new Float32Array(7))).toThrow(KompaktError);
    expect(() => nearestE8(new Float64Array(8) as never)).toThrowError(/Float32Array/);
    expect(() => nearestDnPlus(new Float32Array(6), 3)).toThrowError(/even/);
    expect(() => nearestDn(new Float32Array(6), 0)).toThrow(KompaktError);
    expect(nearestE8(new Float32Array(0)).length).toBe(0);
  });
});
