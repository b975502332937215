//! Spherical Leech quantization (Λ24-SQ): the 196,560 minimal vectors of √8·Λ24 (norm² 32) scaled to
//! the unit sphere, exact nearest-codeword search and a table-free index < 2^18; mirrors
//! `wasm/lattice/leech_sq.ts` bit for bit (contract: `docs/internals.md`, "Golay code and Λ24-SQ
//! index"). Shapes and index ranges:
//!   A [0, 1104):        (±4, ±4, 0²²): pairRank(i < j)·4 + neg_i + 2·neg_j
//!   B [1104, 98256):    (±2)⁸ on an octad, even minus count: 1104 + octadRank·128 + minus bits
//!   C [98256, 196560):  σ − 4σ_k·e_k, σ_i = (−1)^{c_i}: 98256 + codewordIndex·24 + k
//! The nearest is the codeword of largest ⟨x, v⟩. The search (derivation in leech_sq.ts) works per
//! block (hexacode word h, column parity p) of the MOG form of the Golay code: max-plus convolutions of
//! per-column vectors over (parity, κ) for codewords and p = 1 octads (column pairs shared by the 64
//! words), over (t-parity, sign parity) for the p = 0 octads; the winner is rebuilt inside its block.
//! Same f64 expressions in the same order as the wasm builds; ties keep the first in A, B, C order
//! (blocks in the order of leech_sq.ts). NaN/±Inf coordinates read as 0.

use super::golay::{col_pattern, GOLAY, HEXACODE, OCTADS};

pub const OFF_B: u32 = 1104;
pub const OFF_C: u32 = 98256;
pub const TOTAL: u32 = 196560;
const INV_SQRT32: f64 = 0.17677669529663687;

fn pair_rank(i: usize, j: usize) -> u32 {
    (i * 23 - (i * i.saturating_sub(1)) / 2 + (j - i - 1)) as u32
}

/// Golay index → rank among the octads (index order); meaningful for octads only.
static RANK: [u16; 4096] = build_rank();

const fn build_rank() -> [u16; 4096] {
    let mut r = [0u16; 4096];
    let (mut i, mut k) = (0, 0u16);
    while i < 4096 {
        if GOLAY[i].count_ones() == 8 {
            r[i] = k;
            k += 1;
        }
        i += 1;
    }
    r
}

/// Per hexacode word, the pair keys 4h₀ + h₁, 16 + 4h₂ + h₃, 32 + 4h₄ + h₅.
static HQ: [[usize; 3]; 64] = build_hq();

const fn build_hq() -> [[usize; 3]; 64] {
    let mut q = [[0usize; 3]; 64];
    let mut w = 0;
    while w < 64 {
        let h = HEXACODE[w];
        let mut k = 0;
        while k < 3 {
            q[w][k] = 16 * k + 4 * h[2 * k] as usize + h[2 * k + 1] as usize;
            k += 1;
        }
        w += 1;
    }
    q
}

/// The 45 weight-4 hexacode words: their four nonzero columns as 4j + v, then the word.
static W4: [[usize; 5]; 45] = build_w4();

const fn build_w4() -> [[usize; 5]; 45] {
    let mut out = [[0usize; 5]; 45];
    let (mut w, mut n) = (0, 0);
    while w < 64 {
        let h = HEXACODE[w];
        let (mut j, mut c) = (0, 0);
        let mut e = [0usize; 5];
        while j < 6 {
            if h[j] != 0 {
                if c < 4 {
                    e[c] = 4 * j + h[j] as usize;
                }
                c += 1;
            }
            j += 1;
        }
        if c == 4 {
            e[4] = w;
            out[n] = e;
            n += 1;
        }
        w += 1;
    }
    assert!(n == 45);
    out
}

/// Best signed sums of a row set (Σ|y| = a, min |y| = am, n = parity of negatives): (even, odd) minus count.
#[inline(always)]
fn signed(a: f64, am: f64, n: bool) -> (f64, f64) {
    if n {
        (a - 2.0 * am, a)
    } else {
        (a, a - 2.0 * am)
    }
}

