import { afterAll, beforeAll, expect, it } from 'vitest';
import { narrow16, widen16 } from '@kompakt/core';
import { dequantize, matvec, quantize, setBackend, type DequantizeOptions, type Quantized, type QuantizeOptions } from '@kompakt/mx';
import { dequantizeGpu, matvecGpu, quantizeGpu } from '../src/index';
import { mxConsts } from '../src/kernels/mx/consts';
import { encodeQuantize } from '../src/kernels/mx/run';
import { readBuffer, releaseAfterBatch, storageBuffer } from '../src/runtime/index';
import { describeGpu, testDevice } from './device';
import { expectRejects, mismatches, randomFloats, withBindingLimit } from './helpers';
import { hardFloats, tieFloats } from './mx-data';

const FORMATS: QuantizeOptions[] = [
  ...(['floor', 'ceil', 'even', 'rceil'] as const).flatMap((scaleRule) => (['rne', 'away'] as const).map((rounding) => ({ format: 'mxfp4', scaleRule, rounding }) as QuantizeOptions)),
  { format: 'mxfp4', layout: 'ggml' },
  { format: 'nvfp4' },
  { format: 'nvfp4', rounding: 'away', layout: 'ggml' },
  { format: 'nvfp4', tensorScale: 2 ** -140 }, // subnormal and underflowed block multipliers
  { format: 'nvfp4', tensorScale: 1e30 },
  { format: 'nvfp4', tensorScale: 1 }, // ties of v / decode(sb) for the grid groups
];

// Formats beyond FP4 (FP6, FP8, INT8: e8m0 scales, 6 or 8 bits per code).
const WIDE_FORMATS = ['mxfp8-e4m3', 'mxfp8-e5m2', 'mxint8', 'mxfp6-e2m3', 'mxfp6-e3m2'] as const;

const WIDE_QUANTIZE: QuantizeOptions[] = WIDE_FORMATS.flatMap((format) => (['floor', 'ceil', 'even', 'rceil'] as const)
  .flatMap((scaleRule) => (['rne', 'away'] as const).map((rounding) => ({ format, scaleRule, rounding }) as QuantizeOptions)));

/**
 * A tensor of `format` whose codes run through every byte value (so every FP6 code too, and the partial
 * last block's padding) under every scale byte: 0x00 and 0xFE (results beyond f32's range: Inf), 0xFF
 * (NaN blocks). Not a tensor quantize would write: the decoder must still match the wasm one on it.
 */
function everyCode(format: (typeof WIDE_FORMATS)[number], n: number, rows: number): Quantized {
  const nb = Math.ceil(n / 32);
  const blockBytes = format.startsWith('mxfp6') ? 24 : 32;
  const codes = Uint8Array.from({ length: rows * nb * blockBytes }, (_, i) => (i * 167 + (i >> 8)) & 0xff);
  const scales = Uint8Array.from({ length: rows * nb }, (_, i) => (i * 7) & 0xff);
  return { codes, scales, format, n, rows, layout: 'pairs' };
}

/** dequantizeGpu(q) equals the wasm dequantize bit for bit, to f32, f16 and bf16 (NaN blocks allowed). */
async function expectDequantizeBitExact(q: Quantized, opts: DequantizeOptions): Promise<void> {
  const all = { ...opts, allowNaN: true };
  const got = await dequantizeGpu(q, all);
  expect(mismatches(new Uint32Array(got.buffer), new Uint32Array(dequantize(q, all).buffer)), 'f32').toBe(0);
  for (const outDtype of ['f16', 'bf16'] as const) {
    expect(mismatches(await dequantizeGpu(q, { ...all, outDtype }), dequantize(q, { ...all, outDtype })), outDtype).toBe(0);
  }
}

