import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode, decodeParametric, encode, encodeParametric, gaussian, laplace, logistic, setBackend, type Model, type ParametricBatchOptions } from '@kompakt/entropy';
import { rng, testBackends } from './backends.js';

type Family = ParametricBatchOptions['family'];
const FAMILIES: Family[] = ['gaussian', 'laplace', 'logistic'];

/** The table path's model for one value: what encodeParametric must reproduce frequency for frequency. */
function tableModel(family: Family, mean: number, scale: number, min: number, max: number, precision: number): Model {
  if (family === 'gaussian') return gaussian({ mean, std: scale, min, max, precision });
  return (family === 'laplace' ? laplace : logistic)({ mean, scale, min, max, precision });
}

/** n latents with random means and log-uniform scales, drawn from their own discretised model. */
function latents(family: Family, n: number, min: number, max: number, precision: number, seed: number) {
  const next = rng(seed);
  const means = new Float32Array(n);
  const scales = new Float32Array(n);
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    means[i] = min + next() * (max - min);
    scales[i] = 0.05 * Math.exp(next() * Math.log(400)); // 0.05 … 20
    const { frequencies } = tableModel(family, means[i], scales[i], min, max, precision);
    let u = Math.floor(next() * 2 ** precision);
    let k = 0;
    while (u >= frequencies[k]) u -= frequencies[k++];
    values[i] = min + k;
  }
  return { means, scales, values, options: { family, means, scales, min, max, precision } };
}

/**
 * rans16x16 written from docs/internals.md in plain JS, one frequency table per symbol: the reference
 * that the kernel's batch stream must equal byte for byte.
 */
function referenceStream(values: Int32Array, models: Model[]): Uint8Array {
  const states = new Array<number>(16).fill(2 ** 16);
  const words: number[] = [];
  for (let i = values.length - 1; i >= 0; i--) {
    const { frequencies, offset, precision } = models[i];
    const k = values[i] - offset;
    const f = frequencies[k];
    const c = frequencies.subarray(0, k).reduce((a, b) => a + b, 0);
    let x = states[i % 16];
    if (Math.floor(x / 2 ** (32 - precision)) >= f) {
      words.push(x % 65536);
      x = Math.floor(x / 65536);
    }
    states[i % 16] = Math.floor(x / f) * 2 ** precision + (x % f) + c;
  }
  const out = new DataView(new ArrayBuffer(64 + 2 * words.length));
  states.forEach((x, j) => out.setUint32(4 * j, x, true));
  words.reverse().forEach((w, j) => out.setUint16(64 + 2 * j, w, true));
  return new Uint8Array(out.buffer);
}

