import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { slotJaccard } from '../estimate.js';
import { MinHash } from '../minhash.js';
import { OnePermMinHash } from '../oph.js';
import { parseNumPerm, type SketchParams, type TokenHash } from '../params.js';
import { BandBuckets } from './bands.js';
import { optimalParam } from './param.js';

/** Keys identify indexed sketches; they come back from queries as given. */
export type LSHKey = string | number;
export type SketchKind = 'classic' | 'oph';

export interface LSHOptions {
  /** Jaccard threshold the bands are tuned for. Default 0.9 (datasketch). */
  threshold?: number;
  numPerm?: number;
  /** [false-positive weight, false-negative weight], summing to 1. Default [0.5, 0.5]. */
  weights?: [number, number];
  /** Explicit banding (bands·rows ≤ numPerm) instead of optimalParam(threshold, …). */
  bands?: number;
  rows?: number;
}

const KEYS = ['threshold', 'numPerm', 'weights', 'bands', 'rows'] as const;

/** What every sketch in one index shares, fixed by the first insert (or by a loaded index). */
export interface IndexIdentity extends SketchParams {
  kind: SketchKind;
}

export interface Scored {
  key: LSHKey;
  /** Estimated Jaccard similarity to the query (fraction of equal signature values). */
  similarity: number;
}

/**
 * MinHash LSH (banding): insert, query, remove and top-k over MinHash or OnePermMinHash sketches.
 * Unlike datasketch's MinHashLSH it keeps each signature, so candidates can be scored and a saved
 * index (see save()) is self-contained.
 */
export class LSHIndex {
  readonly threshold: number;
  readonly numPerm: number;
  readonly bands: number;
  readonly rows: number;
  #identity: IndexIdentity | null = null;
  readonly #buckets: BandBuckets;
  readonly #slots = new Map<LSHKey, number>();
  readonly #keys: (LSHKey | undefined)[] = [];
  readonly #values: (Uint32Array | undefined)[] = [];

