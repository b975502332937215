import { describe, expect, it } from 'vitest';
import { f16ToF32Bits, f32BitsToBf16, f32BitsToF16, nativeBinding, philoxFill, rademacher } from '@kompakt/core';

interface CoreNative {
  philox4x32Fill(dst: Uint32Array, ctrLo: number, ctrHi: number, key0: number, key1: number): void;
  rademacherFill(dst: Float32Array, key0: number, key1: number): void;
  f16ToF32(src: Uint16Array, dst: Float32Array): void;
  f32ToF16(src: Float32Array, dst: Uint16Array): void;
  f32ToBf16(src: Float32Array, dst: Uint16Array): void;
}

// The native addon's copies of core's primitives must equal the JS definitions bit for bit.
const native = nativeBinding<CoreNative & Record<string, unknown>>();

describe.skipIf(!native)('native core primitives equal the JS reference', () => {
  it('Philox blocks and the sign stream', () => {
    const want = philoxFill(new Uint32Array(4 * 300), { key0: 0xdeadbeef, key1: 17 }, 0xfffffff0, 5);
    const got = new Uint32Array(want.length);
    native!.philox4x32Fill(got, 0xfffffff0, 5, 0xdeadbeef, 17);
    expect(Array.from(got)).toEqual(Array.from(want));
    const signs = new Float32Array(5000);
    native!.rademacherFill(signs, 1, 2);
    expect(Array.from(signs)).toEqual(Array.from(rademacher({ key0: 1, key1: 2 }, new Float32Array(5000))));
  });

  it('f16 widening on all 65,536 patterns and narrowing on a million random f32 bit patterns', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const wide = new Float32Array(65536);
    native!.f16ToF32(all, wide);
    const wideBits = new Uint32Array(wide.buffer);
    for (let h = 0; h < 65536; h++) if (wideBits[h] !== f16ToF32Bits(h)) expect.unreachable(`f16 ${h.toString(16)}`);

    const bits = Uint32Array.from({ length: 1 << 20 }, (_, i) => (Math.imul(i, 2654435761) ^ (i >>> 3)) >>> 0);
    const src = new Float32Array(bits.buffer);
    const f16 = new Uint16Array(bits.length);
    const bf16 = new Uint16Array(bits.length);
    native!.f32ToF16(src, f16);
    native!.f32ToBf16(src, bf16);
    for (let i = 0; i < bits.length; i++) {
      if (f16[i] !== f32BitsToF16(bits[i])) expect.unreachable(`f16 of ${bits[i].toString(16)}`);
      if (bf16[i] !== f32BitsToBf16(bits[i])) expect.unreachable(`bf16 of ${bits[i].toString(16)}`);
    }
  });
});
