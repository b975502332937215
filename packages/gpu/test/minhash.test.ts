import { expect, it } from 'vitest';
import { MinHash, OnePermMinHash } from '@kompakt/minhash';
import { sketchHashesGpu } from '../src/index';
import { rng } from '../../../test/helpers/backends';
import { describeGpu, testDevice } from './device';
import { expectRejects, withBindingLimit } from './helpers';

/** A CSR batch: document sizes as given, random u32 hashes with the extreme values mixed in. */
function batch(sizes: number[], seed: number): { offsets: Uint32Array; hashes: Uint32Array } {
  const r = rng(seed);
  const offsets = new Uint32Array(sizes.length + 1);
  sizes.forEach((n, d) => (offsets[d + 1] = offsets[d] + n));
  const hashes = Uint32Array.from({ length: offsets[sizes.length] }, (_, i) => (i % 97 === 0 ? 0 : i % 89 === 0 ? 0xffffffff : Math.floor(r() * 2 ** 32)));
  return { offsets, hashes };
}

const tokensOf = (b: { offsets: Uint32Array; hashes: Uint32Array }, d: number) => b.hashes.subarray(b.offsets[d], b.offsets[d + 1]);

it('rejects bad batches and options with KompaktErrors', async () => {
  const hashes = new Uint32Array(4);
  await expectRejects(sketchHashesGpu(new Uint32Array([0, 3, 2]), hashes), 'INVALID_ARGUMENT');
  await expectRejects(sketchHashesGpu(new Uint32Array([0, 5]), hashes), 'SHAPE_MISMATCH');
  await expectRejects(sketchHashesGpu(new Uint32Array(0), hashes), 'SHAPE_MISMATCH');
  await expectRejects(sketchHashesGpu([0, 4] as unknown as Uint32Array, hashes), 'INVALID_TYPE');
  await expectRejects(sketchHashesGpu(new Uint32Array([0, 4]), hashes, { numPerm: 0 }), 'INVALID_ARGUMENT');
  await expectRejects(sketchHashesGpu(new Uint32Array([0, 4]), hashes, { method: 'b-bit' as 'oph' }), 'INVALID_ARGUMENT');
  await expectRejects(sketchHashesGpu(new Uint32Array([0, 4]), hashes, { bogus: 1 } as object), 'INVALID_ARGUMENT');
});

describeGpu('MinHash batches on the GPU', () => {
  const device = testDevice!;
  const sizes = [0, 1, 7, 300, 64, 65, 2, 1000, 0, 33];

  it.each([
    [128, 1, 'xxh32'], [100, 42, 'xxh32'], [8, 0xffffffff, 'xxh32'], [128, 1, 'sha1'], [100, 42, 'sha1'],
  ] as const)('classic signatures equal MinHash.updateHashes bit for bit (k = %i, seed %i, %s family)', async (k, seed, hash) => {
    const b = batch(sizes, k);
    const sketches = await sketchHashesGpu(b.offsets, b.hashes, { method: 'classic', numPerm: k, seed, hash, device });
    expect(sketches.length).toBe(sizes.length);
    sketches.forEach((s, d) => {
      expect(s).toBeInstanceOf(MinHash);
      expect(s.hashvalues).toEqual(new MinHash({ numPerm: k, seed, hash }).updateHashes(tokensOf(b, d)).hashvalues);
    });
    expect(sketches[0].isEmpty()).toBe(true);
  });

  it.each([[128, 1], [200, 7], [1, 3]])('OPH raw bins equal OnePermMinHash.updateHashes bit for bit (k = %i, seed %i)', async (k, seed) => {
    const b = batch(sizes, k + 1);
    const sketches = await sketchHashesGpu(b.offsets, b.hashes, { numPerm: k, seed, hash: 'sha1', device });
    sketches.forEach((s, d) => {
      expect(s).toBeInstanceOf(OnePermMinHash);
      expect(s.hash).toBe('sha1');
      expect(s.bins).toEqual(new OnePermMinHash({ numPerm: k, seed, hash: 'sha1' }).updateHashes(tokensOf(b, d)).bins);
    });
  });

  it('sketches a batch given as a window of a larger hash array, and an empty batch', async () => {
    const b = batch([5, 9], 3);
    const shifted = new Uint32Array([0, 0, 0, ...b.hashes]);
    const offsets = b.offsets.map((v) => v + 3);
    const [one, two] = await sketchHashesGpu(offsets, shifted, { method: 'classic', numPerm: 16, device });
    expect(one.hashvalues).toEqual(new MinHash({ numPerm: 16 }).updateHashes(tokensOf(b, 0)).hashvalues);
    expect(two.hashvalues).toEqual(new MinHash({ numPerm: 16 }).updateHashes(tokensOf(b, 1)).hashvalues);
    expect(await sketchHashesGpu(new Uint32Array([0]), new Uint32Array(0), { device })).toEqual([]);
  });

  it('splits batches larger than a storage binding into runs of documents', async () => {
    const b = batch(sizes, 9);
    const small = withBindingLimit(device, 4096); // 1024 tokens or 32 signatures of k = 32 per run
    for (const method of ['classic', 'oph'] as const) {
      const whole = await sketchHashesGpu(b.offsets, b.hashes, { method, numPerm: 32, device });
      const split = await sketchHashesGpu(b.offsets, b.hashes, { method, numPerm: 32, device: small });
      expect(split.map((s) => s.hashvalues)).toEqual(whole.map((s) => s.hashvalues));
    }
  });
});
