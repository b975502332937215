import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dequantize, dot, matvec, quantize, setBackend, type BlockFormat, type QuantizeOptions } from '@kompakt/mx';
import { randomFloats, testBackends } from './backends';
import { matvecReference as reference } from '../../../test/helpers/matvec';

function expectClose(got: Float32Array, want: { y: Float64Array; magnitude: Float64Array }, n: number, what: string): void {
  for (let r = 0; r < got.length; r++) {
    const tol = want.magnitude[r] * 2 ** -23 * (Math.log2(n) + 8) + 1e-30;
    expect(Math.abs(got[r] - want.y[r]), `${what} row ${r}`).toBeLessThanOrEqual(tol);
  }
}

describe.each(testBackends())('fused kernels on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  const FORMATS: BlockFormat[] = ['mxfp4', 'nvfp4', 'mxfp6-e2m3', 'mxfp8-e4m3', 'mxint8'];
  for (const format of FORMATS) {
    it(`${format}: matvec on packed data = dequantize then multiply (full and partial blocks)`, () => {
      for (const [rows, n] of [[37, 256], [5, 100], [300, 64]]) {
        const w = randomFloats(rows * n, rows + n, 2);
        const x = randomFloats(n, 7);
        for (const layout of format === 'mxfp4' || format === 'nvfp4' ? (['pairs', 'ggml'] as const) : (['pairs'] as const)) {
          const opts: QuantizeOptions = { format, n, layout };
          const q = quantize(w, opts);
          const y = matvec(q, x, opts);
          expect(y.length).toBe(rows);
          expectClose(y, reference(dequantize(q, opts), x, rows, n), n, `${rows}×${n} ${layout}`);
        }
      }
    });
  }

  it('dot = matvec of one row; with hadamard both work in the original basis', () => {
    const n = 128;
    const w = randomFloats(n, 1, 3);
    const x = randomFloats(n, 2);
    for (const opts of [{ format: 'mxfp4' }, { format: 'nvfp4', hadamard: { seed: 9 } }, { format: 'mxfp4', hadamard: true }] as QuantizeOptions[]) {
      const q = quantize(w, opts);
      const d = dot(q, x, opts);
      expect(d).toBe(matvec(q, x, opts)[0]);
      // dequantize returns the original basis, so dot ≈ Σ dequantize(q)·x up to f32 rounding of two paths
      const want = reference(dequantize(q, opts), x, 1, n);
      expect(Math.abs(d - want.y[0])).toBeLessThanOrEqual(want.magnitude[0] * 1e-5);
    }
  });

  it('stochastic-3/4 tensors: matvec includes the 4/3 factor', () => {
    const n = 64;
    const w = randomFloats(4 * n, 3, 2);
    const x = randomFloats(n, 4);
    const opts: QuantizeOptions = { format: 'mxfp4', n, rounding: 'stochastic-3/4', seed: 1 };
    const q = quantize(w, opts);
    expectClose(matvec(q, x, opts), reference(dequantize(q, opts), x, 4, n), n, '3/4');
  });

  it('matvec takes the row count from the options or from the scales (one long row reinterpreted)', () => {
    const rows = 8;
    const n = 96;
    const w = randomFloats(rows * n, 5);
    const x = randomFloats(n, 6);
    const q = quantize(w, { format: 'mxfp4' }); // one row of rows·n: same bytes as rows rows of n
    const a = matvec(q, x, { format: 'mxfp4', rows, n });
    const b = matvec(quantize(w, { format: 'mxfp4', n }), x, { format: 'mxfp4', n });
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('dequantizes straight to bf16 / f16 for large tensors (wasm chunking)', () => {
    const n = 4096;
    const w = randomFloats(n * 40, 8, 5);
    const q = quantize(w, { format: 'mxfp4', n });
    const f = dequantize(q, { format: 'mxfp4', n });
    const b = dequantize(q, { format: 'mxfp4', n, outDtype: 'bf16' });
    expect(b).toBeInstanceOf(Uint16Array);
    // every MXFP4 value of these scales fits bf16 exactly
    expect(Array.from(b.subarray(0, 50000))).toEqual(Array.from(f.subarray(0, 50000), (v) => new Uint32Array(Float32Array.of(v).buffer)[0] >>> 16));
  });
});
