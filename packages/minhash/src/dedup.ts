import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { slotJaccard } from './estimate.js';
import { BandBuckets } from './lsh/bands.js';
import { optimalParam } from './lsh/param.js';
import { ShingleSets } from './exact-sets.js';
import { SKETCH_KEYS, parseSketch, sketchRows, type SketchOptions } from './sketch.js';
import { UnionFind } from './union-find.js';

export interface DedupOptions extends SketchOptions {
  /** Jaccard at or above which two documents are duplicates. Default 0.7 (text-dedup). */
  threshold?: number;
  /**
   * How an LSH candidate pair is confirmed: 'exact' (default) by the Jaccard of the two shingle sets
   * (every document's text is kept until the end; a set is built for candidates only), 'estimate' by
   * the sketches' estimated Jaccard (memory: the signatures only).
   */
  verify?: 'exact' | 'estimate';
  /**
   * 'star' (default): documents in input order join the earliest cluster leader they are confirmed
   * against, else lead a new cluster; every member is a duplicate of its leader (the first member).
   * 'connected': clusters are the connected components of confirmed pairs (transitive, so two members
   * may be far apart).
   */
  cluster?: 'connected' | 'star';
  /**
   * Explicit banding; default optimalParam(threshold, numPerm) for 'estimate', and with 'exact', where
   * a false candidate costs only its check, optimalParam(threshold, numPerm, 0.1, 0.9) (weighted for recall).
   */
  bands?: number;
  rows?: number;
  /** Which document of a cluster survives: 'first' (default, earliest in input order) or 'longest' (most shingles; ties: earliest). */
  keep?: 'first' | 'longest';
  /** Documents sketched per wasm batch. Default 1024. */
  batchSize?: number;
  /** Called after each batch with the number of documents processed so far. */
  onProgress?: (processed: number) => void;
}

// Banding weights for exact verification: a missed pair is lost for good, a false candidate costs one set intersection.
const RECALL_WEIGHTS = { fp: 0.1, fn: 0.9 };

const KEYS = [...SKETCH_KEYS, 'threshold', 'verify', 'cluster', 'bands', 'rows', 'keep', 'batchSize', 'onProgress'] as const;

export interface DedupResult {
  /** Groups of ≥ 2 near-duplicate documents (input indices, ascending; groups ordered by first member). */
  clusters: number[][];
  /** Indices of the documents to keep (ascending): every singleton plus one per cluster. */
  keep: number[];
  /** Number of documents read. */
  total: number;
}

/**
 * Near-duplicate detection: sketch every document (see sketchTexts), find candidates through LSH
 * banding, confirm each candidate pair by exact (default) or estimated Jaccard ≥ threshold, and group
 * confirmed pairs (star clusters around a leader by default, or connected components). Documents without shingles are never
 * duplicates. Accepts any iterable or async iterable of strings; memory is k·4 bytes per document plus
 * buckets, and with verify: 'exact' the texts and the shingle sets of candidates.
 */
