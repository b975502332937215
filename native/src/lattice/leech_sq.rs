//! Spherical Leech quantization (Λ24-SQ): the 196,560 minimal vectors of √8·Λ24 (norm² 32) scaled to
//! the unit sphere, exact nearest-codeword search and a table-free index < 2^18; mirrors
//! `wasm/lattice/leech_sq.ts` bit for bit (contract: `docs/internals.md`, "Golay code and Λ24-SQ
//! index"). Shapes and index ranges:
//!   A [0, 1104):        (±4, ±4, 0²²): pairRank(i < j)·4 + neg_i + 2·neg_j
//!   B [1104, 98256):    (±2)⁸ on an octad, even minus count: 1104 + octadRank·128 + minus bits
//!   C [98256, 196560):  σ − 4σ_k·e_k, σ_i = (−1)^{c_i}: 98256 + codewordIndex·24 + k
//! The nearest is the codeword of largest ⟨x, v⟩; per shape the maximum is found in closed form or by
//! a sweep over octads / codewords built from per-column sums. Ties keep the first in A, B, C order and
//! the lowest index. NaN/±Inf coordinates read as 0.

use super::golay::{col_pattern, GOLAY, HEXACODE, OCTADS};

/// min of two non-NaN f64 as a select (same value as `f64.min` here: inputs are finite, and a −0
/// chosen instead of +0 never changes a score's value).
#[inline(always)]
fn fmin(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

pub const OFF_B: u32 = 1104;
pub const OFF_C: u32 = 98256;
pub const TOTAL: u32 = 196560;
const INV_SQRT32: f64 = 0.17677669529663687;

fn pair_rank(i: usize, j: usize) -> u32 {
    (i * 23 - (i * i.saturating_sub(1)) / 2 + (j - i - 1)) as u32
}

/// Per column j and pattern P (index 16j + P): Σ σy (σ = −1 on the pattern), min σy, Σ|y| on the
/// pattern, min |y| on the pattern, parity of the negative y on the pattern.
struct Cols {
    ss: [f64; 96],
    sm: [f64; 96],
    oa: [f64; 96],
    om: [f64; 96],
    on: [u8; 96],
}

fn column_sums(y: &[f64; 24]) -> Cols {
    let mut c = Cols { ss: [0.0; 96], sm: [0.0; 96], oa: [0.0; 96], om: [0.0; 96], on: [0; 96] };
    for j in 0..6 {
        for pat in 0..16 {
            let (mut s, mut m, mut a, mut am, mut n) = (0f64, f64::INFINITY, 0f64, f64::INFINITY, 0u8);
            for r in 0..4 {
                let v = y[j * 4 + r];
                let on = (pat >> r) & 1 != 0;
                let sy = if on { -v } else { v };
                s += sy;
                m = m.min(sy);
                if on {
                    a += v.abs();
                    am = am.min(v.abs());
                    n ^= (v < 0.0) as u8;
                }
            }
            let k = j * 16 + pat;
            c.ss[k] = s;
            c.sm[k] = m;
            c.oa[k] = a;
            c.om[k] = am;
            c.on[k] = n;
        }
    }
    c
}

/// Index of the nearest unit-sphere codeword of one 24-vector.
pub fn encode_one(x: &[f32]) -> u32 {
    let y: [f64; 24] = std::array::from_fn(|i| if x[i].is_finite() { x[i] as f64 } else { 0.0 });
    // A: the two largest |y| (first index on ties)
    let (mut i1, mut i2) = (0usize, 1usize);
    if y[1].abs() > y[0].abs() {
        i1 = 1;
        i2 = 0;
    }
    for i in 2..24 {
        let a = y[i].abs();
        if a > y[i1].abs() {
            i2 = i1;
            i1 = i;
        } else if a > y[i2].abs() {
            i2 = i;
        }
    }
    let (lo, hi) = (i1.min(i2), i1.max(i2));
    let mut best = 4.0 * (y[lo].abs() + y[hi].abs());
    let index = pair_rank(lo, hi) * 4 + (y[lo] < 0.0) as u32 + 2 * (y[hi] < 0.0) as u32;
    let c = column_sums(&y);
    // B: octads, 2Σ|y| with the cheapest flip when the minus count is odd
    let mut bo = usize::MAX;
    for (o, &mask) in OCTADS.iter().enumerate() {
        let (mut a, mut am, mut n) = (0f64, f64::INFINITY, 0u8);
        for j in 0..6 {
            let k = j * 16 + ((mask >> (4 * j)) & 15) as usize;
            a += c.oa[k];
            am = fmin(am, c.om[k]);
            n ^= c.on[k];
        }
        let score = 2.0 * a - if n != 0 { 4.0 * am } else { 0.0 };
        if score > best {
            best = score;
            bo = o;
        }
    }
    // C: codewords, Σσy − 4·min σ_k y_k. Per (hexacode word, parity) the 32 codewords share prefixes
    // of the column sums (column 0 first, as the sequential sum), so the sums are built level by level
    // (t bit j = top bit of column j); the scan keeps increasing index order.
    let mut bc = usize::MAX;
    let (mut s, mut m) = ([0f64; 32], [0f64; 32]);
    for (w, hw) in HEXACODE.iter().enumerate() {
        for p in 0..2u32 {
            for j in 0..5 {
                let k0 = j * 16 + col_pattern(hw[j] as u32, p, 0) as usize;
                let k1 = j * 16 + col_pattern(hw[j] as u32, p, 1) as usize;
                let half = 1usize << j;
                if j == 0 {
                    s[0] = 0.0 + c.ss[k0];
                    s[1] = 0.0 + c.ss[k1];
                    m[0] = fmin(f64::INFINITY, c.sm[k0]);
                    m[1] = fmin(f64::INFINITY, c.sm[k1]);
                    continue;
                }
                for t in 0..half {
                    s[t + half] = s[t] + c.ss[k1];
                    m[t + half] = fmin(m[t], c.sm[k1]);
                    s[t] += c.ss[k0];
                    m[t] = fmin(m[t], c.sm[k0]);
                }
            }
            let k5 = [80 + col_pattern(hw[5] as u32, p, 0) as usize, 80 + col_pattern(hw[5] as u32, p, 1) as usize];
            let base = (w << 6) | ((p as usize) << 5);
            for t in 0..32usize {
                let k = k5[((p ^ (t as u32).count_ones()) & 1) as usize];
                let score = (s[t] + c.ss[k]) - 4.0 * fmin(m[t], c.sm[k]);
                if score > best {
                    best = score;
                    bc = base | t;
                }
            }
        }
    }
    if bc != usize::MAX {
        let mask = GOLAY[bc];
        let (mut m, mut k) = (f64::INFINITY, 0u32);
        for i in 0..24 {
            let sy = if (mask >> i) & 1 != 0 { -y[i] } else { y[i] };
            if sy < m {
                m = sy;
                k = i as u32;
            }
        }
        return OFF_C + bc as u32 * 24 + k;
    }
    if bo != usize::MAX {
        let mask = OCTADS[bo];
        let (mut bits, mut n, mut pos, mut am, mut am_pos) = (0u32, 0u32, 0u32, f64::INFINITY, 0u32);
        for i in 0..24 {
            if (mask >> i) & 1 == 0 {
                continue;
            }
            let neg = (y[i] < 0.0) as u32;
            bits |= neg << pos;
            n ^= neg;
            if y[i].abs() < am {
                am = y[i].abs();
                am_pos = pos;
            }
            pos += 1;
        }
        if n != 0 {
            bits ^= 1 << am_pos; // flip the cheapest: now an even number of minus signs
        }
        return OFF_B + bo as u32 * 128 + (bits & 127);
    }
    index
}

pub fn encode(x: &[f32], out: &mut [u32]) {
    for (xv, o) in x.chunks_exact(24).zip(out.iter_mut()) {
        *o = encode_one(xv);
    }
}

/// The unit vector of one index; false (and all NaN) for an index ≥ 196,560.
pub fn decode_one(c: u32, o: &mut [f32]) -> bool {
    let put = |v: f64| (v * INV_SQRT32) as f32;
    let o = &mut o[..24];
    o.fill(put(0.0));
    if c >= TOTAL {
        o.fill(f32::NAN);
        return false;
    }
    if c >= OFF_C {
        let (cw, k) = (((c - OFF_C) / 24) as usize, ((c - OFF_C) % 24) as usize);
        let mask = GOLAY[cw];
        for (i, oi) in o.iter_mut().enumerate() {
            let s: f64 = if (mask >> i) & 1 != 0 { -1.0 } else { 1.0 };
            *oi = put(if i == k { -3.0 * s } else { s });
        }
    } else if c >= OFF_B {
        let mask = OCTADS[((c - OFF_B) >> 7) as usize];
        let bits = (c - OFF_B) & 127;
        let last = bits.count_ones() & 1;
        let mut pos = 0u32;
        for (i, oi) in o.iter_mut().enumerate() {
            if (mask >> i) & 1 == 0 {
                continue;
            }
            let neg = if pos < 7 { (bits >> pos) & 1 } else { last };
            *oi = put(if neg != 0 { -2.0 } else { 2.0 });
            pos += 1;
        }
    } else {
        let (mut r, mut i) = ((c >> 2) as usize, 0usize);
        while r >= 23 - i {
            r -= 23 - i;
            i += 1;
        }
        let j = i + 1 + r;
        o[i] = put(if c & 1 != 0 { -4.0 } else { 4.0 });
        o[j] = put(if c & 2 != 0 { -4.0 } else { 4.0 });
    }
    true
}

/// Decodes every index; returns the position of the first index ≥ 196,560, if any.
pub fn decode(idx: &[u32], out: &mut [f32]) -> Option<usize> {
    let mut bad = None;
    for (v, (&c, o)) in idx.iter().zip(out.chunks_exact_mut(24)).enumerate() {
        if !decode_one(c, o) && bad.is_none() {
            bad = Some(v);
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_bijection_on_all_codewords() {
        // every index decodes to a distinct unit vector of √8·Λ24's minimal shell that encodes back to it
        let mut v = [0f32; 24];
        let mut seen = std::collections::HashSet::new();
        for c in 0..TOTAL {
            assert!(decode_one(c, &mut v));
            let z: Vec<i32> = v.iter().map(|&a| (a as f64 / INV_SQRT32).round() as i32).collect();
            assert_eq!(z.iter().map(|a| a * a).sum::<i32>(), 32, "index {c}");
            assert_eq!(encode_one(&v), c, "index {c}");
            if c % 7 == 0 {
                assert!(seen.insert(z));
            }
        }
        assert!(!decode_one(TOTAL, &mut v) && v.iter().all(|a| a.is_nan()));
        assert_eq!(decode(&[0, TOTAL + 5, 1, u32::MAX], &mut [0f32; 96]), Some(1));
        assert_eq!(pair_rank(22, 23) * 4 + 3, OFF_B - 1);
    }

    #[test]
    fn encode_is_exact_against_brute_force() {
        let mut all = vec![0f32; 24 * TOTAL as usize];
        for c in 0..TOTAL as usize {
            decode_one(c as u32, &mut all[24 * c..24 * c + 24]);
        }
        let mut s = 11u64;
        for k in 0..12 {
            let x: Vec<f32> = (0..24)
                .map(|_| {
                    s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((s >> 40) as f32) / (1u64 << 24) as f32 * 2.0 - 1.0
                })
                .collect();
            let dot = |c: usize| -> f64 { (0..24).map(|i| x[i] as f64 * all[24 * c + i] as f64).sum() };
            let best = (0..TOTAL as usize).map(dot).fold(f64::NEG_INFINITY, f64::max);
            let got = encode_one(&x);
            assert!(dot(got as usize) >= best - 1e-9, "vector {k}");
        }
    }
}
