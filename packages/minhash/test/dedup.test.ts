import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedup, setBackend, shingles } from '@kompakt/minhash';
import { rng, testBackends } from './backends';

/** 40 unrelated documents of 120 words, each followed by two copies with 3 words replaced. */
function corpus(): { docs: string[]; groups: number[][] } {
  const next = rng(41);
  const word = () => `w${next() % 5000}`;
  const docs: string[] = [];
  const groups: number[][] = [];
  for (let g = 0; g < 40; g++) {
    const base = Array.from({ length: 120 }, word);
    const group = [docs.length];
    docs.push(base.join(' '));
    for (let c = 0; c < 2; c++) {
      const copy = base.slice();
      for (let e = 0; e < 3; e++) copy[next() % copy.length] = word();
      if (c === 1) copy.push('tail', 'words'); // the longest of the group
      group.push(docs.length);
      docs.push(copy.join(' '));
    }
    groups.push(group);
  }
  return { docs, groups };
}

/** Exact Jaccard of two documents' word n-gram sets (the reference for verify: 'exact'). */
function jaccard(a: string, b: string, ngram: number): number {
  const x = new Set(shingles(a, { ngram }));
  const y = new Set(shingles(b, { ngram }));
  const shared = [...x].filter((s) => y.has(s)).length;
  return shared / (x.size + y.size - shared);
}

/** A chain a → b → c: each step replaces 6 of 200 words, so a–b and b–c are closer than a–c. */
function chain(): string[] {
  const next = rng(7);
  const a = Array.from({ length: 200 }, () => `w${next() % 100000}`);
  const step = (from: string[], at: number) => from.map((w, i) => (i % 33 === at ? `x${next()}` : w));
  const b = step(a, 5);
  return [a, b, step(b, 20)].map((w) => w.join(' '));
}

describe.each(testBackends())('dedup on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it.each(['oph', 'classic'] as const)('finds the planted clusters (%s)', async (method) => {
    const { docs, groups } = corpus();
    const result = await dedup(docs, { threshold: 0.5, method, ngram: 3 });
    expect(result.total).toBe(docs.length);
    expect(result.clusters).toEqual(groups);
    expect(result.keep).toEqual(groups.map((g) => g[0]));
  });

  it("verify: 'exact' confirms a pair exactly at its Jaccard, not a hair above", async () => {
    const [a, b] = chain();
    const j = jaccard(a, b, 2);
    // One row per band: any shared slot makes a candidate, so only the verification decides.
    const opts = { ngram: 2, bands: 128, rows: 1 } as const;
    expect((await dedup([a, b], { ...opts, threshold: j })).clusters).toEqual([[0, 1]]);
    expect((await dedup([a, b], { ...opts, threshold: j + 1e-9 })).clusters).toEqual([]);
  });

  it("cluster: 'star' joins leaders only, 'connected' follows chains", async () => {
    const docs = chain();
    const t = jaccard(docs[0], docs[1], 2) - 0.01;
    expect(jaccard(docs[1], docs[2], 2)).toBeGreaterThanOrEqual(t);
    expect(jaccard(docs[0], docs[2], 2)).toBeLessThan(t);
    const opts = { ngram: 2, threshold: t, bands: 128, rows: 1 } as const;
    expect(await dedup(docs, opts)).toEqual({ clusters: [[0, 1]], keep: [0, 2], total: 3 });
    expect((await dedup(docs, { ...opts, cluster: 'connected' })).clusters).toEqual([[0, 1, 2]]);
  });

  it('async input, progress, keep: longest, empty documents', async () => {
    const { docs, groups } = corpus();
    async function* stream() {
      yield '';
      yield* docs;
      yield '   ';
    }
    const progress: number[] = [];
    const result = await dedup(stream(), { threshold: 0.5, ngram: 3, keep: 'longest', batchSize: 50, onProgress: (n) => progress.push(n) });
    expect(progress).toEqual([50, 100, 122]);
    expect(result.clusters).toEqual(groups.map((g) => g.map((i) => i + 1)));
    expect(result.keep).toEqual([0, ...groups.map((g) => g[2] + 1), 121]);
  });
});
