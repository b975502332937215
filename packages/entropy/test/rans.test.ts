import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { categorical, decode, decodeIndices, encode, modelFromFrequencies, setBackend, xxh32, type Model } from '@kompakt/entropy';
import { idealBytes, rng, sample, testBackends } from './backends.js';

/** Empirical entropy in bytes: −Σ log2(count/n). */
function entropyBytes(symbols: ArrayLike<number>, nsym: number): number {
  const counts = new Float64Array(nsym);
  for (let i = 0; i < symbols.length; i++) counts[symbols[i]]++;
  let bits = 0;
  for (const c of counts) if (c) bits -= c * Math.log2(c / symbols.length);
  return bits / 8;
}

function countsOf(symbols: ArrayLike<number>, nsym: number): number[] {
  const counts = new Array<number>(nsym).fill(0);
  for (let i = 0; i < symbols.length; i++) counts[symbols[i]]++;
  return counts;
}

function roundTrip(symbols: ArrayLike<number>, model: Model): Uint8Array {
  const stream = encode(symbols, model);
  // rans16x16 up to precision 16, the exact rans16x32 stream above.
  expect(stream.length).toBeLessThanOrEqual(model.precision > 16 ? 128 + 4 * symbols.length : 64 + 2 * symbols.length);
  expect(Array.from(decode(stream, model, symbols.length))).toEqual(Array.from(symbols));
  return stream;
}

