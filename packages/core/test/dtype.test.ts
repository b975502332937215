import { describe, expect, it } from 'vitest';
import {
  bf16ToF32Bits, f16ToF32Bits, f32BitsToBf16, f32BitsToF16, f32Bits, f32FromBits, fromF16, narrow16, toF16, widen16,
} from '@kompakt/core';

// Independent reference: the value of an f16 from its fields, by arithmetic (no bit tricks).
function f16Value(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0x1f) return m ? NaN : s * Infinity;
  if (e === 0) return s * m * 2 ** -24;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

const isNaN16 = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;

describe('f16', () => {
  it('widens all 65,536 patterns exactly and narrows them back bit for bit', () => {
    for (let h = 0; h < 0x10000; h++) {
      const bits = f16ToF32Bits(h);
      const v = f32FromBits(bits);
      if (isNaN16(h)) {
        expect(Number.isNaN(v)).toBe(true);
        expect(bits >>> 31).toBe(h >>> 15); // sign kept
        expect(f32BitsToF16(bits)).toBe(h | 0x200); // payload kept, quiet bit set
      } else {
        expect(Object.is(v, f16Value(h))).toBe(true);
        expect(f32BitsToF16(bits)).toBe(h);
      }
    }
  });

  it('rounds every midpoint between neighbouring f16 values to the even one, and ±1 ulp away to the nearest', () => {
    for (let h = 0; h < 0x7c00; h++) {
      const lo = f16Value(h);
      const hi = f16Value(h + 1); // h + 1 = 0x7c00 is +Inf: the midpoint there is 65520, which rounds to Inf
      const mid = h === 0x7bff ? 65520 : (lo + hi) / 2;
      const midBits = f32Bits(mid);
      expect(f32FromBits(midBits)).toBe(mid); // every f16 midpoint is exact in f32
      const even = (h & 1) === 0 ? h : h + 1;
      expect(f32BitsToF16(midBits)).toBe(even);
      expect(f32BitsToF16(midBits - 1)).toBe(h);
      expect(f32BitsToF16(midBits + 1)).toBe(h + 1);
      expect(f32BitsToF16((midBits | 0x80000000) >>> 0)).toBe(even | 0x8000); // symmetric in sign
    }
  });

  it('keeps Inf, overflows to Inf and flushes tiny values to signed zero', () => {
    expect(toF16(Infinity)).toBe(0x7c00);
    expect(toF16(-Infinity)).toBe(0xfc00);
    expect(toF16(1e6)).toBe(0x7c00);
    expect(toF16(65504)).toBe(0x7bff);
    expect(toF16(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal → even (0)
    expect(toF16(2 ** -25 * 1.0000001)).toBe(1);
    expect(toF16(-1e-30)).toBe(0x8000);
    expect(Number.isNaN(fromF16(toF16(NaN)))).toBe(true);
  });

  it('matches the engine’s own Math.f16round where it exists', () => {
    const f16round = (Math as unknown as { f16round?: (x: number) => number }).f16round;
    if (!f16round) return; // Node 20 has none; Chromium does
    for (let i = 0; i < 200_000; i++) {
      const x = f32FromBits((Math.random() * 2 ** 32) >>> 0);
      const want = f16round(Math.fround(x));
      const got = fromF16(toF16(x));
      expect(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))).toBe(true);
    }
  });
});

describe('bf16', () => {
  it('widens all 65,536 patterns exactly and narrows them back bit for bit', () => {
    for (let h = 0; h < 0x10000; h++) {
      const bits = bf16ToF32Bits(h);
      const nan = (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0;
      expect(f32BitsToBf16(bits)).toBe(nan ? h | 0x40 : h);
    }
  });

  it('rounds midpoints to even and ±1 ulp to the nearest; overflow to Inf', () => {
    for (let h = 0; h < 0x7f80; h += 7) {
      const mid = ((h << 16) | 0x8000) >>> 0;
      const even = (h & 1) === 0 ? h : h + 1;
      expect(f32BitsToBf16(mid)).toBe(even);
      expect(f32BitsToBf16(mid - 1)).toBe(h);
      expect(f32BitsToBf16(mid + 1)).toBe(h + 1);
    }
    expect(f32BitsToBf16(0x7f7fffff)).toBe(0x7f80); // f32 max rounds up to Inf
    expect(f32BitsToBf16(0x7f800000)).toBe(0x7f80);
  });
});

describe('array helpers', () => {
  it('widen16/narrow16 round-trip subarray views without touching neighbours', () => {
    const backing = new Uint16Array(12).fill(0xffff);
    const src = backing.subarray(2, 10);
    src.set([0x3c00, 0xc000, 0x0001, 0x7bff, 0x7c00, 0xfc00, 0x0000, 0x8000]);
    const wide = widen16(src, 'f16');
    expect(Array.from(wide.subarray(0, 4))).toEqual([1, -2, 2 ** -24, 65504]);
    const back = narrow16(wide, 'f16', new Uint16Array(8));
    expect(Array.from(back)).toEqual(Array.from(src));
    expect(backing[0]).toBe(0xffff);
    expect(backing[11]).toBe(0xffff);
  });
});
