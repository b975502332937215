import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrow16 } from '@kompakt/core';
import { convertLayout, decodeGptOss, dequantize, fromGgmlBlocks, quantize, setBackend, toGgmlBlocks } from '@kompakt/mx';
import { firstDiff, nastyFloats, randomFloats, rng, testBackends } from './backends';
import { refPack, refUnpack } from './reference';

const plus0 = (a: ArrayLike<number>) => Array.from(a, (v) => v + 0); // −0 → +0 for value comparisons

/** llama.cpp ggml-quants.c quantize_row_mxfp4_ref, transcribed (f32 arithmetic via Math.fround). */
const KVALUES = [0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12];
function e8m0ToFp32Half(e: number): number {
  return e < 2 ? 2 ** (-128 + e) : 2 ** (e - 1 - 127);
}
function bestIndex(x: number, d: number): number {
  let best = 0;
  let bestErr = Math.abs(Math.fround(KVALUES[0] * d - x));
  for (let i = 1; i < 16; i++) {
    const err = Math.abs(Math.fround(KVALUES[i] * d - x));
    if (err < bestErr) {
      best = i;
      bestErr = err;
    }
  }
  return best;
}
function llamaQuantizeRowMxfp4(x: Float32Array): Uint8Array {
  const nb = x.length / 32;
  const out = new Uint8Array(nb * 17);
  for (let i = 0; i < nb; i++) {
    let amax = 0;
    for (let j = 0; j < 32; j++) if (amax < Math.abs(x[i * 32 + j])) amax = Math.abs(x[i * 32 + j]);
    const e = amax > 0 ? Math.floor(Math.fround(Math.log2(amax))) - 2 + 127 : 0;
    const d = e8m0ToFp32Half(e);
    out[i * 17] = e;
    for (let j = 0; j < 16; j++) {
      out[i * 17 + 1 + j] = bestIndex(x[i * 32 + j], d) | (bestIndex(x[i * 32 + 16 + j], d) << 4);
    }
  }
  return out;
}
function llamaDequantizeRowMxfp4(blocks: Uint8Array): Float32Array {
  const nb = blocks.length / 17;
  const y = new Float32Array(nb * 32);
  for (let i = 0; i < nb; i++) {
    const d = e8m0ToFp32Half(blocks[i * 17]);
    for (let j = 0; j < 16; j++) {
      const q = blocks[i * 17 + 1 + j];
      y[i * 32 + j] = KVALUES[q & 15] * d;
      y[i * 32 + j + 16] = KVALUES[q >> 4] * d;
    }
  }
  return y;
}

/** gpt-oss gpt_oss/torch/weights.py _get_mxfp4_tensor, transcribed. */
const FP4_VALUES = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0];
function gptOssReference(blocks: Uint8Array, scales: Uint8Array): Float32Array {
  const out = new Float32Array(blocks.length * 2);
  for (let b = 0; b < blocks.length; b++) {
    const exp = scales[Math.floor(b / 16)] - 127;
    out[2 * b] = FP4_VALUES[blocks[b] & 0x0f] * 2 ** exp;
    out[2 * b + 1] = FP4_VALUES[blocks[b] >> 4] * 2 ** exp;
  }
  return out;
}

function randomBytes(length: number, seed: number, lo = 0, hi = 256): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length }, () => lo + Math.floor(r() * (hi - lo)));
}

