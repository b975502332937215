import { entropy } from './entropy.mjs';
import { entropyCoders } from './entropy-coders.mjs';
import { hadamard } from './hadamard.mjs';
import { lattice } from './lattice.mjs';
import { minhash } from './minhash.mjs';
import { mx } from './mx.mjs';

/** Every benchmark suite; `npm run bench -- <name>` runs one. */
export const suites = [hadamard, mx, entropy, entropyCoders, lattice, minhash];
