import { gunzipSync, gzipSync, brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { compress as zstdCompress, decompress as zstdDecompress, init as initZstd } from '@bokuweb/zstd-wasm';
import { deflateSync, inflateSync } from 'fflate';
import pako from 'pako';
import { availableBackends, narrow16, setBackend } from '@kompakt/core';
import { categorical, compressTensor, decode, decompressTensor, encode } from '@kompakt/entropy';
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
    const model = categorical(counts, { precision: 14 });
    const rows = [];
    for (const [label, backend] of backends()) {
      setBackend(backend);
      const stream = encode(syms, model);
      const encNs = measure(() => encode(syms, model), { samples: 5, minMs: 1 });
      const decNs = measure(() => decode(stream, model, syms.length), { samples: 5, minMs: 1 });
      rows.push([label, mbps(syms.length, encNs), mbps(syms.length, decNs), (stream.length / syms.length).toFixed(4)]);
      results.push({ suite: 'entropy', kernel: 'rans order-0', lane: label, encodeMBps: syms.length / encNs * 1e3, decodeMBps: syms.length / decNs * 1e3 });
    }
    setBackend('auto');
    console.log(`\nrANS (8 lanes, precision 14), 10 MB of bf16 exponent bytes of N(0, 0.02) weights`);
    printTable(['lane', 'encode MB/s', 'decode MB/s', 'ratio'], rows);

    await initZstd();
    const weights = (await readModel()).filter((t) => t.dtype === 'float32');
    const f32 = new Float32Array(weights.reduce((n, t) => n + t.data.length, 0));
    weights.reduce((at, t) => (f32.set(t.data, at), at + t.data.length), 0);
    for (const [label, dtype, bytes] of [['USE-lite fp32', 'f32', new Uint8Array(f32.buffer)], ['USE-lite bf16 (derived)', 'bf16', new Uint8Array(narrow16(f32, 'bf16').buffer)]]) {
      const codecs = [
        ['.kpk (Kompakt tensor codec)', () => compressTensor(bytes, { dtype }), (c) => decompressTensor(c)],
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
      console.log(`\nlossless, ${label}: ${(bytes.length / 1e6).toFixed(1)} MB (backend ${availableBackends(NATIVE_ENTROPY)[0]})`);
      printTable(['codec', 'ratio', 'compress MB/s', 'decompress MB/s'], table);
    }
    return results;
  },
};