describe.each(testBackends())('layouts on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('convertLayout moves every nibble to its element position and back', () => {
    for (const format of ['mxfp4', 'nvfp4'] as const) {
      const codes = randomBytes(format === 'mxfp4' ? 16 * 5 : 8 * 7, 3);
      const ggml = convertLayout(codes, { from: 'pairs', to: 'ggml', format });
      expect(Array.from(ggml)).toEqual(Array.from(refPack(refUnpack(codes, format, 'pairs'), format, 'ggml')));
      expect(Array.from(convertLayout(ggml, { from: 'ggml', to: 'pairs', format }))).toEqual(Array.from(codes));
      expect(Array.from(convertLayout(codes, { from: 'pairs', to: 'pairs', format }))).toEqual(Array.from(codes));
    }
  });

  it('quantize with layout ggml = convertLayout of the pairs bytes; both dequantize the same', () => {
    const x = randomFloats(64 * 3, 5, 4);
    for (const format of ['mxfp4', 'nvfp4'] as const) {
      const pairs = quantize(x, { format, n: 64 });
      const ggml = quantize(x, { format, n: 64, layout: 'ggml' });
      expect(Array.from(ggml.codes)).toEqual(Array.from(convertLayout(pairs.codes, { from: 'pairs', to: 'ggml', format })));
      expect(firstDiff(dequantize(ggml, { format, n: 64, layout: 'ggml' }), dequantize(pairs, { format, n: 64 }))).toBeNull();
    }
  });

  it("reproduces llama.cpp's quantize_row_mxfp4_ref bytes (rounding 'ggml' → block_mxfp4)", () => {
    const r = rng(8);
    for (const trial of [0, 1, 2, 3]) {
      const x = randomFloats(32 * 64, 100 + trial).map((v) => v * 2 ** Math.floor(r() * 40 - 20));
      // ties and negative-zero candidates on purpose
      x.fill(0, trial * 32, trial * 32 + 32);
      x.set([0.75, 1.75, 3.5, -0.2, -0.25, 5, 2.5, 4, -0.75, -1.25], trial * 32);
      const want = llamaQuantizeRowMxfp4(x);
      for (const layout of ['pairs', 'ggml'] as const) {
        const q = quantize(x, { format: 'mxfp4', rounding: 'ggml', layout });
        const got = toGgmlBlocks(q, { format: 'mxfp4' });
        expect(firstDiff(got, want), `trial ${trial} ${layout}`).toBeNull();
      }
    }
  });

  it("decodes block_mxfp4 like llama.cpp's dequantize_row_mxfp4, in both nibble layouts", () => {
    const blocks = randomBytes(17 * 40, 9);
    for (let b = 0; b < 40; b++) blocks[b * 17] = 1 + Math.floor(rng(b)() * 253); // any scale but 0xFF (and 0, see vectors)
    const want = plus0(llamaDequantizeRowMxfp4(blocks));
    for (const layout of ['pairs', 'ggml'] as const) {
      const q = fromGgmlBlocks(blocks, { format: 'mxfp4', n: 32 * 8, layout });
      expect(q.rows).toBe(5);
      expect(plus0(dequantize(q, { format: 'mxfp4', n: 32 * 8, layout }))).toEqual(want);
      expect(Array.from(toGgmlBlocks(q, { format: 'mxfp4' }))).toEqual(Array.from(blocks));
    }
  });

  it('writes block_nvfp4 per its definition (d[4], then qs[8s+j] = elem 16s+j | elem 16s+j+8 << 4), zero-padding the last struct', () => {
    const n = 80; // 5 sub-blocks: the second struct holds one, plus three zero sub-blocks
    const rows = 3;
    const x = nastyFloats(rows, n, 12, 16);
    const q = quantize(x, { format: 'nvfp4', n });
    const elems = refUnpack(q.codes, 'nvfp4', 'pairs');
    const want = new Uint8Array(rows * 2 * 36);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < 5; k++) {
        const base = (r * 2 + (k >> 2)) * 36;
        const s = k & 3;
        want[base + s] = q.scales[r * 5 + k];
        for (let j = 0; j < 8; j++) {
          want[base + 4 + 8 * s + j] = elems[(r * 5 + k) * 16 + j] | (elems[(r * 5 + k) * 16 + j + 8] << 4);
        }
      }
    }
    const bytes = toGgmlBlocks(q, { format: 'nvfp4' });
    expect(firstDiff(bytes, want)).toBeNull();
    const back = fromGgmlBlocks(bytes, { format: 'nvfp4', n, tensorScale: q.tensorScale });
    expect(Array.from(back.codes)).toEqual(Array.from(q.codes));
    expect(Array.from(back.scales)).toEqual(Array.from(q.scales));
    expect(firstDiff(dequantize(back, { format: 'nvfp4', n }), dequantize(q, { format: 'nvfp4', n }))).toBeNull();
    const viaGgml = fromGgmlBlocks(toGgmlBlocks(quantize(x, { format: 'nvfp4', n, layout: 'ggml' }), { format: 'nvfp4' }), { format: 'nvfp4', n, layout: 'ggml', tensorScale: q.tensorScale });
    expect(firstDiff(dequantize(viaGgml, { format: 'nvfp4', n }), dequantize(q, { format: 'nvfp4', n }))).toBeNull();
  });

  it('decodes a gpt-oss *_blocks / *_scales pair like gpt-oss itself, to f32 and bf16', () => {
    const E = 2;
    const R = 3;
    const G = 4;
    const blocks = randomBytes(E * R * G * 16, 21);
    const scales = randomBytes(E * R * G, 22, 100, 150);
    const want = gptOssReference(blocks, scales);
    const got = decodeGptOss(blocks, scales);
    expect(got.length).toBe(E * R * G * 32);
    expect(firstDiff(got, want)).toBeNull();
    expect(Array.from(decodeGptOss(blocks, scales, { dtype: 'bf16' }))).toEqual(Array.from(narrow16(want, 'bf16')));
  });
});
