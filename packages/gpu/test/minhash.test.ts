import { expect, it } from 'vitest';
import { MinHash, OnePermMinHash, fmix64, ophKeys } from '@kompakt/minhash';
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

const EMPTY = 0xffffffff;

/**
 * Asserts OPH sketches equal the CPU's for the same tokens: raw bins, and the densified signature
 * (`hashvalues`, which the CPU densifies on demand). The bins are zeroed before the signature is
 * read, so a signature densified from them on demand, not handed over by the GPU, would fail.
 */
function expectCpuOph(sketches: OnePermMinHash[], b: { offsets: Uint32Array; hashes: Uint32Array }, k: number, seed: number, hash: 'xxh32' | 'sha1'): void {
  expect(sketches.length).toBe(b.offsets.length - 1);
  sketches.forEach((s, d) => {
    expect(s).toBeInstanceOf(OnePermMinHash);
    expect(s.hash).toBe(hash);
    const cpu = new OnePermMinHash({ numPerm: k, seed, hash }).updateHashes(tokensOf(b, d));
    expect(s.bins).toEqual(cpu.bins);
    s.bins.fill(0);
    expect(s.hashvalues).toEqual(cpu.hashvalues);
  });
}

/**
 * How many empty bins of raw `bins` find no non-empty bin in their 4096 hashed probes and so reach
 * densification's linear scan: a BigInt model of the probe sequence (wasm/minhash/oph.ts), only to
 * show that a test exercises that path.
 */
function linearScans(bins: Uint32Array, seed: number): number {
  const k = bins.length;
  const key = ophKeys(seed).probeKey;
  const probe = (j: number, attempt: number) => Number(((fmix64(key + ((BigInt(j) << 32n) | BigInt(attempt))) >> 32n) * BigInt(k)) >> 32n);
  let scans = 0;
  for (let j = 0; j < k; j++) {
    let attempt = 1;
    while (bins[j] === EMPTY && attempt <= 4096 && bins[probe(j, attempt)] === EMPTY) attempt++;
    if (attempt > 4096) scans++;
  }
  return scans;
}

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

  it.each([[128, 1], [200, 7], [1, 3]])('OPH raw bins and densified signatures equal OnePermMinHash.updateHashes bit for bit (k = %i, seed %i)', async (k, seed) => {
    const b = batch(sizes, k + 1);
    expectCpuOph(await sketchHashesGpu(b.offsets, b.hashes, { numPerm: k, seed, hash: 'sha1', device }), b, k, seed, 'sha1');
  });

  it.each([[1024, 1], [1500, 0xffffffff], [4096, 5]])('densifies sparse documents like the CPU (k = %i, seed %i)', async (k, seed) => {
    const b = batch([1, 0, 2, 5, 40, 300], k);
    const sketches = await sketchHashesGpu(b.offsets, b.hashes, { numPerm: k, seed, device });
    expect(sketches[0].bins.filter((v) => v !== EMPTY).length).toBe(1);
    expectCpuOph(sketches, b, k, seed, 'xxh32');
    expect(sketches[0].hashvalues.every((v) => v === sketches[0].hashvalues[0] && v !== EMPTY)).toBe(true);
    expect(sketches[1].hashvalues.every((v) => v === EMPTY)).toBe(true); // no tokens: stays all EMPTY
  });

  it('densifies through the linear scan after 4096 probes like the CPU', async () => {
    // Two or three tokens in 2048 bins: an empty bin misses both in 4096 probes with chance ≈ e^−4.
    const k = 2048;
    const b = batch([2, 3, 2], 11);
    const sketches = await sketchHashesGpu(b.offsets, b.hashes, { numPerm: k, seed: 7, device });
    const scans = sketches.map((s) => linearScans(s.bins, 7));
    expect(scans.filter((n) => n > 0).length, `linear scans per document: ${scans}`).toBe(3);
    expectCpuOph(sketches, b, k, 7, 'xxh32');
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
