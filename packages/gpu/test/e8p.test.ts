import { expect, it } from 'vitest';
import { rht } from '@kompakt/hadamard';
import { dequantize, e8pDecode, quantize, type QuantizeOptions } from '@kompakt/lattice';
import { e8pDecodeGpu, e8pMatvecGpu } from '../src/index';
import { rng } from '../../../test/helpers/backends';
import { matvecReference as reference } from '../../../test/helpers/matvec';
import { describeGpu, testDevice } from './device';
import { expectRejects, withBindingLimit } from './helpers';

function gaussianMatrix(length: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}

/** Codes of a quantized matrix as lattice writes them (u16 LE bytes), viewed as u16. */
function codesOf(q: { codes: Uint8Array }): Uint16Array {
  return new Uint16Array(q.codes.buffer, q.codes.byteOffset, q.codes.length / 2);
}

it('rejects bad arguments with KompaktErrors before touching a device', async () => {
  await expectRejects(e8pDecodeGpu(new Uint32Array(2) as unknown as Uint16Array), 'INVALID_TYPE');
  const codes = new Uint16Array(4);
  const x = new Float32Array(16);
  await expectRejects(e8pMatvecGpu(codes, x, { rows: 2, cols: 12 }), 'SHAPE_MISMATCH');
  await expectRejects(e8pMatvecGpu(codes, x, { rows: 3, cols: 16 }), 'SHAPE_MISMATCH');
  await expectRejects(e8pMatvecGpu(codes, new Float32Array(8), { rows: 2, cols: 16 }), 'SHAPE_MISMATCH');
  await expectRejects(e8pMatvecGpu(codes, x, { rows: 2, cols: 16, groupSize: 12 }), 'SHAPE_MISMATCH');
  await expectRejects(e8pMatvecGpu(codes, x, { rows: 2, cols: 16, scales: new Float32Array(3) }), 'SHAPE_MISMATCH');
  await expectRejects(e8pMatvecGpu(codes, x, {} as { rows: number; cols: number }), 'INVALID_ARGUMENT');
});

describeGpu('E8P on the GPU', () => {
  const device = testDevice!;

  it('decodes all 65,536 codes bit-identically to the CPU', async () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const gpu = await e8pDecodeGpu(all, { device });
    expect(new Uint32Array(gpu.buffer)).toEqual(new Uint32Array(e8pDecode(all).buffer));
  });

  it('decodes odd-length and empty inputs', async () => {
    const codes = Uint16Array.of(0x0000, 0x0001, 0xe303, 0xffff, 0x1234);
    expect(await e8pDecodeGpu(codes, { device })).toEqual(e8pDecode(codes));
    expect(await e8pDecodeGpu(new Uint16Array(0), { device })).toEqual(new Float32Array(0));
  });

  it('splits inputs larger than a storage binding into several dispatches', async () => {
    // 8 KiB (the pattern table's size): 256 codes per decode part, 32 rows of 1024 weights per matvec part
    const small = withBindingLimit(device, 8192);
    const codes = Uint16Array.from({ length: 1000 }, (_, i) => (i * 40503) & 0xffff);
    expect(await e8pDecodeGpu(codes, { device: small })).toEqual(e8pDecode(codes));
    const rows = 70, cols = 1024;
    const q = quantize(gaussianMatrix(rows * cols, 5), { codebook: 'e8p', n: cols, groupSize: 256 });
    const x = gaussianMatrix(cols, 6);
    const opts = { rows, cols, scales: q.scales, groupSize: 256 };
    const whole = await e8pMatvecGpu(codesOf(q), x, { ...opts, device });
    expect(await e8pMatvecGpu(codesOf(q), x, { ...opts, device: small })).toEqual(whole);
  });

  const shapes: [string, number, number, number | undefined][] = [
    ['one scale per row', 37, 256, undefined],
    ['groups of 64', 19, 512, 64],
    ['rows shorter than a workgroup', 5, 24, 8],
  ];
  it.each(shapes)('matches dequantize-then-multiply within the documented bound (%s)', async (_, rows, cols, groupSize) => {
    const opts: QuantizeOptions = { codebook: 'e8p', n: cols, groupSize };
    const q = quantize(gaussianMatrix(rows * cols, rows), opts);
    const x = gaussianMatrix(cols, cols + 1);
    const y = await e8pMatvecGpu(codesOf(q), x, { rows, cols, scales: q.scales, groupSize, device });
    const { y: want, magnitude } = reference(dequantize(q, opts), x, rows, cols);
    expect(y.length).toBe(rows);
    for (let r = 0; r < rows; r++) expect(Math.abs(y[r] - want[r])).toBeLessThanOrEqual(cols * 2 ** -23 * magnitude[r]);
  });

  it('serves a Hadamard-rotated quantization when given rht(x) (W = irht(codewords), rht orthogonal)', async () => {
    const rows = 6, cols = 128;
    const opts: QuantizeOptions = { codebook: 'e8p', n: cols, hadamard: true, seed: 3 };
    const q = quantize(gaussianMatrix(rows * cols, 11), opts);
    const x = gaussianMatrix(cols, 12);
    const y = await e8pMatvecGpu(codesOf(q), rht(x.slice(), { n: cols, seed: 3 }), { rows, cols, scales: q.scales, device });
    const w = dequantize(q, opts);
    const { y: want } = reference(w, x, rows, cols);
    // the rotation rounds x once more, so compare against the Cauchy–Schwarz scale ‖W_r‖·‖x‖
    const norm = (v: Float32Array) => Math.hypot(...v);
    for (let r = 0; r < rows; r++) expect(Math.abs(y[r] - want[r])).toBeLessThanOrEqual(1e-5 * norm(w.subarray(r * cols, (r + 1) * cols)) * norm(x));
  });

  it('multiplies by the bare codewords without scales', async () => {
    const rows = 3, cols = 16;
    const codes = Uint16Array.from({ length: (rows * cols) / 8 }, (_, i) => (i * 7919) & 0xffff);
    const x = Float32Array.from({ length: cols }, (_, j) => j - 8);
    const w = e8pDecode(codes);
    // small integers times multiples of ¼: every partial sum is exact, so the result is too
    const { y: want } = reference(w, x, rows, cols);
    expect(Array.from(await e8pMatvecGpu(codes, x, { rows, cols, device }))).toEqual(Array.from(want));
  });
});
