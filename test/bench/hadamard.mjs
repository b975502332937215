import { availableBackends, fwht, setBackend } from '@kompakt/hadamard';
import { measure, printTable } from './measure.mjs';

const BATCH_BYTES = 16 << 20; // every call transforms ≥ 16 MiB, as many rows as that takes
const SIZES = [1024, 4096, 65536, 1 << 20];
// Single-thread FFHT (AVX2 C) on this machine kind, from shared/reference/hadamard.md: one hot vector
// (the target: native single-thread within 1.25× of these), and rows streamed from DRAM as
// this benchmark does (§6 of the note: 551 ns per 2^10 row; 12.5, 10.4 and 8.3 GB/s at 2^12, 2^16, 2^20).
const FFHT_NS = { 1024: 332, 4096: 1400, 65536: 28300, [1 << 20]: 600000 };
const FFHT_STREAM_NS = { 1024: 551, 4096: 2621, 65536: 50412, [1 << 20]: 1010675 };

/** The baseline: the textbook in-place radix-2 loop a JS user writes today. */
function naiveFwht(x, n) {
  for (let base = 0; base < x.length; base += n) {
    for (let h = 1; h < n; h <<= 1) {
      for (let i = base; i < base + n; i += h << 1) {
        for (let j = i; j < i + h; j++) {
          const a = x[j];
          const b = x[j + h];
          x[j] = a + b;
          x[j + h] = a - b;
        }
      }
    }
  }
}

export const hadamard = {
  name: 'hadamard',
  async run() {
    const backends = availableBackends();
    const lanes = [
      ['naive JS loop (baseline)', (x, n) => naiveFwht(x, n)],
      ...(backends.includes('wasm-scalar') ? [['wasm scalar', (x, n) => fwht(x, { n, normalize: false }), 'wasm-scalar']] : []),
      ...(backends.includes('wasm-simd') ? [['wasm SIMD', (x, n) => fwht(x, { n, normalize: false }), 'wasm-simd']] : []),
      ...(backends.includes('native')
        ? [
            ['native, 1 thread', (x, n) => fwht(x, { n, normalize: false, threads: 1 }), 'native'],
            ['native, all threads', (x, n) => fwht(x, { n, normalize: false, threads: 0 }), 'native'],
          ]
        : []),
    ];
    const results = [];
    for (const n of SIZES) {
      const length = Math.max(n, BATCH_BYTES / 4);
      const rows = length / n;
      // Small values: 2^20 stages of unnormalized sums stay finite, and denormals never appear.
      const x = Float32Array.from({ length }, (_, i) => ((i * 2654435761) % 1000) / 1000 - 0.5);
      const copy = new Float32Array(length);
      const table = [];
      const memcpyNs = measure(() => copy.set(x));
      table.push(['memcpy of the same bytes (physical reference)', fmtNs(memcpyNs / rows), gbps(length, memcpyNs), '', '', '']);
      let baselineNs = 0;
      for (const [label, fn, backend] of lanes) {
        if (backend) setBackend(backend);
        const ns = measure(() => fn(x, n), { samples: backend ? 7 : 3 }) / rows;
        if (!baselineNs) baselineNs = ns;
        const single = backend === 'native' && label.includes('1 thread');
        const vs = (ref) => (single ? `${(ns / ref[n]).toFixed(2)}×` : '');
        table.push([label, fmtNs(ns), gbps(length, ns * rows), `${(baselineNs / ns).toFixed(1)}×`, vs(FFHT_NS), vs(FFHT_STREAM_NS)]);
        results.push({ suite: 'hadamard', kernel: 'fwht f32', n, rows, lane: label, nsPerTransform: ns, vsBaseline: baselineNs / ns });
      }
      setBackend('auto');
      console.log(`\nfwht f32, n = ${n}, ${rows} rows per call (${(length * 4) >> 20} MiB)`);
      printTable(['lane', 'ns / transform', 'GB/s', 'vs baseline', 'time vs FFHT hot', 'time vs FFHT streamed'], table);
      results.push({ suite: 'hadamard', kernel: 'memcpy', n, rows, lane: 'memcpy', nsPerTransform: memcpyNs / rows });
    }
    console.log(`\nGB/s counts 8 bytes per element (one read, one write). FFHT single-thread figures are from shared/reference/hadamard.md, measured on this machine kind: hot vector ${Object.values(FFHT_NS).join(', ')} ns; rows streamed from DRAM ${Object.values(FFHT_STREAM_NS).join(', ')} ns.`);
    return results;
  },
};

function fmtNs(ns) {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(3)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`;
}

function gbps(elements, ns) {
  return ((elements * 8) / ns).toFixed(1);
}
