//! QuIP#'s E8P ("E8P12") 2-bit codebook: 65,536 points of E8 + ¼, one u16 per 8 values; mirrors
//! `wasm/lattice/e8p.ts` bit for bit (contract and layout: `docs/internals.md`, "E8P tables").
//!
//! code = a << 8 | s. `ABS[a]` is one of 256 absolute-value patterns of D8 + ½ (the 227 with norm²
//! ≤ 10 in lexicographic order, then 29 of norm² 12), stored with the last coordinate negated when the
//! pattern's sum is odd. s is a sign byte; coordinate i reads bit `SIGN_BIT[i]`; with p = popcount(s)
//! & 1, bit 0 is toggled when p = 1 and the shift is −¼ when p = 1, +¼ when p = 0.
//!
//! Encoding is exact: for each shift the D8 + ½ decoder runs first; its point is optimal for that shift
//! when its pattern is in ABS. Otherwise a search over the 256 patterns (each with its best sign
//! choice) finds the optimum. Ties: the +¼ shift, then the lowest pattern index.

use super::dn::dn_point;

/// Positions of the three ½ entries of the 29 norm² 12 patterns, in table order.
const NORM12: [u16; 29] = [
    123, 23, 13, 12, 367, 357, 347, 356, 346, 345, 267, 257, 247, 256, 246, 245, 167, 157, 147, 156, 146, 45, 67, 57,
    47, 56, 46, 14, 237,
];
/// Sign bit of coordinate i.
const SIGN_BIT: [u32; 8] = [0, 4, 1, 5, 2, 6, 3, 7];

pub struct Tables {
    /// The stored (signed) patterns.
    pub abs: [[f32; 8]; 256],
    /// |pattern|, transposed: `abs_t[i][a] = |abs[a][i]|` (for the search over patterns).
    pub abs_t: [[f32; 256]; 8],
    /// Squared norms.
    pub norm2: [f32; 256],
    /// Parity of negatives of the pattern in D8 + ½ (sign bit of its last coordinate).
    pub want: [u32; 256],
    /// `FLIP[s]`: sign masks (bit 31) of the raw sign byte s.
    pub flip: [[u32; 8]; 256],
    /// `SHIFT[s]`: ±¼.
    pub shift: [f32; 256],
    /// `KEY[Σ 3^(7−i)·(|v_i| − ½)]`: pattern index, 0xFFFF when not in ABS.
    pub key: [u16; 6561],
}

pub static TABLES: Tables = build();

const fn add_pattern(t: &mut Tables, a: usize, key: usize, digits: &[u32; 8]) {
    let mut sum = 0u32;
    let mut n2 = 0f32;
    let mut i = 0;
    while i < 8 {
        let v = digits[i] as f32 + 0.5;
        t.abs[a][i] = v;
        t.abs_t[i][a] = v;
        n2 += v * v;
        sum += 2 * digits[i] + 1;
        i += 1;
    }
    if (sum >> 1) & 1 != 0 {
        t.abs[a][7] = -(digits[7] as f32 + 0.5);
        t.want[a] = 1;
    }
    t.norm2[a] = n2;
    t.key[key] = a as u16;
}

