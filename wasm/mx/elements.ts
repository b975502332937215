// mx_encode_elements / mx_decode_elements: one code per byte, no block scale.

import { encodeElement, ROUND_STOCHASTIC, ROUND_STOCHASTIC_34 } from "./element";
import { decodeTable } from "./lut";
import { randomStart, randomWord } from "./random";

/**
 * Encodes `len` f32 at `x` to format `fmt` (0..7) with `rounding` (0..4; 3 rounds as 2, without a
 * 3/4 factor) and overflow `saturate`; element i uses random word g = i of key (key0, key1).
 */
export function mx_encode_elements(
  x: usize, len: i32, fmt: i32, rounding: i32, saturate: i32, key0: u32, key1: u32, out: usize,
): void {
  randomStart(key0, key1);
  const stochastic = rounding == ROUND_STOCHASTIC || rounding == ROUND_STOCHASTIC_34;
  for (let i = 0; i < len; i++) {
    const r = stochastic ? randomWord(<u64>i) : 0;
    store<u8>(out + <usize>i, <u8>encodeElement(fmt, load<f32>(x + (<usize>i << 2)), rounding, saturate != 0, r));
  }
}

/** Decodes `len` codes (bytes; bits past the format's width ignored) at `codes` to f32 at `out`. */
export function mx_decode_elements(codes: usize, len: i32, fmt: i32, out: usize): void {
  const lut = decodeTable(fmt);
  for (let i = 0; i < len; i++) {
    store<f32>(out + (<usize>i << 2), load<f32>(lut + (<usize>load<u8>(codes + <usize>i) << 2)));
  }
}
