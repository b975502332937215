import { setBackend } from '@kompakt/core';
import { AdaptiveBinaryDecoder, AdaptiveBinaryEncoder, AdaptiveModel, categorical, decode, encode, rangeDecode, rangeEncode } from '@kompakt/entropy';
import { exponentBytes } from './entropy.mjs';
import { measure, printTable } from './measure.mjs';

const mbps = (bytes, ns) => (bytes / ns) * 1e3;

/** Bytes as LZMA codes literals: an 8-bit tree of adaptive binary contexts (255 of them). */
function binaryEncode(bytes) {
  const encoder = new AdaptiveBinaryEncoder({ contexts: 255 });
  for (let i = 0; i < bytes.length; i++) encoder.encodeTree(0, 8, bytes[i]);
  return encoder.finish();
}

function binaryDecode(stream, count) {
  const decoder = new AdaptiveBinaryDecoder(stream, { contexts: 255 });
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = decoder.decodeTree(0, 8);
  decoder.finish();
  return out;
}

/**
 * The FIFO coders (pure TS, the same on every backend) against rANS (wasm SIMD) on the same bytes in
 * the same run: bf16 exponent bytes of N(0, 0.02) weights, order 0.
 */
export const entropyCoders = {
  name: 'entropy-coders',
  async run() {
    const syms = exponentBytes(2_000_000);
    const counts = new Uint32Array(256);
    for (const b of syms) counts[b]++;
    const model = categorical(counts, { precision: 14 });
    setBackend('wasm-simd');
    const coders = [
      ['rANS 16 lanes, static p14 (wasm SIMD, baseline)', () => encode(syms, model), (s) => decode(s, model, syms.length)],
      ['range coder, static p14', () => rangeEncode(syms, model), (s) => rangeDecode(s, model, syms.length)],
      ['range coder, AdaptiveModel(256)', () => rangeEncode(syms, new AdaptiveModel(256)), (s) => rangeDecode(s, new AdaptiveModel(256), syms.length)],
      ['adaptive binary coder, 8-bit trees', () => binaryEncode(syms), (s) => binaryDecode(s, syms.length)],
    ];
    const rows = [];
    const results = [];
    let base = null;
    for (const [name, enc, dec] of coders) {
      const stream = enc();
      const back = dec(stream);
      if (!back.every((v, i) => v === syms[i])) throw new Error(`${name}: round trip failed`);
      const e = mbps(syms.length, measure(enc, { samples: 7, minMs: 1 }));
      const d = mbps(syms.length, measure(() => dec(stream), { samples: 7, minMs: 1 }));
      base ??= { e, d };
      rows.push([name, e.toFixed(1), d.toFixed(1), (e / base.e).toFixed(3), (d / base.d).toFixed(3), (stream.length / syms.length).toFixed(4)]);
      results.push({ suite: 'entropy-coders', kernel: name, encodeMBps: e, decodeMBps: d, ratio: stream.length / syms.length });
    }
    setBackend('auto');
    console.log(`\nFIFO coders vs rANS, ${(syms.length / 1e6).toFixed(0)} MB of bf16 exponent bytes of N(0, 0.02) weights (1 symbol = 1 byte)`);
    printTable(['coder', 'encode MB/s', 'decode MB/s', 'enc vs rANS', 'dec vs rANS', 'ratio'], rows);
    return results;
  },
};
