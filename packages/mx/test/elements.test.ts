import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrow16, seedToKey } from '@kompakt/core';
import { decodeElement, decodeElements, encodeElement, encodeElements, elementMax, setBackend, type ElementFormat } from '@kompakt/mx';
import { firstDiff, randomFloats, testBackends } from './backends';
import { bitsOf, codeCount, fromBits, grid, nextDown, nextUp, randomWord, refDecode, refEncode, type Mode } from './reference';

const FORMATS: ElementFormat[] = ['e2m1', 'e2m3', 'e3m2', 'e4m3', 'e5m2', 'int8', 'ue4m3', 'e8m0'];
const MINIFLOATS: ElementFormat[] = ['e2m1', 'e2m3', 'e3m2', 'e4m3', 'e5m2', 'int8', 'ue4m3'];

/** Every interesting f32 around a format's grid: the points, the midpoints, one ulp either side of each. */
function probes(f: ElementFormat): Float32Array {
  const out: number[] = [0, -0, Infinity, -Infinity, 2 ** -149, 2 ** -140, 1e-40, 3.4e38, -3.4e38, 2 ** 127, 1e9];
  const vals = grid(f).values;
  const add = (v: number) => {
    for (const w of [v, nextUp(v), nextDown(v)]) out.push(w, -w);
  };
  for (let i = 0; i < vals.length; i++) {
    add(vals[i]);
    if (i + 1 < vals.length) add((vals[i] + vals[i + 1]) / 2);
    add(vals[i] * 3); // beyond max for the top points
  }
  return Float32Array.from(out);
}

function nanWithSign(negative: boolean): Float32Array {
  return new Float32Array(Uint32Array.of(negative ? 0xffc00000 : 0x7fc00000, negative ? 0xff800001 : 0x7f800001).buffer);
}