/// Per-vector tables (layouts as the wasm static arrays).
struct Search {
    y: [f64; 24],
    /// COLC[4j + v][field][p], fields S, K₀, K₁
    colc: [[[f64; 2]; 3]; 24],
    /// COLB[4j + v] = (u, best even-signed triple, best odd-signed triple)
    colb: [[f64; 3]; 24],
    /// EV[4j + v][t + 2q]
    ev: [[f64; 4]; 24],
    /// PAIRC[16k + q][τ + 2κ][p] (lane 1 of k = 2 with τ flipped), PAIRB[16k + q][τ + 2κ]
    pairc: [[[f64; 2]; 4]; 48],
    pairb: [[f64; 4]; 48],
}

/// Max-plus convolution of two column vectors (S, K₀, K₁) into g[τ + 2κ].
#[inline(always)]
fn pair_of(a: [f64; 3], b: [f64; 3]) -> [f64; 4] {
    let (s1, k01, k11) = (a[0], a[1], a[2]);
    let (s2, k02, k12) = (b[0], b[1], b[2]);
    [
        (s1 + s2).abs(),
        (s1 - s2).abs(),
        (k01 + s2).max(k11 - s2).max((s1 + k02).max(k12 - s1)),
        (k01 - s2).max(k11 + s2).max((s1 + k12).max(k02 - s1)),
    ]
}

/// Best of three pair vectors ending at τ = 0 with exactly one κ.
#[inline(always)]
fn best3(a: [f64; 4], b: [f64; 4], c: [f64; 4]) -> f64 {
    let ab0 = (a[0] + b[0]).max(a[1] + b[1]);
    let ab1 = (a[0] + b[1]).max(a[1] + b[0]);
    let ab2 = (a[0] + b[2]).max(a[1] + b[3]).max((a[2] + b[0]).max(a[3] + b[1]));
    let ab3 = (a[0] + b[3]).max(a[1] + b[2]).max((a[2] + b[1]).max(a[3] + b[0]));
    (ab0 + c[2]).max(ab1 + c[3]).max((ab2 + c[0]).max(ab3 + c[1]))
}

/// Max-plus convolution over (ℤ/2)² (index XOR).
#[inline(always)]
fn conv4(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    std::array::from_fn(|s| (a[0] + b[s]).max(a[1] + b[1 ^ s]).max((a[2] + b[2 ^ s]).max(a[3] + b[3 ^ s])))
}

/// Best of four (ℤ/2)² vectors ending at state 0.
#[inline(always)]
fn best4(a: [f64; 4], b: [f64; 4], c: [f64; 4], d: [f64; 4]) -> f64 {
    let e = conv4(conv4(a, b), c);
    (e[0] + d[0]).max(e[1] + d[1]).max((e[2] + d[2]).max(e[3] + d[3]))
}

impl Search {
    fn new(x: &[f32]) -> Search {
        let y: [f64; 24] = std::array::from_fn(|i| if x[i].is_finite() { x[i] as f64 } else { 0.0 });
        let mut s = Search {
            y,
            colc: [[[0.0; 2]; 3]; 24],
            colb: [[0.0; 3]; 24],
            ev: [[0.0; 4]; 24],
            pairc: [[[0.0; 2]; 4]; 48],
            pairb: [[0.0; 4]; 48],
        };
        s.columns();
        s.pairs();
        s
    }

