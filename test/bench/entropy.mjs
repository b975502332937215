import { gunzipSync, gzipSync, brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { compress as zstdCompress, decompress as zstdDecompress, init as initZstd } from '@bokuweb/zstd-wasm';
import { deflateSync, inflateSync } from 'fflate';
import pako from 'pako';
import { availableBackends, narrow16, setBackend } from '@kompakt/core';
import { categorical, compressTensor, decode, decodeIndices, decodeParametric, decompressTensor, encode, encodeParametric, gaussian } from '@kompakt/entropy';
import { readModel } from '../../scripts/demo/tfjs.mjs';
import { measure, printTable } from './measure.mjs';

const NATIVE_ENTROPY = ['ransEncode', 'ransDecode', 'modelQuantizeCounts', 'modelQuantizeParametric', 'histU8', 'xorBytes', 'tensorSplit', 'tensorMerge', 'xxh32'];

/** 10 MB of bf16 exponent bytes of N(0, 0.02) weights (seeded Box–Muller): the plane the codec compresses. */
export function exponentBytes(count) {
  let s = 12345;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const w = new Float32Array(count);
  for (let i = 0; i < count; i++) w[i] = 0.02 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return Uint8Array.from(narrow16(w, 'bf16'), (h) => (h >> 7) & 0xff);
}

function backends() {
  const list = availableBackends(NATIVE_ENTROPY);
  return [['wasm scalar', 'wasm-scalar'], ['wasm SIMD', 'wasm-simd'], ['native', 'native']].filter(([, b]) => list.includes(b));
}

const mbps = (bytes, ns) => ((bytes / ns) * 1e3).toFixed(0);

export const entropy = {
  name: 'entropy',
  async run() {
    const results = [];
    const syms = exponentBytes(10_000_000);
    const counts = new Uint32Array(256);
    for (const b of syms) counts[b]++;
    // Precision 14: the table-driven rans8x16 path; 24: the exact rans8x32 path (binary-search decode).
    for (const precision of [14, 24]) {
      const model = categorical(counts, { precision });
      const rows = [];
      for (const [label, backend] of backends()) {
        setBackend(backend);
        const stream = encode(syms, model);
        const encNs = measure(() => encode(syms, model), { samples: 11, minMs: 1 });
        const idxNs = measure(() => decodeIndices(stream, model, syms.length), { samples: 11, minMs: 1 });
        const decNs = measure(() => decode(stream, model, syms.length), { samples: 11, minMs: 1 });
        rows.push([label, mbps(syms.length, encNs), mbps(syms.length, idxNs), mbps(syms.length, decNs), (stream.length / syms.length).toFixed(4)]);
        results.push({
          suite: 'entropy', kernel: `rans order-0 precision ${precision}`, lane: label,
          encodeMBps: syms.length / encNs * 1e3, decodeIndicesMBps: syms.length / idxNs * 1e3, decodeMBps: syms.length / decNs * 1e3,
        });
      }
      setBackend('auto');
      console.log(`\nrANS (16 lanes, precision ${precision}), 10 MB of bf16 exponent bytes of N(0, 0.02) weights`);
      printTable(['lane', 'encode MB/s', 'decodeIndices MB/s (bytes)', 'decode MB/s (Int32Array)', 'ratio'], rows);
    }

    await initZstd();
    const weights = (await readModel()).filter((t) => t.dtype === 'float32');
    const f32 = new Float32Array(weights.reduce((n, t) => n + t.data.length, 0));
    weights.reduce((at, t) => (f32.set(t.data, at), at + t.data.length), 0);
    for (const [label, dtype, bytes] of [['USE-lite fp32', 'f32', new Uint8Array(f32.buffer)], ['USE-lite bf16 (derived)', 'bf16', new Uint8Array(narrow16(f32, 'bf16').buffer)]]) {
      // The tensor codec on every backend (the rANS kernels under real weights), context mode on the default one.
      const onBackend = (backend, fn) => () => { setBackend(backend); try { return fn(); } finally { setBackend('auto'); } };
      const codecs = [
        ...backends().map(([lane, backend]) => [`.kpk (Kompakt tensor codec), ${lane}`, onBackend(backend, () => compressTensor(bytes, { dtype })), (c) => onBackend(backend, () => decompressTensor(c))()]),
        ['.kpk context: true', () => compressTensor(bytes, { dtype, context: true }), (c) => decompressTensor(c)],
        ['zstd -3 (@bokuweb/zstd-wasm)', () => zstdCompress(bytes, 3), (c) => zstdDecompress(c)],
        ['fflate deflate -6', () => deflateSync(bytes, { level: 6 }), (c) => inflateSync(c)],
        ['pako deflate -6', () => pako.deflate(bytes, { level: 6 }), (c) => pako.inflate(c)],
        ['node zlib gzip -6', () => gzipSync(bytes, { level: 6 }), (c) => gunzipSync(c)],
        ['node brotli -5', () => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }), (c) => brotliDecompressSync(c)],
      ];
      const table = [];
      for (const [name, comp, decomp] of codecs) {
        const packed = comp();
        const back = decomp(packed);
        if (back.length !== bytes.length) throw new Error(`${name}: round trip lost bytes`);
        const cNs = measure(comp, { samples: 3, minMs: 1 });
        const dNs = measure(() => decomp(packed), { samples: 3, minMs: 1 });
        table.push([name, (packed.length / bytes.length).toFixed(4), mbps(bytes.length, cNs), mbps(bytes.length, dNs)]);
        results.push({ suite: 'entropy', kernel: `tensor codec ${label}`, lane: name, ratio: packed.length / bytes.length, compressMBps: bytes.length / cNs * 1e3, decompressMBps: bytes.length / dNs * 1e3 });
      }
      console.log(`\nlossless, ${label}: ${(bytes.length / 1e6).toFixed(1)} MB (context mode on backend ${availableBackends(NATIVE_ENTROPY)[0]})`);
      printTable(['codec', 'ratio', 'compress MB/s', 'decompress MB/s'], table);
    }

    // A synthetic checkpoint pair from the real weights: 30 % of them move by ±1e−4 (an Adam-like
    // step, seeded); the delta is coded against the original as base, order 0 vs context.
    let seed = 7;
    const uniform = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    const stepped = f32.map((w) => (uniform() < 0.3 ? w + (uniform() < 0.5 ? 1e-4 : -1e-4) : w));
    const deltaRows = [];
    for (const [label, dtype, bytes, base] of [
      ['fp32', 'f32', new Uint8Array(stepped.buffer), new Uint8Array(f32.buffer)],
      ['bf16', 'bf16', new Uint8Array(narrow16(stepped, 'bf16').buffer), new Uint8Array(narrow16(f32, 'bf16').buffer)],
    ]) {
      for (const [name, options] of [['order 0', {}], ['context: true', { context: true }], ['context: true, precision 20', { context: true, precision: 20 }]]) {
        const comp = () => compressTensor(bytes, { dtype, base, ...options });
        const packed = comp();
        if (decompressTensor(packed, { base }).length !== bytes.length) throw new Error(`${name}: round trip lost bytes`);
        const cNs = measure(comp, { samples: 2, minMs: 1 });
        const dNs = measure(() => decompressTensor(packed, { base }), { samples: 3, minMs: 1 });
        deltaRows.push([`${label} ${name}`, (packed.length / bytes.length).toFixed(4), mbps(bytes.length, cNs), mbps(bytes.length, dNs)]);
        results.push({ suite: 'entropy', kernel: `tensor codec delta ${label}`, lane: name, ratio: packed.length / bytes.length, compressMBps: bytes.length / cNs * 1e3, decompressMBps: bytes.length / dNs * 1e3 });
      }
    }
    console.log(`\n.kpk checkpoint delta (USE-lite, 30 % of weights ± 1e−4, base = the original)`);
    printTable(['stream', 'ratio', 'compress MB/s', 'decompress MB/s'], deltaRows);
    results.push(...parametricBatch());
    return results;
  },
};

