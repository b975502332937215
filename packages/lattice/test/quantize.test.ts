import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEBOOKS, LEECH_VORONOI_SCALE, dequantize, errorStats, quantize, setBackend, KompaktError, type Codebook } from '@kompakt/lattice';
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
    const vopts = { codebook: 'leech-voronoi', n: 96, groupSize: 48 } as const;
    const vq = quantize(w, vopts);
    expect(vq.codes.length).toBe((w.length / 24) * 6);
    expect(vq.bitsPerWeight).toBe(2);
    const vb = dequantize(vq, vopts);
    expect(vb.length).toBe(w.length);
    expect(errorStats(w, vb).relativeMse).toBeLessThan(0.2);
    // every codebook's result says the rate CODEBOOKS gives, and its codes are that many bits per weight (leech-sq: padded to a byte)
    for (const [codebook, { dim, bitsPerWeight }] of Object.entries(CODEBOOKS)) {
      const q = quantize(w, { codebook: codebook as Codebook, n: 96, groupSize: 48 });
      expect(q.bitsPerWeight, codebook).toBe(bitsPerWeight);
      expect(q.codes.length, codebook).toBe(Math.ceil((w.length * bitsPerWeight) / 8));
      expect(() => quantize(w, { codebook: codebook as Codebook, n: 96, groupSize: dim / 2 }), codebook).toThrow(KompaktError);
    }
  });

  it('leech-voronoi: relative MSE on Gaussian data in its band and below e8p\'s; scale and hadamard', () => {
    // 48,000 values: the encoder runs up to 21 Leech decodes per 24 weights
    const w = gaussian(48000, 43, 0.05);
    const opts = { codebook: 'leech-voronoi', n: 4800, groupSize: 2400 } as const;
    const q = quantize(w, opts);
    const leech = errorStats(w, dequantize(q, opts)).relativeMse;
    const e8p = errorStats(w, dequantize(quantize(w, { ...opts, codebook: 'e8p' }), { ...opts, codebook: 'e8p' })).relativeMse;
    expect(leech).toBeGreaterThan(0.083);
    expect(leech).toBeLessThan(0.089);
    expect(leech).toBeLessThan(e8p * 0.96);
    // the default target RMS is LEECH_VORONOI_SCALE: passing it changes nothing, another target does
    const same = quantize(w, { ...opts, scale: LEECH_VORONOI_SCALE });
    expect(Array.from(same.codes)).toEqual(Array.from(q.codes));
    const small = quantize(w, { ...opts, scale: 0.6 });
    expect(Array.from(small.codes)).not.toEqual(Array.from(q.codes));
    expect(errorStats(w, dequantize(small, { ...opts, scale: 0.6 })).relativeMse).toBeGreaterThan(leech);
    const h = { ...opts, n: 2400, hadamard: { seed: 3, block: 96 } } as const;
    const outlier = Float32Array.from(w.subarray(0, 4800));
    outlier[10] = 3;
    const plain = errorStats(outlier, dequantize(quantize(outlier, { ...h, hadamard: false }), { ...h, hadamard: false })).mse;
    expect(errorStats(outlier, dequantize(quantize(outlier, h), h)).mse).toBeLessThan(plain);
  });

  it('matches the known E8P MSE on Gaussian data (relative MSE, SQNR)', () => {
    const w = gaussian(192000, 42, 0.05);
    // leech-voronoi: its own test above, on fewer values (a slow encoder)
    const expected: Record<Exclude<Codebook, 'leech-voronoi'>, [number, number]> = {
      e8p: [0.0895, 0.0935], 'e8p-rvq3': [0.0285, 0.0305], 'e8p-rvq4': [0.0092, 0.0100], 'leech-sq': [0.38, 0.46],
    };
    for (const codebook of Object.keys(expected) as (keyof typeof expected)[]) {
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
    expect(() => quantize(w, { codebook: 'leech-voronoi' })).toThrowError(/multiple of 24/);
    expect(() => quantize(w, { codebook: 'toString' as never })).toThrowError(/codebook must be one of/);
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
    const w48 = gaussian(96, 4);
    const v = quantize(w48, { codebook: 'leech-voronoi', groupSize: 48 });
    expect(() => dequantize({ ...v, codes: v.codes.subarray(1) }, { codebook: 'leech-voronoi', groupSize: 48 })).toThrowError(/expected 24/);
    expect(() => dequantize(v, { codebook: 'leech-sq', groupSize: 48 })).toThrow(KompaktError);
  });
});
