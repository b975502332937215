import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AdaptiveBinaryDecoder, AdaptiveBinaryEncoder, AdaptiveModel, categorical, gaussian, isKompaktError, rangeDecode, rangeEncode } from '@kompakt/entropy';
import { rng } from './backends.js';

/** Runs fn: 'ok', or the KompaktError code it threw (TRUNCATED or CORRUPT only; anything else fails). */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (!isKompaktError(e) || !['TRUNCATED', 'CORRUPT'].includes(e.code)) throw e;
    return e.code;
  }
}

const next = rng(31);
const values = Array.from({ length: 300 }, () => Math.floor(next() ** 2 * 9));
const bits = Array.from({ length: 2000 }, (_, i) => (next() < 0.1 + (i % 4) * 0.2 ? 1 : 0));

/** Each coder under test as (encode the fixed message, decode `count` items from bytes and check the end). */
const coders = {
  static: {
    encode: () => rangeEncode(values, categorical([50, 20, 10, 5, 5, 5, 3, 1, 1], { precision: 12 })),
    decode: (bytes: Uint8Array, count: number) => rangeDecode(bytes, categorical([50, 20, 10, 5, 5, 5, 3, 1, 1], { precision: 12 }), count),
    count: values.length,
  },
  gaussian: {
    encode: () => rangeEncode(values, gaussian({ std: 2, min: 0, max: 8, precision: 16 })),
    decode: (bytes: Uint8Array, count: number) => rangeDecode(bytes, gaussian({ std: 2, min: 0, max: 8, precision: 16 }), count),
    count: values.length,
  },
  adaptive: {
    encode: () => rangeEncode(values, new AdaptiveModel(9)),
    decode: (bytes: Uint8Array, count: number) => rangeDecode(bytes, new AdaptiveModel(9), count),
    count: values.length,
  },
  binary: {
    encode: () => {
      const e = new AdaptiveBinaryEncoder({ contexts: 4 });
      bits.forEach((b, i) => e.encodeBit(i & 3, b));
      e.encodeDirect(0x1234, 16);
      return e.finish();
    },
    decode: (bytes: Uint8Array, count: number) => {
      const d = new AdaptiveBinaryDecoder(bytes, { contexts: 4 });
      for (let i = 0; i < count; i++) d.decodeBit(i & 3);
      d.decodeDirect(16);
      d.finish();
    },
    count: bits.length,
  },
};

describe.each(Object.entries(coders))('range decoder fuzzing: %s', (_, coder) => {
  const stream = coder.encode();

  it('random bytes and counts end in success or TRUNCATED/CORRUPT, never a hang or a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(3000), (bytes, count) => {
        outcome(() => coder.decode(bytes, count));
      }),
      { numRuns: 300 },
    );
  });

  it('every truncation throws TRUNCATED', () => {
    for (let cut = 0; cut < stream.length; cut++) expect(outcome(() => coder.decode(stream.subarray(0, cut), coder.count))).toBe('TRUNCATED');
  });

  it('trailing bytes throw CORRUPT', () => {
    const longer = new Uint8Array(stream.length + 1);
    longer.set(stream);
    expect(outcome(() => coder.decode(longer, coder.count))).toBe('CORRUPT');
  });

  it('single bit flips are detected or decode to a different message of valid symbols', () => {
    let detected = 0;
    for (let bit = 0; bit < stream.length * 8; bit++) {
      const bad = stream.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      if (outcome(() => coder.decode(bad, coder.count)) !== 'ok') detected++;
    }
    // The final-state check (code = 0 after the flush) catches nearly every flip.
    expect(detected / (stream.length * 8)).toBeGreaterThan(0.95);
  });
});
