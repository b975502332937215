import { afterAll, beforeAll, expect, it } from 'vitest';
import { philox4x32 } from '@kompakt/core';
import { dequantize, matvec, quantize, setBackend, type BlockFormat, type QuantizeOptions } from '@kompakt/mx';
import { dequantizeGpu, matvecGpu, quantizeGpu } from '../src/index';
import { EXACT_F32 } from '../src/kernels/exact-f32';
import { PHILOX } from '../src/kernels/philox-wgsl';
import { dispatch, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer } from '../src/runtime/index';
import { describeGpu, testDevice } from './device';
import { mismatches, randomFloats, withBindingLimit } from './helpers';
import { hardFloats, tieFloats } from './mx-data';

const FORMATS: BlockFormat[] = ['mxfp4', 'nvfp4', 'mxfp8-e4m3', 'mxfp8-e5m2', 'mxint8', 'mxfp6-e2m3', 'mxfp6-e3m2'];
const STOCHASTIC = ['stochastic', 'stochastic-3/4'] as const;

// randomWord of the element row·n + col for each (row, n, col) triple, written to out.
const RANDOM_WORDS = /* wgsl */ `
${EXACT_F32}
${PHILOX}
@group(0) @binding(0) var<storage, read> at: array<vec4<u32>>; // row, n, col, key0 (key1 = key0 ^ 0x5bd1e995)
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  let a = at[wid.x];
  var stream: RandomStream;
  out[wid.x] = randomWord(&stream, elementIndex(a.x, a.y, a.z), vec2<u32>(a.w, a.w ^ 0x5bd1e995u));
}`;

/** Word g mod 4 of Philox4x32-10(⌊g/4⌋ as two words, 0, 0) by @kompakt/core's JS Philox (docs/internals.md). */
function wantWord(g: bigint, key0: number, key1: number): number {
  const block = g >> 2n;
  return philox4x32(Number(block & 0xffffffffn), Number(block >> 32n), 0, 0, key0, key1)[Number(g & 3n)];
}

/** quantizeGpu(x, opts) equals the wasm quantize bit for bit (codes, scales, every other field). */
async function expectQuantizeBitExact(x: Float32Array, opts: QuantizeOptions & { device?: GPUDevice }): Promise<void> {
  const { device, ...cpu } = opts;
  const want = quantize(x, cpu);
  const got = await quantizeGpu(x, opts);
  expect(mismatches(got.scales, want.scales), 'scales').toBe(0);
  expect(mismatches(got.codes, want.codes), 'codes').toBe(0);
  expect({ ...got, codes: null, scales: null }).toEqual({ ...want, codes: null, scales: null });
}