/**
 * Learned-codec latents: 1M values, each with its own Gaussian (means uniform in ±8, stds log-uniform
 * in 0.1 … 10, support −32 … 32, precision 16), coded by encodeParametric/decodeParametric against
 * the per-call table path (gaussian() per value, then encode/decode of that one value: each value is
 * its own stream) on a 20k-value slice. The batch kernels exist only in wasm (native runs them too).
 */
export function parametricBatch() {
  const n = 1_000_000;
  const slice = 20_000;
  let s = 99;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const means = new Float32Array(n);
  const scales = new Float32Array(n);
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    means[i] = 16 * uniform() - 8;
    scales[i] = 0.1 * 100 ** uniform();
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    values[i] = Math.max(-32, Math.min(32, Math.round(means[i] + scales[i] * z)));
  }
  const options = { family: 'gaussian', means, scales, min: -32, max: 32, precision: 16 };
  // A compressai-style scale table: means subtracted (0), each std one of 64 values 0.11 … 256.
  const table = Array.from({ length: 64 }, (_, j) => 0.11 * (256 / 0.11) ** (j / 63));
  const tabled = { ...options, means: new Float32Array(n), scales: Float32Array.from(scales, (_, i) => table[Math.floor(uniform() * 64)]) };
  const tabledValues = values.map((v, i) => Math.max(-32, Math.min(32, Math.round(v - means[i]))));
  const results = [];
  const rows = [];
  const perSec = (count, ns) => (count / ns * 1e9 / 1e6).toFixed(2);
  const cases = [['random means and stds', values, options], ['64-entry std table, means 0', tabledValues, tabled]];
  for (const [label, backend] of backends().filter(([, b]) => b !== 'native')) {
    setBackend(backend);
    for (const [params, vals, opts] of cases) {
      const stream = encodeParametric(vals, opts);
      const encNs = measure(() => encodeParametric(vals, opts), { samples: 2, minMs: 1 });
      const decNs = measure(() => decodeParametric(stream, opts), { samples: 2, minMs: 1 });
      const lane = `encodeParametric/decodeParametric, ${label}, ${params}`;
      rows.push([lane, perSec(n, encNs), perSec(n, decNs), (stream.length / n).toFixed(3)]);
      results.push({ suite: 'entropy', kernel: 'parametric batch gaussian 1M', lane, encodeMSymPerS: n / encNs * 1e3, decodeMSymPerS: n / decNs * 1e3 });
    }
  }
  setBackend('auto');
  const model = (i) => gaussian({ mean: means[i], std: scales[i], min: -32, max: 32, precision: 16 });
  const streams = Array.from({ length: slice }, (_, i) => encode([values[i]], model(i)));
  const encNs = measure(() => { for (let i = 0; i < slice; i++) encode([values[i]], model(i)); }, { samples: 2, minMs: 1 });
  const decNs = measure(() => { for (let i = 0; i < slice; i++) decode(streams[i], model(i), 1); }, { samples: 2, minMs: 1 });
  const bytes = streams.reduce((t, b) => t + b.length, 0);
  const lane = `gaussian() + encode/decode per value, ${availableBackends(NATIVE_ENTROPY)[0]}, random means and stds (20k slice)`;
  rows.push([lane, perSec(slice, encNs), perSec(slice, decNs), (bytes / slice).toFixed(3)]);
  results.push({ suite: 'entropy', kernel: 'parametric batch gaussian 1M', lane, encodeMSymPerS: slice / encNs * 1e3, decodeMSymPerS: slice / decNs * 1e3 });
  console.log('\nper-value Gaussian latents (1M, means ±8, stds 0.1 … 10, support −32 … 32, precision 16)');
  printTable(['path', 'encode Msym/s', 'decode Msym/s', 'bytes/value'], rows);
  return results;
}
