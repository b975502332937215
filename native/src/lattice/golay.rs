//! The extended binary Golay code C24 in the MOG/hexacode form, with the table-free index of
//! `docs/internals.md` ("Golay code and Λ24-SQ index"); mirrors `wasm/lattice/golay.ts`.
//!
//! Coordinate i = 4·col + row. An array is a codeword iff every column has the parity of the top row
//! and the column scores (rows labelled 0, 1, ω, ω̄) form a hexacode word. Per column, the two patterns
//! with a given score and parity are complements, so codewords factor over columns. The tables are
//! built at compile time.

/// GF(4) = {0, 1, ω, ω̄} coded 0, 1, 2, 3 (addition is xor).
const fn gf_mul(a: u32, b: u32) -> u32 {
    if a == 0 || b == 0 {
        0
    } else {
        ((a - 1 + b - 1) % 3) + 1
    }
}

/// Column pattern (4 bits, bit r = row r) with score `v`, parity `p` and top bit `t`.
#[inline(always)]
pub const fn col_pattern(v: u32, p: u32, t: u32) -> u32 {
    let base = if v == 0 {
        if p != 0 {
            0xe
        } else {
            0
        }
    } else if p != 0 {
        1 << v
    } else {
        0xe ^ (1 << v)
    };
    if t != 0 {
        !base & 15
    } else {
        base
    }
}

/// The 64 hexacode words `(a, b, c, φ(1), φ(ω), φ(ω̄))`, word `w = a | b<<2 | c<<4`.
pub static HEXACODE: [[u8; 6]; 64] = build_hexacode();

/// Codeword masks (bit i = coordinate i) by index.
pub static GOLAY: [u32; 4096] = build_golay();

/// The 759 octads (weight-8 codewords) in increasing index order.
pub static OCTADS: [u32; 759] = build_octads();

const fn build_hexacode() -> [[u8; 6]; 64] {
    let mut h = [[0u8; 6]; 64];
    let mut w = 0u32;
    while w < 64 {
        let (a, b, c) = (w & 3, (w >> 2) & 3, w >> 4);
        h[w as usize] = [
            a as u8,
            b as u8,
            c as u8,
            (a ^ b ^ c) as u8,
            (gf_mul(a, 3) ^ gf_mul(b, 2) ^ c) as u8,
            (gf_mul(a, 2) ^ gf_mul(b, 3) ^ c) as u8,
        ];
        w += 1;
    }
    h
}

/// Index → codeword mask: `index = w << 6 | p << 5 | t`, bits 0..4 of t the top bits of columns
/// 0..4 (column 5's top bit makes the top row's parity p).
pub const fn golay_word(index: u32) -> u32 {
    let hex = build_hexacode();
    let w = (index >> 6) as usize;
    let p = (index >> 5) & 1;
    let mut t = index & 31;
    t |= (p ^ (t.count_ones() & 1)) << 5;
    let mut mask = 0u32;
    let mut j = 0;
    while j < 6 {
        mask |= col_pattern(hex[w][j] as u32, p, (t >> j) & 1) << (4 * j);
        j += 1;
    }
    mask
}

const fn build_golay() -> [u32; 4096] {
    let mut g = [0u32; 4096];
    let mut i = 0;
    while i < 4096 {
        g[i] = golay_word(i as u32);
        i += 1;
    }
    g
}

const fn build_octads() -> [u32; 759] {
    let g = build_golay();
    let mut o = [0u32; 759];
    let (mut i, mut k) = (0, 0);
    while i < 4096 {
        if g[i].count_ones() == 8 {
            o[k] = g[i];
            k += 1;
        }
        i += 1;
    }
    assert!(k == 759);
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_and_closure() {
        let mut hist = [0usize; 25];
        for &c in GOLAY.iter() {
            hist[c.count_ones() as usize] += 1;
        }
        assert_eq!((hist[0], hist[8], hist[12], hist[16], hist[24]), (1, 759, 2576, 759, 1));
        let set: std::collections::HashSet<u32> = GOLAY.iter().copied().collect();
        assert_eq!(set.len(), 4096);
        for i in (0..4096).step_by(37) {
            for j in (0..4096).step_by(53) {
                assert!(set.contains(&(GOLAY[i] ^ GOLAY[j])));
            }
        }
        assert!(OCTADS.windows(2).all(|w| w[0] != w[1]));
    }
}
