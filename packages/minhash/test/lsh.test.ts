import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LSHIndex, MinHash, OnePermMinHash, candidateProbability, loadIndex, optimalParam, saveIndex, setBackend } from '@kompakt/minhash';
import { pairWithJaccard, rng, testBackends } from './backends';
import { xxh32 } from './reference';

describe('optimalParam', () => {
  // datasketch's own _optimal_param results (reference note §1.3).
  it.each([
    [0.5, 128, 25, 5], [0.7, 128, 14, 9], [0.8, 128, 9, 13], [0.9, 128, 5, 25],
    [0.7, 256, 25, 10], [0.7, 240, 24, 10], [0.8, 256, 17, 15], [0.85, 256, 13, 19], [0.9, 256, 9, 28],
  ])('threshold %s, numPerm %s → %s × %s', (t, k, b, r) => {
    expect(optimalParam(t, k)).toEqual({ bands: b, rows: r });
  });
});

describe.each(testBackends())('LSHIndex on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('insert, query, topK, remove', () => {
    const next = rng(31);
    const base = Uint32Array.from({ length: 300 }, next);
    const near = Uint32Array.from([...base.subarray(0, 290), ...Array.from({ length: 10 }, next)]);
    const far = Uint32Array.from({ length: 300 }, next);
    const index = new LSHIndex({ threshold: 0.8, numPerm: 128 });
    index.insert('base', new MinHash().updateHashes(base));
    index.insert('far', new MinHash().updateHashes(far));
    const q = new MinHash().updateHashes(near);
    expect(index.query(q)).toEqual(['base']);
    const [top] = index.topK(q, 5);
    expect(top.key).toBe('base');
    expect(top.similarity).toBeGreaterThan(0.85);
    expect(index.remove('base')).toBe(true);
    expect(index.remove('base')).toBe(false);
    expect(index.query(q)).toEqual([]);
    expect(() => index.insert('far', q)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => index.query(new OnePermMinHash().updateHashes(near))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => index.query(new MinHash({ numPerm: 64 }))).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
  });

  // Binomial test of the S-curve: pairs of similarity s collide in some band with 1 − (1 − s^r)^b.
  it.each([0.5, 0.6, 0.7, 0.8])('candidate rate at s = %s follows 1 − (1 − s^r)^b', (s) => {
    const [bands, rows, trials] = [20, 5, 400];
    const next = rng(Math.round(s * 100));
    let hits = 0;
    for (let t = 0; t < trials; t++) {
      const { a, b } = pairWithJaccard(next, 200, s);
      const index = new LSHIndex({ numPerm: 100, bands, rows });
      index.insert(0, new MinHash({ numPerm: 100, seed: t }).updateHashes(a));
      hits += index.query(new MinHash({ numPerm: 100, seed: t }).updateHashes(b)).length;
    }
    const p = candidateProbability(s, bands, rows);
    expect(Math.abs(hits - trials * p) / Math.sqrt(trials * p * (1 - p))).toBeLessThan(4);
  });

  it('save / load round trip, and corrupt bytes fail with KompaktError', () => {
    const index = new LSHIndex({ threshold: 0.6, numPerm: 32 });
    index.insert('α', new OnePermMinHash({ numPerm: 32 }).update('x').update('y'));
    index.insert(7, new OnePermMinHash({ numPerm: 32 }).update('z'));
    const bytes = saveIndex(index);
    const back = loadIndex(bytes);
    expect([back.bands, back.rows, back.size, back.threshold]).toEqual([index.bands, index.rows, 2, 0.6]);
    expect(back.identity).toEqual(index.identity);
    expect(back.query(new OnePermMinHash({ numPerm: 32 }).update('z'))).toEqual([7]);
    expect(saveIndex(back)).toEqual(bytes);

    const flipped = bytes.slice();
    flipped[50] ^= 1;
    expect(() => loadIndex(flipped)).toThrow(expect.objectContaining({ code: 'CHECKSUM' }));
    const magic = bytes.slice();
    magic[0] = 0;
    expect(() => loadIndex(magic)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    const future = bytes.slice();
    future[4] = 9;
    expect(() => loadIndex(future)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
    expect(() => loadIndex(bytes.subarray(0, 20))).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
    expect(() => loadIndex(bytes.subarray(0, bytes.length - 9))).toThrow(expect.objectContaining({ name: 'KompaktError' }));
  });

  it("version 1 files load, except 'xxh32' ones (earlier token definitions)", () => {
    const asVersion1 = (index: LSHIndex) => {
      const bytes = saveIndex(index);
      const view = new DataView(bytes.buffer);
      view.setUint16(4, 1, true);
      view.setUint32(bytes.length - 4, xxh32(bytes.subarray(0, bytes.length - 4)), true);
      return bytes;
    };
    expect(xxh32(new TextEncoder().encode('abc'))).toBe(0x32d153ff); // the published XXH32 test value
    const make = (sketch: MinHash | OnePermMinHash) => {
      const index = new LSHIndex({ threshold: 0.6, numPerm: 32 });
      index.insert('a', sketch);
      return index;
    };
    expect(loadIndex(asVersion1(make(new OnePermMinHash({ numPerm: 32, hash: 'sha1' }).update('x')))).size).toBe(1);
    expect(loadIndex(asVersion1(make(new MinHash({ numPerm: 32, hash: 'sha1' }).update('x')))).size).toBe(1);
    for (const sketch of [new MinHash({ numPerm: 32 }), new OnePermMinHash({ numPerm: 32 })]) {
      expect(() => loadIndex(asVersion1(make(sketch.update('x'))))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION' }));
    }
  });
});
