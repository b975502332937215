import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { BOTTOM, RangeDecoder, RangeEncoder } from './range-coder.js';

/**
 * Adaptive binary arithmetic coding, LZMA style: each context slot holds an 11-bit probability that
 * the next bit is 0, moved a 2^-shift step towards every bit coded in it. The bits share the range
 * coder's stream (docs/formats/range-coder.md), so binary decisions, bit trees, raw bits and
 * multi-symbol models can be mixed in one stream.
 */

export interface BinaryCoderOptions {
  /** Number of context slots (1 … 2^24); each starts at probability ½. */
  contexts: number;
  /** Adaptation rate 4 … 7 (default 5, as LZMA): smaller adapts faster, larger estimates finer. */
  shift?: number;
}

/** Probabilities are p(bit = 0) · 2^11. */
export const PROBABILITY_BITS = 11;
const ONE = 1 << PROBABILITY_BITS;
const HALF = ONE >> 1;
const INV_ONE = 1 / ONE;
export const MAX_CONTEXTS = 2 ** 24;

interface Contexts {
  probabilities: Uint16Array;
  shift: number;
}

function createContexts(options: unknown, fn: string): Contexts {
  const o = checkOptions<BinaryCoderOptions>(options, `${fn} options`, ['contexts', 'shift']);
  if (options === undefined) throw new KompaktError('INVALID_ARGUMENT', `${fn}: options { contexts } are required`);
  const contexts = checkInteger(o.contexts, `${fn}: contexts`, 1, MAX_CONTEXTS);
  const shift = o.shift === undefined ? 5 : checkInteger(o.shift, `${fn}: shift`, 4, 7);
  return { probabilities: new Uint16Array(contexts).fill(HALF), shift };
}

function checkContext(ctx: number, contexts: number, fn: string): void {
  if (!(ctx >= 0 && ctx < contexts && (ctx | 0) === ctx)) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: context ${describe(ctx)} is outside 0 … ${contexts - 1}`);
  }
}

/** Checks that a bit tree of `bits` levels starting at `base` fits the contexts: it uses 2^bits − 1 slots. */
function checkTree(base: number, bits: number, contexts: number, fn: string): void {
  // The common case without building any message (this runs once per coded integer).
  // (1 << bits, not 2 ** bits: V8 compiles ** with a variable exponent to a pow call.)
  if (bits >= 1 && bits <= 24 && (bits | 0) === bits && base >= 0 && (base | 0) === base && base + (1 << bits) - 1 <= contexts) return;
  checkInteger(bits, `${fn}: bits`, 1, 24);
  checkInteger(base, `${fn}: base`, 0, contexts - 1);
  if (base + 2 ** bits - 1 > contexts) {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: a ${bits}-bit tree at context ${base} needs contexts ${base} … ${base + 2 ** bits - 2}, but there are ${contexts}`);
  }
}

/** An adaptive binary encoder (and, inherited, a full {@link RangeEncoder}). */
export class AdaptiveBinaryEncoder extends RangeEncoder {
  readonly contexts: number;
  readonly shift: number;
  readonly #p: Uint16Array;

  constructor(options: BinaryCoderOptions) {
    super();
    const c = createContexts(options, 'AdaptiveBinaryEncoder');
    this.#p = c.probabilities;
    this.shift = c.shift;
    this.contexts = c.probabilities.length;
  }

  /** Codes `bit` (0 or 1) with the probability of context `ctx`, then adapts it. */
  encodeBit(ctx: number, bit: number): void {
    const fn = 'AdaptiveBinaryEncoder.encodeBit';
    this.checkOpen(fn);
    checkContext(ctx, this.contexts, fn);
    if (bit !== 0 && bit !== 1) throw new KompaktError('INVALID_ARGUMENT', `${fn}: bit must be 0 or 1, got ${describe(bit)}`);
    this.#bit(ctx, bit);
  }

  #bit(ctx: number, bit: number): void {
    const p = this.#p[ctx];
    const bound = Math.floor(this.range * INV_ONE) * p;
    if (bit === 0) {
      this.range = bound;
      this.#p[ctx] = p + ((ONE - p) >> this.shift);
    } else {
      this.low += bound;
      this.range -= bound;
      this.#p[ctx] = p - (p >> this.shift);
    }
    if (this.range < BOTTOM) this.normalize();
  }

  /**
   * Codes the `bits`-bit integer `value` most significant bit first, each bit in the context of the
   * bits above it (LZMA's bit tree): contexts base … base + 2^bits − 2.
   */
  encodeTree(base: number, bits: number, value: number): void {
    const fn = 'AdaptiveBinaryEncoder.encodeTree';
    this.checkOpen(fn);
    checkTree(base, bits, this.contexts, fn);
    if (!(value >= 0 && value < 1 << bits && (value | 0) === value)) checkInteger(value, `${fn}: value`, 0, 2 ** bits - 1);
    for (let i = bits - 1, node = 1; i >= 0; i--) {
      const bit = (value >>> i) & 1;
      this.#bit(base + node - 1, bit);
      node = (node << 1) | bit;
    }
  }
}

/** Decodes what {@link AdaptiveBinaryEncoder} wrote, given the same options and the same calls. */
export class AdaptiveBinaryDecoder extends RangeDecoder {
  readonly contexts: number;
  readonly shift: number;
  readonly #p: Uint16Array;

  constructor(bytes: Uint8Array, options: BinaryCoderOptions) {
    super(bytes);
    const c = createContexts(options, 'AdaptiveBinaryDecoder');
    this.#p = c.probabilities;
    this.shift = c.shift;
    this.contexts = c.probabilities.length;
  }

  /** Decodes one bit in context `ctx` (and adapts it as the encoder did). */
  decodeBit(ctx: number): number {
    checkContext(ctx, this.contexts, 'AdaptiveBinaryDecoder.decodeBit');
    return this.#bit(ctx);
  }

  #bit(ctx: number): number {
    const p = this.#p[ctx];
    const bound = Math.floor(this.range * INV_ONE) * p;
    if (this.code < bound) {
      this.#p[ctx] = p + ((ONE - p) >> this.shift);
      this.consume(0, bound);
      return 0;
    }
    this.#p[ctx] = p - (p >> this.shift);
    this.consume(bound, this.range - bound);
    return 1;
  }

  /** Decodes a `bits`-bit integer written by encodeTree with the same base. */
  decodeTree(base: number, bits: number): number {
    checkTree(base, bits, this.contexts, 'AdaptiveBinaryDecoder.decodeTree');
    let node = 1;
    for (let i = 0; i < bits; i++) node = (node << 1) | this.#bit(base + node - 1);
    return node - (1 << bits);
  }
}
