// Decoding tables: code -> f32 for every format, and the E2M1 table as byte planes for i8x16.swizzle.

import { decodeElement } from "./element";

// 256 f32 per format id (codes past 2^width repeat the masked ones), filled at first use; static
// memory, so no allocation.
const TABLES = memory.data(8 << 10, 16);
let filled: u32 = 0;

/** Address of the 256-entry f32 decode table of format `fmt`. */
export function decodeTable(fmt: i32): usize {
  const f = fmt & 7;
  const t = TABLES + (<usize>f << 10);
  if ((filled & (<u32>1 << f)) == 0) {
    for (let c: u32 = 0; c < 256; c++) store<f32>(t + (<usize>c << 2), decodeElement(f, c));
    filled |= <u32>1 << f;
  }
  return t;
}

// Every E2M1 value is exact in bfloat16, i.e. its f32 bits are (bf16 << 16): swizzling the low and
// high bytes of the bf16 pattern by code and placing them in the top half of a lane decodes 16
// codes at once. Order: codes 0..15 (0, 0.5, 1, 1.5, 2, 3, 4, 6, then the negatives, -0 first).
export const E2M1_BF16_LO = memory.data<u8>([
  0x00, 0x00, 0x80, 0xc0, 0x00, 0x40, 0x80, 0xc0, 0x00, 0x00, 0x80, 0xc0, 0x00, 0x40, 0x80, 0xc0,
]);
export const E2M1_BF16_HI = memory.data<u8>([
  0x00, 0x3f, 0x3f, 0x3f, 0x40, 0x40, 0x40, 0x40, 0x80, 0xbf, 0xbf, 0xbf, 0xc0, 0xc0, 0xc0, 0xc0,
]);

// Byte lanes 0..7 (low) or 8..15 (high) of `l` and `h` interleaved: eight 16-bit patterns.
// @ts-ignore: decorator
@inline export function zipLow8(l: v128, h: v128): v128 {
  return i8x16.shuffle(l, h, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
// @ts-ignore: decorator
@inline export function zipHigh8(l: v128, h: v128): v128 {
  return i8x16.shuffle(l, h, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

// bf16 lanes 0..3 (low) or 4..7 (high) of `b` as f32 (zero is an all-zero vector).
// @ts-ignore: decorator
@inline export function bf16LowToF32(zero: v128, b: v128): v128 {
  return i16x8.shuffle(zero, b, 0, 8, 1, 9, 2, 10, 3, 11);
}
// @ts-ignore: decorator
@inline export function bf16HighToF32(zero: v128, b: v128): v128 {
  return i16x8.shuffle(zero, b, 4, 12, 5, 13, 6, 14, 7, 15);
}
