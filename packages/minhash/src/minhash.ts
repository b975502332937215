import { KompaktError, checkOptions, describe } from '@kompakt/core';
import { allEmpty, cardinality, containmentOf, slotJaccard, EMPTY } from './estimate.js';
import { minhashUpdate } from './kernels.js';
import { checkToken, hashTokens, type Token } from './items.js';
import { paddedK } from './permutations.js';
import { assertCompatible, packedPermutations, usesDatasketchFamily, parseHash, parseNumPerm, parseSeed, type SketchParams, type TokenHash } from './params.js';

/** Options of `new MinHash()`. */
export interface MinHashOptions {
  /** Number of permutations k (signature length). Default 128. */
  numPerm?: number;
  /** Permutation seed in [0, 2^32 − 1], drawn as numpy's `RandomState(seed)` does. Default 1. */
  seed?: number;
  /**
   * 'datasketch': signatures equal datasketch's `MinHash(num_perm, seed)` bit for bit (implies
   * hash: 'sha1'; strings are hashed as their UTF-8 bytes).
   */
  compat?: 'datasketch';
  /** Token hash; 'xxh32' by default ('sha1' with compat: 'datasketch'). */
  hash?: TokenHash;
  /** Start from these k values instead of the empty sketch (e.g. read back from storage). */
  hashvalues?: Uint32Array;
}

const KEYS = ['numPerm', 'seed', 'compat', 'hash', 'hashvalues'] as const;

/**
 * Classic MinHash: the minimum of each of k permutations of the token hashes. 'sha1' sketches
 * (datasketch) use `x ↦ ((a·x + b) mod 2^64) mod (2^61 − 1)`, low 32 bits, bit-exact with datasketch;
 * 'xxh32' ones the 32-bit family `x ↦ (a·fmix32(x) + b) mod 2^32` (docs/minhash.md). Mergeable.
 */
export class MinHash implements SketchParams {
  readonly numPerm: number;
  readonly seed: number;
  readonly hash: TokenHash;
  /** The k minima (u32; 0xFFFFFFFF where no token arrived yet). Live: updates write into it. */
  readonly hashvalues: Uint32Array;

  constructor(options?: MinHashOptions) {
    const o = checkOptions<MinHashOptions>(options, 'MinHash options', KEYS);
    if (o.compat !== undefined && o.compat !== 'datasketch') {
      throw new KompaktError('INVALID_ARGUMENT', `MinHash: compat must be 'datasketch', got ${describe(o.compat)}`);
    }
    this.numPerm = parseNumPerm(o.numPerm, 'MinHash');
    this.seed = parseSeed(o.seed, 'MinHash');
    this.hash = parseHash(o.hash, 'MinHash', o.compat ? 'sha1' : 'xxh32');
    if (o.compat && this.hash !== 'sha1') {
      throw new KompaktError('INVALID_ARGUMENT', "MinHash: compat: 'datasketch' needs hash: 'sha1'");
    }
    this.hashvalues = new Uint32Array(this.numPerm).fill(EMPTY);
    if (o.hashvalues !== undefined) {
      if (!(o.hashvalues instanceof Uint32Array)) {
        throw new KompaktError('INVALID_TYPE', `MinHash: hashvalues must be a Uint32Array, got ${describe(o.hashvalues)}`);
      }
      if (o.hashvalues.length !== this.numPerm) {
        throw new KompaktError('SHAPE_MISMATCH', `MinHash: hashvalues has ${o.hashvalues.length} values, numPerm is ${this.numPerm}`);
      }
      this.hashvalues.set(o.hashvalues);
    }
  }

  /** Adds one token (a string is hashed as its UTF-8 bytes). */
  update(data: Token): this {
    return this.updateBatch([checkToken(data, 'MinHash.update')]);
  }

  /** Adds many tokens in one kernel pass (much faster than repeated update()). */
  updateBatch(items: Iterable<Token>): this {
    const list = Array.from(items, (item) => checkToken(item, 'MinHash.updateBatch'));
    return this.updateHashes(hashTokens(list, this.hash));
  }

  /** Adds tokens that are already hashed to u32 (the values datasketch's hashfunc would return). */
  updateHashes(hashes: Uint32Array): this {
    if (!(hashes instanceof Uint32Array)) {
      throw new KompaktError('INVALID_TYPE', `MinHash.updateHashes: hashes must be a Uint32Array, got ${describe(hashes)}`);
    }
    if (hashes.length === 0) return this;
    const sig = new Uint32Array(paddedK(this.numPerm)).fill(EMPTY);
    sig.set(this.hashvalues);
    minhashUpdate(hashes, packedPermutations(this.numPerm, this.seed, this.hash), sig, usesDatasketchFamily(this.hash));
    this.hashvalues.set(sig.subarray(0, this.numPerm));
    return this;
  }

  /** Estimated Jaccard similarity: the fraction of equal minima (0 when either sketch is empty). */
  jaccard(other: MinHash): number {
    this.#checkOther(other, 'MinHash.jaccard');
    return slotJaccard(this.hashvalues, other.hashvalues);
  }

  /** Estimated |A ∩ B| / |A| for this sketch A: J·|A ∪ B| / |A| from cardinality estimates. */
  containment(other: MinHash): number {
    this.#checkOther(other, 'MinHash.containment');
    return containmentOf(this.jaccard(other), this.count(), this.copy().merge(other).count());
  }

  /** Makes this the sketch of the union (elementwise minimum). */
  merge(other: MinHash): this {
    this.#checkOther(other, 'MinHash.merge');
    const h = this.hashvalues;
    for (let i = 0; i < h.length; i++) h[i] = Math.min(h[i], other.hashvalues[i]);
    return this;
  }

  /** Estimated number of distinct tokens (datasketch's `count()`: k / Σ(h/(2^32 − 1)) − 1). */
  count(): number {
    return cardinality(this.hashvalues, 1);
  }

  /** True while no token was added (datasketch's `is_empty()`). */
  isEmpty(): boolean {
    return allEmpty(this.hashvalues);
  }

  copy(): MinHash {
    return new MinHash({ numPerm: this.numPerm, seed: this.seed, hash: this.hash, hashvalues: this.hashvalues });
  }

  #checkOther(other: unknown, fn: string): void {
    if (!(other instanceof MinHash)) throw new KompaktError('INVALID_TYPE', `${fn}: expected a MinHash, got ${describe(other)}`);
    assertCompatible(this, other, fn);
  }
}