    fn columns(&mut self) {
        for j in 0..6 {
            let [y0, y1, y2, y3]: [f64; 4] = self.y[4 * j..4 * j + 4].try_into().unwrap();
            let (a0, a1, a2, a3) = (y0.abs(), y1.abs(), y2.abs(), y3.abs());
            let (n0, n1, n2, n3) = (y0 < 0.0, y1 < 0.0, y2 < 0.0, y3 < 0.0);
            for v in 0..4 {
                for p in 0..2 {
                    let pat = col_pattern(v as u32, p as u32, 0); // row 0 is never in it
                    let s1 = if pat & 2 != 0 { -y1 } else { y1 };
                    let s2 = if pat & 4 != 0 { -y2 } else { y2 };
                    let s3 = if pat & 8 != 0 { -y3 } else { y3 };
                    let sum = ((y0 + s1) + s2) + s3;
                    let mn = y0.min(s1).min(s2.min(s3));
                    let mx = y0.max(s1).max(s2.max(s3));
                    let c = &mut self.colc[4 * j + v];
                    c[0][p] = sum;
                    c[1][p] = sum - 4.0 * mn;
                    c[2][p] = 4.0 * mx - sum;
                }
            }
            // p = 1 octads: row v alone, or the other three rows
            let t = [
                signed((a1 + a2) + a3, a1.min(a2).min(a3), n1 ^ n2 ^ n3),
                signed((a0 + a2) + a3, a0.min(a2).min(a3), n0 ^ n2 ^ n3),
                signed((a0 + a1) + a3, a0.min(a1).min(a3), n0 ^ n1 ^ n3),
                signed((a0 + a1) + a2, a0.min(a1).min(a2), n0 ^ n1 ^ n2),
            ];
            for (v, (u, (e, o))) in [y0, y1, y2, y3].into_iter().zip(t).enumerate() {
                self.colb[4 * j + v] = [u, e, o];
            }
            // p = 0 octads, states t + 2q: the whole column; two rows (t = 0: other than 0 and v; t = 1: 0 and v)
            let full = signed(((a0 + a1) + a2) + a3, a0.min(a1).min(a2.min(a3)), n0 ^ n1 ^ n2 ^ n3);
            let two = [
                (signed(a2 + a3, a2.min(a3), n2 ^ n3), signed(a0 + a1, a0.min(a1), n0 ^ n1)),
                (signed(a1 + a3, a1.min(a3), n1 ^ n3), signed(a0 + a2, a0.min(a2), n0 ^ n2)),
                (signed(a1 + a2, a1.min(a2), n1 ^ n2), signed(a0 + a3, a0.min(a3), n0 ^ n3)),
            ];
            self.ev[4 * j] = [full.0, 0.0, full.1, 0.0];
            for (v, (t0, t1)) in two.into_iter().enumerate() {
                self.ev[4 * j + v + 1] = [t0.0, t1.0, t0.1, t1.1];
            }
        }
    }

    fn pairs(&mut self) {
        for k in 0..3 {
            for v1 in 0..4 {
                for v2 in 0..4 {
                    let q = 16 * k + 4 * v1 + v2;
                    let (ca, cb) = (4 * (2 * k) + v1, 4 * (2 * k + 1) + v2);
                    self.pairb[q] = pair_of(self.colb[ca], self.colb[cb]);
                    for p in 0..2 {
                        let lane = |c: &[[f64; 2]; 3]| [c[0][p], c[1][p], c[2][p]];
                        let mut g = pair_of(lane(&self.colc[ca]), lane(&self.colc[cb]));
                        if k == 2 && p == 1 {
                            g = [g[1], g[0], g[3], g[2]];
                        }
                        for (st, v) in g.into_iter().enumerate() {
                            self.pairc[q][st][p] = v;
                        }
                    }
                }
            }
        }
    }

    /// Index of the best octad of block w << 1 | p (first on ties), with its best even-signed ±2 pattern.
    fn octad_of_block(&self, block: usize) -> u32 {
        let y = &self.y;
        let (mut top, mut mask, mut idx) = (f64::NEG_INFINITY, 0u32, 0usize);
        for t in 0..32 {
            let m = GOLAY[block << 5 | t];
            if m.count_ones() != 8 {
                continue;
            }
            let (mut a, mut am, mut n) = (0f64, f64::INFINITY, false);
            for (i, &v) in y.iter().enumerate() {
                if (m >> i) & 1 != 0 {
                    a += v.abs();
                    am = am.min(v.abs());
                    n ^= v < 0.0;
                }
            }
            let score = 2.0 * a - if n { 4.0 * am } else { 0.0 };
            if score > top {
                top = score;
                mask = m;
                idx = block << 5 | t;
            }
        }
        let (mut bits, mut n, mut pos, mut am, mut am_pos) = (0u32, 0u32, 0u32, f64::INFINITY, 0u32);
        for (i, &v) in y.iter().enumerate() {
            if (mask >> i) & 1 == 0 {
                continue;
            }
            let neg = (v < 0.0) as u32;
            bits |= neg << pos;
            n ^= neg;
            if v.abs() < am {
                am = v.abs();
                am_pos = pos;
            }
            pos += 1;
        }
        if n != 0 {
            bits ^= 1 << am_pos; // flip the cheapest: now an even number of minus signs
        }
        OFF_B + RANK[idx] as u32 * 128 + (bits & 127)
    }

