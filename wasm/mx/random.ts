// The random word of element g for stochastic rounding (docs/internals.md, "Random words"):
// word g mod 4 of Philox4x32-10(counter = (floor(g/4) mod 2^32, floor(g/2^34), 0, 0), key).
// Elements are visited in increasing g, so one Philox block is expanded per four elements.

import { philox4x32_fill } from "../core/philox";

const words = memory.data(16, 16);
let cachedBlock: u64 = 0;
let cachedValid = false;
let key0: u32 = 0;
let key1: u32 = 0;

/** Starts a kernel call with the key (key0, key1); forgets the block expanded by an earlier call. */
export function randomStart(k0: u32, k1: u32): void {
  key0 = k0;
  key1 = k1;
  cachedValid = false;
}

/** Random word of element `g`. */
export function randomWord(g: u64): u32 {
  const b = g >>> 2;
  if (!cachedValid || b != cachedBlock) {
    philox4x32_fill(words, 1, <u32>b, <u32>(b >>> 32), key0, key1);
    cachedBlock = b;
    cachedValid = true;
  }
  return load<u32>(words + (<usize>(g & 3) << 2));
}
