import { describe, expect, it } from 'vitest';
import { BBitMinHash, LSHIndex, MinHash, OnePermMinHash, dedup, sketchMatrix, sketchTexts } from '@kompakt/minhash';

const code = (c: string) => expect.objectContaining({ name: 'KompaktError', code: c });

describe('bad input', () => {
  it('mismatched seeds, k or hashes', () => {
    const a = new MinHash({ seed: 1 }).update('x');
    expect(() => a.jaccard(new MinHash({ seed: 2 }))).toThrow(code('INVALID_ARGUMENT'));
    expect(() => a.jaccard(new MinHash({ numPerm: 64 }))).toThrow(code('SHAPE_MISMATCH'));
    expect(() => a.merge(new MinHash({ hash: 'sha1' }))).toThrow(code('INVALID_ARGUMENT'));
    expect(() => a.jaccard(new OnePermMinHash() as unknown as MinHash)).toThrow(code('INVALID_TYPE'));
    const b1 = BBitMinHash.from(a, 1);
    expect(() => b1.jaccard(BBitMinHash.from(a, 2))).toThrow(code('INVALID_ARGUMENT'));
  });

  it('options and arguments', () => {
    expect(() => new MinHash({ numPerm: 0 })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => new MinHash({ seed: -1 })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => new MinHash({ compat: 'datasketch', hash: 'xxh32' })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => new MinHash({ bogus: 1 } as never)).toThrow(code('INVALID_ARGUMENT'));
    expect(() => new MinHash({ numPerm: 4, hashvalues: new Uint32Array(3) })).toThrow(code('SHAPE_MISMATCH'));
    expect(() => new MinHash().update(5 as never)).toThrow(code('INVALID_TYPE'));
    expect(() => BBitMinHash.from(new MinHash(), 3 as never)).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sketchTexts(['a'], { ngram: 65 })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => sketchTexts([1 as never])).toThrow(code('INVALID_TYPE'));
    expect(() => sketchMatrix('text' as never)).toThrow(code('INVALID_TYPE'));
    expect(() => sketchMatrix(['a'], { method: 'fast' as never })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => new LSHIndex({ numPerm: 16, bands: 5, rows: 4 })).toThrow(code('INVALID_ARGUMENT'));
    expect(() => new LSHIndex({ threshold: 2 })).toThrow(code('INVALID_ARGUMENT'));
  });

  it('dedup rejects bad options and non-string documents', async () => {
    await expect(dedup(['a'], { threshold: 0 })).rejects.toThrow(code('INVALID_ARGUMENT'));
    await expect(dedup(['a'], { verify: 'maybe' as never })).rejects.toThrow(code('INVALID_ARGUMENT'));
    await expect(dedup(['a'], { cluster: 'ring' as never })).rejects.toThrow(code('INVALID_ARGUMENT'));
    await expect(dedup(5 as never)).rejects.toThrow(code('INVALID_TYPE'));
    await expect(dedup(['a', 3 as never])).rejects.toThrow(code('INVALID_TYPE'));
  });
});