describeGpu('MX stochastic and ggml rounding on the GPU against the wasm path', () => {
  const device = testDevice!;
  beforeAll(() => setBackend('wasm'));
  afterAll(() => setBackend('auto'));

  it('draws the Philox words of wasm/mx/random.ts, element indices past 2^32 included', async () => {
    // (row, n, col): small indices, every g mod 4, and rows·n beyond 2^32 and 2^34 (the counter's high word).
    const at = [[0, 1, 0], [0, 1, 1], [0, 1, 2], [0, 1, 3], [0, 1, 4], [3, 200, 17], [70000, 70000, 5], [0xffffffff, 7, 6], [0x12345678, 0x9abc, 0xdef0]];
    const keys = [0, 1, 0xdeadbeef];
    const rows = keys.flatMap((k) => at.map(([r, n, c]) => [r, n, c, k]));
    const input = storageBuffer(device, Uint32Array.from(rows.flat()));
    const out = storageBuffer(device, rows.length * 4);
    dispatch(device, pipelineFor(device, 'test-random-words', RANDOM_WORDS), [input, out], [rows.length]);
    const words = readBuffer(device, out, rows.length * 4);
    releaseAfterBatch(device, input, out);
    const got = new Uint32Array(await words);
    const want = rows.map(([r, n, c, k]) => wantWord(BigInt(r) * BigInt(n) + BigInt(c), k, (k ^ 0x5bd1e995) >>> 0));
    expect(Array.from(got)).toEqual(want);
  });

  it.each(FORMATS.flatMap((format) => STOCHASTIC.map((rounding) => [format, rounding] as const)))(
    'quantize %s with rounding %s gives the wasm codes for the same seed', async (format, rounding) => {
      // 200: partial last blocks, so element indices run across rows; the bigint seed sets both key words.
      for (const [n, x, seed] of [[1024, tieFloats(3 * 1024, 5), 7], [200, hardFloats(5 * 200, 9), 0x1234_5678_9abc_def0n]] as const) {
        await expectQuantizeBitExact(x, { format, n, rounding, seed });
      }
    });

  it('changes the codes with the seed and keeps the element numbering across row chunks', async () => {
    const x = randomFloats(12 * 256, 4);
    const a = await quantizeGpu(x, { format: 'mxfp4', n: 256, rounding: 'stochastic', seed: 1 });
    const b = await quantizeGpu(x, { format: 'mxfp4', n: 256, rounding: 'stochastic', seed: 2 });
    expect(mismatches(a.codes, b.codes)).toBeGreaterThan(100);
    // Four rows per binding: chunks start at rows 4 and 8, whose elements must draw words 1024…, 2048…
    for (const format of ['mxfp4', 'nvfp4', 'mxfp6-e3m2'] as const) {
      await expectQuantizeBitExact(x, { format, n: 256, rounding: 'stochastic-3/4', seed: 3, device: withBindingLimit(device, 4 * 256 * 4) });
    }
  });

  it('quantizes stochastically with scale rules, tensor scales, the ggml nibble order and hadamard', async () => {
    const x = hardFloats(4 * 160, 3);
    for (const opts of [
      ...(['ceil', 'even', 'rceil'] as const).map((scaleRule) => ({ format: 'mxfp4', scaleRule }) as const),
      { format: 'mxfp8-e5m2', scaleRule: 'rceil' },
      { format: 'nvfp4', layout: 'ggml' },
      { format: 'nvfp4', tensorScale: 2 ** -140 }, // underflowed block multipliers: 0/0 gives a signed zero
      { format: 'nvfp4', tensorScale: 1e30 },
    ] as const) {
      await expectQuantizeBitExact(x, { ...opts, n: 160, rounding: 'stochastic', seed: 11 });
    }
    // The rotation is within float tolerance of the CPU's, so a code may differ where a value sits near a step.
    const opts = { format: 'mxfp4', n: 256, rounding: 'stochastic', seed: 5, hadamard: { seed: 2, block: 32 } } as const;
    const w = randomFloats(4 * 256, 8);
    expect(mismatches((await quantizeGpu(w, opts)).codes, quantize(w, opts).codes)).toBeLessThanOrEqual(4);
  });

  it("quantizes mxfp4 with rounding 'ggml' (llama.cpp's scale rule and ties) bit-exactly", async () => {
    // Block maxima just below and at powers of two over the whole f32 range: where f32(log2 amax) rounds up.
    const k = Array.from({ length: 277 }, (_, i) => i - 149);
    const edges = new Float32Array(k.length * 4 * 32);
    k.forEach((e, i) => [1 - 2 ** -24, 1 - 2 ** -22, 1 - 2 ** -20, 1].forEach((f, j) => {
      const block = (i * 4 + j) * 32;
      edges[block] = Math.fround(f * 2 ** (e + 1));
      for (let t = 1; t < 32; t++) edges[block + t] = Math.fround(edges[block] * ((t % 13) - 6) / 6); // below the amax, on E2M1 ties
    }));
    for (const layout of ['pairs', 'ggml'] as const) {
      await expectQuantizeBitExact(edges, { format: 'mxfp4', rounding: 'ggml', layout, n: 32 * 4 });
      for (const n of [1024, 200]) await expectQuantizeBitExact(hardFloats(3 * n, n + 1), { format: 'mxfp4', rounding: 'ggml', layout, n });
    }
  });

  it.each(FORMATS)('%s: stochastic-3/4 decodes with the 4/3 factor bit-exactly, and matvec scales by it', async (format) => {
    const n = 201;
    const opts = { format, n, rounding: 'stochastic-3/4', seed: 9 } as const;
    const q = quantize(hardFloats(3 * n, 4), opts); // NaN blocks, NaN and Inf codes, subnormal values
    for (const outDtype of ['f32', 'f16', 'bf16'] as const) {
      const got = await dequantizeGpu(q, { ...opts, outDtype, allowNaN: true });
      const want = dequantize(q, { ...opts, outDtype, allowNaN: true });
      const bits = (a: Float32Array | Uint16Array) => (a instanceof Float32Array ? new Uint32Array(a.buffer) : a);
      expect(mismatches(bits(got), bits(want)), outDtype).toBe(0);
    }
    const rows = 9;
    const w = quantize(randomFloats(rows * n, 2), opts);
    const x = randomFloats(n, 3);
    const y = await matvecGpu(w, x, opts);
    const yWant = matvec(w, x, opts);
    const dense = dequantize(w, opts);
    for (let r = 0; r < rows; r++) {
      let mass = 0;
      for (let j = 0; j < n; j++) mass += Math.abs(dense[r * n + j] * x[j]);
      // docs/gpu.md's matvec tolerance, plus one rounding of the 4/3 factor.
      expect(Math.abs(y[r] - yWant[r]), `row ${r}`).toBeLessThanOrEqual((Math.ceil(n / 32) + 9) * 2 ** -24 * mass);
    }
  });
});
