//! XXH32 (Cyan4973/xxHash, BSD-2), the checksum of Kompakt containers; mirrors
//! `wasm/core/xxhash32.ts` (docs/internals.md, "Entropy").

const P1: u32 = 2654435761;
const P2: u32 = 2246822519;
const P3: u32 = 3266489917;
const P4: u32 = 668265263;
const P5: u32 = 374761393;

#[inline(always)]
fn round(acc: u32, input: u32) -> u32 {
    acc.wrapping_add(input.wrapping_mul(P2)).rotate_left(13).wrapping_mul(P1)
}

#[inline(always)]
fn word(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// XXH32 of `src` with `seed`.
pub fn xxh32(src: &[u8], seed: u32) -> u32 {
    let len = src.len();
    let mut p = 0usize;
    let mut h: u32;
    if len >= 16 {
        let mut v1 = seed.wrapping_add(P1).wrapping_add(P2);
        let mut v2 = seed.wrapping_add(P2);
        let mut v3 = seed;
        let mut v4 = seed.wrapping_sub(P1);
        let mut stripes = src.chunks_exact(16);
        for s in &mut stripes {
            v1 = round(v1, word(s, 0));
            v2 = round(v2, word(s, 4));
            v3 = round(v3, word(s, 8));
            v4 = round(v4, word(s, 12));
        }
        p = len - stripes.remainder().len();
        h = v1
            .rotate_left(1)
            .wrapping_add(v2.rotate_left(7))
            .wrapping_add(v3.rotate_left(12))
            .wrapping_add(v4.rotate_left(18));
    } else {
        h = seed.wrapping_add(P5);
    }
    h = h.wrapping_add(len as u32);
    while p + 4 <= len {
        h = h.wrapping_add(word(src, p).wrapping_mul(P3)).rotate_left(17).wrapping_mul(P4);
        p += 4;
    }
    while p < len {
        h = h.wrapping_add((src[p] as u32).wrapping_mul(P5)).rotate_left(11).wrapping_mul(P1);
        p += 1;
    }
    h ^= h >> 15;
    h = h.wrapping_mul(P2);
    h ^= h >> 13;
    h = h.wrapping_mul(P3);
    h ^= h >> 16;
    h
}

#[cfg(test)]
mod tests {
    use super::xxh32;

    #[test]
    fn known_vectors() {
        assert_eq!(xxh32(b"", 0), 0x02CC5D05);
        assert_eq!(xxh32(b"a", 0), 0x550D7456);
        assert_eq!(xxh32(b"abc", 0), 0x32D153FF);
        // Longer than one 16-byte stripe (python-xxhash README).
        assert_eq!(xxh32(b"Nobody inspects the spammish repetition", 0), 0xE2293B2F);
    }
}