    /// Index of the best codeword and position of block w << 1 | p: first codeword, then first position.
    fn codeword_of_block(&self, block: usize) -> u32 {
        let (h, p) = (HEXACODE[block >> 1], (block & 1) as u32);
        let (mut ws, mut wm, mut wr) = ([0f64; 6], [[0f64; 2]; 6], [[0u32; 2]; 6]);
        for j in 0..6 {
            let pat = col_pattern(h[j] as u32, p, 0);
            let (mut s, mut m0, mut m1, mut r0, mut r1) = (0f64, f64::INFINITY, f64::INFINITY, 0u32, 0u32);
            for r in 0..4 {
                let v = self.y[4 * j + r];
                let sy = if (pat >> r) & 1 != 0 { -v } else { v };
                s += sy;
                if sy < m0 {
                    m0 = sy;
                    r0 = r as u32;
                }
                if -sy < m1 {
                    m1 = -sy;
                    r1 = r as u32;
                }
            }
            ws[j] = s;
            wm[j] = [m0, m1];
            wr[j] = [r0, r1];
        }
        let (mut top, mut bt, mut bk) = (f64::NEG_INFINITY, 0u32, 0u32);
        for t in 0..32u32 {
            let t6 = t | ((p ^ (t.count_ones() & 1)) << 5);
            let (mut s, mut m, mut k) = (0f64, f64::INFINITY, 0u32);
            for j in 0..6 {
                let on = ((t6 >> j) & 1) as usize;
                s += if on != 0 { -ws[j] } else { ws[j] };
                if wm[j][on] < m {
                    m = wm[j][on];
                    k = 4 * j as u32 + wr[j][on];
                }
            }
            let score = s - 4.0 * m;
            if score > top {
                top = score;
                bt = t;
                bk = k;
            }
        }
        OFF_C + ((block as u32) << 5 | bt) * 24 + bk
    }
}

/// Index of the nearest unit-sphere codeword of one 24-vector.
pub fn encode_one(x: &[f32]) -> u32 {
    let s = Search::new(x);
    let y = &s.y;
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
    // B, p = 0: h = 0 (two whole columns), then the weight-4 words; block = w << 1 | p
    let (mut shape, mut block) = (0, 0usize);
    for j1 in 0..5 {
        for j2 in j1 + 1..6 {
            let (e1, e2) = (s.ev[4 * j1], s.ev[4 * j2]);
            let score = 2.0 * (e1[0] + e2[0]).max(e1[2] + e2[2]);
            if score > best {
                best = score;
                shape = 1;
                block = 0;
            }
        }
    }
    for e in W4.iter() {
        let score = 2.0 * best4(s.ev[e[0]], s.ev[e[1]], s.ev[e[2]], s.ev[e[3]]);
        if score > best {
            best = score;
            shape = 1;
            block = e[4] << 1;
        }
    }
    // B, p = 1 and C: three shared pair vectors per hexacode word
    // words w and w + 32 as a pair (the SIMD lanes of the wasm build)
    for w0 in 0..32 {
        for w in [w0, w0 + 32] {
            let q = HQ[w];
            let score = 2.0 * best3(s.pairb[q[0]], s.pairb[q[1]], s.pairb[q[2]]);
            if score > best {
                best = score;
                shape = 1;
                block = w << 1 | 1;
            }
        }
    }
    for (w, q) in HQ.iter().enumerate() {
        for p in 0..2 {
            let lane = |g: &[[f64; 2]; 4]| [g[0][p], g[1][p], g[2][p], g[3][p]];
            let score = best3(lane(&s.pairc[q[0]]), lane(&s.pairc[q[1]]), lane(&s.pairc[q[2]]));
            if score > best {
                best = score;
                shape = 2;
                block = w << 1 | p;
            }
        }
    }
    match shape {
        2 => s.codeword_of_block(block),
        1 => s.octad_of_block(block),
        _ => pair_rank(lo, hi) * 4 + (y[lo] < 0.0) as u32 + 2 * (y[hi] < 0.0) as u32,
    }
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
