//! Raw document → shingle hashes, bit-exact with `wasm/minhash/shingle.ts` and `normalize.ts`
//! (docs/internals.md, "MinHash": text normalization and shingles). The document is copied into a
//! per-thread buffer and normalized there, so the caller's bytes are never changed.

use super::hash::hash_bytes;

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

/// Reused buffers of one thread: the normalized text, word starts and the shingle hashes.
#[derive(Default)]
pub struct Scratch {
    text: Vec<u8>,
    starts: Vec<u32>,
    pub hashes: Vec<u32>,
}

/// Word normalization of `doc` into `s.text` (ASCII lowercase; each run of non-word bytes → one
/// space, none leading or trailing), recording every word's start in `s.starts`.
fn normalize_words(doc: &[u8], s: &mut Scratch) {
    // Sized up front (the output is never longer than the input) and written by index: no
    // per-byte capacity checks in the hot loop.
    s.text.resize(doc.len(), 0);
    s.starts.clear();
    let text = &mut s.text[..];
    let mut out = 0usize;
    let mut pending = false;
    for &b in doc {
        let t = WORD_BYTE[b as usize];
        if t == 0 {
            pending = out != 0;
            continue;
        }
        if pending || out == 0 {
            if pending {
                text[out] = 0x20;
                out += 1;
            }
            pending = false;
            s.starts.push(out as u32);
        }
        text[out] = t;
        out += 1;
    }
    s.text.truncate(out);
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

/// Normalizes `doc` and leaves the hash of every shingle in `s.hashes` (n ∈ [1, MAX_NGRAM]).
pub fn shingle_hashes(doc: &[u8], gram: i32, n: u32, kind: i32, s: &mut Scratch) {
    s.hashes.clear();
    if gram == GRAM_WORD {
        normalize_words(doc, s);
        ngram_hashes(n as usize, 1, kind, s);
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
    use super::*;
    use crate::core::xxhash32::xxh32;

    fn hashes(doc: &str, gram: i32, n: u32) -> Vec<u32> {
        let mut s = Scratch::default();
        shingle_hashes(doc.as_bytes(), gram, n, 0, &mut s);
        s.hashes
    }

    fn xx(parts: &[&str]) -> Vec<u32> {
        parts.iter().map(|p| xxh32(p.as_bytes(), 0)).collect()
    }

    #[test]
    fn word_shingles_of_normalized_text() {
        assert_eq!(hashes("  The CAT, sat!! on_it 42 ", GRAM_WORD, 2), xx(&["the cat", "cat sat", "sat on_it", "on_it 42"]));
        assert_eq!(hashes("One two", GRAM_WORD, 5), xx(&["one two"]));
        assert!(hashes(" !! ", GRAM_WORD, 3).is_empty());
    }

    #[test]
    fn char_shingles_over_code_points() {
        assert_eq!(hashes(" A\t\nB. ", GRAM_CHAR, 2), xx(&["a ", " b", "b."]));
        assert_eq!(hashes("ab\u{1F600}c", GRAM_CHAR, 2), xx(&["ab", "b\u{1F600}", "\u{1F600}c"]));
        assert_eq!(hashes("ab", GRAM_CHAR, 3), xx(&["ab"]));
    }
}
