// The report's scalar round-to-nearest baseline (src/report/rtn.ts).
import { describe, expect, it } from 'vitest';
import { RTN_GROUP, rtnGroup, rtnRows } from '../src/report/rtn.js';
import { gaussian } from './helpers.js';

describe('rtnRows', () => {
  it("keeps values already on a group's 2^b levels and rounds others to the nearest level", () => {
    const n = 2 * RTN_GROUP;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = (i % 4) * 0.5 - 1; // levels -1, -0.5, 0, 0.5: exactly 2 bits
    expect(Array.from(rtnRows(x, n, 2, null).y)).toEqual(Array.from(x));
    const g = gaussian(n, 3, 1);
    for (const bits of [2, 3, 4]) {
      const { y, bitsPerWeight } = rtnRows(g, n, bits, null);
      expect(bitsPerWeight).toBe(bits + 32 / RTN_GROUP);
      for (let s = 0; s < n; s += RTN_GROUP) {
        const group = Array.from(g.subarray(s, s + RTN_GROUP));
        const step = (Math.max(...group) - Math.min(...group)) / (2 ** bits - 1);
        for (let i = s; i < s + RTN_GROUP; i++) expect(Math.abs(y[i] - g[i])).toBeLessThanOrEqual(step / 2 + 1e-6);
      }
    }
  });

  it('uses the whole row when the group does not divide it, and a constant group exactly', () => {
    expect(rtnGroup(96)).toBe(96);
    expect(rtnGroup(4 * RTN_GROUP)).toBe(RTN_GROUP);
    expect(Array.from(rtnRows(new Float32Array(96).fill(0.25), 96, 3, null).y)).toEqual(new Array(96).fill(0.25));
    expect(rtnRows(new Float32Array(96), 96, 3, null).bitsPerWeight).toBe(3 + 32 / 96);
  });

  it("with a Hadamard rotation, spreads a row's outliers and lowers the error there", () => {
    const n = 256;
    const x = gaussian(8 * n, 5, 1);
    for (let i = 0; i < x.length; i += 61) x[i] *= 30;
    const err = (y: Float32Array) => y.reduce((a, v, i) => a + (v - x[i]) ** 2, 0);
    expect(err(rtnRows(x, n, 3, { seed: 7 }).y)).toBeLessThan(err(rtnRows(x, n, 3, null).y) / 2);
  });
});
