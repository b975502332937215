import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { sketchBatch, type TextBatch } from './kernels.js';
import { MinHash } from './minhash.js';
import { densify, sketchWithDensified, type OnePermMinHash } from './oph.js';
import { HASH_KIND, packedPermutations, usesDatasketchFamily, parseHash, parseNumPerm, parseSeed, type SketchParams, type TokenHash } from './params.js';
import { paddedK } from './permutations.js';
import { SHINGLE_KEYS, normalizeText, parseShingle, type ShingleOptions, type ShinglePlan } from './shingle.js';

/** Options of sketchTexts() (and of dedup(), which adds its own). */
export interface SketchOptions extends ShingleOptions {
  /** 'oph' (default): one-permutation hashing, O(d + k); 'classic': k permutations, O(d·k). */
  method?: 'oph' | 'classic';
  numPerm?: number;
  seed?: number;
  /** Token hash of each shingle's UTF-8 bytes. Default 'xxh32'. */
  hash?: TokenHash;
  /** Native backend: threads across documents (0 = all cores). Default 0; wasm runs on one. */
  threads?: number;
}

export const SKETCH_KEYS = ['method', 'numPerm', 'seed', 'hash', 'threads', ...SHINGLE_KEYS] as const;

export interface SketchPlan extends SketchParams, ShinglePlan {
  method: 'oph' | 'classic';
  threads: number;
}

