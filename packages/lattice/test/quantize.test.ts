import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dequantize, errorStats, quantize, setBackend, KompaktError, type Codebook } from '@kompakt/lattice';
import { gaussian, testBackends } from './backends';

describe.each(testBackends())('quantize / dequantize on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('round-trips shapes and packs codes compactly', () => {
    const w = gaussian(4 * 96, 1, 0.02);
    for (const [codebook, bytes] of [['e8p', 2], ['e8p-rvq3', 3], ['e8p-rvq4', 4]] as const) {
      const opts = { codebook, n: 96, groupSize: 32 } as const;
      const q = quantize(w, opts);
      expect(q.codes.length).toBe((w.length / 8) * bytes);
      expect(q.scales.length).toBe(w.length / 32);
      expect(q.bitsPerWeight).toBe(bytes * 8 / 8);
      const back = dequantize(q, opts);
      expect(back.length).toBe(w.length);
      expect(errorStats(w, back).relativeMse).toBeLessThan(0.2);
    }
    const lq = quantize(w, { codebook: 'leech-sq', n: 96, groupSize: 48 });
    expect(lq.codes.length).toBe(Math.ceil((w.length / 24) * 18 / 8));
    const lb = dequantize(lq, { codebook: 'leech-sq', n: 96, groupSize: 48 });
    expect(lb.length).toBe(w.length);
    expect(errorStats(w, lb).relativeMse).toBeLessThan(0.5);
  });

  it('matches the known E8P MSE on Gaussian data (relative MSE, SQNR)', () => {
    const w = gaussian(192000, 42, 0.05);
    const expected: Record<Codebook, [number, number]> = {
      e8p: [0.0895, 0.0935], 'e8p-rvq3': [0.0285, 0.0305], 'e8p-rvq4': [0.0092, 0.0100], 'leech-sq': [0.38, 0.46],
    };
    for (const codebook of Object.keys(expected) as Codebook[]) {
      const opts = { codebook, n: 4800, groupSize: 2400 };
      const s = errorStats(w, dequantize(quantize(w, opts), opts));
      expect(s.relativeMse, codebook).toBeGreaterThan(expected[codebook][0]);
      expect(s.relativeMse, codebook).toBeLessThan(expected[codebook][1]);
      expect(s.sqnrDb).toBeCloseTo(-10 * Math.log10(s.relativeMse), 6);
    }
  });

  it('hadamard: same seed ⇒ same result, different seed ⇒ different codes; inverse restores the basis', () => {
    const w = gaussian(2 * 256, 5);
    w[3] = 40; // an outlier the rotation spreads out
    const a = quantize(w, { codebook: 'e8p', n: 256, groupSize: 64, hadamard: true, seed: 7 });
    const b = quantize(w, { codebook: 'e8p', n: 256, groupSize: 64, hadamard: true, seed: 7 });
    const c = quantize(w, { codebook: 'e8p', n: 256, groupSize: 64, hadamard: { seed: 8, block: 64 } });
    expect(Array.from(a.codes)).toEqual(Array.from(b.codes));
    expect(Array.from(a.scales)).toEqual(Array.from(b.scales));
    expect(Array.from(a.codes)).not.toEqual(Array.from(c.codes));
    const ra = dequantize(a, { codebook: 'e8p', n: 256, groupSize: 64, hadamard: true, seed: 7 });
    const rc = dequantize(c, { codebook: 'e8p', n: 256, groupSize: 64, hadamard: { seed: 8, block: 64 } });
    const plain = dequantize(quantize(w, { codebook: 'e8p', n: 256, groupSize: 64 }), { codebook: 'e8p', n: 256, groupSize: 64 });
    expect(errorStats(w, ra).mse).toBeLessThan(errorStats(w, plain).mse);
    expect(errorStats(w, rc).relativeMse).toBeLessThan(0.2);
  });

  it('zero groups stay zero; bad input throws KompaktError', () => {
    const z = new Float32Array(16);
    expect(Array.from(dequantize(quantize(z, { codebook: 'e8p' }), { codebook: 'e8p' }))).toEqual(new Array(16).fill(0));
    const w = gaussian(64, 3);
    expect(() => quantize(w, { codebook: 'e8p', n: 60 })).toThrow(KompaktError);
    expect(() => quantize(w, { codebook: 'e8p', groupSize: 12 })).toThrow(KompaktError);
    expect(() => quantize(w, { codebook: 'leech-sq' })).toThrow(KompaktError);
    expect(() => quantize(w, { codebook: 'e4' as never })).toThrow(KompaktError);
    expect(() => quantize([1, 2] as never, { codebook: 'e8p' })).toThrow(KompaktError);
    expect(() => quantize(w, { codebook: 'e8p', scale: -1 })).toThrow(KompaktError);
    expect(() => quantize(w, { codebook: 'e8p', hadamard: true, n: 48, groupSize: 8 } as never)).toThrow(KompaktError);
    const bad = Float32Array.from(w); bad[5] = NaN;
    expect(() => quantize(bad, { codebook: 'e8p' })).toThrow(KompaktError);
    const q = quantize(w, { codebook: 'e8p', groupSize: 32 });
    expect(() => dequantize(q, { codebook: 'e8p-rvq4', groupSize: 32 })).toThrow(KompaktError);
    expect(() => dequantize({ ...q, codes: q.codes.subarray(2) }, { codebook: 'e8p', groupSize: 32 })).toThrow(KompaktError);
    expect(() => errorStats(w, new Float32Array(3))).toThrow(KompaktError);
  });
});
