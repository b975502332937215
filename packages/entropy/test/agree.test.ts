import { afterAll, describe, expect, it } from 'vitest';
import { categorical, compressTensor, encode, gaussian, setBackend, xxh32 } from '@kompakt/entropy';
import { rng, testBackends } from './backends.js';

/** Every backend must produce the same bytes: streams written by one are read by all. */
describe('backends agree byte for byte', () => {
  afterAll(() => setBackend('auto'));

  it('on rANS streams, models and .kpk containers', () => {
    const next = rng(5);
    const symbols = Array.from({ length: 50_001 }, () => Math.floor(next() ** 3 * 300));
    const tensor = new Uint8Array(new Float32Array(70_000).map(() => (next() - 0.5) * 0.01).buffer);
    const base = tensor.map((b, i) => (i % 4 === 0 && next() < 0.3 ? b ^ 0x10 : b));
    const fingerprints = testBackends().map((backend) => {
      setBackend(backend);
      const model = categorical(Array.from({ length: 300 }, (_, k) => 300 - k), { precision: 15 });
      const g = gaussian({ mean: 1.5, std: 7, min: -100, max: 100, precision: 13 });
      return [
        xxh32(encode(symbols, model)),
        xxh32(new Uint8Array(g.frequencies.buffer)),
        xxh32(compressTensor(tensor, { dtype: 'f32' })),
        xxh32(compressTensor(tensor, { dtype: 'bf16', chunkSize: 4096 })),
        xxh32(compressTensor(tensor, { dtype: 'f32', base, context: true, chunkSize: 8192 })),
        xxh32(compressTensor(tensor, { dtype: 'bf16', precision: 22, context: true })),
      ];
    });
    for (const f of fingerprints) expect(f).toEqual(fingerprints[0]);
  });

  it('on XXH32 known answers', () => {
    for (const backend of testBackends()) {
      setBackend(backend);
      expect(xxh32(new Uint8Array(0))).toBe(0x02cc5d05);
      expect(xxh32(new TextEncoder().encode('abc'))).toBe(0x32d153ff);
      expect(xxh32(new TextEncoder().encode('abc'), 1)).not.toBe(0x32d153ff);
    }
  });
});
