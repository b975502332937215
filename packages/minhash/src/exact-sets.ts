import { hashTokens } from './items.js';
import { shingles, type ShinglePlan } from './shingle.js';

/**
 * Exact Jaccard of documents' shingle sets, for verifying LSH candidates in dedup(). A document's set
 * is built on first use (only candidates pay for it) as the sorted distinct XXH32 hashes of its
 * shingles; two distinct shingles of a pair share a 32-bit hash with probability ≈ (|A| + |B|)²/2^33
 * (≈ 2·10⁻⁵ for 200-shingle documents), the only way this differs from Jaccard over the strings.
 */
export class ShingleSets {
  readonly #plan: ShinglePlan;
  readonly #texts: string[] = [];
  readonly #sets = new Map<number, Uint32Array>();

  constructor(plan: ShinglePlan) {
    this.#plan = plan;
  }

  /** Registers the next document (ids are 0, 1, 2, … in order of add). */
  add(text: string): void {
    this.#texts.push(text);
  }

  jaccard(a: number, b: number): number {
    const x = this.#set(a);
    const y = this.#set(b);
    if (x.length === 0 || y.length === 0) return 0;
    let shared = 0;
    for (let i = 0, j = 0; i < x.length && j < y.length;) {
      if (x[i] === y[j]) {
        shared++;
        i++;
        j++;
      } else if (x[i] < y[j]) i++;
      else j++;
    }
    return shared / (x.length + y.length - shared);
  }

  #set(id: number): Uint32Array {
    let set = this.#sets.get(id);
    if (!set) {
      const sorted = hashTokens(shingles(this.#texts[id], { shingle: this.#plan.shingle, ngram: this.#plan.ngram }), 'xxh32').sort();
      let n = 0;
      for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i];
      set = sorted.slice(0, n);
      this.#sets.set(id, set);
    }
    return set;
  }
}
