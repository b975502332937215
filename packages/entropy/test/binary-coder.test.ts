import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AdaptiveBinaryDecoder, AdaptiveBinaryEncoder, categorical, xxh32 } from '@kompakt/entropy';
import { expectError } from '../../../test/helpers/errors';
import { rng } from './backends.js';

/** LZMA's estimator replayed in plain JS: the ideal cost −Σ log2 p of the bits under the adaptive probabilities, in bytes. */
function idealBytes(bits: number[], ctxs: number[], contexts: number, shift: number): number {
  const p = new Array<number>(contexts).fill(1024);
  let cost = 0;
  bits.forEach((bit, i) => {
    const q = p[ctxs[i]];
    cost -= Math.log2(bit ? (2048 - q) / 2048 : q / 2048);
    p[ctxs[i]] = bit ? q - (q >> shift) : q + ((2048 - q) >> shift);
  });
  return cost / 8;
}

describe('adaptive binary coder', () => {
  it('round-trips random bits in random contexts for every shift (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 4, max: 7 }), fc.nat(3000), fc.nat(), (contexts, shift, n, seed) => {
        const next = rng(seed);
        const bias = Array.from({ length: contexts }, () => next());
        const ctxs = Array.from({ length: n }, () => Math.floor(next() * contexts));
        const bits = ctxs.map((c) => (next() < bias[c] ? 1 : 0));
        const encoder = new AdaptiveBinaryEncoder({ contexts, shift });
        bits.forEach((b, i) => encoder.encodeBit(ctxs[i], b));
        const stream = encoder.finish();
        const decoder = new AdaptiveBinaryDecoder(stream, { contexts, shift });
        expect(ctxs.map((c) => decoder.decodeBit(c))).toEqual(bits);
        decoder.finish();
      }),
      { numRuns: 150 },
    );
  });

  it('costs the adaptive estimate −Σ log2 p plus the flush, within 0.1 %', () => {
    const next = rng(8);
    const ctxs = Array.from({ length: 400_000 }, (_, i) => i % 16);
    const bits = ctxs.map((c) => (next() < (c + 0.5) / 16 ? 1 : 0));
    const encoder = new AdaptiveBinaryEncoder({ contexts: 16 });
    bits.forEach((b, i) => encoder.encodeBit(ctxs[i], b));
    const stream = encoder.finish();
    const ideal = idealBytes(bits, ctxs, 16, 5);
    expect(stream.length).toBeLessThanOrEqual(ideal * 1.001 + 6);
    expect(stream.length).toBeGreaterThanOrEqual(Math.floor(ideal));
  });

  it('codes integers as bit trees, raw bits and multi-symbol models in one stream', () => {
    const next = rng(12);
    const model = categorical([8, 4, 2, 1, 1]);
    const items = Array.from({ length: 2000 }, () => [Math.floor(next() ** 2 * 256), Math.floor(next() * 2 ** 20), Math.floor(next() ** 3 * 5), next() < 0.2 ? 1 : 0]);
    // Contexts: 255 for the 8-bit tree at 0, one flag context at 255.
    const encoder = new AdaptiveBinaryEncoder({ contexts: 256, shift: 4 });
    for (const [byte, raw, sym, flag] of items) {
      encoder.encodeTree(0, 8, byte);
      encoder.encodeDirect(raw, 20);
      encoder.encode(sym, model);
      encoder.encodeBit(255, flag);
    }
    const stream = encoder.finish();
    const decoder = new AdaptiveBinaryDecoder(stream, { contexts: 256, shift: 4 });
    expect(items.map(() => [decoder.decodeTree(0, 8), decoder.decodeDirect(20), decoder.decode(model), decoder.decodeBit(255)])).toEqual(items);
    decoder.finish();
  });

  it('a one-context coder of constant bits shrinks to a few bytes', () => {
    const encoder = new AdaptiveBinaryEncoder({ contexts: 1 });
    for (let i = 0; i < 100_000; i++) encoder.encodeBit(0, 1);
    // p(1) settles at 1 − 31/2048 with shift 5: ≈ 0.022 bits each.
    expect(encoder.finish().length).toBeLessThan(300);
  });

  it('rejects bad contexts, bits, trees and options', () => {
    const encoder = new AdaptiveBinaryEncoder({ contexts: 8 });
    expectError(() => encoder.encodeBit(8, 0), 'INVALID_ARGUMENT', /context 8 is outside 0 … 7/);
    expectError(() => encoder.encodeBit(1.5, 0), 'INVALID_ARGUMENT', /context 1.5/);
    expectError(() => encoder.encodeBit(0, 2), 'INVALID_ARGUMENT', /bit must be 0 or 1/);
    expectError(() => encoder.encodeTree(2, 3, 0), 'INVALID_ARGUMENT', /needs contexts 2 … 8, but there are 8/);
    expectError(() => encoder.encodeTree(0, 3, 8), 'INVALID_ARGUMENT', /value must be in \[0, 7\]/);
    expectError(() => new AdaptiveBinaryEncoder({ contexts: 0 }), 'INVALID_ARGUMENT', /contexts must be in \[1/);
    expectError(() => new AdaptiveBinaryEncoder({ contexts: 4, shift: 8 }), 'INVALID_ARGUMENT', /shift must be in \[4, 7\]/);
    expectError(() => new AdaptiveBinaryEncoder(undefined as never), 'INVALID_ARGUMENT', /options \{ contexts \} are required/);
    expectError(() => new AdaptiveBinaryDecoder(new Uint8Array(6), { contexts: 2 }).decodeBit(-1), 'INVALID_ARGUMENT', /context -1/);
  });

  it('produces the reference bytes (golden: a change is a format break)', () => {
    const encoder = new AdaptiveBinaryEncoder({ contexts: 4 });
    for (let i = 0; i < 5000; i++) encoder.encodeBit(i & 3, ((i * 2654435761) >>> 29) % 3 === 0 ? 1 : 0);
    encoder.encodeTree(0, 2, 3);
    const stream = encoder.finish();
    expect([stream.length, xxh32(stream)]).toEqual(GOLDEN);
  });
});

// Fixed once from this implementation (docs/formats/range-coder.md); a change breaks stored streams.
const GOLDEN = [616, 3520407022];
