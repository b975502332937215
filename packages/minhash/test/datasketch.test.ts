import { describe, expect, it } from 'vitest';
import { MinHash, datasketchPermutations, fromLeanBytes, setBackend, toLeanBytes } from '@kompakt/minhash';
import { testBackends } from './backends';

// Vectors produced by datasketch 1.10.0 with numpy (see /work/shared/reference/minhash.md §1.1).
describe('datasketch permutations (numpy RandomState)', () => {
  it('reproduces a and b for seed 1', () => {
    const { a, b } = datasketchPermutations(3, 1);
    expect([...a]).toEqual([775169054918279404n, 2109959069025162n, 401325382989534145n]);
    expect([...b]).toEqual([1758426461858698312n, 965365488286768773n, 1703346441743126657n]);
  });

  it('draws are a prefix-stable sequence (k only truncates)', () => {
    expect([...datasketchPermutations(200, 1).a.slice(0, 3)]).toEqual([...datasketchPermutations(3, 1).a]);
  });
});

describe.each(testBackends())('datasketch compatibility on %s', (backend) => {
  it('sha1_hash32 of tokens', () => {
    setBackend(backend);
    const compat = () => new MinHash({ numPerm: 16, compat: 'datasketch' });
    expect([...compat().update('hello').hashvalues]).toEqual([...compat().updateHashes(Uint32Array.of(499578026)).hashvalues]);
    expect([...compat().update(new TextEncoder().encode('minhash')).hashvalues]).toEqual([...compat().updateHashes(Uint32Array.of(442221856)).hashvalues]);
  });

  it('{hello, world, minhash} with seed 1, k = 128', () => {
    setBackend(backend);
    const m = new MinHash({ numPerm: 128, seed: 1, compat: 'datasketch' });
    for (const t of ['hello', 'world', 'minhash']) m.update(t);
    expect([...m.hashvalues.slice(0, 4)]).toEqual([228630785, 216833891, 617530111, 1176349439]);
    expect(m.hashvalues).toBeInstanceOf(Uint32Array);
    expect(m.hashvalues.length).toBe(128);
  });

  it('SHA-1 padding edges (55, 56, 64, 119 bytes) agree with a multi-block-safe path', () => {
    setBackend(backend);
    // Same token, same value, whether it arrives alone or in a batch: exercises the tail logic via both kernels.
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const t = 'x'.repeat(n);
      const one = new MinHash({ numPerm: 8, compat: 'datasketch' }).update(t);
      const many = new MinHash({ numPerm: 8, compat: 'datasketch' }).updateBatch([t, t]);
      expect([...one.hashvalues]).toEqual([...many.hashvalues]);
    }
  });
});

describe('LeanMinHash bytes', () => {
  it("writes struct '<qi%dI' and reads it back", () => {
    const m = new MinHash({ numPerm: 4, seed: 7, compat: 'datasketch' }).update('a');
    const bytes = toLeanBytes(m);
    expect(bytes.length).toBe(12 + 16);
    const view = new DataView(bytes.buffer);
    expect(view.getBigInt64(0, true)).toBe(7n);
    expect(view.getInt32(8, true)).toBe(4);
    expect(view.getUint32(12, true)).toBe(m.hashvalues[0]);
    const back = fromLeanBytes(bytes);
    expect([...back.hashvalues]).toEqual([...m.hashvalues]);
    expect(back.seed).toBe(7);
    expect(back.jaccard(m)).toBe(1);
  });

  it('rejects short, long and absurd input', () => {
    const bytes = toLeanBytes(new MinHash({ numPerm: 4 }).update('a'));
    expect(() => fromLeanBytes(bytes.subarray(0, 20))).toThrow(expect.objectContaining({ code: 'TRUNCATED' }));
    expect(() => fromLeanBytes(new Uint8Array([...bytes, 0]))).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
    const bad = bytes.slice();
    new DataView(bad.buffer).setInt32(8, -1, true);
    expect(() => fromLeanBytes(bad)).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });
});