describe.each(testBackends())('element codecs on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it.each(FORMATS)('decodes every %s code like the field-by-field reference', (f) => {
    const codes = Uint8Array.from({ length: codeCount(f) }, (_, i) => i);
    const got = decodeElements(f, codes);
    const want = Array.from(codes, (c) => Math.fround(refDecode(f, c)));
    expect(firstDiff(got, want)).toBeNull();
    expect(decodeElement(f, codes[codes.length - 2])).toBe(want[want.length - 2]);
  });

  for (const f of MINIFLOATS) {
    for (const mode of (f === 'ue4m3' ? ['rne'] : ['rne', 'away', 'ggml']) as Mode[]) {
      for (const saturate of [true, false]) {
        it(`encodes ${f} at every point, midpoint and neighbour (${mode}, saturate ${saturate})`, () => {
          const x = probes(f);
          const got = encodeElements(f, x, { rounding: mode, saturate });
          const want = Array.from(x, (v) => refEncode(f, v, mode, saturate));
          const diff = firstDiff(got, want);
          expect(diff, diff ? `${f} ${mode} input ${x[Number(diff.split(':')[0].slice(3))]}: ${diff}` : '').toBeNull();
        });
      }
    }
    it(`encodes NaN of both signs and random values in ${f}`, () => {
      for (const neg of [false, true]) {
        const x = nanWithSign(neg);
        for (const saturate of [true, false]) {
          expect(Array.from(encodeElements(f, x, { saturate }))).toEqual(Array.from(x, (v) => refEncode(f, v, 'rne', saturate)));
        }
      }
      const x = randomFloats(4096, 7, elementMax(f) * 1.2);
      expect(firstDiff(encodeElements(f, x), Array.from(x, (v) => refEncode(f, v)))).toBeNull();
    });
  }

  it('encodes e8m0 like ml_dtypes (normal ties up, f32-subnormal inputs by bits, both overflow modes)', () => {
    const xs: number[] = [0, -0, -1, NaN, Infinity, -Infinity, 3.4028234663852886e38, 2 ** -149, 2 ** -127, 1.5 * 2 ** -127, nextUp(1.5 * 2 ** -127), nextUp(2 ** -127), 1.1 * 2 ** -127, nextDown(2 ** -126)];
    for (let e = -126; e <= 127; e += 1) {
      for (const s of [1, 1.25, 1.5, 1.75]) {
        const v = Math.fround(s * 2 ** e);
        if (Number.isFinite(v)) xs.push(v, nextUp(v), nextDown(v));
      }
    }
    const x = Float32Array.from(xs);
    for (const saturate of [true, false]) {
      const want = Array.from(x, (v) => refEncode('e8m0', v, 'rne', saturate));
      expect(firstDiff(encodeElements('e8m0', x, { saturate }), want)).toBeNull();
    }
  });

  it('encodes ue4m3 negatives, zero and specials as documented', () => {
    const x = Float32Array.of(-0, 0, -1, -Infinity, Infinity, NaN, 500, 448, 464, 2 ** -10, 2 ** -9);
    for (const saturate of [true, false]) {
      expect(Array.from(encodeElements('ue4m3', x, { saturate }))).toEqual(Array.from(x, (v) => refEncode('ue4m3', v, 'rne', saturate)));
    }
  });

  it.each(MINIFLOATS.filter((f) => f !== 'ue4m3'))('stochastic %s: exactly floor(|v|·2^q + u) with the documented Philox words', (f) => {
    const x = randomFloats(1000, 11, elementMax(f));
    const seed = 0x1234_5678_9an;
    const { key0, key1 } = seedToKey(seed);
    const got = encodeElements(f, x, { rounding: 'stochastic', seed });
    const want = Array.from(x, (v, i) => refEncode(f, v, 'stochastic', true, randomWord(i, key0, key1) / 2 ** 32));
    expect(firstDiff(got, want)).toBeNull();
    expect(Array.from(encodeElements(f, x, { rounding: 'stochastic', seed: 1 }))).not.toEqual(Array.from(got));
  });

  it('stochastic rounding is unbiased: the mean over seeds converges to x (z-test)', () => {
    const values = [0.3, 1.1, 2.2, 2.75, 4.9, -3.3, 0.01];
    const seeds = 1000;
    const x = Float32Array.from(values);
    const sums = new Float64Array(values.length);
    for (let seed = 0; seed < seeds; seed++) {
      const d = decodeElements('e2m1', encodeElements('e2m1', x, { rounding: 'stochastic', seed }));
      d.forEach((v, k) => (sums[k] += v));
    }
    values.forEach((v, k) => {
      const sum = sums[k];
      const g = grid('e2m1').values;
      const a = Math.abs(v);
      const hi = g.find((w) => w >= a)!;
      const lo = [...g].reverse().find((w) => w <= a)!;
      const p = hi === lo ? 0 : (a - lo) / (hi - lo);
      const sd = (hi - lo) * Math.sqrt(p * (1 - p) / seeds);
      expect(Math.abs(sum / seeds - Math.fround(v)), `v = ${v}`).toBeLessThanOrEqual(5 * sd + 1e-9);
    });
  });

  it('reads f16 and bf16 inputs as their exact f32 values', () => {
    const x = randomFloats(512, 3, 8);
    for (const dtype of ['f16', 'bf16'] as const) {
      const bits = narrow16(x, dtype);
      const wide = Float32Array.from(bits, (b) => (dtype === 'bf16' ? fromBits(b << 16) : f16(b)));
      expect(Array.from(encodeElements('e4m3', bits, { dtype }))).toEqual(Array.from(encodeElements('e4m3', wide)));
    }
  });

  it('encodeElement rounds its number to f32 first, then encodes', () => {
    expect(encodeElement('e2m1', 0.75)).toBe(0x2);
    expect(encodeElement('e2m1', 0.7499999)).toBe(0x1);
    expect(encodeElement('e4m3', 1e6, { saturate: false })).toBe(0x7f);
    expect(encodeElement('e5m2', -1e6, { saturate: false })).toBe(0xfc);
    expect(encodeElement('int8', -1)).toBe(0xc0);
    expect(bitsOf(decodeElement('e2m1', 0x8))).toBe(0x80000000);
  });
});

function f16(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 31;
  const m = h & 1023;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}
