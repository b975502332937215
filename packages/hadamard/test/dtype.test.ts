import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrow16, widen16 } from '@kompakt/core';
import { fwht, ifwht, irht, rht, setBackend } from '@kompakt/hadamard';
import { randomFloats, testBackends } from './backends';

describe.each(testBackends())('16-bit storage on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  for (const dtype of ['f16', 'bf16'] as const) {
    it(`${dtype}: the backend's conversions keep all 65,536 patterns (NaN → quiet NaN)`, () => {
      const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
      const out = fwht(all.slice(), { n: 1, dtype });
      const quiet = dtype === 'f16' ? 0x200 : 0x40;
      const isNaN16 = (h: number) => (dtype === 'f16' ? (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0 : (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0);
      for (let h = 0; h < 65536; h++) {
        if (out[h] !== (isNaN16(h) ? h | quiet : h)) expect.unreachable(`pattern ${h.toString(16)} came back as ${out[h].toString(16)}`);
      }
    });

    it(`${dtype}: widens, transforms in f32 and rounds back to nearest even, bit for bit`, () => {
      for (const n of [32, 1024, 12 * 8]) {
        const bits = narrow16(randomFloats(n * 4, n, 4), dtype);
        const expected = narrow16(fwht(widen16(bits, dtype), { n }), dtype);
        expect(Array.from(fwht(bits.slice(), { n, dtype }))).toEqual(Array.from(expected));
        const rotated = narrow16(rht(widen16(bits, dtype), { n, seed: 8 }), dtype);
        expect(Array.from(rht(bits.slice(), { n, dtype, seed: 8 }))).toEqual(Array.from(rotated));
      }
    });

    it(`${dtype}: round-trips within the format's precision`, () => {
      const n = 256;
      const bits = narrow16(randomFloats(n, 1), dtype);
      const back = widen16(ifwht(fwht(bits.slice(), { dtype }), { dtype }), dtype);
      const again = widen16(irht(rht(bits.slice(), { dtype, seed: 2 }), { dtype, seed: 2 }), dtype);
      const orig = widen16(bits, dtype);
      const eps = dtype === 'f16' ? 2 ** -9 : 2 ** -6;
      for (let i = 0; i < n; i++) {
        expect(Math.abs(back[i] - orig[i])).toBeLessThanOrEqual(eps);
        expect(Math.abs(again[i] - orig[i])).toBeLessThanOrEqual(eps);
      }
    });
  }
});
