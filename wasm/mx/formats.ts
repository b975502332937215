// Element and scale format parameters by id (docs/internals.md, "MX", "Format ids").
//
// The integer formats fit the same grid description as the minifloats: MXINT8 is a grid of step
// 2^-6 with no exponent, i.e. mbits 6 and smallest normal exponent 0 (codes 64..127 are the
// "normal" binade [1, 2)), so one rounding routine serves every format but e8m0.

export const FMT_E2M1: i32 = 0;
export const FMT_E2M3: i32 = 1;
export const FMT_E3M2: i32 = 2;
export const FMT_E4M3: i32 = 3;
export const FMT_E5M2: i32 = 4;
export const FMT_INT8: i32 = 5;
export const FMT_UE4M3: i32 = 6;
export const FMT_E8M0: i32 = 7;

export const SCALE_E8M0: i32 = 0;
export const SCALE_UE4M3: i32 = 1;

export const LAYOUT_PAIRS: i32 = 0;
export const LAYOUT_GGML: i32 = 1;

// Per id, 8 words: mbits, emin (exponent of the smallest normal, 1 - bias), emax (exponent of the
// largest normal), code width in bits, largest finite magnitude code, f32 bits of the largest
// finite value, the magnitude code an unsaturated overflow gives (NaN for e4m3, Inf for e5m2,
// the largest finite code where there is neither), and 0.
const TABLE = memory.data<i32>([
  1, 0, 2, 4, 0x07, 0x40c00000, 0x07, 0, //           e2m1: 6
  3, 0, 2, 6, 0x1f, 0x40f00000, 0x1f, 0, //           e2m3: 7.5
  2, -2, 4, 6, 0x1f, 0x41e00000, 0x1f, 0, //          e3m2: 28
  3, -6, 8, 8, 0x7e, 0x43e00000, 0x7f, 0, //          e4m3: 448, NaN S.1111.111
  2, -14, 15, 8, 0x7b, 0x47600000, 0x7c, 0, //        e5m2: 57344, Inf S.11111.00
  6, 0, 0, 8, 0x7f, 0x3ffe0000, 0x7f, 0, //           int8: 127/64
  3, -6, 8, 8, 0x7e, 0x43e00000, 0x7f, 0, //          ue4m3: 448, NaN 0x7F
  0, -127, 127, 8, 0xfe, 0x7f000000, 0xff, 0, //      e8m0: 2^127, NaN 0xFF
]);

// Ids outside 0..7 read some row rather than memory past the table (the TS layer validates).
// @ts-ignore: decorator
@inline function row(fmt: i32): usize {
  return TABLE + (<usize>(fmt & 7) << 5);
}

// @ts-ignore: decorator
@inline export function fmtMbits(fmt: i32): i32 {
  return load<i32>(row(fmt));
}
// @ts-ignore: decorator
@inline export function fmtEmin(fmt: i32): i32 {
  return load<i32>(row(fmt), 4);
}
// @ts-ignore: decorator
@inline export function fmtEmax(fmt: i32): i32 {
  return load<i32>(row(fmt), 8);
}
// @ts-ignore: decorator
@inline export function fmtWidth(fmt: i32): i32 {
  return load<i32>(row(fmt), 12);
}
// @ts-ignore: decorator
@inline export function fmtMaxCode(fmt: i32): u32 {
  return load<u32>(row(fmt), 16);
}
// @ts-ignore: decorator
@inline export function fmtMaxBits(fmt: i32): u32 {
  return load<u32>(row(fmt), 20);
}
// @ts-ignore: decorator
@inline export function fmtOverflowCode(fmt: i32): u32 {
  return load<u32>(row(fmt), 24);
}

/** Bytes of one packed block of `bs` elements: bs/2 (FP4), 3·bs/4 (FP6), bs (8-bit). */
// @ts-ignore: decorator
@inline export function blockBytes(fmt: i32, bs: i32): usize {
  return (<usize>bs * <usize>fmtWidth(fmt) + 7) >> 3;
}
