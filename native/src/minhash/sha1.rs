//! SHA-1 (FIPS 180-4) reduced to what datasketch's `sha1_hash32` keeps: the first 4 digest bytes read
//! little-endian. Mirrors `wasm/core/sha1.ts` (docs/internals.md, "MinHash", token hashes).

const H0: [u32; 5] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];

fn compress(state: &mut [u32; 5], block: &[u8]) {
    let mut w = [0u32; 80];
    for (t, word) in block.chunks_exact(4).enumerate() {
        w[t] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
    }
    for t in 16..80 {
        w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for (t, &wt) in w.iter().enumerate() {
        let (f, k) = match t {
            0..=19 => ((b & c) | (!b & d), 0x5A827999),
            20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
            40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
            _ => (b ^ c ^ d, 0xCA62C1D6),
        };
        let tmp = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(wt);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = tmp;
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d, e]) {
        *s = s.wrapping_add(v);
    }
}

/// The first 4 bytes of SHA-1(`data`) as a little-endian u32 (datasketch `sha1_hash32`).
pub fn sha1_32(data: &[u8]) -> u32 {
    let mut state = H0;
    let mut blocks = data.chunks_exact(64);
    for block in &mut blocks {
        compress(&mut state, block);
    }
    let rest = blocks.remainder();
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let used = if rest.len() < 56 { 64 } else { 128 };
    tail[used - 8..used].copy_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in tail[..used].chunks_exact(64) {
        compress(&mut state, block);
    }
    state[0].swap_bytes()
}

#[cfg(test)]
mod tests {
    use super::sha1_32;

    #[test]
    fn datasketch_vectors() {
        assert_eq!(sha1_32(b"hello"), 499578026);
        assert_eq!(sha1_32(b"minhash"), 442221856);
        // SHA-1("abc") = a9993e36…: first 4 bytes little-endian.
        assert_eq!(sha1_32(b"abc"), 0x363e99a9);
        // Lengths around the padding boundary (55, 56, 64 bytes) against the two-block digest of 56 × 'a'.
        assert_eq!(sha1_32(&[b'a'; 56]), u32::from_le_bytes([0xc2, 0xdb, 0x33, 0x0f]));
    }
}
