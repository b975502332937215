import { hadamard } from './hadamard.mjs';

/** Every benchmark suite; `npm run bench -- <name>` runs one. */
export const suites = [hadamard];
