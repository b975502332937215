// Shingles of one UTF-8 document, hashed straight from its bytes. After normalization (ASCII here;
// the TS side pre-normalizes documents with non-ASCII characters, packages/minhash/src/shingle.ts) a
// word n-gram "w1 w2 … wn" is a contiguous byte range of the document (words are separated by
// exactly one space) and needs no joining or copying.
import { HASH_XXH32, hashBytes } from "./hash";
import { fmix64 } from "./mix";
import { normalizeSpaces } from "./normalize";

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

// Word mode's byte classes: the lowercased byte for word bytes ([0-9a-z_] after lowercasing, and
// every byte ≥ 0x80, since non-ASCII documents arrive normalized), 0 for separators.
const WORD_BYTE: usize = memory.data(256);
for (let c: u32 = 0; c < 256; c++) {
  const word = c >= 0x80 || c - 0x30 < 10 || (c | 0x20) - 0x61 < 26 || c == 0x5F;
  store<u8>(WORD_BYTE + c, word ? (c - 0x41 < 26 ? c | 0x20 : c) : 0);
}

// Length of the text after the last wordStarts() call.
let normalizedLength: u32 = 0;
// Scan state shared by the byte and chunk steps of wordStarts (module globals: AssemblyScript has no
// multiple returns). `pending`: separators were dropped after the last kept byte, so the next word
// byte is preceded by one space.
let out: u32 = 0;
let words: u32 = 0;
let pending = false;

// @ts-ignore: decorator
@inline function addStart(starts: usize, at: u32): void {
  store<u32>(starts + (<usize>words << 2), at);
  words++;
}

/** One byte of the word normalization at `text + i` (the reference; the SIMD chunk step equals it). */
// @ts-ignore: decorator
@inline function wordByte(text: usize, i: u32, starts: usize): void {
  const t = <u32>load<u8>(WORD_BYTE + <usize>load<u8>(text + i));
  if (t == 0) {
    pending = out != 0;
    return;
  }
  if (pending || out == 0) {
    if (pending) store<u8>(text + out++, 0x20);
    pending = false;
    addStart(starts, out);
  }
  store<u8>(text + out++, <u8>t);
}

/**
 * 16 bytes at `text + i` at once, when every separator among them is a lone 0x20 that the byte step
 * would keep: then the lowercased chunk is the output as is, and word starts are the word bytes
 * after a separator. Returns false (nothing done) otherwise.
 */
// @ts-ignore: decorator
@inline function wordChunk(text: usize, i: u32, starts: usize): bool {
  const v = v128.load(text + i);
  const hi = i8x16.lt_s(v, i8x16.splat(0));
  const digit = i8x16.lt_u(i8x16.sub(v, i8x16.splat(0x30)), i8x16.splat(10));
  const alpha = i8x16.lt_u(i8x16.sub(v128.or(v, i8x16.splat(0x20)), i8x16.splat(0x61)), i8x16.splat(26));
  const upper = i8x16.lt_u(i8x16.sub(v, i8x16.splat(0x41)), i8x16.splat(26));
  const word = v128.or(v128.or(hi, digit), v128.or(alpha, i8x16.eq(v, i8x16.splat(0x5F))));
  const sep = ~i8x16.bitmask(word) & 0xFFFF;
  if (sep != i8x16.bitmask(i8x16.eq(v, i8x16.splat(0x20))) || (sep & (sep >>> 1)) != 0) return false;
  // A leading separator needs a kept byte right before it (no pending run, not the text's start).
  if ((sep & 1) != 0 && (pending || out == 0)) return false;
  let first: u32 = 0;
  if ((sep & 1) == 0 && (pending || out == 0)) {
    if (pending) store<u8>(text + out++, 0x20);
    first = 1;
  }
  // out ≤ i here (a pending space stands for a dropped byte), so the store stays in place.
  v128.store(text + out, v128.or(v, v128.and(upper, i8x16.splat(0x20))));
  let begins = (~sep & ((sep << 1) | first)) & 0xFFFF;
  while (begins != 0) {
    addStart(starts, out + ctz(begins));
    begins &= begins - 1;
  }
  // A trailing space is left for the next byte to confirm, as the byte step would.
  pending = (sep & 0x8000) != 0;
  out += pending ? 15 : 16;
  return true;
}

/**
 * The ASCII word normalization (lowercase; each run of non-word bytes → one space, none leading or
 * trailing; normalizeAscii of docs/internals.md) in place, and the start offset of every word,
 * written to `starts` (u32). Returns the number of words; the normalized length is left in
 * `normalizedLength`.
 */
function wordStarts(text: usize, len: u32, starts: usize): u32 {
  out = 0;
  words = 0;
  pending = false;
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= len; i += 16) {
      if (!wordChunk(text, i, starts)) for (let j: u32 = i; j < i + 16; j++) wordByte(text, j, starts);
    }
  }
  for (; i < len; i++) wordByte(text, i, starts);
  normalizedLength = out;
  return words;
}