export function parseSketch(opts: Partial<SketchOptions>, fn: string): SketchPlan {
  const method = opts.method ?? 'oph';
  if (method !== 'oph' && method !== 'classic') {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: method must be 'oph' or 'classic', got ${describe(method)}`);
  }
  return {
    method, numPerm: parseNumPerm(opts.numPerm, fn), seed: parseSeed(opts.seed, fn), hash: parseHash(opts.hash, fn, 'xxh32'),
    threads: opts.threads === undefined ? 0 : checkInteger(opts.threads, `${fn}: threads`, 0, 256),
    ...parseShingle(opts, fn),
  };
}

/** Rows of one sketched batch: `rows` holds k u32 per document (classic minima, raw or densified OPH bins). */
export interface SketchRows {
  rows: Uint32Array;
  /** Shingles per document (0: empty document). */
  counts: Uint32Array;
}

const encoder = new TextEncoder();
// Documents go to the kernel in batches of about this many UTF-8 bytes (bounded memory, one crossing per batch).
const BATCH_BYTES = 1 << 20;
// Reused staging buffer: encoding here first lets the arena be reserved at the exact size.
let staging = new Uint8Array(BATCH_BYTES * 2);

/** Encodes `text` into the staging buffer at `at` (growing it when needed); returns the bytes written. */
function encode(text: string, at: number): number {
  if (staging.length - at < text.length * 3) {
    const grown = new Uint8Array(Math.max(staging.length * 2, at + text.length * 3));
    grown.set(staging.subarray(0, at));
    staging = grown;
  }
  return encoder.encodeInto(text, staging.subarray(at)).written;
}

/**
 * UTF-8 of a batch, back to back. ASCII documents are sent raw (the kernel normalizes ASCII itself);
 * one with a non-ASCII character (encodeInto writes more bytes than it has UTF-16 units) is replaced
 * by normalizeText(doc), which the kernel pass then leaves unchanged.
 */
function encodeBatch(docs: readonly string[], from: number, plan: ShinglePlan): TextBatch & { end: number } {
  const offsets: number[] = [0];
  let at = 0;
  let longest = 1;
  let end = from;
  while (end < docs.length && (end === from || at < BATCH_BYTES)) {
    const doc = docs[end];
    if (typeof doc !== 'string') throw new KompaktError('INVALID_TYPE', `document ${end} must be a string, got ${describe(doc)}`);
    let written = encode(doc, at);
    if (written !== doc.length) written = encode(normalizeText(doc, plan.shingle), at);
    at += written;
    longest = Math.max(longest, written);
    offsets.push(at);
    end++;
  }
  return { end, bytes: staging.subarray(0, at), offsets: Uint32Array.from(offsets), longest };
}

/**
 * Normalizes, shingles, hashes and sketches `texts` in the kernels; the fast path behind sketchTexts,
 * sketchMatrix and dedup. OPH rows are the raw bins, or with `densified` the signatures (densified in
 * the same kernel pass, saving a second pass over the rows).
 */
export function sketchRows(texts: readonly string[], plan: SketchPlan, densified = false): SketchRows {
  const k = plan.numPerm;
  const rows = new Uint32Array(texts.length * k);
  const counts = new Uint32Array(texts.length);
  let start = 0;
  while (start < texts.length) {
    const batch = encodeBatch(texts, start, plan);
    sketchRowsOf(batch, plan, densified, rows.subarray(start * k, batch.end * k), counts.subarray(start, batch.end));
    start = batch.end;
  }
  return { rows, counts };
}

/** Kernel method ids (docs/internals.md, sketch_texts). */
function kernelMethod(plan: SketchPlan, densified: boolean): number {
  if (plan.method === 'oph') return densified ? 3 : 1;
  return usesDatasketchFamily(plan.hash) ? 0 : 2;
}

function sketchRowsOf(batch: TextBatch, plan: SketchPlan, densified: boolean, rows: Uint32Array, counts: Uint32Array): void {
  const classic = plan.method === 'classic';
  const k = plan.numPerm;
  const kp = classic ? paddedK(k) : k;
  const n = batch.offsets.length - 1;
  const out = kp === k ? rows : new Uint32Array(n * kp);
  sketchBatch(batch, {
    gram: plan.shingle === 'char' ? 1 : 0, n: plan.ngram, kind: HASH_KIND[plan.hash], method: kernelMethod(plan, densified), k: kp, perm: classic ? packedPermutations(k, plan.seed, plan.hash) : null, seed: plan.seed, threads: plan.threads,
  }, out, counts);
  if (out !== rows) for (let d = 0; d < n; d++) rows.set(out.subarray(d * kp, d * kp + k), d * k);
}

/** Signatures of many documents in one matrix (sketchMatrix()): no per-document objects. */
export interface SketchMatrix extends SketchParams {
  readonly method: 'oph' | 'classic';
  /** docs × numPerm values: row d is document d's signature (`hashvalues`; OPH rows are densified). */
  readonly signatures: Uint32Array;
  /** Shingles per document (0: empty document, its row is all 0xFFFFFFFF). */
  readonly counts: Uint32Array;
}

function parseTexts(texts: readonly string[], options: SketchOptions | undefined, fn: string): SketchPlan {
  if (!Array.isArray(texts)) throw new KompaktError('INVALID_TYPE', `${fn}: texts must be an array of strings, got ${describe(texts)}`);
  return parseSketch(checkOptions<SketchOptions>(options, `${fn} options`, SKETCH_KEYS), fn);
}

/**
 * Sketches whole documents: normalize, cut shingles (see `shingles()`), hash them and build one
 * sketch per document, all in one kernel pass per ~1 MB of text. Equal to building each sketch with
 * `updateHashes(shingleHashes(text))` (for 'sha1' and char shingles: `updateBatch(shingles(text))`).
 */
export function sketchTexts(texts: readonly string[], options: SketchOptions & { method: 'classic' }): MinHash[];
export function sketchTexts(texts: readonly string[], options?: SketchOptions): OnePermMinHash[];
export function sketchTexts(texts: readonly string[], options?: SketchOptions): (MinHash | OnePermMinHash)[] {
  const plan = parseTexts(texts, options, 'sketchTexts');
  const { rows } = sketchRows(texts, plan);
  const k = plan.numPerm;
  const params = { numPerm: k, seed: plan.seed, hash: plan.hash };
  const row = (values: Uint32Array, d: number) => values.subarray(d * k, (d + 1) * k);
  if (plan.method === 'classic') return texts.map((_, d) => new MinHash({ ...params, hashvalues: row(rows, d) }));
  // Densifying the whole batch in one kernel call costs far less than one call per sketch later.
  const dense = densify(rows, texts.length, k, plan.seed, plan.threads);
  return texts.map((_, d) => sketchWithDensified(params, row(rows, d), row(dense, d)));
}

/**
 * The signatures sketchTexts() would give (row d = `sketchTexts(texts)[d].hashvalues`), as one
 * docs × numPerm matrix: for bulk work (indexing, dedup, storage) where one object per document costs
 * more than the sketching. OPH rows are densified, so raw bins (needed to merge OPH sketches) are not kept.
 */
export function sketchMatrix(texts: readonly string[], options?: SketchOptions): SketchMatrix {
  const plan = parseTexts(texts, options, 'sketchMatrix');
  const { rows: signatures, counts } = sketchRows(texts, plan, true);
  return { method: plan.method, numPerm: plan.numPerm, seed: plan.seed, hash: plan.hash, signatures, counts };
}
