import { decodeElements, quantize, type ElementFormat, type Rounding } from '@kompakt/mx';
import { CONSTS } from './wgsl.js';

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, b) => b);
// UE4M3 decoding ignores bit 7 (validation rejects the bytes that set it, except the NaN 0xFF).
const UE4M3_BYTES = ALL_BYTES.map((b) => b & 0x7f);

// E2M1 decision thresholds (f32 bits): a code magnitude is the number of them |y| exceeds. A tie that
// rounds up is a strict comparison against the float just below the midpoint.
const THRESHOLDS = {
  rne: [0x3e800000, 0x3f3fffff, 0x3fa00000, 0x3fdfffff, 0x40200000, 0x405fffff, 0x40a00000],
  away: [0x3e7fffff, 0x3f3fffff, 0x3f9fffff, 0x3fdfffff, 0x401fffff, 0x405fffff, 0x409fffff],
  ggml: [0x3e800000, 0x3f400000, 0x3fa00000, 0x3fe00000, 0x40200000, 0x40600000, 0x40a00000], // ties toward zero
} as const;

/** f32 bits of 2^e, e = −149 … 128 (128: the bits of Inf). */
const pow2Bits = (e: number): number => (e >= -126 ? (e + 127) << 23 : 2 ** (e + 149));

let ggmlTable: Uint32Array | undefined;

/**
 * Rounding 'ggml''s scale rule is llama.cpp's ⌊f32(log2 amax)⌋ − 2, where the f32 rounding of the log
 * reaches the next integer just below a power of two. For each binade e = −149 … 127 of amax (index
 * e + 149) this holds the smallest f32 (bits) whose exponent is e + 1 − 2 instead of e − 2, or 2^(e+1)
 * when none: found once by bisection on the CPU's own rule (each step one mxfp4 'ggml' quantize of one
 * block per binade, the block's scale byte telling which side), so the GPU follows whatever log2 the CPU
 * uses without evaluating one.
 */
function ggmlThresholds(): Uint32Array {
  if (ggmlTable) return ggmlTable;
  const binades = CONSTS.length - CONSTS.ggmlLog2;
  const below = Uint32Array.from({ length: binades }, (_, b) => pow2Bits(b - 149)); // exponent e: not rounded up
  const above = Uint32Array.from({ length: binades }, (_, b) => pow2Bits(b - 148)); // rounded up, or the binade's end
  const x = new Float32Array(binades * 32);
  const bits = new Uint32Array(x.buffer);
  for (let open = true; open;) {
    open = false;
    for (let b = 0; b < binades; b++) bits[b * 32] = below[b] + Math.floor((above[b] - below[b]) / 2);
    const { scales } = quantize(x, { format: 'mxfp4', rounding: 'ggml', n: 32 });
    for (let b = 0; b < binades; b++) {
      if (above[b] - below[b] <= 1) continue;
      const roundedUp = scales[b] === Math.min(Math.max(b - 150, -127), 127) + 127; // e + 1 − 2
      if (roundedUp) above[b] = bits[b * 32];
      else below[b] = bits[b * 32];
      open ||= above[b] - below[b] > 1;
    }
  }
  ggmlTable = above;
  return above;
}

/**
 * The MX kernels' constant table (layout: CONSTS in wgsl.ts). Scale values come from @kompakt/mx's own
 * decoder, and NVFP4's products decode(b)·sg and 6·sg are rounded to f32 here, once, exactly as the
 * wasm kernel rounds them (the f64 product of a ≤ 4-bit and a 24-bit significand is exact). The decode
 * table holds every code of `element` as f32 bits, copied bitwise so NaN codes keep their sign.
 */
export function mxConsts(scaleFmt: 0 | 1, tensorScale: number, rounding: Rounding, element: ElementFormat = 'e2m1', bits = 4): Uint32Array {
  const words = new Uint32Array(CONSTS.length);
  const floats = new Float32Array(words.buffer);
  const scales = scaleFmt === 1 ? decodeElements('ue4m3', UE4M3_BYTES) : decodeElements('e8m0', ALL_BYTES);
  for (let b = 0; b < 256; b++) floats[b] = scaleFmt === 1 ? Math.fround(scales[b] * tensorScale) : scales[b];
  // The stochastic roundings draw instead of comparing; their thresholds are never read.
  words.set(THRESHOLDS[rounding === 'away' || rounding === 'ggml' ? rounding : 'rne'], CONSTS.thresholds);
  if (rounding === 'ggml') words.set(ggmlThresholds(), CONSTS.ggmlLog2);
  floats[CONSTS.sixSg] = Math.fround(6 * tensorScale);
  const decoded = decodeElements(element, ALL_BYTES.subarray(0, 1 << bits));
  words.set(new Uint32Array(decoded.buffer, decoded.byteOffset, decoded.length), CONSTS.decode);
  return words;
}
