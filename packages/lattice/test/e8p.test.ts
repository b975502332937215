import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E8P_RESIDUAL_SCALE, E8P_SCALE, e8pDecode, e8pEncode, e8pRvqDecode, e8pRvqEncode, nearestE8, setBackend, KompaktError } from '@kompakt/lattice';
import { dist2, gaussian, testBackends, uniform } from './backends';

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);

function mse(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return s / x.length;
}

describe.each(testBackends())('E8P on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('decodes the documented layout (hand-derived vectors)', () => {
    // a = 0: pattern (½)^8, even sum; s = 0 → +¼; s = 1 → parity 1: bit 0 toggled back, −¼
    expect(Array.from(e8pDecode(new Uint16Array([0x0000])))).toEqual(new Array(8).fill(0.75));
    expect(Array.from(e8pDecode(new Uint16Array([0x0001])))).toEqual(new Array(8).fill(0.25));
    // s = 3: even, bits 0 and 1 flip coordinates 0 and 2 (coordinate i reads bit [0,4,1,5,2,6,3,7][i])
    expect(Array.from(e8pDecode(new Uint16Array([0x0003])))).toEqual([-0.25, 0.75, -0.25, 0.75, 0.75, 0.75, 0.75, 0.75]);
    // a = 1: (½^7, 3/2) has an odd sum, stored with its last coordinate negated
    expect(Array.from(e8pDecode(new Uint16Array([0x0100])))).toEqual([0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, -1.25]);
    // a = 227: the first norm² 12 pattern, ½ at coordinates 1, 2, 3; its sum 9 is odd, so the last is negated
    expect(Array.from(e8pDecode(new Uint16Array([227 << 8])))).toEqual([1.75, 0.75, 0.75, 0.75, 1.75, 1.75, 1.75, -1.25]);
  });

  it('has 65,536 distinct codewords, all in E8 + ¼, with norms as documented', () => {
    const cb = e8pDecode(ALL);
    const keys = new Set<string>();
    let minN = Infinity, maxN = 0, sumN = 0;
    const shifted = cb.map((v) => v - 0.25);
    const onLattice = nearestE8(shifted);
    for (let k = 0; k < 65536; k++) {
      keys.add(Array.from(cb.subarray(8 * k, 8 * k + 8)).join());
      const n = dist2(cb, 8 * k, new Float32Array(8), 0, 8);
      minN = Math.min(minN, n); maxN = Math.max(maxN, n); sumN += n;
    }
    expect(keys.size).toBe(65536);
    expect(Array.from(onLattice)).toEqual(Array.from(shifted));
    expect(minN).toBe(0.5);
    expect(maxN).toBe(16.5);
    expect(sumN / 65536).toBeCloseTo(9.57, 2);
  });

  it('round-trips every code: encode(decode(c)) = c', () => {
    expect(Array.from(e8pEncode(e8pDecode(ALL)))).toEqual(Array.from(ALL));
  });

  it('encodes to the exact nearest codeword (brute force over all 65,536 on a random sample)', () => {
    const cb = e8pDecode(ALL);
    for (const [x, name] of [[gaussian(8 * 150, 1, 1.03), 'gaussian'], [uniform(8 * 100, 2, -4, 4), 'uniform'], [gaussian(8 * 50, 3, 3), 'wide']] as const) {
      const codes = e8pEncode(x);
      const q = e8pDecode(codes);
      for (let k = 0; k < codes.length; k++) {
        let best = Infinity;
        for (let c = 0; c < 65536; c++) best = Math.min(best, dist2(x, 8 * k, cb, 8 * c, 8));
        expect(dist2(x, 8 * k, q, 8 * k, 8), `${name} #${k}`).toBeLessThanOrEqual(best + 1e-5);
      }
    }
  });

  it('reaches the QuIP# MSE on a unit Gaussian at the optimal scales (2, 3, 4 bits)', () => {
    const x = gaussian(8 * 20000, 42);
    const s2 = E8P_SCALE[2], s3 = E8P_SCALE[3], s4 = E8P_SCALE[4];
    const q2 = e8pDecode(e8pEncode(x.map((v) => v * s2))).map((v) => v / s2);
    const q3 = e8pRvqDecode(e8pRvqEncode(x.map((v) => v * s3), 3), 3).map((v) => v / s3);
    const q4 = e8pRvqDecode(e8pRvqEncode(x.map((v) => v * s4), 4), 4).map((v) => v / s4);
    expect(mse(x, q2)).toBeGreaterThan(0.0895);
    expect(mse(x, q2)).toBeLessThan(0.0935);
    expect(mse(x, q3)).toBeGreaterThan(0.0285);
    expect(mse(x, q3)).toBeLessThan(0.0305);
    expect(mse(x, q4)).toBeGreaterThan(0.0092);
    expect(mse(x, q4)).toBeLessThan(0.0100);
  });

  it('RVQ codes compose as documented', () => {
    const x = gaussian(8 * 64, 7, 1.03);
    const c4 = e8pRvqEncode(x, 4);
    const first = e8pEncode(x);
    for (let k = 0; k < c4.length; k++) expect(c4[k] >>> 16).toBe(first[k]);
    const c3 = e8pRvqEncode(x, 3);
    for (let k = 0; k < c3.length; k++) expect(c3[k] >>> 8).toBe(first[k]);
    expect(E8P_RESIDUAL_SCALE).toEqual({ 3: 2.04, 4: 3.45 });
    // the 1-bit second stage: 256 distinct points of E8, norm² ≤ 4
    const stage2 = e8pRvqDecode(Uint32Array.from({ length: 256 }, (_, i) => i), 3).map((v, i) => (v - 0.75) * 2.04 + 0 * i);
    const set = new Set<string>();
    for (let k = 0; k < 256; k++) set.add(Array.from(stage2.subarray(8 * k, 8 * k + 8), (v) => Math.round(v * 2) / 2).join());
    expect(set.size).toBe(256);
  });

  it('reads NaN/±Inf as 0 and rejects bad input', () => {
    const x = new Float32Array([NaN, Infinity, -Infinity, 0, 0, 0, 0, 0]);
    expect(Array.from(e8pEncode(x))).toEqual(Array.from(e8pEncode(new Float32Array(8))));
    expect(() => e8pEncode(new Float32Array(9))).toThrow(KompaktError);
    expect(() => e8pDecode(new Uint32Array(1) as never)).toThrowError(/Uint16Array/);
    expect(() => e8pRvqDecode(new Uint32Array([1 << 24]), 3)).toThrowError(/2\^24/);
    expect(() => e8pRvqEncode(new Float32Array(8), 2 as never)).toThrow(KompaktError);
  });
});
