// Shingles of one UTF-8 document, hashed straight from its bytes. The TS side normalizes the text
// first (packages/minhash/src/shingle.ts), so a word n-gram "w1 w2 … wn" is a contiguous byte range
// of the document (words are separated by exactly one space) and needs no joining or copying.
import { hashBytes } from "./hash";

export const GRAM_WORD: i32 = 0;
export const GRAM_CHAR: i32 = 1;
export const MAX_NGRAM: i32 = 64;

// The starts of the last n words / code points (n ≤ MAX_NGRAM); a static segment, not an allocation.
const RING: usize = memory.data(MAX_NGRAM << 2);

// @ts-ignore: decorator
@inline function ringGet(i: u32, n: u32): u32 {
  return load<u32>(RING + ((i % n) << 2));
}

// @ts-ignore: decorator
@inline function ringSet(i: u32, n: u32, v: u32): void {
  store<u32>(RING + ((i % n) << 2), v);
}

/**
 * Word n-grams: words are maximal runs of bytes other than 0x20. Shingle i spans word i to word
 * i+n−1. A document with 1 ≤ W < n words gives one shingle (all of it); no words gives none.
 */
function wordShingles(text: usize, len: u32, n: u32, kind: i32, out: usize): u32 {
  let count: u32 = 0;
  let words: u32 = 0;
  let first: u32 = 0;
  let lastEnd: u32 = 0;
  let i: u32 = 0;
  while (i < len) {
    while (i < len && load<u8>(text + i) == 0x20) i++;
    if (i == len) break;
    const start = i;
    while (i < len && load<u8>(text + i) != 0x20) i++;
    if (words == 0) first = start;
    ringSet(words, n, start);
    if (words + 1 >= n) {
      const from = ringGet(words + 1 - n, n);
      store<u32>(out + (<usize>count << 2), hashBytes(text + from, i - from, kind));
      count++;
    }
    lastEnd = i;
    words++;
  }
  if (words > 0 && words < n) {
    store<u32>(out, hashBytes(text + first, lastEnd - first, kind));
    count = 1;
  }
  return count;
}

/**
 * Character n-grams over code points (a code point starts at every byte that is not 10xxxxxx).
 * Shingle i spans code points i … i+n−1. 1 ≤ C < n code points give one shingle (the whole text).
 */
function charShingles(text: usize, len: u32, n: u32, kind: i32, out: usize): u32 {
  let count: u32 = 0;
  let cps: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    if ((load<u8>(text + i) & 0xC0) == 0x80) continue;
    if (cps >= n) {
      const from = ringGet(cps - n, n);
      store<u32>(out + (<usize>count << 2), hashBytes(text + from, i - from, kind));
      count++;
    }
    ringSet(cps, n, i);
    cps++;
  }
  if (cps >= n) {
    const from = ringGet(cps - n, n);
    store<u32>(out + (<usize>count << 2), hashBytes(text + from, len - from, kind));
    count++;
  } else if (cps > 0) {
    store<u32>(out, hashBytes(text, len, kind));
    count = 1;
  }
  return count;
}

/** Hashes every shingle of one document into `out` (room for `len` u32 always suffices); returns the count. */
export function shingleHashes(text: usize, len: u32, gram: i32, n: u32, kind: i32, out: usize): u32 {
  return gram == GRAM_CHAR ? charShingles(text, len, n, kind, out) : wordShingles(text, len, n, kind, out);
}
