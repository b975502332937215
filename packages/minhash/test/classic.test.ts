import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinHash, linearPermutations, setBackend } from '@kompakt/minhash';
import { meanVar, pairWithJaccard, rng, testBackends } from './backends';
import { classicReference } from './reference';

describe.each(testBackends())('classic MinHash on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it.each(['xxh32', 'sha1'] as const)('%s family: matches the BigInt model bit for bit (k not a multiple of 8, wrap-around products)', (hash) => {
    const next = rng(1);
    for (const k of [1, 13, 64]) {
      const hashes = Uint32Array.from({ length: 300 }, next);
      hashes[0] = 0xffffffff;
      hashes[1] = 0;
      const copy = hashes.slice();
      const m = new MinHash({ numPerm: k, seed: 42, hash }).updateHashes(hashes);
      expect([...m.hashvalues]).toEqual([...classicReference(hashes, k, 42, hash)]);
      expect(hashes).toEqual(copy); // the kernels mix a copy, never the caller's tokens
    }
  });

  it('the 32-bit family: a odd, parameters fixed by the seed (SplitMix64)', () => {
    const { a, b } = linearPermutations(4, 1);
    expect(a.every((x) => (x & 1) === 1)).toBe(true);
    expect([...linearPermutations(200, 1).a.subarray(0, 4)]).toEqual([...a]);
    expect([...b]).not.toEqual([...linearPermutations(4, 2).b]);
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

  // One seed for every pair, as in a corpus: k fixed permutations whose slots must still behave as
  // independent. Sequential tokens (structured, not hashes) test the family itself, not the token hash.
  it.each([
    ['random', 0.5], ['random', 0.8], ['sequential', 0.2], ['sequential', 0.5], ['sequential', 0.8],
  ] as const)('xxh32 family, one seed, %s tokens, Jaccard %s: unbiased with variance J(1−J)/k', (tokens, j) => {
    const k = 128;
    const trials = 1000;
    const next = rng(Math.round(j * 1000) + 7);
    const est: number[] = [];
    for (let t = 0; t < trials; t++) {
      let { a, b } = pairWithJaccard(next, 200, j);
      if (tokens === 'sequential') {
        // Renumber the union as a run of consecutive integers from a random start.
        const start = next() & 0xffff0000;
        const order = new Map([...new Set([...a, ...b])].map((v, i) => [v, (start + i) >>> 0]));
        [a, b] = [a.map((v) => order.get(v)!), b.map((v) => order.get(v)!)];
      }
      est.push(new MinHash({ numPerm: k }).updateHashes(a).jaccard(new MinHash({ numPerm: k }).updateHashes(b)));
    }
    const { mean, variance } = meanVar(est);
    const sigma2 = (j * (1 - j)) / k;
    expect(Math.abs((mean - j) / Math.sqrt(sigma2 / trials))).toBeLessThan(4.5);
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