describeGpu('MX on the GPU against the wasm path', () => {
  const device = testDevice!;
  beforeAll(() => setBackend('wasm'));
  afterAll(() => setBackend('auto'));

  it.each(FORMATS.map((o) => [JSON.stringify(o), o] as const))('quantize %s is bit-exact, partial blocks included', async (_name, opts) => {
    for (const n of [1024, 200]) { // 200: a partial last block per row
      const x = hardFloats(n * 3, n);
      const want = quantize(x, { ...opts, n });
      const got = await quantizeGpu(x, { ...opts, n });
      expect(mismatches(got.scales, want.scales), `scales, n = ${n}`).toBe(0);
      expect(mismatches(got.codes, want.codes), `codes, n = ${n}`).toBe(0);
      expect(got.tensorScale).toBe(want.tensorScale);
      expect({ ...got, codes: null, scales: null }).toEqual({ ...want, codes: null, scales: null });
    }
  });

  it.each(WIDE_QUANTIZE.map((o) => [JSON.stringify(o), o] as const))('quantize %s is bit-exact on ties, subnormals, saturation and NaN/Inf blocks', async (_name, opts) => {
    for (const [n, x] of [[1024, tieFloats(3 * 1024, 11)], [200, hardFloats(3 * 200, 200)], [200, tieFloats(3 * 200, 7)]] as const) {
      const want = quantize(x, { ...opts, n });
      const got = await quantizeGpu(x, { ...opts, n });
      expect(mismatches(got.scales, want.scales), `scales, n = ${n}`).toBe(0);
      expect(mismatches(got.codes, want.codes), `codes, n = ${n}`).toBe(0);
      expect({ ...got, codes: null, scales: null }).toEqual({ ...want, codes: null, scales: null });
    }
  });

  it.each(FORMATS.map((o) => [JSON.stringify(o), o] as const))('dequantize %s is bit-exact to f32, f16 and bf16 (NaN blocks with allowNaN)', async (_name, opts) => {
    const n = 201; // odd: the last 16-bit value of the output sits alone in its word
    await expectDequantizeBitExact(quantize(hardFloats(n * 3, 5), { ...opts, n }), { ...opts, n });
  });

  it.each(WIDE_FORMATS)('dequantize %s is bit-exact on quantized data and on every code under every scale byte', async (format) => {
    for (const n of [201, 64]) { // 201: a partial last block, an odd output length
      await expectDequantizeBitExact(quantize(hardFloats(n * 3, n), { format, n }), { format, n });
    }
    await expectDequantizeBitExact(everyCode(format, 250, 40), { format, n: 250 });
  });

  it('dequantizes an FP6 format with hadamard and across binding splits like the CPU', async () => {
    const opts = { format: 'mxfp6-e3m2', n: 256, hadamard: { seed: 5, block: 32 } } as const;
    const q = quantize(randomFloats(3 * 256, 9), opts);
    const back = await dequantizeGpu(q, opts);
    const want = dequantize(q, opts);
    for (let i = 0; i < want.length; i++) expect(Math.abs(back[i] - want[i])).toBeLessThanOrEqual(1e-5 * 8);
    const small = withBindingLimit(device, 2 * 1000 * 4); // two rows of 1000 f32 per binding
    const q8 = everyCode('mxfp8-e5m2', 1000, 7);
    const split = await dequantizeGpu(q8, { format: 'mxfp8-e5m2', n: 1000, allowNaN: true, device: small });
    expect(mismatches(new Uint32Array(split.buffer), new Uint32Array(dequantize(q8, { format: 'mxfp8-e5m2', n: 1000, allowNaN: true }).buffer))).toBe(0);
    // n = 1: a row's 32 code bytes outweigh its 4 output bytes, so they size the chunks.
    const tiny = everyCode('mxint8', 1, 200);
    const one = await dequantizeGpu(tiny, { format: 'mxint8', n: 1, allowNaN: true, device: withBindingLimit(device, 4096) });
    expect(mismatches(new Uint32Array(one.buffer), new Uint32Array(dequantize(tiny, { format: 'mxint8', n: 1, allowNaN: true }).buffer))).toBe(0);
  });

  it.each(['mxfp4', 'nvfp4', ...WIDE_FORMATS] as const)('%s matvec agrees within tolerance, partial blocks (and FP4 layouts) included', async (format) => {
    const fp4 = format === 'mxfp4' || format === 'nvfp4';
    for (const [rows, n, layout] of [[70, 1024, 'pairs'], [33, 200, fp4 ? 'ggml' : 'pairs']] as const) {
      const w = randomFloats(rows * n, rows, 3);
      const x = randomFloats(n, n);
      const q = quantize(w, { format, n, layout });
      const got = await matvecGpu(q, x, { format, n, layout });
      const want = matvec(q, x, { format, n, layout });
      // docs/gpu.md: |Δy_r| ≤ (nb + 8)·2^-24·Σ_j |W_rj·x_j|, from the different order of the block sums.
      const dense = dequantize(q, { format, n, layout });
      for (let r = 0; r < rows; r++) {
        let mass = 0;
        for (let j = 0; j < n; j++) mass += Math.abs(dense[r * n + j] * x[j]);
        expect(Math.abs(got[r] - want[r]), `row ${r}`).toBeLessThanOrEqual((Math.ceil(n / 32) + 8) * 2 ** -24 * mass);
      }
    }
  });

  it('applies the hadamard option like the CPU (quantize, dequantize, matvec)', async () => {
    const opts = { format: 'mxfp4', n: 256, hadamard: { seed: 3, block: 64 } } as const;
    const w = randomFloats(4 * 256, 8);
    const q = quantize(w, opts);
    const g = await quantizeGpu(w, opts);
    // The rotation itself is within float tolerance of the CPU's, so a code may differ at a rounding tie.
    expect(mismatches(g.codes, q.codes)).toBeLessThanOrEqual(4);
    const back = await dequantizeGpu(q, opts);
    const want = dequantize(q, opts);
    for (let i = 0; i < want.length; i++) expect(Math.abs(back[i] - want[i])).toBeLessThanOrEqual(1e-5 * 8);
    const narrow = await dequantizeGpu(q, { ...opts, outDtype: 'bf16' });
    expect(narrow).toBeInstanceOf(Uint16Array);
    // bf16 of values within float tolerance: equal, or one bf16 step apart at a rounding boundary.
    const cpuNarrow = dequantize(q, { ...opts, outDtype: 'bf16' });
    for (let i = 0; i < cpuNarrow.length; i++) expect(Math.abs(narrow[i] - cpuNarrow[i])).toBeLessThanOrEqual(1);
    const x = randomFloats(256, 2);
    const y = await matvecGpu(q, x, opts);
    const yWant = matvec(q, x, opts);
    for (let r = 0; r < 4; r++) expect(Math.abs(y[r] - yWant[r])).toBeLessThanOrEqual(1e-4);
  });

  it.each(['f16', 'bf16'] as const)('takes %s inputs (Uint16Array bits) in quantizeGpu and matvecGpu like the CPU', async (dtype) => {
    const n = 200;
    const bits = narrow16(hardFloats(3 * n, 12), dtype); // NaN/Inf blocks, subnormals and ties survive the narrowing
    // n = 200 ends every row in a partial block (values read from x); n = 256 is whole blocks (staged kernels).
    for (const rowLength of [n, 256]) {
      for (const opts of [{ format: 'mxfp4', n: rowLength, dtype }, { format: 'nvfp4', n: rowLength, dtype, rounding: 'away' }, { format: 'mxfp8-e4m3', n: rowLength, dtype }] as const) {
        const input = bits.subarray(0, 2 * rowLength);
        const want = quantize(input, opts);
        const got = await quantizeGpu(input, opts);
        expect(mismatches(got.codes, want.codes) + mismatches(got.scales, want.scales), JSON.stringify(opts)).toBe(0);
        expect(got.tensorScale).toBe(want.tensorScale);
      }
    }
    // matvec: a Uint16Array x gives exactly the product with its widened f32 values (on both paths).
    const q = quantize(randomFloats(5 * n, 6), { format: 'mxint8', n });
    const x = narrow16(randomFloats(n, 7), dtype);
    const got = await matvecGpu(q, x, { format: 'mxint8', n, dtype });
    expect(mismatches(got, await matvecGpu(q, widen16(x, dtype), { format: 'mxint8', n }))).toBe(0);
    const want = matvec(q, x, { format: 'mxint8', n, dtype });
    for (let r = 0; r < 5; r++) expect(Math.abs(got[r] - want[r])).toBeLessThanOrEqual(1e-5);
    // hadamard rotates the widened copy, never the caller's bits.
    const before = bits.slice();
    await quantizeGpu(bits, { format: 'mxfp4', n, dtype, hadamard: { block: 8 } });
    expect(mismatches(bits, before)).toBe(0);
  });

  it.each(['mxfp4', 'mxfp8-e4m3'] as const)('%s quantize overwrites reused output buffers whole (scale words too: no atomics on them)', async (format) => {
    const n = 200; // 7 blocks per row: 5 rows end mid-word and mid-workgroup
    const x = hardFloats(5 * n, 31);
    const want = quantize(x, { format, n });
    const fp4 = format === 'mxfp4';
    const g = { n, bs: 32, scaleFmt: 0, rule: 0, layout: 0, bits: fp4 ? 4 : 8, element: fp4 ? 'e2m1' : 'e4m3', rounding: 'rne', key: [0, 0] } as const;
    const into = { codes: storageBuffer(device, new Uint8Array(want.codes.length).fill(0xff)), scales: storageBuffer(device, new Uint8Array(want.scales.length).fill(0xff)) };
    const xb = storageBuffer(device, x);
    const consts = storageBuffer(device, mxConsts(0, 1, 'rne', g.element, g.bits));
    for (let run = 0; run < 2; run++) encodeQuantize(device, xb, 5, g, consts, 0, 'f32', into);
    const [codes, scales] = await Promise.all([readBuffer(device, into.codes, want.codes.length), readBuffer(device, into.scales, want.scales.length)]);
    releaseAfterBatch(device, xb, consts, into.codes, into.scales);
    expect(mismatches(new Uint8Array(codes), want.codes) + mismatches(new Uint8Array(scales), want.scales)).toBe(0);
  });

  it('splits tensors larger than one storage binding by rows', async () => {
    const small = withBindingLimit(device, 4 * 1024 * 4); // four rows of 1024 f32 per binding
    const w = hardFloats(10 * 1024, 4);
    const want = quantize(w, { format: 'nvfp4', n: 1024 });
    const got = await quantizeGpu(w, { format: 'nvfp4', n: 1024, device: small });
    expect(mismatches(got.codes, want.codes) + mismatches(got.scales, want.scales)).toBe(0);
    // 16-bit rows (two values per u32 in the kernel): 7 rows of n = 999 per binding, so the second chunk
    // starts at element 6993, in the middle of a word of the whole input.
    const bits = narrow16(w.subarray(0, 10 * 999), 'f16');
    const opts16 = { format: 'mxfp8-e5m2', n: 999, dtype: 'f16' } as const;
    const want16 = quantize(bits, opts16);
    const got16 = await quantizeGpu(bits, { ...opts16, device: withBindingLimit(device, 7 * 999 * 2) });
    expect(mismatches(got16.codes, want16.codes) + mismatches(got16.scales, want16.scales)).toBe(0);
    const back = await dequantizeGpu(want, { format: 'nvfp4', n: 1024, allowNaN: true, device: small });
    expect(mismatches(new Uint32Array(back.buffer), new Uint32Array(dequantize(want, { format: 'nvfp4', n: 1024, allowNaN: true }).buffer))).toBe(0);
  });

  it("rejects what the CPU rejects, with the CPU function's code and message", async () => {
    const x = randomFloats(64, 1);
    await expectRejects(quantizeGpu(x, { format: 'mxfp4', n: 48 }), 'SHAPE_MISMATCH', /multiple of n = 48/);
    await expectRejects(quantizeGpu(x, { format: 'nope' } as never), 'INVALID_ARGUMENT', /^quantizeGpu: quantize: format must be one of/);
    await expectRejects(quantizeGpu(x, { format: 'mxfp8-e4m3', rounding: 'stochastic' }), 'INVALID_ARGUMENT', /^quantizeGpu: quantize: rounding 'stochastic' needs a seed/);
    await expectRejects(quantizeGpu(x, { format: 'nvfp4', rounding: 'ggml' }), 'INVALID_ARGUMENT', /only for format 'mxfp4'/);
    const q8 = quantize(x, { format: 'mxint8' });
    await expectRejects(matvecGpu(q8, new Uint16Array(64), { format: 'mxint8' }), 'INVALID_ARGUMENT', /^matvecGpu: matvec: a Uint16Array x needs dtype/);
    await expectRejects(matvecGpu(q8, x, { format: 'mxint8', dtype: 'f16' }), 'INVALID_ARGUMENT', /needs a Uint16Array/);
    await expectRejects(dequantizeGpu({ ...q8, codes: q8.codes.subarray(1) }, { format: 'mxint8' }), 'TRUNCATED', /q.codes has 63 bytes, the shape needs 64/);
    await expectRejects(dequantizeGpu(quantize(Float32Array.of(NaN), { format: 'mxfp6-e2m3' }), { format: 'mxfp6-e2m3' }), 'CORRUPT', /0xff/);
    const q = quantize(x, { format: 'mxfp4' });
    await expectRejects(dequantizeGpu(q, { format: 'mxfp4', outDtype: 'f8' as never }), 'INVALID_ARGUMENT', /outDtype must be/);
    await expectRejects(dequantizeGpu({ ...q, codes: q.codes.subarray(1) }, { format: 'mxfp4' }), 'TRUNCATED', /q.codes/);
    await expectRejects(dequantizeGpu(q, { format: 'nvfp4' }), 'INVALID_ARGUMENT', /quantized as 'mxfp4'/);
    const nan = quantize(Float32Array.of(NaN, 1), { format: 'mxfp4' });
    await expectRejects(dequantizeGpu(nan, { format: 'mxfp4' }), 'CORRUPT', /0xff/);
    await expectRejects(matvecGpu(q, new Float32Array(32), { format: 'mxfp4', n: 64 }), 'SHAPE_MISMATCH', /x has 32 values/);
    await expectRejects(quantizeGpu(new Float64Array(32) as never, { format: 'mxfp4' }), 'INVALID_TYPE', /^quantizeGpu: quantize: x must be a Float32Array/);
    await expectRejects(quantizeGpu(new Uint16Array(32), { format: 'mxfp4' }), 'INVALID_ARGUMENT', /needs dtype: 'f16' or 'bf16'/);
  });
});
