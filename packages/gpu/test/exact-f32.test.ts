import { expect, it } from 'vitest';
import { bf16ToF32Bits, f16ToF32Bits, f32BitsToBf16, f32BitsToF16 } from '@kompakt/core';
import { EXACT_F32 } from '../src/kernels/exact-f32';
import { inputOf } from '../src/kernels/dtype-wgsl';
import { LINEAR_WORKGROUP, dispatch, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer } from '../src/runtime/index';
import { describeGpu, testDevice } from './device';
import { mismatches, randomFloats } from './helpers';

// out[i] = divF32(a[i], b[i]), out[n + i] = mulHalfSteps(a[i], b[i] % 16), a[i] narrowed to f16 and
// bf16 in out[2n + i], out[3n + i] = scalePow2(a[i], b[i] % 300 − 150): the integer-only f32 arithmetic
// the MX kernels rely on for bit-exact results.
const PROBE = /* wgsl */ `
${LINEAR_WORKGROUP}
${EXACT_F32}
@group(0) @binding(0) var<storage, read> a: array<u32>;
@group(0) @binding(1) var<storage, read> b: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  let n = arrayLength(&a);
  if (i >= n) { return; }
  out[i] = divF32(a[i], b[i]);
  out[n + i] = mulHalfSteps(a[i], b[i] % 16u);
  out[2u * n + i] = f32ToF16Bits(a[i] ^ (b[i] << 31u)) | (f32ToBf16Bits(a[i] ^ (b[i] << 31u)) << 16u);
  out[3u * n + i] = scalePow2(a[i], i32(b[i] % 300u) - 150);
}`;

const bits = (v: number): number => new Uint32Array(Float32Array.of(v).buffer)[0];

/** Operand pairs: random bit patterns over every exponent (subnormals included), quotients at exact rounding ties, specials. */
function operands(): { a: Uint32Array; b: Uint32Array } {
  const r = randomFloats(3 * 20_000, 11);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const word = (x: number): number => Math.floor(Math.abs(x) * 0x7f800000) >>> 0; // any finite non-negative pattern
    if (i % 4 === 0) {
      // a = b·(odd/2^k): quotients with few significant bits, halfway cases and exact results.
      const bv = Math.fround(Math.abs(r[3 * i]) * 2 ** Math.round(r[3 * i + 1] * 100));
      a.push(bits(Math.fround(bv * (2 * Math.round(Math.abs(r[3 * i + 2]) * 2 ** 24) + 1) * 2 ** -25)));
      b.push(bits(bv));
    } else {
      a.push(word(r[3 * i]));
      b.push(i % 4 === 1 ? word(r[3 * i + 1]) : (0x00000001 + word(r[3 * i + 1]) % 0x01000000) >>> 0); // b subnormal or tiny
    }
  }
  // Zero, Inf and NaN operands.
  a.push(0, 0, bits(1), 0x7f800000, bits(3), 0x7fc00000);
  b.push(0, bits(2), 0, bits(2), 0x7f800000, bits(1));
  return { a: Uint32Array.from(a), b: Uint32Array.from(b) };
}

describeGpu('exact f32 arithmetic in WGSL', () => {
  it('divF32 is IEEE division, mulHalfSteps and scalePow2 IEEE multiplication, f32ToF16Bits/f32ToBf16Bits the core conversions', async () => {
    const device = testDevice!;
    const { a, b } = operands();
    const n = a.length;
    const ab = storageBuffer(device, a);
    const bb = storageBuffer(device, b);
    const out = storageBuffer(device, n * 16);
    dispatch(device, pipelineFor(device, 'test-exact-f32', PROBE), [ab, bb, out], [Math.ceil(n / 64)]);
    const got = new Uint32Array(await readBuffer(device, out, n * 16));
    releaseAfterBatch(device, ab, bb, out);
    const fa = new Float32Array(a.buffer);
    const fb = new Float32Array(b.buffer);
    // f64 division of two f32 values, then rounding to f32, is correctly rounded (53 ≥ 2·24 + 2).
    const quotient = Float32Array.from(fa, (v, i) => v / fb[i]);
    const product = Float32Array.from(fa, (v, i) => (v * (b[i] % 16)) / 2);
    // a·2^k is exact in f64 and rounds once to f32.
    const scaled = Float32Array.from(fa, (v, i) => v * 2 ** ((b[i] % 300) - 150));
    const want = new Uint32Array(4 * n);
    want.set(new Uint32Array(quotient.buffer));
    want.set(new Uint32Array(product.buffer), n);
    want.set(new Uint32Array(scaled.buffer), 3 * n);
    const asFloats = new Float32Array(want.buffer);
    // NaN results are the quiet NaN (the slot at 2n holds packed 16-bit values, not floats).
    for (let i = 0; i < 4 * n; i++) if ((i < 2 * n || i >= 3 * n) && Number.isNaN(asFloats[i])) want[i] = 0x7fc00000;
    for (let i = 0; i < n; i++) {
      const signed = (a[i] ^ (b[i] << 31)) >>> 0; // both signs, from b's low bit
      want[2 * n + i] = (f32BitsToF16(signed) | (f32BitsToBf16(signed) << 16)) >>> 0;
    }
    expect(mismatches(got, want)).toBe(0);
  });
});

// out[i] = loadX(i): the quantize kernels' view of element i of a 16-bit input, as f32 bits.
const widenProbe = (dtype: 'f16' | 'bf16'): string => /* wgsl */ `
${LINEAR_WORKGROUP}
${inputOf(dtype)}
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i < arrayLength(&out)) { out[i] = loadX(i); }
}`;

describeGpu('16-bit inputs widened in WGSL', () => {
  it.each([['f16', f16ToF32Bits], ['bf16', bf16ToF32Bits]] as const)('%s: all 65,536 patterns widen as @kompakt/core does', async (dtype, widen) => {
    const device = testDevice!;
    const patterns = Uint16Array.from({ length: 1 << 16 }, (_, h) => h);
    const xb = storageBuffer(device, patterns);
    const out = storageBuffer(device, patterns.length * 4);
    dispatch(device, pipelineFor(device, `test-widen-${dtype}`, widenProbe(dtype)), [xb, out], [patterns.length / 64]);
    const got = new Uint32Array(await readBuffer(device, out, patterns.length * 4));
    releaseAfterBatch(device, xb, out);
    expect(mismatches(got, Uint32Array.from(patterns, (h) => widen(h)))).toBe(0);
  });
});
