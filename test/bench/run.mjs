// `npm run bench [-- hadamard] [-- --json out.json]`: every kernel against its baseline and the
// physical reference (memcpy of the same bytes), measured in the same run. Figures go to
// docs/benchmarks.md; see there for how to read them. `--gpu [group…]` runs the @kompakt/gpu
// kernels instead (test/bench/gpu.mjs), on whatever WebGPU adapter exists.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const jsonPath = jsonAt >= 0 ? args[jsonAt + 1] : null;
const filters = args.filter((a, i) => !a.startsWith('--') && !(jsonAt >= 0 && i === jsonAt + 1));

console.log(`node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`);
const results = [];
if (args.includes('--gpu')) {
  const { gpuSuite } = await import('./gpu.mjs'); // loads Dawn: only when asked for
  results.push(...(await gpuSuite.run(filters)));
} else {
  const { suites } = await import('./suites.mjs'); // the CPU suites' peers (fflate, zstd, …) load only here
  for (const suite of suites) {
    if (filters.length && !filters.includes(suite.name)) continue;
    results.push(...(await suite.run()));
  }
}
if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ node: process.version, cpus: cpus().length, results }, null, 2));