const fn build() -> Tables {
    let mut t = Tables {
        abs: [[0.0; 8]; 256],
        abs_t: [[0.0; 256]; 8],
        norm2: [0.0; 256],
        want: [0; 256],
        flip: [[0; 8]; 256],
        shift: [0.0; 256],
        key: [0xffff; 6561],
    };
    let mut a = 0usize;
    let mut key = 0usize;
    while key < 6561 {
        let mut digits = [0u32; 8];
        let (mut k, mut weight) = (key as u32, 0u32);
        let mut i = 8;
        while i > 0 {
            i -= 1;
            let d = k % 3;
            k /= 3;
            digits[i] = d;
            weight += if d == 2 { 3 } else { d };
        }
        if weight <= 4 {
            add_pattern(&mut t, a, key, &digits);
            a += 1;
        }
        key += 1;
    }
    assert!(a == 227);
    let mut j = 0;
    while j < 29 {
        let pos = NORM12[j] as usize;
        let mut digits = [1u32; 8];
        digits[pos / 100] = 0;
        digits[(pos / 10) % 10] = 0;
        digits[pos % 10] = 0;
        let mut key = 0usize;
        let mut i = 0;
        while i < 8 {
            key = key * 3 + digits[i] as usize;
            i += 1;
        }
        add_pattern(&mut t, a, key, &digits);
        a += 1;
        j += 1;
    }
    let mut s = 0u32;
    while s < 256 {
        let p = s.count_ones() & 1;
        let f = s ^ p;
        let mut i = 0;
        while i < 8 {
            t.flip[s as usize][i] = ((f >> SIGN_BIT[i]) & 1) << 31;
            i += 1;
        }
        t.shift[s as usize] = if p != 0 { -0.25 } else { 0.25 };
        s += 1;
    }
    t
}

/// The 8 values of one code.
#[inline(always)]
pub fn decode_one(code: u16, out: &mut [f32]) {
    let t = &TABLES;
    let (a, s) = ((code >> 8) as usize, (code & 255) as usize);
    let (e, f, sh) = (&t.abs[a], &t.flip[s], t.shift[s]);
    for i in 0..8 {
        out[i] = f32::from_bits(e[i].to_bits() ^ f[i]) + sh;
    }
}

/// `codes.len()` codes → `8 · codes.len()` values.
pub fn decode(codes: &[u16], out: &mut [f32]) {
    for (&c, o) in codes.iter().zip(out.chunks_exact_mut(8)) {
        decode_one(c, o);
    }
}

/// The code of a point `pt` of S with pattern `a` for shift index p (0: +¼, 1: −¼).
#[inline(always)]
fn code_of(pt: &[f32; 8], a: usize, p: u32) -> u32 {
    let e = &TABLES.abs[a];
    let mut f = 0u32;
    for i in 0..8 {
        let neg = (pt[i].to_bits() ^ e[i].to_bits()) >> 31;
        f |= neg << SIGN_BIT[i];
    }
    ((a as u32) << 8) | (f ^ p)
}

/// Best point of S for target y: returns (squared distance, pattern index); the point goes to `pt`.
#[inline]
fn best_in_s(y: &[f32; 8], pt: &mut [f32; 8]) -> (f32, usize) {
    let t = &TABLES;
    // 1. lattice decoder: nearest point of D8 + ½
    let d = dn_point(y, 0.5, pt);
    let (mut key, mut in_range) = (0usize, true);
    for &v in pt.iter() {
        let u = v.abs() - 0.5;
        if u > 2.0 {
            in_range = false;
            break;
        }
        key = key * 3 + u as usize;
    }
    if in_range {
        let a = t.key[key];
        if a != 0xffff {
            return (d, a as usize);
        }
    }
    // 2. search: per pattern 2·⟨|y|, P⟩ − ‖P‖², minus 4·min P_i|y_i| when the sign parity is wrong
    let (mut negs, mut y2) = (0u32, 0f32);
    let mut ay = [0f32; 8];
    for i in 0..8 {
        negs += (y[i] < 0.0) as u32;
        y2 += y[i] * y[i];
        ay[i] = y[i].abs();
    }
    let mut dot = [0f32; 256];
    let mut mn = [f32::INFINITY; 256];
    for i in 0..8 {
        let (row, yi) = (&t.abs_t[i], ay[i]);
        for a in 0..256 {
            let v = row[a] * yi;
            dot[a] += v;
            mn[a] = if v < mn[a] { v } else { mn[a] };
        }
    }
    let (mut best, mut ba) = (f32::NEG_INFINITY, 0usize);
    for a in 0..256 {
        let mut score = dot[a] * 2.0 - t.norm2[a];
        if (negs ^ t.want[a]) & 1 != 0 {
            score -= mn[a] * 4.0;
        }
        if score > best {
            best = score;
            ba = a;
        }
    }
    // rebuild the point: signs of y, one flip of the cheapest coordinate when the parity is wrong
    let e = &t.abs[ba];
    let (mut m0, mut mi) = (f32::INFINITY, 0usize);
    for i in 0..8 {
        let m = e[i].abs();
        let v = m * ay[i];
        if v < m0 {
            m0 = v;
            mi = i;
        }
        pt[i] = if y[i] < 0.0 { -m } else { m };
    }
    if (negs ^ t.want[ba]) & 1 != 0 {
        pt[mi] = -pt[mi];
    }
    (y2 - best, ba)
}

