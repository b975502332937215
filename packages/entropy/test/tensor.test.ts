import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compressTensor, decompressTensor, isKompaktError, setBackend } from '@kompakt/entropy';
import { rng, sameBytes, testBackends } from './backends.js';

/** Gaussian-ish f32 weights (Box–Muller), as raw bytes. */
function weights(n: number, seed: number, std = 0.02): Uint8Array {
  const next = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = std * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return new Uint8Array(x.buffer);
}

function toBf16(f32: Uint8Array): Uint8Array {
  const w = new Uint16Array(new Uint32Array(f32.buffer, f32.byteOffset, f32.length / 4).map((v) => v >>> 16));
  return new Uint8Array(w.buffer);
}

describe.each(testBackends())('tensor codec on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it.each(['u8', 'f16', 'bf16', 'f32'] as const)('round-trips random %s bytes of any length (property)', (dtype) => {
    const size = { u8: 1, f16: 2, bf16: 2, f32: 4 }[dtype];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom(4096, 8192), (raw, chunkSize) => {
        const bytes = raw.subarray(0, raw.length - (raw.length % size));
        expect(sameBytes(decompressTensor(compressTensor(bytes, { dtype, chunkSize })), bytes)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('compresses the exponent plane of float weights', () => {
    const f32 = weights(300_000, 1);
    const packed = compressTensor(f32, { dtype: 'f32' });
    expect(sameBytes(decompressTensor(packed), f32)).toBe(true);
    // Exponent ≈ 2.6 bits of 8, 23 mantissa bits incompressible: (24 + 2.6 + 1) / 32 ≈ 0.86.
    expect(packed.length / f32.length).toBeLessThan(0.87);
    const bf16 = toBf16(f32);
    const packed16 = compressTensor(bf16, { dtype: 'bf16' });
    expect(sameBytes(decompressTensor(packed16), bf16)).toBe(true);
    expect(packed16.length / bf16.length).toBeLessThan(0.68);
  });

  it('codes constant and all-zero tensors in a few bytes per chunk', () => {
    const zeros = new Uint8Array(1 << 20);
    const packed = compressTensor(zeros, { dtype: 'f32' });
    expect(packed.length).toBeLessThanOrEqual(32 + 4 * (12 + 8)); // header + 4 chunks × (table entry + 4 constant planes)
    expect(sameBytes(decompressTensor(packed), zeros)).toBe(true);
  });

  it('XOR-deltas against a base (BitX) and needs the same base back', () => {
    const base = toBf16(weights(200_000, 2));
    const tuned = base.slice();
    const next = rng(3);
    for (let i = 0; i < tuned.length; i += 2) if (next() < 0.1) tuned[i] ^= 1 << Math.floor(next() * 4);
    const plain = compressTensor(tuned, { dtype: 'bf16' });
    const delta = compressTensor(tuned, { dtype: 'bf16', base });
    expect(delta.length).toBeLessThan(plain.length / 3);
    expect(sameBytes(decompressTensor(delta, { base }), tuned)).toBe(true);
    const wrong = base.slice();
    wrong[5] ^= 1;
    expect(() => decompressTensor(delta, { base: wrong })).toThrow(/base is not the one/);
    expect(() => decompressTensor(delta)).toThrow(/pass the base tensor/);
    expect(() => decompressTensor(plain, { base })).toThrow(/not a delta/);
  });

  it('rejects bad arguments', () => {
    const expectCode = (fn: () => unknown, code: string, re: RegExp) => {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect(isKompaktError(e, code as never), String(e)).toBe(true);
        expect((e as Error).message).toMatch(re);
      }
    };
    expectCode(() => compressTensor(new Uint8Array(6), { dtype: 'f32' }), 'SHAPE_MISMATCH', /not a whole number of f32/);
    expectCode(() => compressTensor(new Uint8Array(8), { dtype: 'f64' as never }), 'INVALID_ARGUMENT', /dtype must be one of/);
    expectCode(() => compressTensor(new Uint8Array(8), { dtype: 'u8', chunkSize: 5000 }), 'INVALID_ARGUMENT', /power of two/);
    expectCode(() => compressTensor(new Uint8Array(8), { dtype: 'u8', base: new Uint8Array(4) }), 'SHAPE_MISMATCH', /base has 4 bytes/);
    expectCode(() => compressTensor(new Float32Array(2) as never, { dtype: 'f32' }), 'INVALID_TYPE', /Float32Array/);
    expectCode(() => decompressTensor(new Uint8Array(3)), 'TRUNCATED', /needs 4 more bytes/);
  });
});
