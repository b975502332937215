import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { MAX_TOTAL, type CodingModel } from './coding-model.js';

export interface AdaptiveModelOptions {
  /** Added to a symbol's frequency each time it is coded (default 32). */
  increment?: number;
  /**
   * The total above which every frequency is halved (rounding up, so none reaches 0): at least
   * 2·size and 2·increment, at most 2^24. Default max(2^16, the power of two ≥ 8·size·increment),
   * capped at 2^24: the counts then remember about 8 recent symbols per alphabet symbol.
   */
  limit?: number;
  /** The value of index 0 (default 0). */
  offset?: number;
  /** Starting frequencies (positive integers, one per symbol); default 1 each. */
  initial?: ArrayLike<number>;
}

/**
 * An adaptive multi-symbol frequency model for the range coder: it counts the symbols coded so far
 * (the coder calls {@link AdaptiveModel.update}) and halves all counts when their total exceeds the
 * limit, so recent symbols weigh more. Every symbol keeps a frequency ≥ 1. Cumulative frequencies live
 * in a Fenwick tree: start, find and update cost O(log size), so large alphabets stay fast.
 *
 * The decoder needs a model in the same starting state (same options) and must decode with it in the
 * same order.
 */
export class AdaptiveModel implements CodingModel {
  readonly size: number;
  readonly offset: number;
  readonly increment: number;
  readonly limit: number;
  #total = 0;
  readonly #freq: Uint32Array;
  /** Fenwick tree, 1-based: tree[i] sums freq over (i − lowbit(i), i]. */
  readonly #tree: Uint32Array;
  /** Highest power of two ≤ size: the first step of find's descent. */
  readonly #top: number;
  /** find() computes start as a by-product; the decoder asks for it right after. */
  #lastIndex = -1;
  #lastStart = 0;

  constructor(size: number, options?: AdaptiveModelOptions) {
    const fn = 'AdaptiveModel';
    const o = checkOptions<AdaptiveModelOptions>(options, `${fn} options`, ['increment', 'limit', 'offset', 'initial']);
    this.size = checkInteger(size, `${fn}: size`, 1, MAX_TOTAL / 2);
    this.offset = o.offset === undefined ? 0 : checkInteger(o.offset, `${fn}: offset`, -(2 ** 31), 2 ** 31 - size);
    this.increment = o.increment === undefined ? 32 : checkInteger(o.increment, `${fn}: increment`, 1, MAX_TOTAL / 2);
    // Halving at the limit keeps about limit / increment recent symbols: by default ≥ 8 per symbol of the alphabet.
    const defaultLimit = Math.min(MAX_TOTAL, Math.max(2 ** 16, 2 ** Math.ceil(Math.log2(8 * size * this.increment))));
    const minLimit = 2 * Math.max(size, this.increment);
    this.limit = o.limit === undefined ? Math.max(defaultLimit, minLimit) : checkInteger(o.limit, `${fn}: limit`, minLimit, MAX_TOTAL);
    this.#freq = new Uint32Array(size);
    if (o.initial === undefined) {
      this.#freq.fill(1);
    } else {
      if (!o.initial || typeof o.initial !== 'object' || o.initial.length !== size) {
        throw new KompaktError('INVALID_ARGUMENT', `${fn}: initial must hold ${size} frequencies, got ${describe(o.initial)}`);
      }
      for (let k = 0; k < size; k++) this.#freq[k] = checkInteger(o.initial[k], `${fn}: initial[${k}]`, 1, MAX_TOTAL);
    }
    this.#tree = new Uint32Array(size + 1);
    this.#top = 2 ** Math.floor(Math.log2(size));
    this.#total = this.#freq.reduce((a, b) => a + b, 0);
    this.#halveToLimit();
    this.#rebuild();
  }

  get total(): number {
    return this.#total;
  }

  frequency(index: number): number {
    return this.#freq[index];
  }

  start(index: number): number {
    if (index === this.#lastIndex) return this.#lastStart;
    const tree = this.#tree;
    let sum = 0;
    for (let i = index; i > 0; i &= i - 1) sum += tree[i];
    return sum;
  }

  find(target: number): number {
    const tree = this.#tree;
    const size = this.size;
    let pos = 0;
    let rest = target;
    for (let step = this.#top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= size && tree[next] <= rest) {
        pos = next;
        rest -= tree[next];
      }
    }
    this.#lastIndex = pos;
    this.#lastStart = target - rest;
    return pos;
  }

  update(index: number): void {
    if (!(index >= 0 && index < this.size && (index | 0) === index)) {
      throw new KompaktError('INVALID_ARGUMENT', `AdaptiveModel.update: index ${describe(index)} is outside 0 … ${this.size - 1}`);
    }
    const inc = this.increment;
    this.#freq[index] += inc;
    this.#total += inc;
    this.#lastIndex = -1;
    if (this.#total > this.limit) {
      this.#halveToLimit();
      this.#rebuild();
      return;
    }
    const tree = this.#tree;
    for (let i = index + 1; i <= this.size; i += i & -i) tree[i] += inc;
  }

  /** Halves every frequency (rounding up, so none reaches 0) until the total is within the limit. */
  #halveToLimit(): void {
    const freq = this.#freq;
    while (this.#total > this.limit) {
      let total = 0;
      for (let k = 0; k < freq.length; k++) total += freq[k] = (freq[k] + 1) >>> 1;
      this.#total = total;
    }
  }

  /** The Fenwick tree from the frequencies in O(size). */
  #rebuild(): void {
    const tree = this.#tree;
    const n = this.size;
    for (let i = 1; i <= n; i++) tree[i] = this.#freq[i - 1];
    for (let i = 1; i <= n; i++) {
      const parent = i + (i & -i);
      if (parent <= n) tree[parent] += tree[i];
    }
  }
}