/// The code of the nearest codeword of one 8-vector (NaN/±Inf read as 0; ties to +¼).
#[inline]
pub fn encode_one(x: &[f32]) -> u16 {
    let mut y = [0f32; 8];
    let mut pt = [0f32; 8];
    let (mut best_code, mut best_d) = (0u32, f32::INFINITY);
    for p in 0..2u32 {
        let sh: f32 = if p != 0 { -0.25 } else { 0.25 };
        for i in 0..8 {
            let xi = if x[i].is_finite() { x[i] } else { 0.0 };
            y[i] = xi - sh;
        }
        let (d, a) = best_in_s(&y, &mut pt);
        if d < best_d {
            best_d = d;
            best_code = code_of(&pt, a, p);
        }
    }
    best_code as u16
}

/// `x.len() / 8` vectors → codes.
pub fn encode(x: &[f32], codes: &mut [u16]) {
    for (xv, c) in x.chunks_exact(8).zip(codes.iter_mut()) {
        *c = encode_one(xv);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shape() {
        let t = &TABLES;
        assert_eq!(t.key.iter().filter(|&&k| k != 0xffff).count(), 256);
        assert_eq!(t.norm2[0], 2.0);
        assert_eq!(t.norm2[227], 12.0);
        let mut v = [0f32; 8];
        decode_one(0x0003, &mut v);
        assert_eq!(v, [-0.25, 0.75, -0.25, 0.75, 0.75, 0.75, 0.75, 0.75]);
        decode_one(227 << 8, &mut v);
        assert_eq!(v, [1.75, 0.75, 0.75, 0.75, 1.75, 1.75, 1.75, -1.25]);
    }

    #[test]
    fn round_trips_every_code() {
        let codes: Vec<u16> = (0..=u16::MAX).collect();
        let mut cb = vec![0f32; 8 * 65536];
        decode(&codes, &mut cb);
        let mut back = vec![0u16; 65536];
        encode(&cb, &mut back);
        assert_eq!(back, codes);
    }

    #[test]
    fn encodes_to_the_nearest_codeword() {
        let codes: Vec<u16> = (0..=u16::MAX).collect();
        let mut cb = vec![0f32; 8 * 65536];
        decode(&codes, &mut cb);
        let mut s = 99u64;
        let mut x = vec![0f32; 8 * 120];
        for (k, v) in x.iter_mut().enumerate() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let u = ((s >> 40) as f32) / (1u64 << 24) as f32;
            *v = (u * 2.0 - 1.0) * if k < 8 * 60 { 2.0 } else { 4.5 };
        }
        let mut got = vec![0u16; 120];
        encode(&x, &mut got);
        for k in 0..120 {
            let xv = &x[8 * k..8 * k + 8];
            let dist = |c: usize| -> f64 { (0..8).map(|i| (xv[i] as f64 - cb[8 * c + i] as f64).powi(2)).sum() };
            let best = (0..65536).map(dist).fold(f64::INFINITY, f64::min);
            assert!(dist(got[k] as usize) <= best + 1e-5, "vector {k}");
        }
    }
}
