import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compressTensor, decompressTensor, isKompaktError, setBackend, xxh32 } from '@kompakt/entropy';
import { rng, sameBytes, testBackends } from './backends.js';

/** Gaussian f32 weights whose scale changes every 1000 elements (rows of different norms). */
function weights(n: number, seed: number): Float32Array {
  const next = rng(seed);
  const x = new Float32Array(n);
  let scale = 0.02;
  for (let i = 0; i < n; i++) {
    if (i % 1000 === 0) scale = 0.002 + 0.05 * next();
    x[i] = scale * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  }
  return x;
}

/** A fine-tuning step: 30 % of the weights move by ±1e−4 (as an Adam step would). */
function tuned(base: Float32Array, seed: number): Float32Array {
  const next = rng(seed);
  return base.map((w) => (next() < 0.3 ? w + (next() < 0.5 ? 1e-4 : -1e-4) : w));
}

const bytesOf = (x: Float32Array) => new Uint8Array(x.buffer, x.byteOffset, x.byteLength);

/** Rewrites the checksums of a .kpk stream after its chunk bytes were changed, so the plane parser sees the damage. */
function resealed(stream: Uint8Array): Uint8Array {
  const out = stream.slice();
  const view = new DataView(out.buffer);
  const n = view.getUint32(16, true);
  let pos = 32 + 12 * n;
  for (let i = 0; i < n; i++) {
    const stored = view.getUint32(28 + 12 * i, true);
    view.setUint32(28 + 12 * i + 4, xxh32(out.subarray(pos, pos + stored)), true);
    pos += stored;
  }
  view.setUint32(28 + 12 * n, xxh32(out.subarray(0, 28 + 12 * n)), true);
  return out;
}

describe.each(testBackends())('context mode on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it.each(['u8', 'f16', 'bf16', 'f32'] as const)('round-trips random %s bytes, with and without a base (property)', (dtype) => {
    const size = { u8: 1, f16: 2, bf16: 2, f32: 4 }[dtype];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), fc.nat(), (raw, delta, seed) => {
        const bytes = raw.subarray(0, raw.length - (raw.length % size));
        // Skewed bytes so that contexts can pay; a base that agrees with the data in most places.
        const next = rng(seed);
        const skewed = bytes.map((b) => (next() < 0.7 ? b & 3 : b));
        const base = delta ? skewed.map((b) => (next() < 0.8 ? b : b ^ 1)) : undefined;
        const packed = compressTensor(skewed, { dtype, base, context: true, chunkSize: 4096 });
        expect(sameBytes(decompressTensor(packed, { base }), skewed)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('beats order 0 on real-like weights whose rows differ in scale', () => {
    const f32 = bytesOf(weights(200_000, 1));
    for (const precision of [14, 20]) {
      const plain = compressTensor(f32, { dtype: 'f32', precision });
      const ctx = compressTensor(f32, { dtype: 'f32', precision, context: true });
      expect(sameBytes(decompressTensor(ctx), f32)).toBe(true);
      expect(ctx.length).toBeLessThan(plain.length);
    }
  });

  it('codes a Markov byte source with order 1 (previous byte as context)', () => {
    // Each byte is its predecessor + 1 with p = 0.9, else uniform: order 0 sees ~8 bits, order 1 ~1.3
    // (0.16 of the size); 256 explicit group tables of ~190 bytes add ~0.24 here, hence 0.35.
    const next = rng(12);
    const bytes = new Uint8Array(200_000);
    for (let i = 1; i < bytes.length; i++) bytes[i] = next() < 0.9 ? (bytes[i - 1] + 1) & 0xff : Math.floor(next() * 256);
    const plain = compressTensor(bytes, { dtype: 'u8' });
    const ctx = compressTensor(bytes, { dtype: 'u8', context: true });
    expect(sameBytes(decompressTensor(ctx), bytes)).toBe(true);
    expect(plain.length / bytes.length).toBeGreaterThan(0.95);
    expect(ctx.length / bytes.length).toBeLessThan(0.35);
  });

  it('conditions a checkpoint delta on the base: smaller than the plain delta', () => {
    const before = weights(150_000, 4);
    const after = tuned(before, 5);
    const base = bytesOf(before);
    const bytes = bytesOf(after);
    const plain = compressTensor(bytes, { dtype: 'f32', base });
    const ctx = compressTensor(bytes, { dtype: 'f32', base, context: true });
    expect(sameBytes(decompressTensor(ctx, { base }), bytes)).toBe(true);
    expect(ctx.length).toBeLessThan(plain.length * 0.95);
    expect(() => decompressTensor(ctx)).toThrow(/pass the base tensor/);
  });

  it('writes version 3 and refuses the 8-lane development versions 1 and 2 by name', () => {
    const f32 = bytesOf(weights(5000, 6));
    for (const options of [{}, { precision: 17 }, { context: true }]) {
      const packed = compressTensor(f32, { dtype: 'f32', ...options });
      expect(packed[4]).toBe(3);
      for (const old of [1, 2]) {
        const dev = packed.slice();
        dev[4] = old;
        expect(() => decompressTensor(resealed(dev))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_VERSION', message: expect.stringMatching(/version \d is a pre-release development format/) }));
      }
    }
    expect(() => compressTensor(f32, { dtype: 'f32', context: 1 as never })).toThrow(expect.objectContaining({ code: 'INVALID_TYPE' }));
  });

  it('rejects truncated and damaged context streams with KompaktError only', () => {
    const before = weights(3000, 7);
    const base = bytesOf(before);
    const bytes = bytesOf(tuned(before, 8));
    for (const packed of [compressTensor(bytes, { dtype: 'f32', base, context: true, chunkSize: 4096 }), compressTensor(bytes, { dtype: 'bf16', context: true, chunkSize: 4096 })]) {
      const withBase = packed[6] & 1 ? { base } : undefined;
      for (let cut = 0; cut < packed.length; cut += 5) {
        expect(() => decompressTensor(packed.subarray(0, cut), withBase)).toThrow(expect.objectContaining({ name: 'KompaktError' }));
      }
      // Damage inside the chunks with the checksums rewritten: the plane parser itself must cope.
      const header = 32 + 12 * new DataView(packed.buffer).getUint32(16, true);
      for (let bit = header * 8; bit < packed.length * 8; bit += 37) {
        const bad = packed.slice();
        bad[bit >> 3] ^= 1 << (bit & 7);
        try {
          decompressTensor(resealed(bad), withBase);
        } catch (e) {
          expect(isKompaktError(e), String(e)).toBe(true);
        }
      }
    }
  });
});
