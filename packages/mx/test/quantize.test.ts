import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackend, isKompaktError, narrow16, seedToKey, widen16 } from '@kompakt/core';
import { irht, rht } from '@kompakt/hadamard';
import { dequantize, errorStats, quantize, setBackend, type BlockFormat, type Rounding, type ScaleRule } from '@kompakt/mx';
import { firstDiff, nastyFloats, randomFloats, rng, testBackends } from './backends';
import { REF_BLOCK, grid, nextDown, nextUp, refDequantize, refQuantize, type RefRounding } from './reference';

const MX: BlockFormat[] = ['mxfp4', 'mxfp6-e2m3', 'mxfp6-e3m2', 'mxfp8-e4m3', 'mxfp8-e5m2', 'mxint8'];
const ALL: BlockFormat[] = [...MX, 'nvfp4'];
const RULES: ScaleRule[] = ['floor', 'ceil', 'even', 'rceil'];

function expectSameBytes(got: { codes: Uint8Array; scales: Uint8Array }, want: { codes: Uint8Array; scales: Uint8Array }, what: string): void {
  const s = firstDiff(got.scales, want.scales);
  expect(s, `${what}: scales ${s}`).toBeNull();
  const c = firstDiff(got.codes, want.codes);
  expect(c, `${what}: codes ${c}`).toBeNull();
}

