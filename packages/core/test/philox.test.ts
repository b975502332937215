import { describe, expect, it } from 'vitest';
import { philox4x32, philoxFill, rademacher, seedToKey } from '@kompakt/core';

const hex = (w: Uint32Array) => Array.from(w, (x) => x.toString(16).padStart(8, '0')).join(' ');

describe('Philox4x32-10', () => {
  // Random123's kat_vectors for philox4x32 with 10 rounds.
  it('matches the Random123 known-answer vectors', () => {
    expect(hex(philox4x32(0, 0, 0, 0, 0, 0))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    const f = 0xffffffff;
    expect(hex(philox4x32(f, f, f, f, f, f))).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    expect(hex(philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0)))
      .toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });

  it('fills consecutive counters with a carry into the high word', () => {
    const key = { key0: 7, key1: 9 };
    const out = philoxFill(new Uint32Array(8), key, 0xffffffff, 3);
    expect(Array.from(out.subarray(0, 4))).toEqual(Array.from(philox4x32(0xffffffff, 3, 0, 0, 7, 9)));
    expect(Array.from(out.subarray(4))).toEqual(Array.from(philox4x32(0, 4, 0, 0, 7, 9)));
  });
});

describe('seeds and signs', () => {
  it('splits numbers and bigints into the same key words', () => {
    expect(seedToKey(0x1234_5678_9abc)).toEqual({ key0: 0x56789abc, key1: 0x1234 });
    expect(seedToKey(0x1234_5678_9abcn)).toEqual({ key0: 0x56789abc, key1: 0x1234 });
    expect(seedToKey(2n ** 64n - 1n)).toEqual({ key0: 0xffffffff, key1: 0xffffffff });
    expect(() => seedToKey(-1)).toThrow(RangeError);
    expect(() => seedToKey(1.5)).toThrow(RangeError);
    expect(() => seedToKey(2n ** 64n)).toThrow(RangeError);
  });

  it('derives sign i from bit i mod 128 of block i / 128, LSB first', () => {
    const key = seedToKey(42);
    const signs = rademacher(key, new Float32Array(300));
    for (const i of [0, 1, 31, 32, 127, 128, 200, 299]) {
      const w = philox4x32(Math.floor(i / 128), 0, 0, 0, key.key0, key.key1);
      const bit = (w[(i % 128) >> 5] >>> (i % 32)) & 1;
      expect(signs[i]).toBe(bit ? -1 : 1);
    }
    // A prefix of a longer stream is the shorter stream: callers can grow n and keep their signs.
    expect(Array.from(rademacher(key, new Float32Array(100)))).toEqual(Array.from(signs.subarray(0, 100)));
  });

  it('is balanced: about half the signs are negative', () => {
    const signs = rademacher(seedToKey(1), new Float32Array(1 << 16));
    const neg = signs.reduce((n, s) => n + (s < 0 ? 1 : 0), 0);
    expect(Math.abs(neg - 32768)).toBeLessThan(4 * 128); // 4 sigma
  });
});
