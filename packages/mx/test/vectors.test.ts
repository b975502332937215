/**
 * Published test vectors (docs: /work/shared/reference/mx.md §8, which cites each source). These are
 * the only hard-coded expectations in the suite; everything else is checked against test/reference.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dequantize, decodeElements, encodeElements, quantize, setBackend } from '@kompakt/mx';
import { testBackends } from './backends';

const f32 = (...v: number[]) => Float32Array.from(v);

describe.each(testBackends())('published vectors on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('ml_dtypes v0.6.0 float4_e2m1fn casts (mx.md §8, measured with ml_dtypes headers)', () => {
    const cases: [number, number][] = [
      [0.25, 0x0], [0.25000003, 0x1], [0.75, 0x2], [0.7499999, 0x1], [1.25, 0x2], [1.75, 0x4], [2.5, 0x4], [3.5, 0x6],
      [5, 0x6], [6.5, 0x7], [7, 0x7], [1e9, 0x7], [Infinity, 0x7], [-Infinity, 0xf], [NaN, 0x8], [-0.25, 0x8], [1e-40, 0x0],
    ];
    const x = Float32Array.from(cases, (c) => c[0]);
    new Uint32Array(x.buffer)[cases.findIndex((c) => Number.isNaN(c[0]))] = 0x7fc00000; // +NaN
    expect(Array.from(encodeElements('e2m1', x, { saturate: false }))).toEqual(cases.map((c) => c[1]));
    const neg = new Float32Array(new Uint32Array([0xffc00000]).buffer); // −NaN → +0 code
    expect(encodeElements('e2m1', neg)[0]).toBe(0x0);
  });

  it('ml_dtypes float8_e4m3fn casts, both overflow modes (mx.md §8)', () => {
    expect(Array.from(encodeElements('e4m3', f32(464, 464.0001, 480, 1e6, Infinity, NaN, 400, 2 ** -10, 0.0029296875), { saturate: false })))
      .toEqual([0x7e, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7c, 0x00, 0x02]);
    expect(Array.from(encodeElements('e4m3', f32(464, 464.0001, 480, 1e6, Infinity, NaN), { saturate: true })))
      .toEqual([0x7e, 0x7e, 0x7e, 0x7e, 0x7f, 0x7f]);
  });

  it('ml_dtypes float8_e5m2 casts (mx.md §8)', () => {
    expect(Array.from(encodeElements('e5m2', f32(61440, 57344), { saturate: false }))).toEqual([0x7c, 0x7b]);
  });

  it('ml_dtypes float8_e8m0fnu casts, non-saturating and saturating (mx.md §8)', () => {
    expect(Array.from(encodeElements('e8m0', f32(0, -1, 1.5, 1.4999999, 3, Math.SQRT2, 2 ** 127 * 1.5, 2 ** 127, 2 ** -127, 2 ** -140), { saturate: false })))
      .toEqual([0xff, 0xff, 0x80, 0x7f, 0x81, 0x7f, 0xff, 0xfe, 0x00, 0x00]);
    expect(Array.from(encodeElements('e8m0', f32(0, -1, 3.4028234663852886e38), { saturate: true }))).toEqual([0x00, 0x00, 0xfe]);
  });

  it('PyTorch test_floatx.py e8m0fnu decode table (mx.md §1.3)', () => {
    const got = decodeElements('e8m0', Uint8Array.of(0x00, 0x7e, 0x7f, 0x80, 0xfe, 0xff));
    expect(Array.from(got.subarray(0, 5))).toEqual([2 ** -127, 0.5, 1, 2, 2 ** 127]);
    expect(got[5]).toBeNaN();
  });

  it('E2M1 code table of gpt-oss FP4_VALUES / HF / ModelOpt (mx.md §1.2)', () => {
    const table = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];
    expect(Array.from(decodeElements('e2m1', Uint8Array.from({ length: 16 }, (_, i) => i)))).toEqual(table);
  });

  it('torchao test_kernels.py FP6 E3M2 rounding (mx.md §8)', () => {
    expect(Array.from(encodeElements('e3m2', f32(29, 26, 0.1251, 0.0314, 0.03)))).toEqual([0b011111, 0b011110, 0b000010, 0b000001, 0]);
  });

  it('torchao test_kernels.py FP4 pack: [[0,0.5,4,−0],[−0,1,−6,3]] → [[0x10,0x86],[0x28,0x5F]] (low nibble first)', () => {
    const q = quantize(f32(0, 0.5, 4, -0, -0, 1, -6, 3), { format: 'mxfp4', n: 4 });
    expect(Array.from(q.scales)).toEqual([127, 127]); // amax 4 and 6: floor(log2) − 2 = 0
    expect([q.codes[0], q.codes[1], q.codes[16], q.codes[17]]).toEqual([0x10, 0x86, 0x28, 0x5f]);
  });

  it('microxcaling test_fp8_e4m3_fix.py: MXFP8-E4M3 with ties away (RNE gives 384 for 400)', () => {
    const x = f32(485, 475, 400, -485, -475, -450, 2 ** -6, -(2 ** -6));
    const away = dequantize(quantize(x, { format: 'mxfp8-e4m3', rounding: 'away' }), { format: 'mxfp8-e4m3' });
    expect(Array.from(away)).toEqual([448, 448, 416, -448, -448, -448, 2 ** -6, -(2 ** -6)]);
    const rne = dequantize(quantize(x, { format: 'mxfp8-e4m3' }), { format: 'mxfp8-e4m3' });
    expect(rne[2]).toBe(384);
  });
});
