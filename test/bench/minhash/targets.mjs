// The speed targets alone, quickly (`node test/bench/minhash/targets.mjs`): raw text →
// k = 128 signatures with sketchMatrix for the 10,000-document benchmark corpus, classic (xxh32) and
// OPH, on wasm SIMD and native (1 thread and all cores). Prints the best wall rate of 5 runs, the
// documents per CPU-second of the best run (process.cpuUsage: all threads) and the load average, so a
// figure taken on a busy shared machine can be told apart from a quiet one. The full tables are
// test/bench/minhash.mjs.
import { loadavg } from 'node:os';
import { availableBackends, setBackend } from '@kompakt/core';
import { sketchMatrix } from '@kompakt/minhash';
import { corpus } from './corpus.mjs';
import { printTable } from '../measure.mjs';

const NATIVE = ['minhashHashItems', 'minhashUpdate', 'minhashUpdate32', 'minhashOphUpdate', 'minhashOphDensify', 'minhashSketchTexts'];
const TARGETS = { classic: 45_000, oph: 200_000 };
const docs = corpus();
const fmt = (x) => Math.round(x).toLocaleString('en');

const lanes = [{ lane: 'wasm-simd', backend: 'wasm-simd', threads: 1 }];
if (availableBackends(NATIVE).includes('native')) {
  lanes.push({ lane: 'native, 1 thread', backend: 'native', threads: 1 }, { lane: 'native, all cores', backend: 'native', threads: 0 });
}
const rows = [];
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
for (const { lane, backend, threads } of lanes) {
  setBackend(backend);
  for (const method of ['classic', 'oph']) {
    sketchMatrix(docs.slice(0, 1000), { method, threads }); // warm-up
    let best = { wall: Infinity, cpu: Infinity };
    for (let r = 0; r < 5; r++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      sketchMatrix(docs, { method, threads });
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const c = process.cpuUsage(c0);
      if (wall < best.wall) best = { wall, cpu: (c.user + c.system) / 1e6 };
    }
    const rate = docs.length / best.wall;
    rows.push([method, lane, fmt(rate), fmt(docs.length / best.cpu), fmt(TARGETS[method]), rate >= TARGETS[method] ? 'yes' : 'no']);
  }
}
setBackend('auto');
printTable(['method (sketchMatrix, k = 128)', 'lane', 'docs/s', 'docs per CPU-s', 'target', 'met'], rows);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