describe.each(testBackends())('per-symbol parametric coding on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it.each(FAMILIES)('round-trips %s latents with random means and scales (property)', (family) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -40, max: 10 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 8, max: 16 }), fc.nat(),
        (n, min, width, precision, seed) => {
          const { values, options } = latents(family, n, min, min + width, precision, seed);
          const stream = encodeParametric(values, options);
          expect(stream.length).toBeLessThanOrEqual(64 + 2 * n);
          expect(decodeParametric(stream, options)).toEqual(values);
        }),
      { numRuns: 40 },
    );
  });

  it.each(FAMILIES)('codes each %s value with exactly the table path\'s frequencies', (family) => {
    // A one-value stream is the lane states only, so x_0 = ((2^16 / f) << s) + 2^16 mod f + c pins f and c;
    // and a stream from encode() with the table model of the same value must be byte-identical.
    const next = rng(7 + family.length);
    for (let t = 0; t < 60; t++) {
      const min = -Math.floor(next() * 50);
      const max = min + 1 + Math.floor(next() * 80);
      const precision = 8 + Math.floor(next() * 9);
      const n = 1 + Math.floor(next() * 20);
      const { values, means, scales, options } = latents(family, n, min, max, precision, t + 1000);
      for (let i = 0; i < n; i++) {
        const model = tableModel(family, means[i], scales[i], min, max, precision);
        const single = encodeParametric(values.subarray(i, i + 1), { ...options, means: means.subarray(i, i + 1), scales: scales.subarray(i, i + 1) });
        expect(single).toEqual(encode([values[i]], model));
        expect(decode(single, model, 1)[0]).toBe(values[i]);
      }
      // With one shared (mean, scale) the whole batch equals the table path's stream.
      const same = { ...options, means: new Float32Array(n).fill(means[0]), scales: new Float32Array(n).fill(scales[0]) };
      expect(encodeParametric(values, same)).toEqual(encode(values, tableModel(family, means[0], scales[0], min, max, precision)));
    }
  });

  it.each(FAMILIES)('writes the stream of a per-value %s table coder (reference rANS in JS)', (family) => {
    const next = rng(family.length * 31);
    for (let t = 0; t < 12; t++) {
      const min = -Math.floor(next() * 40);
      const max = min + Math.floor(next() * 70);
      const precision = Math.max(8, Math.ceil(Math.log2(max - min + 1))) + Math.floor(next() * 4);
      const { values, means, scales, options } = latents(family, 1 + Math.floor(next() * 400), min, max, Math.min(16, precision), t);
      // Repeat some parameters, nearby and far apart, so that table reuse is exercised too.
      for (let i = 1; i < means.length; i += 3) {
        const j = Math.floor(next() * i);
        means[i] = means[j];
        scales[i] = scales[j];
        values[i] = values[j];
      }
      const models = Array.from(means, (m, i) => tableModel(family, m, scales[i], min, max, options.precision));
      expect(encodeParametric(values, options)).toEqual(referenceStream(values, models));
    }
  });

  // The supports span the cache shapes: hundreds of two-way buckets, a few, and one slot (65,536 values).
  it.each([[-20, 20, 300, 40], [-300, 300, 300, 40], [-3000, 3000, 300, 40], [-32768, 32767, 24, 3]])(
    'matches the reference when parameter pairs recur over %i … %i (%i values, %i pairs)', (min, max, n, pairs) => {
    const next = rng(max);
    const pool = latents('gaussian', pairs, min, max, 16, max + 1);
    const means = new Float32Array(n);
    const scales = new Float32Array(n);
    const values = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const j = Math.floor(next() * pairs);
      [means[i], scales[i], values[i]] = [pool.means[j], pool.scales[j] * 20, pool.values[j]];
    }
    const options = { family: 'gaussian' as const, means, scales, min, max, precision: 16 };
    const models = Array.from(means, (m, i) => tableModel('gaussian', m, scales[i], min, max, 16));
    const stream = encodeParametric(values, options);
    expect(stream).toEqual(referenceStream(values, models));
    expect(decodeParametric(stream, options)).toEqual(values);
  });

  it('stays within 0.1 % of −Σ log2 p plus the 64-byte header at precision 16', () => {
    for (const family of FAMILIES) {
      const { values, means, scales, options } = latents(family, 20_000, -32, 32, 16, 99);
      let bits = 0;
      for (let i = 0; i < values.length; i++) {
        const { frequencies } = tableModel(family, means[i], scales[i], -32, 32, 16);
        bits += 16 - Math.log2(frequencies[values[i] + 32]);
      }
      const ideal = bits / 8 + 64;
      const size = encodeParametric(values, options).length;
      expect(size).toBeLessThanOrEqual(ideal * 1.001);
    }
  });

  it('writes the same bytes as wasm scalar', () => {
    const { values, options } = latents('gaussian', 3000, -16, 16, 14, 5);
    const here = encodeParametric(values, options);
    setBackend('wasm-scalar');
    const scalar = encodeParametric(values, options);
    setBackend(backend);
    expect(here).toEqual(scalar);
  });

  it('rejects bad input with a message naming it', () => {
    const { values, options } = latents('laplace', 10, -8, 8, 12, 3);
    const bad = (patch: Partial<ParametricBatchOptions>, vals: ArrayLike<number> = values) => () => encodeParametric(vals, { ...options, ...patch });
    expect(bad({ scales: new Float32Array(9) })).toThrow(/means has 10 entries but scales has 9/);
    expect(bad({}, values.subarray(1))).toThrow(/9 values but 10 means/);
    expect(bad({ scales: options.scales.map((s, i) => (i === 4 ? 0 : s)) })).toThrow(/scales\[4\] must be finite and > 0/);
    expect(bad({ scales: options.scales.map((s, i) => (i === 2 ? -1 : s)) })).toThrow(/scales\[2\]/);
    expect(bad({ scales: options.scales.map((s, i) => (i === 3 ? Infinity : s)) })).toThrow(/scales\[3\]/);
    expect(bad({ means: options.means.map((m, i) => (i === 1 ? NaN : m)) })).toThrow(/means\[1\] must be finite/);
    expect(bad({}, values.map((v, i) => (i === 6 ? 9 : v)))).toThrow(/values\[6\] = 9 is outside min … max \(-8 … 8\)/);
    expect(bad({}, [1.5, ...Array.from(values).slice(1)])).toThrow(/values\[0\] must be a 32-bit integer/);
    expect(bad({ precision: 17 })).toThrow(/precision/);
    expect(bad({ min: 0, max: 4096 })).toThrow(/4097 values do not fit precision 12/);
    expect(bad({ family: 'cauchy' as Family })).toThrow(/family must be/);
    expect(() => decodeParametric(new Uint8Array(40), { ...options, scales: new Float32Array(10) })).toThrow(/scales\[0\]/);
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
        return 'no error';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect([bad({ scales: new Float32Array(9) }), bad({}, [99, ...Array.from(values).slice(1)]), bad({ precision: 17 })].map(codeOf)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
  });

  it('reports truncated and corrupt streams, never crashes (fuzzed)', () => {
    const { values, options } = latents('logistic', 400, -20, 20, 14, 11);
    const stream = encodeParametric(values, options);
    const code = (s: Uint8Array) => {
      try {
        decodeParametric(s, options);
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code(stream.subarray(0, 31))).toBe('TRUNCATED');
    expect(code(stream.subarray(0, stream.length - 2))).toMatch(/TRUNCATED|CORRUPT/);
    expect(code(stream.subarray(0, stream.length - 1))).toBe('CORRUPT');
    expect(code(new Uint8Array([...stream, 0, 0]))).toBe('CORRUPT');
    fc.assert(
      fc.property(fc.nat(stream.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const damaged = stream.slice();
        damaged[at] ^= flip;
        expect(['ok', 'TRUNCATED', 'CORRUPT']).toContain(code(damaged));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        expect(['ok', 'TRUNCATED', 'CORRUPT']).toContain(code(junk));
      }),
      { numRuns: 300 },
    );
  });
});
