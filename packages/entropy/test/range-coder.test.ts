import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RangeDecoder, RangeEncoder, categorical, gaussian, laplace, modelFromFrequencies, rangeDecode, rangeEncode, setBackend, xxh32, type CodingModel, type Model } from '@kompakt/entropy';
import { expectError } from '../../../test/helpers/errors';
import { idealBytes, rng, sample, testBackends } from './backends.js';

/** The range coder's flush: the documented fixed overhead of every stream (docs/formats/range-coder.md). */
const FLUSH = 6;

function roundTrip(values: ArrayLike<number>, model: Model | CodingModel): Uint8Array {
  const stream = rangeEncode(values, model);
  expect(Array.from(rangeDecode(stream, model, values.length))).toEqual(Array.from(values));
  return stream;
}

function countsOf(symbols: ArrayLike<number>, nsym: number): number[] {
  const counts = new Array<number>(nsym).fill(0);
  for (let i = 0; i < symbols.length; i++) counts[symbols[i]]++;
  return counts;
}

/**
 * A user model: a geometric distribution P(k) ∝ 2^-(k/8) over a huge alphabet at 24-bit precision,
 * built once into a cumulative table (find by binary search).
 */
function geometricModel(size: number): CodingModel & { cumulative: Float64Array } {
  const total = 2 ** 24;
  const weights = Array.from({ length: size }, (_, k) => 2 ** (-k / 8));
  const sum = weights.reduce((a, b) => a + b, 0);
  const freqs = weights.map((w) => 1 + Math.floor((w / sum) * (total - size)));
  freqs[0] += total - freqs.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(size + 1);
  for (let k = 0; k < size; k++) cumulative[k + 1] = cumulative[k] + freqs[k];
  return {
    total,
    size,
    cumulative,
    start: (k) => cumulative[k],
    frequency: (k) => freqs[k],
    find(target) {
      let lo = 0;
      let hi = size - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (cumulative[mid] <= target) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

// The coder is TypeScript, but its static models (and xxh32) come from the kernels: every backend
// must build the same models, hence the same bytes (the golden below).
describe.each(testBackends())('range coder on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('round-trips random models and messages; per-symbol calls give the same bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 16 }),
        fc.nat(1500),
        fc.nat(),
        (weights, precision, n, seed) => {
          const present = weights.flatMap((w, k) => (w > 0 ? [k] : []));
          fc.pre(present.length > 0 && present.length <= 2 ** precision);
          const model = categorical(weights, { precision });
          const next = rng(seed);
          const symbols = Array.from({ length: n }, () => present[Math.floor(next() ** 3 * present.length)]);
          const stream = roundTrip(symbols, model);
          const one = new RangeEncoder();
          for (const s of symbols) one.encode(s, model);
          expect(one.finish()).toEqual(stream);
          const decoder = new RangeDecoder(stream);
          expect(symbols.map(() => decoder.decode(model))).toEqual(symbols);
          decoder.finish();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('codes 0 symbols as the 6-byte flush and every short length', () => {
    const model = categorical([1, 2, 3]);
    expect(Array.from(rangeEncode([], model))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rangeDecode(rangeEncode([], model), model, 0).length).toBe(0);
    for (let n = 1; n <= 40; n++) roundTrip(Array.from({ length: n }, (_, i) => (i * 7) % 3), model);
  });

  it('codes a 65536-symbol alphabet at precision 16', () => {
    const model = categorical(new Array(65536).fill(1), { precision: 16 });
    const symbols = sample(model.frequencies, 50_000, 3);
    const stream = roundTrip(symbols, model);
    expect(stream.length).toBeLessThanOrEqual(idealBytes(symbols, model.frequencies, 16) + FLUSH + 1);
  });

  it('codes a symbol with p ≈ 1 and one at the smallest probability, near the ideal size', () => {
    const model = categorical([1e9, 1], { precision: 16 });
    expect(Array.from(model.frequencies)).toEqual([65535, 1]);
    const symbols = new Uint8Array(200_000);
    symbols[777] = 1;
    symbols[150_000] = 1;
    const stream = roundTrip(symbols, model);
    // 200k × log2(65536/65535) + 2 × 16 bits ≈ 4.2 bytes of information: the 48-bit range loses < 1 byte.
    expect(stream.length).toBeLessThanOrEqual(Math.ceil(idealBytes(symbols, model.frequencies, 16)) + FLUSH + 1);
    const single = categorical([0, 5, 0]);
    expect(roundTrip(new Array(1000).fill(1), single).length).toBe(FLUSH);
  });

  it.each([14, 15, 16])('stays within 0.1 percent of −Σ log2 p plus the 6-byte flush at precision %i', (precision) => {
    const next = rng(precision);
    const skewed = new Uint8Array(1 << 18).map(() => Math.min(255, Math.floor(-Math.log(1 - next()) * 3)));
    const flat = new Uint8Array(1 << 18).map(() => Math.floor(next() * 256));
    for (const symbols of [skewed, flat]) {
      const model = categorical(countsOf(symbols, 256), { precision });
      const stream = roundTrip(symbols, model);
      const ideal = idealBytes(symbols, model.frequencies, precision);
      expect(stream.length).toBeLessThanOrEqual(ideal * 1.001 + FLUSH);
      expect(stream.length).toBeGreaterThanOrEqual(Math.floor(ideal));
    }
  });

  it('codes quantized Gaussian/Laplace residuals with negative values, one model per symbol', () => {
    const next = rng(5);
    const stds = Array.from({ length: 500 }, () => 0.5 + next() * 8);
    const models = stds.map((std, i) => (i % 2 ? gaussian({ mean: 0.3, std, min: -40, max: 40 }) : laplace({ scale: std, min: -40, max: 40 })));
    const values = stds.map((std) => Math.max(-40, Math.min(40, Math.round((next() - 0.5) * std * 3) + 0))); // + 0: no −0
    const encoder = new RangeEncoder();
    values.forEach((v, i) => encoder.encode(v, models[i]));
    const stream = encoder.finish();
    const decoder = new RangeDecoder(stream);
    expect(models.map((m) => decoder.decode(m))).toEqual(values);
    decoder.finish();
  });

  it('accepts a user model: 2^20 symbols at 24-bit precision, within 0.1 % of the ideal', () => {
    const model = geometricModel(1 << 20);
    const next = rng(9);
    const values = Array.from({ length: 100_000 }, () => {
      const target = Math.floor(next() * model.total);
      return model.find(target);
    });
    const stream = roundTrip(values, model);
    let bits = 0;
    for (const k of values) bits += 24 - Math.log2(model.frequency(k));
    expect(stream.length).toBeLessThanOrEqual((bits / 8) * 1.001 + FLUSH);
    // Values 0 and size − 1 (the rarest, frequency 1: exactly 24 bits).
    roundTrip([0, (1 << 20) - 1, 5, (1 << 20) - 1], model);
  });

  it('runs the README custom model (geometric at 24-bit precision)', () => {
    const geometric: CodingModel = {
      total: 2 ** 24,
      size: 24,
      start: (k) => 2 ** 24 - 2 ** (24 - k),
      frequency: (k) => (k === 23 ? 2 : 2 ** (23 - k)),
      find: (t) => Math.min(23, Math.floor(-Math.log2(1 - t / 2 ** 24))),
    };
    roundTrip([0, 3, 23, 22, 1, 0, 23], geometric);
    // Each value k < 23 costs k + 1 bits; 23 costs 23.
    expect(rangeEncode(new Array(8000).fill(7), geometric).length).toBeLessThanOrEqual(8000 + FLUSH);
  });

  it('honours a user model offset and mixes raw bits into the stream', () => {
    const model = modelFromFrequencies([4, 8, 4], { precision: 4, offset: -1 });
    const encoder = new RangeEncoder();
    encoder.encode(-1, model);
    encoder.encodeDirect(0xdeadbeef, 32);
    encoder.encode(1, model);
    encoder.encodeDirect(5, 3);
    encoder.encodeDirect(0, 0);
    const decoder = new RangeDecoder(encoder.finish());
    expect([decoder.decode(model), decoder.decodeDirect(32), decoder.decode(model), decoder.decodeDirect(3), decoder.decodeDirect(0)]).toEqual([-1, 0xdeadbeef, 1, 5, 0]);
    decoder.finish();
  });

  it('rejects bad symbols, bad models and use after finish', () => {
    const model = categorical([1, 0, 1]);
    expectError(() => rangeEncode([0, 1], model), 'INVALID_ARGUMENT', /values\[1\] = 1 has probability 0/);
    expectError(() => rangeEncode([3], model), 'INVALID_ARGUMENT', /outside the model's values 0 … 2/);
    expectError(() => rangeEncode([0.5], model), 'INVALID_ARGUMENT', /outside/);
    expectError(() => new RangeEncoder().encode(1, model), 'INVALID_ARGUMENT', /interval/);
    expectError(() => rangeEncode([0], { total: 4 } as never), 'INVALID_TYPE', /CodingModel/);
    const liar: CodingModel = { total: 8, size: 2, start: (k) => k * 4, frequency: () => 4, find: () => 1 };
    expectError(() => rangeDecode(rangeEncode([0, 0], liar), liar, 2), 'INVALID_ARGUMENT', /does not contain it/);
    const big: CodingModel = { ...liar, total: 2 ** 24 + 1 };
    expectError(() => rangeEncode([0], big), 'INVALID_ARGUMENT', /total must be an integer in \[1, 2\^24\]/);
    const encoder = new RangeEncoder();
    encoder.finish();
    expectError(() => encoder.encode(0, model), 'INVALID_ARGUMENT', /finished/);
    expectError(() => new RangeEncoder().encodeDirect(4, 2), 'INVALID_ARGUMENT', /value must be in \[0, 3\]/);
  });

  it('produces the reference bytes (golden: a change is a format break)', () => {
    const model = categorical([5, 1, 3, 7, 0, 2], { precision: 12 });
    const symbols = Array.from({ length: 1000 }, (_, i) => [0, 1, 2, 3, 5][(i * 7 + (i >> 3)) % 5]);
    const stream = rangeEncode(symbols, model);
    expect([stream.length, xxh32(stream)]).toEqual(GOLDEN);
  });
});

// Fixed once from this implementation; a change here changes every stored stream (docs/formats/range-coder.md).
const GOLDEN = [334, 315913495];
