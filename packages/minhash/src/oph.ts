import { KompaktError, checkOptions, describe } from '@kompakt/core';
import { allEmpty, cardinality, containmentOf, slotJaccard, EMPTY } from './estimate.js';
import { ophDensify, ophUpdate } from './kernels.js';
import { checkToken, hashTokens, type Token } from './items.js';
import { assertCompatible, parseHash, parseNumPerm, parseSeed, type SketchParams, type TokenHash } from './params.js';

/** Options of `new OnePermMinHash()`. */
export interface OnePermOptions {
  /** Number of bins k (signature length). Default 128. */
  numPerm?: number;
  /** Seed in [0, 2^32 − 1] of the token mix and of the densification probes. Default 1. */
  seed?: number;
  /** Token hash. Default 'xxh32'. */
  hash?: TokenHash;
  /** Start from these raw bins (0xFFFFFFFF = empty), e.g. read back from storage. */
  bins?: Uint32Array;
}

const KEYS = ['numPerm', 'seed', 'hash', 'bins'] as const;

// Set in the class's static block: lets bulk sketching hand over signatures it densified in one batch.
let primeDensified: (sketch: OnePermMinHash, dense: Uint32Array) => void;

/**
 * One-permutation hashing (Li, Owen & Zhang 2012): each token is hashed once into one of k bins,
 * each bin keeps its minimum, O(d + k) per set instead of O(d·k). Empty bins are filled by optimal
 * densification (Shrivastava 2017) from a snapshot of the raw bins, so signatures are an LSH with
 * about the variance of classic MinHash. Raw bins stay the state: merging densified values would be
 * wrong, merging raw bins is exact.
 */
export class OnePermMinHash implements SketchParams {
  readonly numPerm: number;
  readonly seed: number;
  readonly hash: TokenHash;
  /** The raw bins (u32 minima; 0xFFFFFFFF = empty). Live: updates write into it. */
  readonly bins: Uint32Array;
  #dense: Uint32Array | null = null;

  static {
    primeDensified = (sketch, dense) => {
      sketch.#dense = dense;
    };
  }

  constructor(options?: OnePermOptions) {
    const o = checkOptions<OnePermOptions>(options, 'OnePermMinHash options', KEYS);
    this.numPerm = parseNumPerm(o.numPerm, 'OnePermMinHash');
    this.seed = parseSeed(o.seed, 'OnePermMinHash');
    this.hash = parseHash(o.hash, 'OnePermMinHash', 'xxh32');
    this.bins = new Uint32Array(this.numPerm).fill(EMPTY);
    if (o.bins !== undefined) {
      if (!(o.bins instanceof Uint32Array)) throw new KompaktError('INVALID_TYPE', `OnePermMinHash: bins must be a Uint32Array, got ${describe(o.bins)}`);
      if (o.bins.length !== this.numPerm) {
        throw new KompaktError('SHAPE_MISMATCH', `OnePermMinHash: bins has ${o.bins.length} values, numPerm is ${this.numPerm}`);
      }
      this.bins.set(o.bins);
    }
  }

  update(data: Token): this {
    return this.updateBatch([checkToken(data, 'OnePermMinHash.update')]);
  }

  updateBatch(items: Iterable<Token>): this {
    const list = Array.from(items, (item) => checkToken(item, 'OnePermMinHash.updateBatch'));
    return this.updateHashes(hashTokens(list, this.hash));
  }

  /** Adds tokens already hashed to u32. */
  updateHashes(hashes: Uint32Array): this {
    if (!(hashes instanceof Uint32Array)) {
      throw new KompaktError('INVALID_TYPE', `OnePermMinHash.updateHashes: hashes must be a Uint32Array, got ${describe(hashes)}`);
    }
    if (hashes.length === 0) return this;
    ophUpdate(hashes, this.seed, this.bins);
    this.#dense = null;
    return this;
  }

  /** The densified signature (k values, an LSH: use it for banding and comparisons). Computed on demand. */
  get hashvalues(): Uint32Array {
    return (this.#dense ??= densify(this.bins, 1, this.numPerm, this.seed));
  }

  /** Estimated Jaccard similarity from the densified signatures (0 when either sketch is empty). */
  jaccard(other: OnePermMinHash): number {
    this.#checkOther(other, 'OnePermMinHash.jaccard');
    return slotJaccard(this.hashvalues, other.hashvalues);
  }

  /** Estimated |A ∩ B| / |A| for this sketch A. */
  containment(other: OnePermMinHash): number {
    this.#checkOther(other, 'OnePermMinHash.containment');
    return containmentOf(this.jaccard(other), this.count(), this.copy().merge(other).count());
  }

  /** Makes this the sketch of the union (elementwise minimum of the raw bins; exact). */
  merge(other: OnePermMinHash): this {
    this.#checkOther(other, 'OnePermMinHash.merge');
    for (let i = 0; i < this.bins.length; i++) this.bins[i] = Math.min(this.bins[i], other.bins[i]);
    this.#dense = null;
    return this;
  }

  /** Estimated number of distinct tokens, from the raw bins. */
  count(): number {
    return cardinality(this.bins, this.numPerm);
  }

  isEmpty(): boolean {
    return allEmpty(this.bins);
  }

  copy(): OnePermMinHash {
    return new OnePermMinHash({ numPerm: this.numPerm, seed: this.seed, hash: this.hash, bins: this.bins });
  }

  #checkOther(other: unknown, fn: string): void {
    if (!(other instanceof OnePermMinHash)) throw new KompaktError('INVALID_TYPE', `${fn}: expected a OnePermMinHash, got ${describe(other)}`);
    assertCompatible(this, other, fn);
  }
}

/**
 * A sketch of raw `bins` whose densified signature `dense` is already known (bulk sketching:
 * sketchTexts, @kompakt/gpu's sketchHashesGpu). `dense` is trusted and kept as is, not copied.
 */
export function sketchWithDensified(params: SketchParams, bins: Uint32Array, dense: Uint32Array): OnePermMinHash {
  const sketch = new OnePermMinHash({ ...params, bins });
  primeDensified(sketch, dense);
  return sketch;
}

/** Densifies `rows` rows of k raw bins (a new array; the input is not touched). Native: `threads` (0 = all cores). */
export function densify(bins: Uint32Array, rows: number, k: number, seed: number, threads = 1): Uint32Array {
  return ophDensify(bins, rows, k, seed, threads);
}
