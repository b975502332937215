import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { categorical, decode, encode, gaussian, laplace, logistic, modelFromFrequencies, setBackend, xxh32 } from '@kompakt/entropy';
import { testBackends } from './backends.js';

const sum = (f: Uint32Array) => f.reduce((a, b) => a + b, 0);
const hashOf = (f: Uint32Array) => xxh32(new Uint8Array(f.buffer, f.byteOffset, f.byteLength));

describe.each(testBackends())('models on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('quantizes counts and probabilities to 2^precision, every positive weight ≥ 1 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.nat(10), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 600 }),
        fc.integer({ min: 10, max: 16 }),
        (weights, precision) => {
          const present = weights.filter((w) => w > 0).length;
          fc.pre(present > 0 && present <= 2 ** precision);
          const { frequencies } = categorical(weights, { precision });
          expect(sum(frequencies)).toBe(2 ** precision);
          weights.forEach((w, k) => expect(frequencies[k] > 0).toBe(w > 0));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps frequencies proportional to counts within one slot (no fixed leak)', () => {
    const counts = [600_000, 300_000, 99_000, 990, 9, 1];
    const { frequencies } = categorical(counts, { precision: 14 });
    expect(Array.from(frequencies)).toEqual([9829, 4915, 1622, 16, 1, 1]);
  });

  it('gives scale-free weights the same model (probabilities ≡ counts)', () => {
    expect(categorical([0.25, 0.5, 0.25]).frequencies).toEqual(categorical([1, 2, 1]).frequencies);
  });

  it('builds Gaussian, Laplace and logistic tables with full support (golden; native must match)', () => {
    const g = gaussian({ mean: 0.3, std: 2.5, min: -20, max: 20, precision: 12 });
    const l = laplace({ mean: -1, scale: 1.5, min: -30, max: 30 });
    const s = logistic({ mean: 100, scale: 4, min: 0, max: 255, precision: 16 });
    for (const m of [g, l, s]) {
      expect(sum(m.frequencies)).toBe(2 ** m.precision);
      expect(m.frequencies.every((f) => f >= 1)).toBe(true);
    }
    expect(g.offset).toBe(-20);
    // Peak at the mean, symmetric-ish tails.
    expect(Math.max(...g.frequencies)).toBe(g.frequencies[20]);
    expect([hashOf(g.frequencies), hashOf(l.frequencies), hashOf(s.frequencies)]).toEqual(PARAMETRIC_GOLDEN);
    const values = [-20, -3, 0, 1, 2, 20, 0, 0];
    expect(Array.from(decode(encode(values, g), g, values.length))).toEqual(values);
  });

  it('matches the closed-form Gaussian masses', () => {
    const g = gaussian({ std: 1, min: -8, max: 8, precision: 16 });
    // P(−0.5 ≤ Z < 0.5) = 0.38292492254802624
    expect(g.frequencies[8] / 65536).toBeCloseTo(0.382925, 3);
  });

  it('rejects bad model arguments', () => {
    expect(() => categorical([])).toThrow(/needs 1 … 65536 weights/);
    expect(() => categorical([0, 0])).toThrow(/every weight is 0/);
    expect(() => categorical([1, -1])).toThrow(/weights\[1\] must be a finite number ≥ 0/);
    expect(() => categorical([1, NaN])).toThrow(/weights\[1\]/);
    expect(() => categorical([1, 1], { precision: 25 })).toThrow(/precision must be in \[1, 24\]/);
    expect(() => categorical(new Array(300).fill(1), { precision: 8 })).toThrow(/more than 2\^8/);
    expect(() => gaussian({ std: 0, min: 0, max: 3 })).toThrow(/std must be finite and > 0/);
    expect(() => gaussian({ std: 1, min: 0, max: 70000 })).toThrow(/do not fit precision 14/);
    expect(() => laplace({ scale: 1, min: 5, max: 4 })).toThrow(/max must be in \[5/);
    expect(() => modelFromFrequencies([1, 2], { precision: 2 })).toThrow(/sum to 3, not 2\^2/);
    expect(() => encode([0], { precision: 4 } as never)).toThrow(/model must be a Model/);
  });
});

// Fixed once from the wasm kernels (in-wasm exp/erfc); a change here changes every stream coded with these models.
const PARAMETRIC_GOLDEN = [2103461726, 1440157639, 1478717745];
