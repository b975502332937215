// The ASCII part of char mode's text normalization (packages/minhash/src/shingle.ts, normalizeText),
// in place; word mode's is fused with the word scan (shingle.ts, wordStarts). The TS side sends ASCII
// documents raw and runs the full Unicode normalization (NFC, toLowerCase, Unicode character classes)
// only on documents with a non-ASCII character, on which this pass is then a no-op; either way the
// kernel shingles exactly normalizeText(doc). Doing the ASCII case here saves a Unicode regex pass per
// document, which cost more than all the hashing.

// @ts-ignore: decorator
@inline function lower(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

// JavaScript's \s restricted to ASCII (tab, LF, VT, FF, CR, space).
// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 0x20 || c - 0x09 < 5;
}

/**
 * Lowercases ASCII letters and turns every run of ASCII whitespace into one space, dropping leading
 * and trailing ones. Returns the new length.
 */
export function normalizeSpaces(text: usize, len: u32): u32 {
  let out: u32 = 0;
  let pendingSpace = false;
  for (let i: u32 = 0; i < len; i++) {
    const c = <u32>load<u8>(text + i);
    if (isSpace(c)) {
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
