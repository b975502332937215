import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { categorical, compressTensor, decode, decompressTensor, encode, isKompaktError, setBackend, type Model } from '@kompakt/entropy';
import { rng, testBackends } from './backends.js';

/** Runs fn; it must either succeed or throw a KompaktError with one of `codes`. */
function onlyKompaktErrors(fn: () => unknown, codes: string[]): void {
  try {
    fn();
  } catch (e) {
    if (!isKompaktError(e) || !codes.includes(e.code)) throw e;
  }
}

describe.each(testBackends())('decoder fuzzing on %s', (backend) => {
  const next = rng(11);
  const symbols = Array.from({ length: 300 }, () => Math.floor(next() ** 2 * 9));
  const tensor = new Uint8Array(new Float32Array(3000).map(() => next() * 0.1 - 0.05).buffer);
  let model: Model;
  let stream: Uint8Array;
  let packed: Uint8Array;
  beforeAll(() => {
    setBackend(backend);
    model = categorical([50, 20, 10, 5, 5, 5, 3, 1, 1], { precision: 12 });
    stream = encode(symbols, model);
    packed = compressTensor(tensor, { dtype: 'f32', chunkSize: 4096 });
  });
  afterAll(() => setBackend('auto'));

  it('rANS: random bytes never crash or hang', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat(1000), (bytes, count) => {
        onlyKompaktErrors(() => decode(bytes, model, count), ['TRUNCATED', 'CORRUPT']);
      }),
      { numRuns: 500 },
    );
  });

  it('rANS: every truncation throws TRUNCATED or CORRUPT', () => {
    for (let cut = 0; cut < stream.length; cut++) {
      expect(() => decode(stream.subarray(0, cut), model, symbols.length)).toThrow(expect.objectContaining({ name: 'KompaktError' }));
    }
  });

  it('rANS: single bit flips are detected or decode to a different valid message', () => {
    let detected = 0;
    for (let bit = 0; bit < stream.length * 8; bit++) {
      const bad = stream.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      onlyKompaktErrors(() => decode(bad, model, symbols.length), ['TRUNCATED', 'CORRUPT']);
      try {
        decode(bad, model, symbols.length);
      } catch {
        detected++;
      }
    }
    // The final-state check catches nearly every flip (the stream carries no other redundancy).
    expect(detected / (stream.length * 8)).toBeGreaterThan(0.95);
  });

  it('.kpk: every truncation, every bit flip and random bytes throw a KompaktError', () => {
    const codes = ['TRUNCATED', 'CORRUPT', 'CHECKSUM', 'UNSUPPORTED_VERSION'];
    for (let cut = 0; cut < packed.length; cut += 7) {
      expect(() => decompressTensor(packed.subarray(0, cut))).toThrow(expect.objectContaining({ name: 'KompaktError' }));
    }
    for (let bit = 0; bit < packed.length * 8; bit += 13) {
      const bad = packed.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      expect(() => decompressTensor(bad)).toThrow(expect.objectContaining({ name: 'KompaktError' }));
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const withMagic = Uint8Array.from([0x4b, 0x50, 0x4b, 0, 1, ...bytes]);
        onlyKompaktErrors(() => decompressTensor(withMagic), codes);
        onlyKompaktErrors(() => decompressTensor(bytes), codes);
      }),
      { numRuns: 500 },
    );
  });
});
