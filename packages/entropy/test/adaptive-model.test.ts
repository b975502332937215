import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AdaptiveModel, RangeDecoder, RangeEncoder, rangeDecode, rangeEncode } from '@kompakt/entropy';
import { expectError } from '../../../test/helpers/errors';
import { rng } from './backends.js';

/** The adaptive model's ideal cost −Σ log2(f/total), each symbol priced with the counts before it, in bytes. */
function adaptiveIdealBytes(values: ArrayLike<number>, make: () => AdaptiveModel): number {
  const model = make();
  let bits = 0;
  for (let i = 0; i < values.length; i++) {
    const k = values[i] - model.offset;
    bits += Math.log2(model.total / model.frequency(k));
    model.update(k);
  }
  return bits / 8;
}

describe('AdaptiveModel', () => {
  it('keeps start/find consistent with its frequencies, each ≥ 1, total ≤ limit (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.array(fc.nat(), { maxLength: 400 }), fc.integer({ min: 1, max: 64 }), (size, picks, increment) => {
        const model = new AdaptiveModel(size, { increment, limit: Math.max(2 * size, 2 * increment, 1024) });
        for (const p of picks) model.update(p % size);
        let start = 0;
        for (let k = 0; k < size; k++) {
          const f = model.frequency(k);
          expect(f).toBeGreaterThanOrEqual(1);
          expect(model.start(k)).toBe(start);
          expect(model.find(start)).toBe(k);
          expect(model.find(start + f - 1)).toBe(k);
          start += f;
        }
        expect(model.total).toBe(start);
        expect(model.total).toBeLessThanOrEqual(model.limit);
      }),
      { numRuns: 100 },
    );
  });

  it('halves every count when the total passes the limit, rounding up', () => {
    const model = new AdaptiveModel(4, { increment: 10, limit: 40, initial: [1, 2, 3, 4] });
    model.update(3); // total 20
    model.update(3); // 30
    model.update(3); // 40, at the limit: no rescale yet
    expect([0, 1, 2, 3].map((k) => model.frequency(k))).toEqual([1, 2, 3, 34]);
    model.update(0); // 50 > 40: halve → 6, 1, 2, 17
    expect([0, 1, 2, 3].map((k) => model.frequency(k))).toEqual([6, 1, 2, 17]);
    expect(model.total).toBe(26);
  });

  it('round-trips through the range coder, sizes 1 … 2^20, within 0.1 % of its own ideal cost', () => {
    const next = rng(21);
    for (const size of [1, 2, 3, 256, 1 << 20]) {
      const n = size === 1 << 20 ? 20_000 : 100_000;
      // A drifting distribution: adaptation is what the model is for.
      const values = Array.from({ length: n }, (_, i) => Math.min(size - 1, Math.floor(next() ** 4 * Math.min(size, 64) + (i * 64) / n) % size));
      const make = () => new AdaptiveModel(size, { offset: -7 });
      const shifted = values.map((v) => v - 7);
      const stream = rangeEncode(shifted, make());
      expect(Array.from(rangeDecode(stream, make(), n))).toEqual(shifted);
      expect(stream.length).toBeLessThanOrEqual(adaptiveIdealBytes(shifted, make) * 1.001 + 6);
    }
  });

  it('adapts: a skewed source costs far less than its alphabet size suggests', () => {
    const next = rng(4);
    const values = Array.from({ length: 50_000 }, () => (next() < 0.95 ? 3 : Math.floor(next() * 256)));
    const stream = rangeEncode(values, new AdaptiveModel(256));
    expect(stream.length).toBeLessThan(values.length * 0.1);
  });

  it('mixes with other models in one stream', () => {
    const a = new AdaptiveModel(10);
    const b = new AdaptiveModel(3, { increment: 1, limit: 8 });
    const encoder = new RangeEncoder();
    const values = Array.from({ length: 300 }, (_, i) => [i % 10, i % 3] as const);
    for (const [x, y] of values) {
      encoder.encode(x, a);
      encoder.encode(y, b);
    }
    const decoder = new RangeDecoder(encoder.finish());
    const a2 = new AdaptiveModel(10);
    const b2 = new AdaptiveModel(3, { increment: 1, limit: 8 });
    expect(values.map(() => [decoder.decode(a2), decoder.decode(b2)])).toEqual(values);
    decoder.finish();
  });

  it('rejects bad options', () => {
    expectError(() => new AdaptiveModel(0), 'INVALID_ARGUMENT', /size must be in \[1, 8388608\]/);
    expectError(() => new AdaptiveModel(100, { limit: 150 }), 'INVALID_ARGUMENT', /limit must be in \[200, 16777216\]/);
    expectError(() => new AdaptiveModel(4, { increment: 0 }), 'INVALID_ARGUMENT', /increment/);
    expectError(() => new AdaptiveModel(4, { increment: 100, limit: 150 }), 'INVALID_ARGUMENT', /limit must be in \[200,/);
    expect(new AdaptiveModel(4096).limit).toBe(2 ** 20); // 8 · 4096 · 32
    expect(new AdaptiveModel(4).limit).toBe(2 ** 16);
    expectError(() => new AdaptiveModel(2, { initial: [1, 0] }), 'INVALID_ARGUMENT', /initial\[1\] must be in \[1/);
    expectError(() => new AdaptiveModel(2, { initial: [1] }), 'INVALID_ARGUMENT', /initial must hold 2/);
    expectError(() => new AdaptiveModel(2, { foo: 1 } as never), 'INVALID_ARGUMENT', /unknown option 'foo'/);
    expectError(() => new AdaptiveModel(2).update(2), 'INVALID_ARGUMENT', /index 2 is outside 0 … 1/);
  });
});
