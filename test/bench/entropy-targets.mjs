// The rANS speed targets alone (`node test/bench/entropy-targets.mjs [seconds]`): encode and
// decodeIndices through the public API on 10 MB of bf16 exponent bytes (precision 14), wasm SIMD and
// native, with a memcpy of the same 10 MB timed beside every call. The lanes take turns for the
// whole window (default 60 s) and each reports its best call, its median call and the memcpy speed
// measured next to its best call: on a shared VM whose speed drifts by 2× over seconds, the memcpy
// column tells a fast phase from a slow one. The full tables are test/bench/entropy.mjs.
import { loadavg } from 'node:os';
import { availableBackends, setBackend } from '@kompakt/core';
import { categorical, decodeIndices, encode } from '@kompakt/entropy';
import { exponentBytes } from './entropy.mjs';
import { printTable } from './measure.mjs';

const seconds = Number(process.argv[2] ?? 60);
const syms = exponentBytes(10_000_000);
const counts = new Uint32Array(256);
for (const b of syms) counts[b]++;
const model = categorical(counts, { precision: 14 });
const copy = new Uint8Array(syms.length);

const NATIVE = ['ransEncode', 'ransDecode', 'modelQuantizeCounts'];
const lanes = [['wasm SIMD', 'wasm-simd', 'encode', 250], ['wasm SIMD', 'wasm-simd', 'decodeIndices', 500]];
if (availableBackends(NATIVE).includes('native')) lanes.push(['native', 'native', 'decodeIndices', 700]);
const streams = new Map();
for (const [, backend] of lanes) {
  setBackend(backend);
  streams.set(backend, encode(syms, model));
}

const mbps = (ns) => (syms.length / ns) * 1e3;
const time = (fn) => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0);
};
const samples = lanes.map(() => []);
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
const end = Date.now() + seconds * 1e3;
while (Date.now() < end) {
  lanes.forEach(([, backend, op], i) => {
    setBackend(backend);
    const stream = streams.get(backend);
    const call = op === 'encode' ? () => encode(syms, model) : () => decodeIndices(stream, model, syms.length);
    const memcpy = time(() => copy.set(syms));
    samples[i].push({ ns: time(call), memcpy });
  });
}
setBackend('auto');
const rows = lanes.map(([lane, , op, target], i) => {
  const sorted = [...samples[i]].sort((a, b) => a.ns - b.ns);
  const best = sorted[0];
  const median = sorted[sorted.length >> 1];
  return [`${lane} ${op}`, mbps(best.ns).toFixed(0), mbps(median.ns).toFixed(0), (mbps(best.memcpy) / 1e3).toFixed(1), sorted.length, target, mbps(best.ns) >= target ? 'yes' : 'no'];
});
printTable(['lane', 'best MB/s', 'median MB/s', 'memcpy GB/s beside the best', 'calls', 'target MB/s', 'best ≥ target'], rows);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
