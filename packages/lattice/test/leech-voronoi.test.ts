import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  E8P_SCALE, LEECH_VORONOI_SCALE, e8pDecode, e8pEncode, leechVoronoiDecode, leechVoronoiEncode, nearestLeech, setBackend, KompaktError,
} from '@kompakt/lattice';
import { gaussian, rng, testBackends } from './backends';

function mse(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return s / x.length;
}

describe.each(testBackends())('Leech Voronoi code (2 bits per weight) on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('decodes any 48-bit code to a point of Λ24 that encodes back to the same code', () => {
    const r = rng(5);
    const codes = Uint8Array.from({ length: 6 * 300 }, () => Math.floor(r() * 256));
    const pts = leechVoronoiDecode(codes);
    expect(Array.from(nearestLeech(pts))).toEqual(Array.from(pts));
    expect(Array.from(leechVoronoiEncode(pts))).toEqual(Array.from(codes));
    // distinct codes, distinct points
    const keys = new Set<string>();
    for (let k = 0; k < 300; k++) keys.add(Array.from(pts.subarray(24 * k, 24 * k + 24)).join());
    expect(keys.size).toBe(new Set(Array.from({ length: 300 }, (_, k) => codes.subarray(6 * k, 6 * k + 6).join())).size);
  });

  it('is exact when the nearest Λ24 point is a codeword, and never worse than it otherwise', () => {
    const x = gaussian(24 * 400, 8, LEECH_VORONOI_SCALE);
    const q = leechVoronoiDecode(leechVoronoiEncode(x));
    const lambda = nearestLeech(x);
    // the documented region 4·V(Λ24) + a, a_i = 0.05·sin(i + 1): λ − 4·Q((λ − a)/4)
    const w = nearestLeech(lambda.map((v, i) => (v - 0.05 * Math.sin((i % 24) + 1)) / 4));
    const wrapped = lambda.map((v, i) => v - 4 * w[i]);
    let inside = 0;
    for (let k = 0; k < 400; k++) {
      const row = (a: Float32Array) => Array.from(a.subarray(24 * k, 24 * k + 24));
      let dq = 0, dw = 0;
      for (let i = 0; i < 24; i++) { dq += (x[24 * k + i] - q[24 * k + i]) ** 2; dw += (x[24 * k + i] - wrapped[24 * k + i]) ** 2; }
      if (row(wrapped).join() === row(lambda).join()) {
        inside++;
        expect(row(q), `#${k}`).toEqual(row(lambda));
      } else {
        expect(dq, `#${k}`).toBeLessThanOrEqual(dw + 1e-5);
      }
    }
    expect(inside).toBeGreaterThan(150);
    expect(inside).toBeLessThan(350);
  });

  it('picks the first best of the wrapped candidates Q(αx), α = 1, 0.975, …, 0.5 (the documented search)', () => {
    // A plain reimplementation of the search, every candidate wrapped: the encoder's shortcuts (it wraps
    // only candidates whose lattice point moved) must not change a single code. Inputs from inside to far
    // outside the code.
    const n = 240, s8 = Math.sqrt(8);
    const x = gaussian(24 * n, 21).map((v, i) => v * LEECH_VORONOI_SCALE * (0.5 + Math.floor(i / 24) / 80));
    const int = (f: Float32Array) => Array.from(f, (v) => Math.round(v * s8));
    const wrap = (l: Float32Array) => {
      const w = nearestLeech(l.map((v, i) => (v - 0.05 * Math.sin((i % 24) + 1)) / 4));
      const li = int(l), wi = int(w);
      return li.map((v, i) => v - 4 * wi[i]);
    };
    const best = new Array<number[]>(n), err = new Array<number>(n).fill(Infinity);
    for (const alpha of [1, ...Array.from({ length: 20 }, (_, k) => 0.975 - 0.025 * k)]) {
      const c = wrap(nearestLeech(x.map((v) => v * alpha)));
      for (let k = 0; k < n; k++) {
        let e = 0;
        for (let i = 0; i < 24; i++) e += (x[24 * k + i] - c[24 * k + i] / s8) ** 2;
        if (e < err[k]) { err[k] = e; best[k] = c.slice(24 * k, 24 * k + 24); }
      }
    }
    expect(int(leechVoronoiDecode(leechVoronoiEncode(x)))).toEqual(best.flat());
  });

  it('has a lower MSE than E8P on a unit Gaussian at 2 bits per weight', () => {
    const x = gaussian(24 * 2000, 17);
    const s = LEECH_VORONOI_SCALE, e = E8P_SCALE[2];
    const leech = mse(x, leechVoronoiDecode(leechVoronoiEncode(x.map((v) => v * s))).map((v) => v / s));
    const e8p = mse(x, e8pDecode(e8pEncode(x.map((v) => v * e))).map((v) => v / e));
    expect(leech).toBeGreaterThan(0.083);
    expect(leech).toBeLessThan(0.089);
    expect(leech).toBeLessThan(e8p * 0.96);
  });

  it('rejects bad input and reads NaN as 0', () => {
    expect(() => leechVoronoiEncode(new Float32Array(25))).toThrow(KompaktError);
    expect(() => leechVoronoiDecode(new Uint8Array(7))).toThrowError(/multiple of 6/);
    expect(() => leechVoronoiDecode(new Uint16Array(6) as never)).toThrowError(/Uint8Array/);
    const x = new Float32Array(24).fill(0.3);
    const y = x.slice();
    y[4] = NaN;
    x[4] = 0;
    expect(Array.from(leechVoronoiEncode(y))).toEqual(Array.from(leechVoronoiEncode(x)));
    // huge vectors are shortened, not overflowed: same code as the vector at length 64
    const big = Float32Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 1e30 : -3e29));
    const n = Math.sqrt(big.reduce((a, v) => a + v * v, 0));
    const c = leechVoronoiEncode(big);
    expect(Array.from(c)).toEqual(Array.from(leechVoronoiEncode(big.map((v) => (v * 64) / n))));
    expect(Array.from(nearestLeech(leechVoronoiDecode(c)))).toEqual(Array.from(leechVoronoiDecode(c)));
  });
});
