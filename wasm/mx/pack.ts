// Code positions inside a packed block (docs/internals.md, "FP4 packing", "FP6 packing").
//
// FP4 pairs: byte j = code(2j) | code(2j+1) << 4. FP4 ggml: byte j = code(j) | code(j + bs/2) << 4.
// FP6: an LSB-first bit stream, element i in bits [6i, 6i + 6). 8-bit formats: byte i.
// putCode ors into a block the caller zeroed first, so a block is written once, in any order.

import { LAYOUT_GGML } from "./formats";

/** Ors the `width`-bit `code` of element `i` into the zeroed block at `p`. */
// @ts-ignore: decorator
@inline export function putCode(p: usize, width: i32, layout: i32, bs: i32, i: i32, code: u32): void {
  if (width == 8) {
    store<u8>(p + <usize>i, <u8>code);
  } else if (width == 4) {
    const half = bs >> 1;
    let at: usize, shift: u32;
    if (layout == LAYOUT_GGML) {
      at = <usize>(i < half ? i : i - half);
      shift = i < half ? 0 : 4;
    } else {
      at = <usize>(i >> 1);
      shift = <u32>(i & 1) << 2;
    }
    store<u8>(p + at, load<u8>(p + at) | <u8>(code << shift));
  } else {
    const bit = <usize>i * 6;
    const at = p + (bit >> 3);
    const shift = <u32>(bit & 7);
    store<u8>(at, load<u8>(at) | <u8>(code << shift));
    // Bits past the first byte; with shift <= 2 the code ends inside it.
    if (shift > 2) store<u8>(at + 1, load<u8>(at + 1) | <u8>(code >> (8 - shift)));
  }
}

/** The `width`-bit code of element `i` of the block at `p`. */
// @ts-ignore: decorator
@inline export function getCode(p: usize, width: i32, layout: i32, bs: i32, i: i32): u32 {
  if (width == 8) return <u32>load<u8>(p + <usize>i);
  if (width == 4) {
    const half = bs >> 1;
    if (layout == LAYOUT_GGML) {
      return i < half ? <u32>load<u8>(p + <usize>i) & 15 : <u32>load<u8>(p + <usize>(i - half)) >> 4;
    }
    return (<u32>load<u8>(p + <usize>(i >> 1)) >> (<u32>(i & 1) << 2)) & 15;
  }
  const bit = <usize>i * 6;
  const at = p + (bit >> 3);
  const shift = <u32>(bit & 7);
  let v = <u32>load<u8>(at) >> shift;
  if (shift > 2) v |= <u32>load<u8>(at + 1) << (8 - shift);
  return v & 63;
}
