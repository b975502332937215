// `npm start`: a tour of Kompakt on real data installed by npm: the USE-lite model's weights and the
// SpamAssassin corpus.
import { getBackend } from '@kompakt/core';
import { entropyDemo } from './entropy.mjs';
import { hadamardDemo } from './hadamard.mjs';
import { minhashDemo } from './minhash.mjs';
import { mxDemo } from './mx.mjs';
import { MODEL, readModel } from './tfjs.mjs';

const tensors = await readModel();
console.log(`Kompakt tour: ${tensors.length} tensors of ${MODEL} (Universal Sentence Encoder lite); backend ${getBackend()}`);
hadamardDemo(tensors);
mxDemo(tensors);
await entropyDemo(tensors);
await minhashDemo();