describe.each(testBackends())('block quantization on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  for (const format of MX) {
    for (const scaleRule of RULES) {
      for (const rounding of ['rne', 'away'] as Rounding[]) {
        it(`${format} ${scaleRule} ${rounding}: bytes equal the reference (full and partial blocks)`, () => {
          for (const [rows, n] of [[3, 96], [4, 40], [2, 7], [1, 1]]) {
            const x = nastyFloats(rows, n, rows * 1000 + n);
            const q = quantize(x, { format, n, scaleRule, rounding });
            expectSameBytes(q, refQuantize({ x, n, format, rule: scaleRule, rounding }), `${rows}×${n}`);
            expect(q.tensorScale).toBeUndefined();
          }
        });
      }
    }
  }

  it('mxfp4 ggml rounding: bytes equal the reference (llama.cpp scale rule, ties toward zero, no −0)', () => {
    const x = nastyFloats(8, 64, 5);
    for (const layout of ['pairs', 'ggml'] as const) {
      expectSameBytes(quantize(x, { format: 'mxfp4', n: 64, rounding: 'ggml', layout }), refQuantize({ x, n: 64, format: 'mxfp4', rounding: 'ggml', layout }), layout);
    }
  });

  it('nvfp4: tensorScale = amax/(6·448) in f32 and bytes equal the reference', () => {
    for (const [rows, n] of [[4, 64], [3, 40], [1, 16]]) {
      const x = randomFloats(rows * n, n, 37);
      x[5] = 0;
      const q = quantize(x, { format: 'nvfp4', n });
      const ref = refQuantize({ x, n, format: 'nvfp4' });
      expect(q.tensorScale).toBe(ref.tensorScale);
      expectSameBytes(q, ref, `${rows}×${n}`);
      const mixed = nastyFloats(rows, n, 9, 16);
      expectSameBytes(quantize(mixed, { format: 'nvfp4', n, tensorScale: 0.001 }), refQuantize({ x: mixed, n, format: 'nvfp4', tensorScale: 0.001 }), 'explicit tensorScale');
    }
    expect(quantize(new Float32Array(32), { format: 'nvfp4' }).tensorScale).toBe(1);
  });

  it('nvfp4: the default tensorScale is the amax of the finite values wherever NaN and ±Inf sit', () => {
    // Lengths cover the amax kernel's 16-wide loop, its 4-wide loop and its scalar tail.
    for (const length of [3, 21, 70]) {
      for (let at = 0; at < length; at += 5) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const x = randomFloats(length, length + at, 3);
          x[at] = bad;
          x[(at * 7 + 1) % length] = -5.5;
          expect(quantize(x, { format: 'nvfp4' }).tensorScale, `length ${length}, ${bad} at ${at}`).toBe(refQuantize({ x, n: length, format: 'nvfp4' }).tensorScale);
        }
      }
    }
  });

  it('nvfp4: quotients on and beside every E2M1 decision threshold round as true division does', () => {
    // Each block's amax pins its UE4M3 scale u, so s = u·sg and every other element is T·s moved by
    // −3..3 ulp: v / s lands on or next to threshold T, where a quotient computed any other way than
    // by correctly rounded division (the SIMD path multiplies by 1/s and must fall back) would differ.
    const thresholds = [0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5];
    for (const sg of [0.0123, 3.7e-3, 2 ** -120]) {
      const blocks = 112;
      const x = new Float32Array(blocks * 16);
      for (let b = 0; b < blocks; b++) {
        const u = 2 ** ((b % 15) - 6) * (1 + (b % 8) / 8);
        const s = Math.fround(u * Math.fround(sg));
        x[b * 16] = Math.fround(6 * s);
        for (let j = 1; j < 16; j++) {
          let v = Math.fround(thresholds[(b + j) % 7] * s);
          const ulps = ((b * 3 + j) % 7) - 3;
          for (let k = 0; k < Math.abs(ulps); k++) v = ulps > 0 ? nextUp(v) : nextDown(v);
          x[b * 16 + j] = j % 2 ? -v : v;
        }
      }
      for (const rounding of ['rne', 'away'] as const) {
        expectSameBytes(quantize(x, { format: 'nvfp4', tensorScale: sg, rounding }), refQuantize({ x, n: x.length, format: 'nvfp4', tensorScale: sg, rounding }), `sg ${sg} ${rounding}`);
      }
    }
  });

  it('nvfp4: block scales on and beside every UE4M3 value and rounding midpoint (2^-9 … past 448) equal the reference', () => {
    // Block amax = q·6·sg moved −2..2 ulp for every UE4M3 value q and every midpoint between two,
    // so the scale rounding meets each tie and the bounds of the SIMD path's range [2^-6, 448]
    // (subnormal codes and the 448 clamp fall back to the per-block path). Blocks are shuffled so
    // that groups of four mix both paths.
    const { values } = grid('ue4m3');
    const targets = values.flatMap((v, k) => (k + 1 < values.length ? [v, (v + values[k + 1]) / 2] : [v]));
    // 2^-149: subnormal amaxes, whose divisors decode(sb)·sg underflow to 0 below sb = 0.5.
    for (const sg of [0.0123, 1, 2 ** -100, 2 ** -149]) {
      const sg6 = Math.fround(6 * Math.fround(sg));
      const amaxes: number[] = [];
      for (const t of targets) {
        let a = Math.fround(t * sg6);
        for (let k = 0; k < 2; k++) a = nextDown(a);
        for (let k = 0; k < 5; k++, a = nextUp(a)) amaxes.push(a);
      }
      const r = rng(amaxes.length);
      for (let i = amaxes.length - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [amaxes[i], amaxes[j]] = [amaxes[j], amaxes[i]];
      }
      const x = new Float32Array(amaxes.length * 16);
      amaxes.forEach((a, b) => {
        for (let j = 0; j < 16; j++) x[b * 16 + j] = Math.fround(a * (r() * 2 - 1));
        x[b * 16 + Math.floor(r() * 16)] = r() < 0.5 ? -a : a;
      });
      for (const rounding of ['rne', 'away'] as const) {
        expectSameBytes(quantize(x, { format: 'nvfp4', tensorScale: sg, rounding }), refQuantize({ x, n: x.length, format: 'nvfp4', tensorScale: sg, rounding }), `sg ${sg} ${rounding}`);
      }
    }
  });

  it.each(ALL)('%s stochastic and stochastic-3/4: bytes equal the reference, across wasm chunks and threads', (format) => {
    const n = format === 'nvfp4' ? 48 : 96;
    const rows = 1500; // > one 256 KiB wasm chunk: checks the global element index of the random words
    const x = randomFloats(rows * n, 17, 3);
    const seed = 2n ** 40n + 3n;
    const { key0, key1 } = seedToKey(seed);
    for (const rounding of ['stochastic', 'stochastic-3/4'] as const) {
      const q = quantize(x, { format, n, rounding, seed, threads: 3 });
      expectSameBytes(q, refQuantize({ x, n, format, rounding, key0, key1 }), rounding);
      if (getBackend() === 'native') expectSameBytes(quantize(x, { format, n, rounding, seed, threads: 1 }), q, 'threads 1 vs 3');
    }
  });

  it('decode(encode(x)) is the nearest representable value for RNE (property, every MX format)', () => {
    for (const format of MX) {
      const { elem, bs } = REF_BLOCK[format];
      const x = nastyFloats(6, 64, 77, bs);
      for (const scaleRule of RULES) {
        const q = quantize(x, { format, n: 64, scaleRule });
        const y = dequantize(q, { format, n: 64, scaleRule });
        const values = grid(elem).values.slice(0, -1);
        for (let i = 0; i < x.length; i++) {
          const X = 2 ** (q.scales[Math.floor(i / 64) * 2 + Math.floor((i % 64) / bs)] - 127);
          let best = Infinity;
          for (const v of values) best = Math.min(best, Math.abs(Math.abs(x[i]) - v * X));
          expect(Math.abs(Math.abs(x[i]) - Math.abs(y[i])), `${format} ${scaleRule} i=${i} x=${x[i]}`).toBe(best);
        }
      }
    }
  });

  it('dequantize equals the reference decode, for every format, to f32, f16 and bf16', () => {
    for (const format of ALL) {
      const n = 72;
      const x = nastyFloats(3, n, 123, REF_BLOCK[format].bs);
      const q = quantize(x, { format, n });
      const want = Float32Array.from(refDequantize(q.codes, q.scales, n, format, { tensorScale: q.tensorScale }));
      const y = dequantize(q, { format, n });
      expect(firstDiff(y, want), format).toBeNull();
      expect(Array.from(dequantize(q, { format, n, outDtype: 'bf16' }))).toEqual(Array.from(narrow16(want, 'bf16')));
      expect(Array.from(dequantize(q, { format, n, outDtype: 'f16' }))).toEqual(Array.from(narrow16(want, 'f16')));
    }
  });

  it('stochastic-3/4 dequantizes ×4/3 and never clips; plain stochastic clips a 7.9·X element', () => {
    const block = new Float32Array(32);
    block[0] = 7.9; // floor rule: X = 1, 7.9 > 6
    block[1] = 0.9;
    const seeds = 400;
    const sums = { stochastic: 0, 'stochastic-3/4': 0 };
    for (let seed = 0; seed < seeds; seed++) {
      for (const rounding of ['stochastic', 'stochastic-3/4'] as const) {
        const opts = { format: 'mxfp4' as const, rounding, seed };
        const q = quantize(block, opts);
        const y = dequantize(q, opts);
        sums[rounding] += y[0];
        if (rounding === 'stochastic-3/4') {
          expect(errorStats(block, y, { q, quantizeOptions: opts }).clippedFraction).toBe(0);
          expect(Math.abs(y[1]) <= Math.fround(4 / 3)).toBe(true);
        }
      }
    }
    expect(sums.stochastic / seeds).toBe(6); // always clipped: biased
    // ¾·7.9 = 5.925 rounds to 4 or 6, ×4/3: mean → 7.9
    const sd = (8 / 3) * Math.sqrt((0.9625 * 0.0375) / seeds);
    expect(Math.abs(sums['stochastic-3/4'] / seeds - Math.fround(7.9))).toBeLessThan(5 * sd);
  });

  it('stochastic rounding of a block is unbiased over seeds (rceil, so nothing clips)', () => {
    const x = randomFloats(64, 99, 5);
    const seeds = 500;
    const sum = new Float64Array(64);
    for (let seed = 0; seed < seeds; seed++) {
      const o = { format: 'mxfp8-e5m2' as const, rounding: 'stochastic' as const, seed, scaleRule: 'rceil' as const };
      dequantize(quantize(x, o), o).forEach((v, i) => (sum[i] += v));
    }
    const q = quantize(x, { format: 'mxfp8-e5m2', scaleRule: 'rceil' });
    for (let i = 0; i < 64; i++) {
      const X = 2 ** (q.scales[i >> 5] - 127);
      const spacing = 2 ** (Math.floor(Math.log2(Math.abs(x[i]) / X)) - 2) * X; // e5m2: 2 mantissa bits
      expect(Math.abs(sum[i] / seeds - x[i]), `i = ${i}`).toBeLessThanOrEqual(5 * spacing * 0.5 / Math.sqrt(seeds));
    }
  });

  it('NaN/Inf blocks: scale 0xFF (nvfp4 0x7F), NaN codes where the format has them; other blocks untouched', () => {
    for (const format of ALL) {
      const { bs } = REF_BLOCK[format];
      const x = randomFloats(bs * 3, 4);
      x[bs + 2] = NaN;
      x[2 * bs + 5] = -Infinity;
      const q = quantize(x, { format });
      expectSameBytes(q, refQuantize({ x, n: x.length, format }), format);
      expect(q.scales[1]).toBe(format === 'nvfp4' ? 0x7f : 0xff);
      try {
        dequantize(q, { format });
        expect.unreachable('expected CORRUPT');
      } catch (e) {
        expect(isKompaktError(e, 'CORRUPT'), String(e)).toBe(true);
        expect((e as Error).message).toMatch(/block 1 /);
      }
      const y = dequantize(q, { format, allowNaN: true });
      expect(y.slice(bs, 3 * bs).every(Number.isNaN)).toBe(true);
      expect(y.slice(0, bs).some(Number.isNaN)).toBe(false);
    }
  });

  it('reads f16 and bf16 input exactly like its f32 widening', () => {
    const x = randomFloats(256, 8, 10);
    for (const dtype of ['f16', 'bf16'] as const) {
      const bits = narrow16(x, dtype);
      for (const format of ['mxfp4', 'nvfp4', 'mxfp8-e4m3'] as const) {
        expectSameBytes(quantize(bits, { format, dtype }), quantize(widen16(bits, dtype), { format }), `${dtype} ${format}`);
      }
    }
  });

  it('hadamard: quantizes rht(x), dequantize undoes it; same seed ⇒ same bytes', () => {
    const n = 128;
    const x = randomFloats(4 * n, 21, 2);
    x[7] = 40;
    for (const format of ['mxfp4', 'nvfp4'] as const) {
      const block = format === 'nvfp4' ? 16 : 32;
      const q = quantize(x, { format, n, hadamard: { seed: 5 } });
      const rotated = rht(x.slice(), { n, block, seed: 5 });
      expectSameBytes(q, quantize(rotated, { format, n }), format);
      expectSameBytes(q, quantize(x, { format, n, hadamard: { seed: 5 } }), 'determinism');
      expect(firstDiff(q.codes, quantize(x, { format, n, hadamard: { seed: 6 } }).codes)).not.toBeNull();
      const y = dequantize(q, { format, n, hadamard: { seed: 5 } });
      const yRot = dequantize(q, { format, n });
      const back = irht(yRot.slice(), { n, block, seed: 5 });
      expect(firstDiff(y, back)).toBeNull();
    }
    const bigBlock = quantize(x, { format: 'mxfp4', n, hadamard: { block: 128 } });
    expectSameBytes(bigBlock, quantize(rht(x.slice(), { n, block: 128, seed: 0 }), { format: 'mxfp4', n }), 'block 128');
    expectSameBytes(quantize(x, { format: 'mxfp4', n, hadamard: true }), quantize(x, { format: 'mxfp4', n, hadamard: { seed: 0, block: 32 } }), 'true');
  });

  it('rows are independent: quantizing rows one by one gives the same bytes (deterministic modes)', () => {
    const n = 50;
    const x = nastyFloats(5, n, 31);
    const all = quantize(x, { format: 'mxfp6-e3m2', n });
    const nb = 2;
    for (let r = 0; r < 5; r++) {
      const one = quantize(x.subarray(r * n, (r + 1) * n), { format: 'mxfp6-e3m2' });
      expect(Array.from(one.scales)).toEqual(Array.from(all.scales.subarray(r * nb, (r + 1) * nb)));
      expect(Array.from(one.codes)).toEqual(Array.from(all.codes.subarray(r * nb * 24, (r + 1) * nb * 24)));
    }
  });

  it('an empty input gives empty codes and scales and decodes to empty', () => {
    const q = quantize(new Float32Array(0), { format: 'mxfp4' });
    expect(q.codes.length + q.scales.length).toBe(0);
    expect(dequantize(q, { format: 'mxfp4' }).length).toBe(0);
  });

  it('the zero padding of a partial block holds +0 codes and does not change amax', () => {
    const x = Float32Array.of(1, -2, 3);
    const q = quantize(x, { format: 'mxfp8-e4m3' });
    expect(q.scales[0]).toBe(127 + 1 - 8); // floor(log2 3) − emax(8)
    expect(Array.from(q.codes.subarray(3))).toEqual(new Array(29).fill(0));
    expect(Array.from(dequantize(q, { format: 'mxfp8-e4m3' }))).toEqual([1, -2, 3]);
  });

  it('errorStats: mse, sqnr, max error, per block and clipped fraction', () => {
    const x = Float32Array.of(1, 2, 3, 4);
    const y = Float32Array.of(1, 2, 3, 5);
    const s = errorStats(x, y, { block: 2 });
    expect(s.mse).toBe(0.25);
    expect(s.maxAbsError).toBe(1);
    expect(s.sqnrDb).toBeCloseTo(10 * Math.log10(30), 12);
    expect(Array.from(s.perBlock!.mse)).toEqual([0, 0.5]);
    expect(s.perBlock!.sqnrDb[0]).toBe(Infinity);
    const block = new Float32Array(32).fill(1);
    block[0] = 7.9; // floor: X = 1, 7.9 > 6 clips; rceil: X = 2, nothing clips
    for (const [scaleRule, clipped] of [['floor', 1 / 32], ['rceil', 0]] as const) {
      const opts = { format: 'mxfp4' as const, scaleRule };
      const q = quantize(block, opts);
      expect(errorStats(block, dequantize(q, opts), { q, quantizeOptions: opts }).clippedFraction).toBe(clipped);
    }
  });
});

// Keep the reference honest: it must be able to disagree with a wrong answer.
describe('reference self-checks', () => {
  it('distinguishes rules and roundings', () => {
    const x = Float32Array.of(7, 0.75, 1.75);
    const a = refQuantize({ x, n: 3, format: 'mxfp4', rule: 'floor' });
    const b = refQuantize({ x, n: 3, format: 'mxfp4', rule: 'rceil' });
    expect(a.scales[0]).not.toBe(b.scales[0]);
    const r = (rounding: RefRounding) => Array.from(refQuantize({ x: Float32Array.of(4, 0.25, 2.5, 0.75), n: 4, format: 'mxfp4', rounding }).codes.subarray(0, 2));
    expect(r('rne')).not.toEqual(r('ggml'));
    expect(r('rne')).not.toEqual(r('away'));
  });
});