export async function dedup(docs: Iterable<string> | AsyncIterable<string>, options?: DedupOptions): Promise<DedupResult> {
  const o = checkOptions<DedupOptions>(options, 'dedup options', KEYS);
  const plan = parseSketch(o, 'dedup');
  const threshold = o.threshold ?? 0.7;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
    throw new KompaktError('INVALID_ARGUMENT', `dedup: threshold must be in (0, 1], got ${describe(threshold)}`);
  }
  const verify = o.verify ?? 'exact';
  if (verify !== 'exact' && verify !== 'estimate') throw new KompaktError('INVALID_ARGUMENT', `dedup: verify must be 'exact' or 'estimate', got ${describe(verify)}`);
  const cluster = o.cluster ?? 'star';
  if (cluster !== 'connected' && cluster !== 'star') throw new KompaktError('INVALID_ARGUMENT', `dedup: cluster must be 'connected' or 'star', got ${describe(cluster)}`);
  const keep = o.keep ?? 'first';
  if (keep !== 'first' && keep !== 'longest') throw new KompaktError('INVALID_ARGUMENT', `dedup: keep must be 'first' or 'longest', got ${describe(keep)}`);
  const batchSize = o.batchSize === undefined ? 1024 : checkInteger(o.batchSize, 'dedup: batchSize', 1);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new KompaktError('INVALID_ARGUMENT', 'dedup: onProgress must be a function');
  if ((o.bands === undefined) !== (o.rows === undefined)) throw new KompaktError('INVALID_ARGUMENT', 'dedup: give both bands and rows, or neither');
  const k = plan.numPerm;
  const { bands, rows } = o.bands !== undefined
    ? { bands: checkInteger(o.bands, 'dedup: bands', 1, k), rows: checkInteger(o.rows, 'dedup: rows', 1, Math.floor(k / o.bands)) }
    : verify === 'exact' ? optimalParam(threshold, k, RECALL_WEIGHTS.fp, RECALL_WEIGHTS.fn) : optimalParam(threshold, k);
  if (docs === null || typeof docs !== 'object' || !(Symbol.iterator in docs || Symbol.asyncIterator in docs)) {
    throw new KompaktError('INVALID_TYPE', `dedup: docs must be an iterable or async iterable of strings, got ${describe(docs)}`);
  }

  const buckets = new BandBuckets(bands, rows);
  const sets = new UnionFind();
  const signatures: Uint32Array[] = [];
  const sizes: number[] = [];
  const exact = verify === 'exact' ? new ShingleSets(plan) : null;
  const confirmed = (a: number, b: number) => (exact ? exact.jaccard(a, b) : slotJaccard(signatures[a], signatures[b])) >= threshold;

  const flush = (batch: string[]) => {
    const sketched = sketchRows(batch, plan, true);
    for (let d = 0; d < batch.length; d++) {
      const id = sets.add();
      const sig = sketched.rows.slice(d * k, (d + 1) * k);
      signatures.push(sig);
      sizes.push(sketched.counts[d]);
      exact?.add(batch[d]);
      if (sketched.counts[d] === 0) continue;
      if (cluster === 'star') {
        // Only leaders are indexed: join the earliest confirmed one, or become a leader.
        const leader = [...buckets.candidates(sig)].sort((a, b) => a - b).find((other) => confirmed(id, other));
        if (leader === undefined) buckets.insert(id, sig);
        else sets.union(leader, id);
        continue;
      }
      for (const other of buckets.candidates(sig)) {
        if (sets.find(other) !== sets.find(id) && confirmed(id, other)) sets.union(id, other);
      }
      buckets.insert(id, sig);
    }
    o.onProgress?.(sets.length);
  };

  let batch: string[] = [];
  for await (const doc of docs as AsyncIterable<string>) {
    if (typeof doc !== 'string') throw new KompaktError('INVALID_TYPE', `dedup: document ${sets.length + batch.length} must be a string, got ${describe(doc)}`);
    batch.push(doc);
    if (batch.length >= batchSize) {
      flush(batch);
      batch = [];
    }
  }
  if (batch.length) flush(batch);
  return collect(sets, sizes, keep);
}

function collect(sets: UnionFind, sizes: number[], policy: 'first' | 'longest'): DedupResult {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < sets.length; i++) {
    const root = sets.find(i);
    const group = groups.get(root);
    if (group) group.push(i);
    else groups.set(root, [i]);
  }
  const clusters: number[][] = [];
  const keep: number[] = [];
  for (const group of groups.values()) {
    if (group.length > 1) clusters.push(group);
    let best = group[0];
    if (policy === 'longest') for (const i of group) if (sizes[i] > sizes[best]) best = i;
    keep.push(best);
  }
  clusters.sort((a, b) => a[0] - b[0]);
  keep.sort((a, b) => a - b);
  return { clusters, keep, total: sets.length };
}