// Word shingles under the xxh32 token hash (docs/internals.md, "MinHash"): each word is hashed once
// (wordHash), and shingle w_1 … w_m gets fmix64(Σ wordHash(w_j)·B^(m−j) + m) (u64 wrapping, low 32
// bits), a rolling polynomial, so no byte is hashed n times.
const WORD_BASE: u64 = 0xD6E8FEB86659FD93;
const WORD_SEED: u64 = 0x9E3779B97F4A7C15;
const WORD_MUL: u64 = 0xBF58476D1CE4E5B9;

/**
 * The word hash: s = len·WORD_SEED, then for each 8-byte little-endian chunk c of the word (the last
 * zero-padded) s = (s ^ c)·WORD_MUL; the hash is the high 32 bits of s. One multiply for words of up
 * to 8 bytes and no per-byte loop (XXH32 of short words cost more than everything else per token).
 * Reads up to 7 bytes past the word (masked off): the caller keeps 8 readable bytes after the text.
 */
// @ts-ignore: decorator
@inline function wordHash(p: usize, len: u32): u32 {
  let s = <u64>len * WORD_SEED;
  let i: u32 = 0;
  for (; i + 8 <= len; i += 8) s = (s ^ load<u64>(p + i)) * WORD_MUL;
  if (i < len) s = (s ^ (load<u64>(p + i) & ((<u64>1 << (<u64>(len - i) << 3)) - 1))) * WORD_MUL;
  return <u32>(s >>> 32);
}

/** The token of the polynomial `h` over `m` words. */
// @ts-ignore: decorator
@inline function wordToken(h: u64, m: u32): u32 {
  return <u32>fmix64(h + <u64>m);
}

/**
 * Rewrites `hashes` (u32[words], word hashes) in place into the shingle tokens of the rolling
 * combiner; returns their count (1 when words < n: all words make one shingle).
 */
function combineWords(hashes: usize, words: u32, n: u32): u32 {
  const m = min(words, n);
  let h: u64 = 0;
  let top: u64 = 1; // B^(m−1): the weight of the word that leaves the window
  for (let j: u32 = 0; j < m; j++) {
    h = h * WORD_BASE + <u64>load<u32>(hashes + (<usize>j << 2));
    if (j > 0) top *= WORD_BASE;
  }
  const count = words - m + 1;
  for (let i: u32 = 0; i < count; i++) {
    const leaving = <u64>load<u32>(hashes + (<usize>i << 2));
    store<u32>(hashes + (<usize>i << 2), wordToken(h, m));
    if (i + 1 < count) h = (h - leaving * top) * WORD_BASE + <u64>load<u32>(hashes + (<usize>(i + m) << 2));
  }
  return count;
}

/**
 * Word n-grams of a raw document (normalized here; words are then separated by exactly one space).
 * Shingle i spans word i to word i+n−1; a document with 1 ≤ W < n words gives one shingle (all of
 * it), no words none. `out` holds len / 2 + 2 u32: the word starts, overwritten by the hashes.
 * The xxh32 kind combines word hashes (above); sha1 hashes each shingle's bytes (datasketch).
 */
function wordShingles(text: usize, len: u32, n: u32, kind: i32, out: usize): u32 {
  const words = wordStarts(text, len, out);
  const end = normalizedLength;
  if (words == 0) return 0;
  if (kind == HASH_XXH32) {
    // Word i ends one byte before start i+1, which is still unread when word i is overwritten.
    for (let i: u32 = 0; i < words; i++) {
      const from = load<u32>(out + (<usize>i << 2));
      const to = i + 1 < words ? load<u32>(out + (<usize>(i + 1) << 2)) - 1 : end;
      store<u32>(out + (<usize>i << 2), wordHash(text + from, to - from));
    }
    return combineWords(out, words, n);
  }
  if (words < n) {
    store<u32>(out, hashBytes(text, end, kind));
    return 1;
  }
  const count = words - n + 1;
  // Shingle i needs starts i and i+n only, so its hash may overwrite start i.
  for (let i: u32 = 0; i < count; i++) {
    const from = load<u32>(out + (<usize>i << 2));
    const to = i + n < words ? load<u32>(out + (<usize>(i + n) << 2)) - 1 : end;
    store<u32>(out + (<usize>i << 2), hashBytes(text + from, to - from, kind));
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

/**
 * Normalizes one raw document in place (docs/internals.md) and hashes every shingle into `out`
 * (room for `len` + 2 u32 always suffices); returns the count.
 */
export function shingleHashes(text: usize, len: u32, gram: i32, n: u32, kind: i32, out: usize): u32 {
  if (gram == GRAM_WORD) return wordShingles(text, len, n, kind, out);
  return charShingles(text, normalizeSpaces(text, len), n, kind, out);
}
