//! Philox4x32-10 (Salmon et al., SC'11; as in Random123) and the Rademacher sign stream of
//! `docs/internals.md`.

const M0: u32 = 0xD251_1F53;
const M1: u32 = 0xCD9E_8D57;
const W0: u32 = 0x9E37_79B9;
const W1: u32 = 0xBB67_AE85;

#[inline(always)]
fn round(c: [u32; 4], k: [u32; 2]) -> [u32; 4] {
    let p0 = (M0 as u64) * (c[0] as u64);
    let p1 = (M1 as u64) * (c[2] as u64);
    [((p1 >> 32) as u32) ^ c[1] ^ k[0], p1 as u32, ((p0 >> 32) as u32) ^ c[3] ^ k[1], p0 as u32]
}

/// One Philox4x32-10 block.
#[inline(always)]
pub fn philox4x32_10(ctr: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let mut c = ctr;
    let mut k = key;
    c = round(c, k);
    for _ in 1..10 {
        k = [k[0].wrapping_add(W0), k[1].wrapping_add(W1)];
        c = round(c, k);
    }
    c
}

/// Fills `dst.len() / 4` blocks: block `b` is Philox4x32-10 of counter
/// `((ctr_lo, ctr_hi) + b as a 64-bit number, 0, 0)` and key `(key0, key1)`.
/// A trailing partial block (when `dst.len()` is not a multiple of 4) is left untouched.
pub fn philox4x32_fill(dst: &mut [u32], ctr_lo: u32, ctr_hi: u32, key0: u32, key1: u32) {
    let base = ((ctr_hi as u64) << 32) | ctr_lo as u64;
    for (b, out) in dst.chunks_exact_mut(4).enumerate() {
        let c = base.wrapping_add(b as u64);
        let w = philox4x32_10([c as u32, (c >> 32) as u32, 0, 0], [key0, key1]);
        out.copy_from_slice(&w);
    }
}

/// `dst[i] = ±1.0` from the sign stream of seed `(key1 << 32) | key0`: block `b = i / 128` is
/// Philox4x32-10 of counter `(b mod 2^32, b / 2^32, 0, 0)`; bit `j = i % 128` is
/// `(w[j / 32] >> (j % 32)) & 1`, and a set bit means `-1`.
pub fn rademacher_fill(dst: &mut [f32], key0: u32, key1: u32) {
    for (b, out) in dst.chunks_mut(128).enumerate() {
        let b = b as u64;
        let w = philox4x32_10([b as u32, (b >> 32) as u32, 0, 0], [key0, key1]);
        for (j, o) in out.iter_mut().enumerate() {
            let bit = (w[j >> 5] >> (j & 31)) & 1;
            *o = f32::from_bits(0x3F80_0000 | (bit << 31));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Random123 kat_vectors, "philox4x32 10" lines: ctr[4] key[2] -> out[4].
    #[test]
    fn known_answers() {
        let cases: [([u32; 4], [u32; 2], [u32; 4]); 3] = [
            ([0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]),
            ([0xffffffff; 4], [0xffffffff; 2], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]),
            (
                [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
                [0xa4093822, 0x299f31d0],
                [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
            ),
        ];
        for (ctr, key, want) in cases {
            assert_eq!(philox4x32_10(ctr, key), want, "ctr {ctr:08x?} key {key:08x?}");
        }
    }

    #[test]
    fn fill_counter_carries_into_hi() {
        let mut d = vec![0u32; 12];
        philox4x32_fill(&mut d, 0xffff_ffff, 7, 1, 2);
        assert_eq!(&d[0..4], &philox4x32_10([0xffff_ffff, 7, 0, 0], [1, 2]));
        assert_eq!(&d[4..8], &philox4x32_10([0, 8, 0, 0], [1, 2]));
        assert_eq!(&d[8..12], &philox4x32_10([1, 8, 0, 0], [1, 2]));
    }

    #[test]
    fn rademacher_matches_definition() {
        let n = 1000;
        let mut s = vec![0f32; n];
        rademacher_fill(&mut s, 0x1234_5678, 0x9abc_def0);
        let mut pos = 0;
        for (i, &v) in s.iter().enumerate() {
            let b = (i / 128) as u64;
            let w = philox4x32_10([b as u32, (b >> 32) as u32, 0, 0], [0x1234_5678, 0x9abc_def0]);
            let j = i % 128;
            let bit = (w[j / 32] >> (j % 32)) & 1;
            assert_eq!(v, if bit == 1 { -1.0 } else { 1.0 });
            if v > 0.0 {
                pos += 1;
            }
        }
        assert!(pos > 400 && pos < 600);
    }
}
