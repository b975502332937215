// The ASCII part of the text normalization (packages/minhash/src/shingle.ts, normalizeText), in place.
// The TS side sends ASCII documents raw and runs the full Unicode normalization (NFC, toLowerCase,
// Unicode character classes) only on documents with a non-ASCII character, on which this pass is
// then a no-op; either way the kernel shingles exactly normalizeText(doc). Doing the ASCII case here
// saves a Unicode regex pass per document, which cost more than all the hashing.
import { GRAM_WORD } from "./shingle";

// @ts-ignore: decorator
@inline function lower(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

// Word mode: [0-9A-Za-z_] and every byte of a non-ASCII character are word bytes (non-ASCII text has
// had its non-word characters replaced by spaces already).
// @ts-ignore: decorator
@inline function isWord(c: u32): bool {
  return c >= 0x80 || c - 0x30 < 10 || (c | 0x20) - 0x61 < 26 || c == 0x5F;
}

// Char mode: JavaScript's \s restricted to ASCII (tab, LF, VT, FF, CR, space).
// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 0x20 || c - 0x09 < 5;
}

/**
 * Lowercases ASCII letters and turns every run of separators (word mode: non-word bytes; char mode:
 * ASCII whitespace) into one space, dropping leading and trailing ones. Returns the new length.
 */
export function normalizeAscii(text: usize, len: u32, gram: i32): u32 {
  let out: u32 = 0;
  let pendingSpace = false;
  for (let i: u32 = 0; i < len; i++) {
    const c = <u32>load<u8>(text + i);
    const sep = gram == GRAM_WORD ? !isWord(c) : isSpace(c);
    if (sep) {
      pendingSpace = out > 0;
      continue;
    }
    if (pendingSpace) {
      store<u8>(text + out++, 0x20);
      pendingSpace = false;
    }
    store<u8>(text + out++, <u8>lower(c));
  }
  return out;
}