  constructor(options?: LSHOptions) {
    const o = checkOptions<LSHOptions>(options, 'LSHIndex options', KEYS);
    const threshold = o.threshold ?? 0.9;
    if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
      throw new KompaktError('INVALID_ARGUMENT', `LSHIndex: threshold must be in [0, 1], got ${describe(threshold)}`);
    }
    this.threshold = threshold;
    this.numPerm = parseNumPerm(o.numPerm, 'LSHIndex');
    if ((o.bands === undefined) !== (o.rows === undefined)) throw new KompaktError('INVALID_ARGUMENT', 'LSHIndex: give both bands and rows, or neither');
    if (o.bands !== undefined) {
      this.bands = checkInteger(o.bands, 'LSHIndex: bands', 1, this.numPerm);
      this.rows = checkInteger(o.rows, 'LSHIndex: rows', 1, Math.floor(this.numPerm / this.bands));
    } else {
      const [fp, fn] = o.weights ?? [0.5, 0.5];
      ({ bands: this.bands, rows: this.rows } = optimalParam(threshold, this.numPerm, fp, fn));
    }
    this.#buckets = new BandBuckets(this.bands, this.rows);
  }

  /** The shared parameters of the indexed sketches (null while empty and never filled). */
  get identity(): IndexIdentity | null {
    return this.#identity;
  }

  get size(): number {
    return this.#slots.size;
  }

  has(key: LSHKey): boolean {
    return this.#slots.has(key);
  }

  /** Indexes a sketch under `key` (which must be new). */
  insert(key: LSHKey, sketch: MinHash | OnePermMinHash): void {
    this.insertValues(key, this.#valuesOf(sketch, 'LSHIndex.insert'), identityOf(sketch));
  }

  /** Low-level insert of signature values (used by load() and dedup()). */
  insertValues(key: LSHKey, values: Uint32Array, identity: IndexIdentity): void {
    if (typeof key !== 'string' && typeof key !== 'number') throw new KompaktError('INVALID_TYPE', `LSHIndex.insert: key must be a string or a number, got ${describe(key)}`);
    if (this.#slots.has(key)) throw new KompaktError('INVALID_ARGUMENT', `LSHIndex.insert: key ${describe(key)} is already indexed`);
    this.#checkIdentity(identity, 'LSHIndex.insert');
    this.#identity ??= identity;
    const slot = this.#keys.length;
    const copy = Uint32Array.from(values);
    this.#slots.set(key, slot);
    this.#keys.push(key);
    this.#values.push(copy);
    this.#buckets.insert(slot, copy);
  }

  /** Removes `key`; returns whether it was indexed. */
  remove(key: LSHKey): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#buckets.remove(slot, this.#values[slot]!);
    this.#slots.delete(key);
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
    return true;
  }

  /** Keys of every indexed sketch sharing a band with `sketch` (candidates; not verified). */
  query(sketch: MinHash | OnePermMinHash): LSHKey[] {
    return [...this.#candidates(sketch, 'LSHIndex.query')].map((slot) => this.#keys[slot]!);
  }

  /** The `n` candidates most similar to `sketch` by estimated Jaccard, best first (ties by insertion order). */
  topK(sketch: MinHash | OnePermMinHash, n: number): Scored[] {
    checkInteger(n, 'LSHIndex.topK: n', 0);
    const values = this.#valuesOf(sketch, 'LSHIndex.topK');
    const scored = [...this.#candidates(sketch, 'LSHIndex.topK')]
      .sort((x, y) => x - y)
      .map((slot) => ({ key: this.#keys[slot]!, similarity: slotJaccard(values, this.#values[slot]!) }));
    return scored.sort((x, y) => y.similarity - x.similarity).slice(0, n);
  }

  /** Every (key, values) pair, in insertion order (for save()). */
  *entries(): IterableIterator<[LSHKey, Uint32Array]> {
    for (let slot = 0; slot < this.#keys.length; slot++) {
      const key = this.#keys[slot];
      if (key !== undefined) yield [key, this.#values[slot]!];
    }
  }

  #candidates(sketch: MinHash | OnePermMinHash, fn: string): Set<number> {
    const values = this.#valuesOf(sketch, fn);
    this.#checkIdentity(identityOf(sketch), fn);
    return this.#buckets.candidates(values);
  }

  #valuesOf(sketch: unknown, fn: string): Uint32Array {
    if (!(sketch instanceof MinHash || sketch instanceof OnePermMinHash)) {
      throw new KompaktError('INVALID_TYPE', `${fn}: expected a MinHash or a OnePermMinHash, got ${describe(sketch)}`);
    }
    if (sketch.numPerm !== this.numPerm) throw new KompaktError('SHAPE_MISMATCH', `${fn}: sketch has numPerm ${sketch.numPerm}, the index ${this.numPerm}`);
    return sketch.hashvalues;
  }

  #checkIdentity(id: IndexIdentity, fn: string): void {
    const own = this.#identity;
    if (id.numPerm !== this.numPerm) throw new KompaktError('SHAPE_MISMATCH', `${fn}: sketch has numPerm ${id.numPerm}, the index ${this.numPerm}`);
    if (!own) return;
    if (own.kind !== id.kind || own.seed !== id.seed || own.hash !== id.hash) {
      throw new KompaktError('INVALID_ARGUMENT', `${fn}: the index holds ${describeId(own)} sketches, got ${describeId(id)}`);
    }
  }
}

export function identityOf(sketch: MinHash | OnePermMinHash): IndexIdentity {
  return { kind: sketch instanceof MinHash ? 'classic' : 'oph', numPerm: sketch.numPerm, seed: sketch.seed, hash: sketch.hash };
}

function describeId(id: { kind: SketchKind; seed: number; hash: TokenHash }): string {
  return `${id.kind}/seed ${id.seed}/${id.hash}`;
}
