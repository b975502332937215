import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E8P_RESIDUAL_SCALE, E8P_SCALE, e8pDecode, e8pEncode, e8pRvqDecode, e8pRvqEncode, nearestE8, setBackend, KompaktError } from '@kompakt/lattice';
import { dist2, gaussian, testBackends, uniform } from './backends';

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);

function mse(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - y[i]) ** 2;
  return s / x.length;
}

/** Every length-n tuple over vals, in lexicographic order (first coordinate most significant). */
function* product(vals: number[], n: number): Generator<number[]> {
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    yield idx.map((i) => vals[i]);
    let j = n - 1;
    while (j >= 0 && idx[j] === vals.length - 1) idx[j--] = 0;
    if (j < 0) return;
    idx[j]++;
  }
}

/**
 * QuIP#'s E8P codebook (lib/codebook/latticee8_padded12.py, read for facts only) rebuilt from its
 * description: the 227 |D8 + ½| patterns of norm² ≤ 10 sorted lexicographically, then 29 norm² 12
 * patterns (positions of their three ½'s listed); code c = a << 8 | s decodes pattern a (last coordinate
 * negated when its sum is odd) with coordinate i flipped by bit [0,4,1,5,2,6,3,7][i] of s ^ parity(s)
 * and shifted by −¼ when parity(s) = 1, else +¼.
 */
function quipSharpE8p(): Float32Array {
  const pats = [...product([0.5, 1.5, 2.5], 8)].filter((v) => v.reduce((a, b) => a + b * b, 0) <= 10);
  for (const halves of '123 023 013 012 367 357 347 356 346 345 267 257 247 256 246 245 167 157 147 156 146 045 067 057 047 056 046 014 237'.split(' ')) {
    pats.push(Array.from({ length: 8 }, (_, i) => (halves.includes(String(i)) ? 0.5 : 1.5)));
  }
  expect(pats.length).toBe(256);
  const out = new Float32Array(65536 * 8);
  for (let c = 0; c < 65536; c++) {
    const p = pats[c >> 8].slice();
    if (p.reduce((a, b) => a + b, 0) % 2 === 1) p[7] = -p[7];
    let s = c & 255, par = 0;
    for (let i = 0; i < 8; i++) par ^= (s >> i) & 1;
    s ^= par;
    for (let i = 0; i < 8; i++) out[8 * c + i] = ((s >> [0, 4, 1, 5, 2, 6, 3, 7][i]) & 1 ? -p[i] : p[i]) + (par ? -0.25 : 0.25);
  }
  return out;
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

  it('decodes every code as QuIP#\'s get_full_grid does (table and layout rebuilt here from its construction)', () => {
    const ref = quipSharpE8p();
    const cb = e8pDecode(ALL);
    expect(cb.findIndex((v, i) => v !== ref[i])).toBe(-1);
    // the blog's worked code 0001010110010111 in the code's layout: a = 21 = (½,½,½,½,3/2,½,3/2,3/2),
    // odd sum so coordinate 7 is stored negated; s = 0x97 has odd parity: shift −¼, bit 0 toggled
    // back, flips from bits 1, 2, 4, 7 → coordinates 2, 4, 1, 7
    expect(Array.from(e8pDecode(new Uint16Array([0b0001010110010111])))).toEqual([0.25, -0.75, -0.75, 0.25, -1.75, 0.25, 1.25, 1.25]);
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
    // the 1-bit second stage in QuIP#'s order (get_e81bgrid): E8 points of norm² ≤ 2, integer then
    // half-integer, each lexicographic (coordinate 0 most significant), then +2e₀…+2e₇, −2e₀…−2e₆
    const stage2 = e8pRvqDecode(Uint32Array.from({ length: 256 }, (_, i) => i), 3).map((v) => Math.round((v - 0.75) * 2.04 * 2) / 2);
    const want: number[][] = [];
    for (const vals of [[-1, 0, 1], [-0.5, 0.5]]) {
      for (const v of product(vals, 8)) {
        const sum = v.reduce((a, b) => a + b, 0), n2 = v.reduce((a, b) => a + b * b, 0);
        if (n2 <= 2 && ((sum % 2) + 2) % 2 === 0) want.push(v);
      }
    }
    for (const sign of [2, -2]) for (let i = 0; i < (sign > 0 ? 8 : 7); i++) want.push(Array.from({ length: 8 }, (_, j) => (j === i ? sign : 0)));
    expect(want.length).toBe(256);
    expect(want[56]).toEqual(new Array(8).fill(0));
    for (let k = 0; k < 256; k++) expect(Array.from(stage2.subarray(8 * k, 8 * k + 8)), `entry ${k}`).toEqual(want[k]);
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
