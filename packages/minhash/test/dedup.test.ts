import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedup, setBackend } from '@kompakt/minhash';
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
