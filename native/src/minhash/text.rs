//! Raw document → shingle hashes, bit-exact with `wasm/minhash/shingle.ts` and `normalize.ts`
//! (docs/internals.md, "MinHash": text normalization and shingles). The document is copied into a
//! per-thread buffer and normalized there, so the caller's bytes are never changed.

use super::hash::{hash_bytes, HASH_XXH32};
use super::oph::fmix64;

pub const GRAM_WORD: i32 = 0;
pub const GRAM_CHAR: i32 = 1;
pub const MAX_NGRAM: u32 = 64;

/// Word mode byte classes: the lowercased byte for word bytes ([0-9A-Za-z_] and every byte ≥ 0x80,
/// since non-ASCII documents arrive normalized), 0 for separators.
const WORD_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0usize;
    while c < 256 {
        let b = c as u8;
        let word = b >= 0x80 || b.is_ascii_alphanumeric() || b == b'_';
        t[c] = if word { b.to_ascii_lowercase() } else { 0 };
        c += 1;
    }
    t
};

fn is_space(c: u8) -> bool {
    c == 0x20 || (0x09..=0x0D).contains(&c)
}

/// Reused buffers of one thread: the normalized text, word starts, word hashes and the shingle hashes.
#[derive(Default)]
pub struct Scratch {
    text: Vec<u8>,
    starts: Vec<u32>,
    words: Vec<u64>,
    pub hashes: Vec<u32>,
}

/// Word normalization of `doc` into `s.text` (ASCII lowercase; each run of non-word bytes → one
/// space, none leading or trailing), recording every word's start in `s.starts`. Branch-free per
/// byte (word boundaries come every few bytes, too often to predict): every step writes
/// speculatively and advances by flags.
fn normalize_words(doc: &[u8], s: &mut Scratch) {
    // Room for the speculative writes: out ≤ bytes read + 1, words ≤ (bytes read + 2) / 2.
    s.text.resize(doc.len() + 1, 0);
    s.starts.resize(doc.len() / 2 + 2, 0);
    let (text, starts) = (&mut s.text[..], &mut s.starts[..]);
    let (mut out, mut words, mut prev_word) = (0usize, 0usize, false);
    for &b in doc {
        let t = WORD_BYTE[b as usize];
        let is_word = t != 0;
        let begins = is_word & !prev_word;
        // A word after an earlier one is preceded by exactly one space.
        text[out] = 0x20;
        out += (begins & (words != 0)) as usize;
        starts[words] = out as u32;
        words += begins as usize;
        text[out] = t;
        out += is_word as usize;
        prev_word = is_word;
    }
    s.text.truncate(out);
    s.starts.truncate(words);
}

/// Char normalization of `doc` into `s.text`: ASCII lowercase, each whitespace run → one space, trimmed.
fn normalize_spaces(doc: &[u8], s: &mut Scratch) {
    s.text.clear();
    let mut pending = false;
    for &b in doc {
        if is_space(b) {
            pending = !s.text.is_empty();
            continue;
        }
        if pending {
            s.text.push(0x20);
            pending = false;
        }
        s.text.push(b.to_ascii_lowercase());
    }
}

/// Hashes the n-grams of units (words or code points) starting at `s.starts`: gram i spans from unit
/// i's start to unit i+n's start minus `gap` (the separating space of words; 0 for code points), the
/// last one to the end. With 1 ≤ units < n one gram, the whole text; with none, none.
fn ngram_hashes(n: usize, gap: usize, kind: i32, s: &mut Scratch) {
    let (text, starts) = (&s.text, &s.starts);
    let units = starts.len();
    if units == 0 {
        return;
    }
    if units < n {
        s.hashes.push(hash_bytes(text, kind));
        return;
    }
    for i in 0..=units - n {
        let from = starts[i] as usize;
        let to = if i + n < units { starts[i + n] as usize - gap } else { text.len() };
        s.hashes.push(hash_bytes(&text[from..to], kind));
    }
}

/// Base of the rolling word polynomial and the word hash's constants (docs/internals.md, "MinHash";
/// `wasm/minhash/shingle.ts`).
const WORD_BASE: u64 = 0xD6E8_FEB8_6659_FD93;
const WORD_SEED: u64 = 0x9E37_79B9_7F4A_7C15;
const WORD_MUL: u64 = 0xBF58_476D_1CE4_E5B9;

/// The word hash: `s = len·SEED`, then `s = (s ^ c)·MUL` for each 8-byte little-endian chunk `c`
/// (the last zero-padded); the high 32 bits of `s`. `padded` holds the word at its start and at least
/// 8 more readable bytes: whole chunks are read and masked (no byte loop, no copy).
fn word_hash(padded: &[u8], len: usize) -> u32 {
    let chunk = |i: usize| u64::from_le_bytes(padded[i..i + 8].try_into().unwrap());
    let mut s = (len as u64).wrapping_mul(WORD_SEED);
    let mut i = 0;
    while i + 8 <= len {
        s = (s ^ chunk(i)).wrapping_mul(WORD_MUL);
        i += 8;
    }
    if i < len {
        s = (s ^ (chunk(i) & (u64::MAX >> (64 - 8 * (len - i))))).wrapping_mul(WORD_MUL);
    }
    (s >> 32) as u32
}

