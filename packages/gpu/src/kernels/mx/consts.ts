import { decodeElements, type ElementFormat } from '@kompakt/mx';
import { CONSTS } from './wgsl.js';

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, b) => b);
// UE4M3 decoding ignores bit 7 (validation rejects the bytes that set it, except the NaN 0xFF).
const UE4M3_BYTES = ALL_BYTES.map((b) => b & 0x7f);

// E2M1 decision thresholds (f32 bits): a code magnitude is the number of them |y| exceeds. A tie that
// rounds up is a strict comparison against the float just below the midpoint.
const THRESHOLDS = {
  rne: [0x3e800000, 0x3f3fffff, 0x3fa00000, 0x3fdfffff, 0x40200000, 0x405fffff, 0x40a00000],
  away: [0x3e7fffff, 0x3f3fffff, 0x3f9fffff, 0x3fdfffff, 0x401fffff, 0x405fffff, 0x409fffff],
} as const;

/**
 * The MX kernels' constant table (layout: CONSTS in wgsl.ts). Scale values come from @kompakt/mx's own
 * decoder, and NVFP4's products decode(b)·sg and 6·sg are rounded to f32 here, once, exactly as the
 * wasm kernel rounds them (the f64 product of a ≤ 4-bit and a 24-bit significand is exact). The decode
 * table holds every code of `element` as f32 bits, copied bitwise so NaN codes keep their sign.
 */
export function mxConsts(scaleFmt: 0 | 1, tensorScale: number, rounding: keyof typeof THRESHOLDS, element: ElementFormat = 'e2m1', bits = 4): Uint32Array {
  const words = new Uint32Array(CONSTS.length);
  const floats = new Float32Array(words.buffer);
  const scales = scaleFmt === 1 ? decodeElements('ue4m3', UE4M3_BYTES) : decodeElements('e8m0', ALL_BYTES);
  for (let b = 0; b < 256; b++) floats[b] = scaleFmt === 1 ? Math.fround(scales[b] * tensorScale) : scales[b];
  words.set(THRESHOLDS[rounding], CONSTS.thresholds);
  floats[CONSTS.sixSg] = Math.fround(6 * tensorScale);
  const decoded = decodeElements(element, ALL_BYTES.subarray(0, 1 << bits));
  words.set(new Uint32Array(decoded.buffer, decoded.byteOffset, decoded.length), CONSTS.decode);
  return words;
}
