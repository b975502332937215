import { expect, it } from 'vitest';
import { narrow16 } from '@kompakt/core';
import { quantize as latticeQuantize } from '@kompakt/lattice';
import { quantize, type FusedOptions } from '@kompakt/mx';
import { e8pMatvecGpu, matvecGpu, uploadE8pMatrixGpu, uploadMatrixGpu } from '../src/index';
import { describeGpu, testDevice } from './device';
import { expectRejects, mismatches, randomFloats, withBindingLimit, withLostDevice, withQueueSubmit } from './helpers';

it('validates the upload like the one-shot product, before touching a device', async () => {
  const q = quantize(randomFloats(2 * 64, 1), { format: 'mxfp4', n: 64 });
  await expectRejects(uploadMatrixGpu(q, { format: 'mxfp9' } as unknown as FusedOptions), 'INVALID_ARGUMENT', /^uploadMatrixGpu: /);
  await expectRejects(uploadMatrixGpu({ ...q, codes: q.codes.subarray(1) }, { format: 'mxfp4', n: 64 }), 'TRUNCATED');
  await expectRejects(uploadE8pMatrixGpu(new Uint16Array(3), { rows: 2, cols: 16 }), 'SHAPE_MISMATCH', /^uploadE8pMatrixGpu: /);
});

describeGpu('weights resident on the GPU', () => {
  const device = testDevice!;

  it.each([
    { format: 'mxfp4', n: 200, layout: 'ggml' },
    { format: 'nvfp4', n: 256, hadamard: { seed: 5, block: 64 } },
    { format: 'mxfp8-e4m3', n: 96, rounding: 'stochastic-3/4', seed: 2 },
  ] as const)('MX %j: every matvec equals matvecGpu, chunked or not', async (opts) => {
    const rows = 13;
    const q = quantize(randomFloats(rows * opts.n, 3), opts);
    const small = withBindingLimit(device, 4096); // 4 to 10 rows of f32 per chunk: 2 to 4 chunks
    for (const d of [device, small]) {
      const m = await uploadMatrixGpu(q, { ...opts, device: d });
      expect([m.rows, m.cols]).toEqual([rows, opts.n]);
      expect(m.byteLength).toBeGreaterThanOrEqual(q.codes.length + q.scales.length);
      for (const seed of [4, 5]) {
        const x = randomFloats(opts.n, seed);
        expect(mismatches(await m.matvec(x), await matvecGpu(q, x, opts))).toBe(0);
      }
      m.destroy();
    }
  });

  it('takes f16 / bf16 vectors when uploaded with dtype', async () => {
    const q = quantize(randomFloats(5 * 64, 6), { format: 'mxint8', n: 64 });
    const m = await uploadMatrixGpu(q, { format: 'mxint8', n: 64, dtype: 'bf16' });
    const x = narrow16(randomFloats(64, 7), 'bf16');
    expect(mismatches(await m.matvec(x), await matvecGpu(q, x, { format: 'mxint8', n: 64, dtype: 'bf16' }))).toBe(0);
    await expectRejects(m.matvec(randomFloats(64, 7)), 'INVALID_ARGUMENT', /^GpuMatrix\.matvec: /);
    m.destroy();
  });

  it('E8P: every matvec equals e8pMatvecGpu, chunked or not', async () => {
    const rows = 70;
    const cols = 1024;
    const q = latticeQuantize(randomFloats(rows * cols, 8), { codebook: 'e8p', n: cols });
    const codes = new Uint16Array(q.codes.buffer, q.codes.byteOffset, q.codes.length / 2);
    const opts = { rows, cols, scales: q.scales };
    // 8 KiB, the pattern table's size: 32 rows per chunk, three chunks.
    for (const d of [device, withBindingLimit(device, 8192)]) {
      const m = await uploadE8pMatrixGpu(codes, { ...opts, device: d });
      expect([m.rows, m.cols]).toEqual([rows, cols]);
      const x = randomFloats(cols, 9);
      expect(mismatches(await m.matvec(x), await e8pMatvecGpu(codes, x, opts))).toBe(0);
      await expectRejects(m.matvec(new Float32Array(cols - 8)), 'SHAPE_MISMATCH', /^GpuMatrix\.matvec: x has 1016 entries/);
      m.destroy();
    }
  });

  it('runs the products of many matrices started together in one submission', async () => {
    let submits = 0;
    const counted = withQueueSubmit(device, () => submits++);
    const layers = [0, 1, 2, 3].map((l) => quantize(randomFloats(6 * 128, 10 + l), { format: 'mxfp4', n: 128 }));
    const matrices = await Promise.all(layers.map((q) => uploadMatrixGpu(q, { format: 'mxfp4', n: 128, device: counted })));
    const x = randomFloats(128, 20);
    submits = 0;
    const ys = await Promise.all(matrices.map((m) => m.matvec(x)));
    expect(submits).toBe(1);
    for (let l = 0; l < layers.length; l++) expect(mismatches(ys[l], await matvecGpu(layers[l], x, { format: 'mxfp4', n: 128 }))).toBe(0);
    for (const m of matrices) m.destroy();
  });

  it('finishes a product started before destroy(), then refuses new ones', async () => {
    const q = quantize(randomFloats(3 * 64, 11), { format: 'nvfp4', n: 64 });
    const m = await uploadMatrixGpu(q, { format: 'nvfp4', n: 64 });
    const x = randomFloats(64, 12);
    const pending = m.matvec(x);
    m.destroy(); // the buffers go after the batch that reads y
    m.destroy(); // twice is harmless
    expect(mismatches(await pending, await matvecGpu(q, x, { format: 'nvfp4', n: 64 }))).toBe(0);
    await expectRejects(m.matvec(x), 'INVALID_ARGUMENT', /destroyed/);
  });

  it('refuses products once the device holding the weights is lost', async () => {
    const q = quantize(randomFloats(2 * 64, 13), { format: 'mxfp4', n: 64 });
    const m = await uploadMatrixGpu(q, { format: 'mxfp4', n: 64, device: withLostDevice(device) });
    await Promise.resolve(); // the loss is noticed on the microtask after upload
    await expectRejects(m.matvec(randomFloats(64, 1)), 'GPU_UNAVAILABLE', /upload the weights again/);
    m.destroy();
  });
});