/// Word shingles under the xxh32 kind: every word is hashed once and shingle w_1 … w_m gets
/// `fmix64(Σ word_hash(w_j)·B^(m−j) + m)` (wrapping u64, low 32 bits), rolled along the words.
fn combined_word_hashes(n: usize, s: &mut Scratch) {
    let Scratch { text, starts, words, hashes } = s;
    let count = starts.len();
    if count == 0 {
        return;
    }
    let end = text.len();
    text.extend_from_slice(&[0; 8]); // the slack word_hash reads past the last word
    words.clear();
    words.extend((0..count).map(|i| {
        let to = if i + 1 < count { starts[i + 1] as usize - 1 } else { end };
        word_hash(&text[starts[i] as usize..], to - starts[i] as usize) as u64
    }));
    text.truncate(end);
    let m = n.min(count);
    let mut h = words[..m].iter().fold(0u64, |h, &w| h.wrapping_mul(WORD_BASE).wrapping_add(w));
    let top = (1..m).fold(1u64, |t, _| t.wrapping_mul(WORD_BASE));
    for i in 0..=count - m {
        hashes.push(fmix64(h.wrapping_add(m as u64)) as u32);
        if i + m < count {
            h = h.wrapping_sub(words[i].wrapping_mul(top)).wrapping_mul(WORD_BASE).wrapping_add(words[i + m]);
        }
    }
}

/// Normalizes `doc` and leaves the hash of every shingle in `s.hashes` (n ∈ [1, MAX_NGRAM]).
pub fn shingle_hashes(doc: &[u8], gram: i32, n: u32, kind: i32, s: &mut Scratch) {
    s.hashes.clear();
    if gram == GRAM_WORD {
        normalize_words(doc, s);
        if kind == HASH_XXH32 {
            combined_word_hashes(n as usize, s);
        } else {
            ngram_hashes(n as usize, 1, kind, s);
        }
    } else {
        normalize_spaces(doc, s);
        // Code points start at every byte that is not 10xxxxxx.
        s.starts.clear();
        s.starts.extend((0..s.text.len() as u32).filter(|&i| s.text[i as usize] & 0xC0 != 0x80));
        ngram_hashes(n as usize, 0, kind, s);
    }
}

#[cfg(test)]
mod tests {
    use super::super::hash::HASH_SHA1;
    use super::super::sha1::sha1_32;
    use super::*;

    fn hashes(doc: &str, gram: i32, n: u32) -> Vec<u32> {
        let mut s = Scratch::default();
        shingle_hashes(doc.as_bytes(), gram, n, 0, &mut s);
        s.hashes
    }

    fn xx(parts: &[&str]) -> Vec<u32> {
        parts.iter().map(|p| crate::core::xxhash32::xxh32(p.as_bytes(), 0)).collect()
    }

    /// The xxh32 word-shingle token, straight from its definition (no rolling).
    fn combined(words: &[&str]) -> u32 {
        let h = words.iter().fold(0u64, |h, w| h.wrapping_mul(WORD_BASE).wrapping_add(hash_word(w) as u64));
        fmix64(h.wrapping_add(words.len() as u64)) as u32
    }

    fn hash_word(w: &str) -> u32 {
        let padded = [w.as_bytes(), &[0xAB; 8]].concat(); // nonzero slack: it must be masked off
        word_hash(&padded, w.len())
    }

    #[test]
    fn word_hash_known_answers() {
        // Computed independently (Python big integers) from the definition in docs/internals.md.
        let cases = [("a", 0xD836_9342), ("abc", 0x80E7_D79C), ("abcdefgh", 0x51E2_E4C9), ("abcdefghij", 0x8591_AF02), ("café", 0xC8E8_F93D)];
        for (w, h) in cases {
            assert_eq!(hash_word(w), h, "{w}");
        }
    }

    #[test]
    fn word_shingles_of_normalized_text() {
        let mut s = Scratch::default();
        shingle_hashes("  The CAT, sat!! on_it 42 ".as_bytes(), GRAM_WORD, 2, HASH_SHA1, &mut s);
        let sha: Vec<u32> =
            ["the cat", "cat sat", "sat on_it", "on_it 42"].iter().map(|p| sha1_32(p.as_bytes())).collect();
        assert_eq!(s.hashes, sha);
        let words = ["the", "cat", "sat", "on_it", "42"];
        assert_eq!(
            hashes("  The CAT, sat!! on_it 42 ", GRAM_WORD, 2),
            words.windows(2).map(combined).collect::<Vec<_>>()
        );
        assert_eq!(
            hashes("a b c d e f g", GRAM_WORD, 5),
            ["a b c d e", "b c d e f", "c d e f g"].map(|g| combined(&g.split(' ').collect::<Vec<_>>()))
        );
        assert_eq!(hashes("One two", GRAM_WORD, 5), vec![combined(&["one", "two"])]);
        assert!(hashes(" !! ", GRAM_WORD, 3).is_empty());
    }

    #[test]
    fn char_shingles_over_code_points() {
        assert_eq!(hashes(" A\t\nB. ", GRAM_CHAR, 2), xx(&["a ", " b", "b."]));
        assert_eq!(hashes("ab\u{1F600}c", GRAM_CHAR, 2), xx(&["ab", "b\u{1F600}", "\u{1F600}c"]));
        assert_eq!(hashes("ab", GRAM_CHAR, 3), xx(&["ab"]));
    }
}
