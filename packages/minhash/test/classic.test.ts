import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinHash, setBackend } from '@kompakt/minhash';
import { meanVar, pairWithJaccard, rng, testBackends } from './backends';
import { classicReference } from './reference';

describe.each(testBackends())('classic MinHash on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('matches the BigInt model bit for bit (k not a multiple of 8, wrap-around products)', () => {
    const next = rng(1);
    for (const k of [1, 13, 64]) {
      const hashes = Uint32Array.from({ length: 300 }, next);
      hashes[0] = 0xffffffff;
      hashes[1] = 0;
      const m = new MinHash({ numPerm: k, seed: 42 }).updateHashes(hashes);
      expect([...m.hashvalues]).toEqual([...classicReference(hashes, k, 42)]);
    }
  });

  it('is order-, duplicate- and batching-invariant; merge is the union', () => {
    const next = rng(2);
    const a = Uint32Array.from({ length: 100 }, next);
    const b = Uint32Array.from({ length: 100 }, next);
    const whole = new MinHash().updateHashes(Uint32Array.from([...a, ...b, ...a]));
    const parts = new MinHash().updateHashes(b.slice().reverse()).updateHashes(a);
    expect([...parts.hashvalues]).toEqual([...whole.hashvalues]);
    const merged = new MinHash().updateHashes(a).merge(new MinHash().updateHashes(b));
    expect([...merged.hashvalues]).toEqual([...whole.hashvalues]);
  });

  it('empty sketches: isEmpty, Jaccard 0, count 0', () => {
    const e = new MinHash();
    expect(e.isEmpty()).toBe(true);
    expect(e.jaccard(new MinHash())).toBe(0);
    expect(e.count()).toBeCloseTo(0, 6);
    expect(e.update('x').isEmpty()).toBe(false);
  });

  it.each([0.2, 0.5, 0.8])('Jaccard %s: unbiased (z-test) with variance J(1−J)/k (χ² band)', (j) => {
    const k = 128;
    const trials = 1000;
    const next = rng(Math.round(j * 1000));
    const est: number[] = [];
    for (let t = 0; t < trials; t++) {
      const { a, b } = pairWithJaccard(next, 200, j);
      est.push(new MinHash({ numPerm: k, seed: t }).updateHashes(a).jaccard(new MinHash({ numPerm: k, seed: t }).updateHashes(b)));
    }
    const { mean, variance } = meanVar(est);
    const sigma2 = (j * (1 - j)) / k;
    expect(Math.abs((mean - j) / Math.sqrt(sigma2 / trials))).toBeLessThan(4.5);
    // (T−1)s²/σ² ~ χ²(T−1): ratio s²/σ² has sd √(2/(T−1)) ≈ 0.045; a ±5 sd band.
    expect(variance / sigma2).toBeGreaterThan(0.78);
    expect(variance / sigma2).toBeLessThan(1.22);
  });

  it('count and containment estimate sizes', () => {
    const next = rng(3);
    const big = Uint32Array.from({ length: 2000 }, next);
    const small = big.subarray(0, 500);
    const k = 256;
    const A = new MinHash({ numPerm: k }).updateHashes(small);
    const B = new MinHash({ numPerm: k }).updateHashes(big);
    expect(B.count() / 2000).toBeGreaterThan(0.75);
    expect(B.count() / 2000).toBeLessThan(1.3);
    expect(A.containment(B)).toBeGreaterThan(0.7);
  });
});
