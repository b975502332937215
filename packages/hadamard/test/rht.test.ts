import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rademacher, seedToKey } from '@kompakt/core';
import { fwht, irht, rht, rhtSigns, setBackend, supportedSizes } from '@kompakt/hadamard';
import { maxDiff, randomFloats, testBackends } from './backends';

describe.each(testBackends())('rht on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('uses the documented sign stream, bit for bit the JS reference', () => {
    for (const [n, seed] of [[1, 0], [128, 1], [1000, 2n ** 63n + 5n], [4096, 123456789]] as const) {
      expect(Array.from(rhtSigns(n, seed))).toEqual(Array.from(rademacher(seedToKey(seed), new Float32Array(n))));
    }
  });

  it('is H·D·x: the FWHT of the sign-flipped input', () => {
    for (const n of [16, 1024, 12 * 64, 172]) {
      const x = randomFloats(n * 3, n);
      const signs = rhtSigns(n, 99);
      const expected = fwht(x.map((v, i) => v * signs[i % n]), { n });
      expect(maxDiff(rht(x.slice(), { n, seed: 99 }), expected).diff).toBeLessThanOrEqual(1e-6);
      expect(Array.from(rht(x.slice(), { n, signs }))).toEqual(Array.from(rht(x.slice(), { n, seed: 99 })));
    }
  });

  it('round-trips through irht for every supported size up to 8192', () => {
    for (const n of supportedSizes(8192)) {
      const x = randomFloats(n * 2, n);
      for (const normalize of [true, false]) {
        const y = irht(rht(x.slice(), { n, seed: 5, normalize }), { n, seed: 5, normalize });
        expect(maxDiff(y, x).diff, `n = ${n}`).toBeLessThanOrEqual(2e-6 * (Math.log2(n) + 12));
      }
    }
  });

  it('reuses one block of signs per block, so the rotation is the same for every block', () => {
    const x = randomFloats(64 * 8, 1);
    const blocked = rht(x.slice(), { n: 512, block: 64, seed: 3 });
    const perBlock = rht(x.slice(), { n: 64, seed: 3 });
    expect(Array.from(blocked)).toEqual(Array.from(perBlock));
  });

  it('spreads an outlier: max|x| / rms drops from √n to ≈ 1', () => {
    const n = 4096;
    const x = randomFloats(n, 4, 0.01);
    x[17] = 100;
    const ratio = (v: Float32Array) => Math.max(...v.map(Math.abs)) / Math.sqrt(v.reduce((s, a) => s + a * a, 0) / v.length);
    expect(ratio(x)).toBeGreaterThan(50);
    expect(ratio(rht(x, { seed: 11 }))).toBeLessThan(2);
  });

  it('gives different rotations for different seeds and the same for number and bigint seeds', () => {
    const x = randomFloats(256, 2);
    expect(Array.from(rht(x.slice(), { seed: 1 }))).not.toEqual(Array.from(rht(x.slice(), { seed: 2 })));
    expect(Array.from(rht(x.slice(), { seed: 77 }))).toEqual(Array.from(rht(x.slice(), { seed: 77n })));
  });
});
