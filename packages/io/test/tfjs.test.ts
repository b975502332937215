import { describe, expect, it } from 'vitest';
import { toF16 } from '@kompakt/core';
import { loadTfjsWeights, readTfjsWeights, type TfjsWeightsGroup } from '@kompakt/io';
import { Bytes, expectError } from './helpers.js';

/** A manifest of one group whose bytes are split into shards of `shardSize` bytes. */
function model(weights: TfjsWeightsGroup['weights'], bytes: Uint8Array, shardSize: number) {
  const shards = new Map<string, Uint8Array>();
  for (let i = 0; i * shardSize < bytes.length; i++) shards.set(`group1-shard${i + 1}`, bytes.slice(i * shardSize, (i + 1) * shardSize));
  return { manifest: { weightsManifest: [{ paths: [...shards.keys()], weights }] }, load: (p: string) => shards.get(p)! };
}

describe('tfjs weights', () => {
  const weights = [
    { name: 'dense/kernel', shape: [2, 3], dtype: 'float32' },
    { name: 'ids', shape: [3], dtype: 'int32' },
    { name: 'mask', shape: [2], dtype: 'bool' },
    { name: 'scalar', shape: [], dtype: 'float32' },
  ];
  const bytes = new Bytes();
  [1, 2, 3, 4, 5, 6].forEach((v) => bytes.f32(v));
  [7, -8, 9].forEach((v) => bytes.u32(v >>> 0));
  bytes.u8(1, 0).f32(0.5);

  it('slices weights across shard boundaries in manifest order', () => {
    for (const shardSize of [1, 5, 7, 64]) {
      const { manifest, load } = model(weights, bytes.bytes(), shardSize);
      const t = readTfjsWeights(manifest, load);
      expect(t.map((w) => w.name)).toEqual(['dense/kernel', 'ids', 'mask', 'scalar']);
      expect(t[0]).toEqual({ name: 'dense/kernel', dtype: 'float32', shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) });
      expect(t[1].data).toEqual(new Int32Array([7, -8, 9]));
      expect(t[2].data).toEqual(new Uint8Array([1, 0]));
      expect(t[3]).toMatchObject({ shape: [], data: new Float32Array([0.5]) });
    }
  });

  it('accepts the bare weightsManifest array and an async loader', async () => {
    const { manifest, load } = model(weights, bytes.bytes(), 10);
    const t = await loadTfjsWeights(manifest.weightsManifest, async (p) => load(p));
    expect(t[1].data).toEqual(new Int32Array([7, -8, 9]));
  });

  it('dequantizes uint8, uint16 and float16 as tfjs-core does', () => {
    const q = new Bytes().u8(0, 1, 255).u16(0).u16(65535).u16(toF16(1.5)).u16(toF16(-0.25)).u8(3, 4);
    const { manifest, load } = model([
      { name: 'q8', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      { name: 'q16', shape: [2], dtype: 'float32', quantization: { dtype: 'uint16', scale: 1 / 65535, min: 0 } },
      { name: 'h', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 'qi', shape: [2], dtype: 'int32', quantization: { dtype: 'uint8', scale: 0.5, min: 0, original_dtype: 'int32' } },
    ], q.bytes(), 4);
    const [q8, q16, h, qi] = readTfjsWeights(manifest, load);
    expect(q8.data).toEqual(new Float32Array([-1, -0.5, 126.5]));
    expect(q16.data).toEqual(new Float32Array([0, 1]));
    expect(h.data).toEqual(new Float32Array([1.5, -0.25]));
    expect(qi).toMatchObject({ dtype: 'int32', data: new Int32Array([2, 2]) }); // Math.round(1.5) = 2, round(2) = 2
  });

  it('checks that the weights consume the shards exactly', () => {
    const { manifest, load } = model(weights, bytes.bytes(), 8);
    const extra = (p: string) => (p === 'group1-shard1' ? Uint8Array.of(...load(p), 0) : load(p));
    expectError(() => readTfjsWeights(manifest, extra, { name: 'm/model.json' }), 'CORRUPT', /^m\/model.json: group \[group1-shard1, .*\]: the weights use 42 of its 43 shard bytes/);
    const short = (p: string) => (p === 'group1-shard6' ? load(p).subarray(0, 1) : load(p));
    expectError(() => readTfjsWeights(manifest, short), 'TRUNCATED', /weight "scalar" needs bytes \[38, 42\) .* which has 41/);
  });

  it('rejects malformed manifests', () => {
    const one = (w: object) => model([w as never], new Uint8Array(4), 4);
    const run = (w: object) => { const m = one(w); return () => readTfjsWeights(m.manifest, m.load); };
    expectError(run({ name: 'x', shape: [1], dtype: 'string' }), 'CORRUPT', /weight "x": dtype "string" is not supported/);
    expectError(run({ name: 'x', shape: [-1], dtype: 'float32' }), 'CORRUPT', /shape must be/);
    expectError(run({ name: 'x', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8' } }), 'CORRUPT', /needs finite scale and min/);
    expectError(run({ name: 'x', shape: [2], dtype: 'int32', quantization: { dtype: 'float16' } }), 'CORRUPT', /float16 quantization of a int32/);
    expectError(run({ name: 'x', shape: [4], dtype: 'float32', quantization: { dtype: 'int4' } }), 'CORRUPT', /unknown quantization dtype "int4"/);
    expectError(() => readTfjsWeights({} as never, () => new Uint8Array()), 'CORRUPT', /no weightsManifest/);
    expectError(() => readTfjsWeights([{ paths: [1], weights: [] }] as never, () => new Uint8Array()), 'CORRUPT', /weightsManifest\[0\] needs paths/);
    expectError(() => readTfjsWeights([{ paths: ['a'], weights: [] }], () => [1, 2] as never), 'INVALID_TYPE', /loader returned Array\(2\) for "a"/);
  });
});