describe.each(testBackends())('rANS on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it.each([[9, 16], [17, 24]])('round-trips random models and messages at precision %i … %i (property)', (min, max) => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(1000), { minLength: 1, maxLength: 300 }),
        fc.integer({ min, max }),
        fc.nat(2000),
        fc.nat(),
        (weights, precision, n, seed) => {
          fc.pre(weights.some((w) => w > 0));
          const model = categorical(weights, { precision });
          const present = weights.flatMap((w, k) => (w > 0 ? [k] : []));
          const next = rng(seed);
          const symbols = Array.from({ length: n }, () => present[Math.floor(next() * present.length)]);
          roundTrip(symbols, model);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('handles 0 and 1 symbols, and every length mod 16', () => {
    const model = categorical([1, 2, 3]);
    expect(encode([], model).length).toBe(64);
    expect(decode(encode([], model), model, 0).length).toBe(0);
    for (let n = 1; n <= 72; n++) roundTrip(Array.from({ length: n }, (_, i) => i % 3), model);
  });

  it('codes a 65536-symbol alphabet at precision 16', () => {
    const model = categorical(new Array(65536).fill(1), { precision: 16 });
    expect(Array.from(model.frequencies.subarray(0, 3))).toEqual([1, 1, 1]);
    const symbols = sample(model.frequencies, 100_000, 7);
    const stream = roundTrip(symbols, model);
    expect(stream.length).toBeLessThanOrEqual(64 + 2 * symbols.length);
  });

  it('codes a symbol with p ≈ 1 and one at the smallest probability', () => {
    const model = categorical([1e9, 1], { precision: 16 });
    expect(Array.from(model.frequencies)).toEqual([65535, 1]);
    const symbols = new Uint8Array(100_000);
    symbols[12345] = 1;
    const stream = roundTrip(symbols, model);
    // The dominant symbol costs log2(65536/65535) bits each; the rare one 16 bits.
    expect(stream.length).toBeLessThanOrEqual(64 + 2 + Math.ceil(idealBytes(symbols, model.frequencies, 16)) + 2);
    const single = categorical([0, 5, 0]);
    expect(Array.from(single.frequencies)).toEqual([0, 16384, 0]);
    expect(roundTrip(new Array(1000).fill(1), single).length).toBe(64);
  });

  it('applies offsets for negative values', () => {
    const model = modelFromFrequencies([4, 8, 4], { precision: 4, offset: -1 });
    roundTrip([-1, 0, 1, 0, 0, -1], model);
  });

  it.each([14, 15])('stays within 0.1 percent of the empirical entropy at precision %i (large inputs)', (precision) => {
    const next = rng(precision);
    // Exponent-like skew (geometric) and near-uniform bytes, 1 MiB each.
    const skewed = new Uint8Array(1 << 20).map(() => Math.min(255, Math.floor(-Math.log(1 - next()) * 3)));
    const flat = new Uint8Array(1 << 20).map(() => Math.floor(next() * 256));
    for (const symbols of [skewed, flat]) {
      const model = categorical(countsOf(symbols, 256), { precision });
      const stream = roundTrip(symbols, model);
      expect(stream.length).toBeLessThanOrEqual(entropyBytes(symbols, 256) * 1.001 + 64);
    }
  });

  it('rejects symbols outside the model', () => {
    const model = categorical([1, 0, 1]);
    expect(() => encode([0, 1], model)).toThrow(/symbols\[1\] = 1 has probability 0/);
    expect(() => encode([3], model)).toThrow(/outside the model's values 0 … 2/);
    expect(() => encode([0.5], model)).toThrow(/outside/);
  });

  it('produces the reference bytes (golden; native must match)', () => {
    const model = categorical([5, 1, 3, 7, 0, 2], { precision: 12 });
    expect(Array.from(model.frequencies)).toEqual([1138, 227, 683, 1593, 0, 455]);
    const symbols = Array.from({ length: 1000 }, (_, i) => [0, 1, 2, 3, 5][(i * 7 + (i >> 3)) % 5]);
    const stream = encode(symbols, model);
    expect([stream.length, xxh32(stream)]).toEqual(GOLDEN);
  });
});

describe.each(testBackends())('exact rANS path (precision 17 … 24) on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('comes within 0.1 % of the ideal size plus the 64-byte header', () => {
    for (const precision of [17, 20, 24]) {
      const model = categorical(Array.from({ length: 200 }, (_, k) => Math.exp(-k / 9)), { precision });
      const symbols = sample(model.frequencies, 200_000, precision);
      const ideal = idealBytes(symbols, model.frequencies, precision);
      const stream = encode(symbols, model);
      expect(stream.length).toBeLessThanOrEqual(ideal * 1.001 + 64);
      expect(sameSymbols(decodeIndices(stream, model, symbols.length), symbols)).toBe(true);
    }
  });

  it('codes sparse XOR-delta bytes in less than precision 16 can', () => {
    // Exponent bytes of a fine-tuning delta: almost all 0, a few hundred rare XOR values.
    const next = rng(3);
    const delta = new Uint8Array(2_000_000);
    for (let i = 0; i < 300; i++) delta[Math.floor(next() * delta.length)] = 1 + Math.floor(next() * 100);
    const counts = new Array<number>(256).fill(0);
    for (const b of delta) counts[b]++;
    const sizes = [16, 24].map((precision) => {
      const model = categorical(counts, { precision });
      const stream = encode(delta, model);
      expect(sameSymbols(decodeIndices(stream, model, delta.length), delta)).toBe(true);
      // The 16 lane states take 64 or 128 bytes whatever the message: count them as overhead.
      return stream.length - (precision > 16 ? 128 : 64);
    });
    // Against the empirical entropy: at 16 bits every 0 pays log2(2^16 / f0) with f0 ≈ 2^16 − 100
    // (≈ 2.2e−3 bits, ~550 bytes over 2 M zeros); at 24 bits that excess all but vanishes.
    const entropy = entropyBytes(delta, 256);
    expect(sizes[1]).toBeLessThanOrEqual(entropy * 1.001);
    expect(sizes[0]).toBeGreaterThan(sizes[1] + 300);
  });

  it('rejects truncated and damaged streams with KompaktError', () => {
    const model = categorical([900, 50, 30, 15, 5], { precision: 22 });
    const symbols = sample(model.frequencies, 500, 9);
    const stream = encode(symbols, model);
    for (let cut = 0; cut < stream.length; cut++) {
      expect(() => decode(stream.subarray(0, cut), model, symbols.length)).toThrow(expect.objectContaining({ name: 'KompaktError' }));
    }
    for (let bit = 0; bit < 64 * 8; bit += 7) {
      const bad = stream.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      try {
        decode(bad, model, symbols.length);
      } catch (e) {
        expect(e).toMatchObject({ name: 'KompaktError' });
      }
    }
    expect(() => categorical([1, 2], { precision: 25 })).toThrow(/precision/);
  });

  it('produces the reference bytes (golden; every backend must match)', () => {
    const model = categorical([5, 1, 3, 7, 0, 2], { precision: 24 });
    const symbols = Array.from({ length: 1000 }, (_, i) => [0, 1, 2, 3, 5][(i * 7 + (i >> 3)) % 5]);
    const stream = encode(symbols, model);
    expect([stream.length, xxh32(stream)]).toEqual(GOLDEN_EXACT);
  });
});

function sameSymbols(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Fixed from the wasm kernels (re-fixed for the 16-lane format); a change here is a format break
// (docs/internals.md, "rANS stream").
const GOLDEN = [384, 4294365770];
const GOLDEN_EXACT = [448, 3546219697];
