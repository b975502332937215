//! Exact nearest-point decoder of the Leech lattice Λ24; mirrors `wasm/lattice/leech.ts` bit for bit
//! (contract: `docs/internals.md`, "Lattice"; derivation: `docs/lattice.md`). Work is in the integer
//! form L = √8·Λ24 = { x ∈ ℤ²⁴ : x ≡ m + 2c (mod 4), c ∈ C24, m ∈ {0, 1}, Σx ≡ 4m (mod 8) }.
//!
//! Every column contributes a 4-state cost vector over (top bit t, k-parity q); columns are paired,
//! the 16 pair convolutions per pair are computed once, and each of the 64 hexacode words costs two
//! small min-plus convolutions. The four (m, p) problems run side by side as four f32 lanes
//! (lane L = 2m + p); the target state of lane L is folded into column 5 (stored XOR-ed with L).
//! Per-coordinate costs are computed in f64 and rounded once to f32; every later sum and minimum is
//! f32, in the contract's order. Ties keep the first (m, p, h); the winner is rebuilt by a DP with
//! backpointers (lowest predecessor state on ties).

use super::golay::{col_pattern, HEXACODE};

const SQRT8: f64 = 2.8284271247461903;

/// Four lanes, one per (m, p).
type F4 = [f32; 4];

/// IEEE round to nearest, ties to even for f64 (`f64.nearest`), exact without SSE4.1.
#[inline(always)]
fn rne64(x: f64) -> f64 {
    const M: f64 = 4503599627370496.0; // 2^52
    let a = x.abs();
    if a < M {
        ((a + M) - M).copysign(x)
    } else {
        x
    }
}

/// min of two non-NaN f32 (costs are never −0), as the wasm `fmin` / `f32x4.min`.
#[inline(always)]
fn fmin(a: f32, b: f32) -> f32 {
    if a < b {
        a
    } else {
        b
    }
}

#[inline(always)]
fn add4(a: &F4, b: &F4) -> F4 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]]
}

#[inline(always)]
fn min4(a: &F4, b: &F4) -> F4 {
    [fmin(a[0], b[0]), fmin(a[1], b[1]), fmin(a[2], b[2]), fmin(a[3], b[3])]
}

/// Per coordinate i and residue r (index 4i + r): cost of the nearest value of the residue class,
/// extra cost of the nearest value with the other k-parity (f32), k-parity of the nearest.
struct Coords {
    d0: [f32; 96],
    dl: [f32; 96],
    kp: [u32; 96],
}

#[inline(always)]
fn coordinates(x: &[f32]) -> Coords {
    let mut c = Coords { d0: [0.0; 96], dl: [0.0; 96], kp: [0; 96] };
    for i in 0..24 {
        let y = x[i] as f64 * SQRT8;
        for r in 0..4 {
            let t = (y - r as f64) * 0.25;
            let k = rne64(t);
            let k1 = if t >= k { k + 1.0 } else { k - 1.0 };
            let e = y - (r as f64 + 4.0 * k);
            let g = y - (r as f64 + 4.0 * k1);
            let d0 = e * e;
            let j = i * 4 + r;
            c.d0[j] = d0 as f32;
            c.dl[j] = (g * g - d0) as f32;
            // k − 2·floor(k/2) ≠ 0 for an integer-valued k: only odd k below 2^53
            c.kp[j] = if k.abs() < 9007199254740992.0 { (k as i64 & 1) as u32 } else { 0 };
        }
    }
    c
}

/// COL[v][s] (4 lanes) of column j; column 5 stores state s ^ L in lane L.
#[inline(always)]
fn column_tables(c: &Coords, j: usize) -> [[F4; 4]; 4] {
    // rd[b][row][lane]: residue m + 2·(b ^ (p && row ≥ 1)) of row `row`, for d0, dl and kp
    let mut rd0 = [[[0f32; 4]; 4]; 2];
    let mut rdl = [[[0f32; 4]; 4]; 2];
    let mut rkp = [[[0u32; 4]; 4]; 2];
    for r in 0..4 {
        let src = (j * 4 + r) * 4;
        for l in 0..4 {
            let (m, p) = (l >> 1, l & 1);
            let flip = if r > 0 { p } else { 0 };
            for b in 0..2 {
                let idx = src + m + 2 * (b ^ flip);
                rd0[b][r][l] = c.d0[idx];
                rdl[b][r][l] = c.dl[idx];
                rkp[b][r][l] = c.kp[idx];
            }
        }
    }
    let mut col = [[[0f32; 4]; 4]; 4];
    for v in 0..4u32 {
        for t in 0..2u32 {
            let pat = col_pattern(v, 0, t) as usize;
            let (b0, b1, b2, b3) = (pat & 1, (pat >> 1) & 1, (pat >> 2) & 1, (pat >> 3) & 1);
            let pc = add4(&add4(&rd0[b0][0], &rd0[b1][1]), &add4(&rd0[b2][2], &rd0[b3][3]));
            let pl = min4(&min4(&rdl[b0][0], &rdl[b1][1]), &min4(&rdl[b2][2], &rdl[b3][3]));
            let cd = add4(&pc, &pl);
            for l in 0..4 {
                let odd = (rkp[b0][0][l] ^ rkp[b1][1][l] ^ rkp[b2][2][l] ^ rkp[b3][3][l]) != 0;
                col[v as usize][t as usize][l] = if odd { cd[l] } else { pc[l] };
                col[v as usize][(t | 2) as usize][l] = if odd { pc[l] } else { cd[l] };
            }
        }
        if j == 5 {
            // fold each lane's target state into column 5: stored state s holds state s ^ L
            let orig = col[v as usize];
            for s in 0..4 {
                for l in 0..4 {
                    col[v as usize][s][l] = orig[s ^ l][l];
                }
            }
        }
    }
    col
}

/// out[s] = min over a of A[a] + B[a ^ s], per lane.
#[inline(always)]
fn convolve(a: &[F4; 4], b: &[F4; 4]) -> [F4; 4] {
    let mut out = [[0f32; 4]; 4];
    for l in 0..4 {
        let (a0, a1, a2, a3) = (a[0][l], a[1][l], a[2][l], a[3][l]);
        let (b0, b1, b2, b3) = (b[0][l], b[1][l], b[2][l], b[3][l]);
        out[0][l] = fmin(fmin(a0 + b0, a1 + b1), fmin(a2 + b2, a3 + b3));
        out[1][l] = fmin(fmin(a0 + b1, a1 + b0), fmin(a2 + b3, a3 + b2));
        out[2][l] = fmin(fmin(a0 + b2, a1 + b3), fmin(a2 + b0, a3 + b1));
        out[3][l] = fmin(fmin(a0 + b3, a1 + b2), fmin(a2 + b1, a3 + b0));
    }
    out
}

/// Nearest point of L to √8·x for one 24-vector; writes x̂ = point/√8 (all NaN for a NaN/±Inf input).
#[inline(always)]
fn decode_one_impl(x: &[f32], out: &mut [f32]) {
    let x = &x[..24];
    let out = &mut out[..24];
    if !x.iter().all(|v| v.is_finite()) {
        out.fill(f32::NAN);
        return;
    }
    let c = coordinates(x);
    let mut col = [[[[0f32; 4]; 4]; 4]; 6];
    for (j, cj) in col.iter_mut().enumerate() {
        *cj = column_tables(&c, j);
    }
    let mut pair = [[[[0f32; 4]; 4]; 16]; 3];
    for k in 0..3 {
        for v1 in 0..4 {
            for v2 in 0..4 {
                pair[k][v1 * 4 + v2] = convolve(&col[2 * k][v1], &col[2 * k + 1][v2]);
            }
        }
    }
    // every hexacode word: cost = min_s (P01 ⊗ P23)[s] + P45[s], per lane; keep the first minimum
    let mut best = [f32::INFINITY; 4];
    let mut besth = [0usize; 4];
    for (h, w) in HEXACODE.iter().enumerate() {
        let s01 = w[0] as usize * 4 + w[1] as usize;
        let s23 = w[2] as usize * 4 + w[3] as usize;
        let s45 = w[4] as usize * 4 + w[5] as usize;
        let ab = convolve(&pair[0][s01], &pair[1][s23]);
        let cc = &pair[2][s45];
        let cost = min4(
            &min4(&add4(&ab[0], &cc[0]), &add4(&ab[1], &cc[1])),
            &min4(&add4(&ab[2], &cc[2]), &add4(&ab[3], &cc[3])),
        );
        for l in 0..4 {
            if cost[l] < best[l] {
                best[l] = cost[l];
                besth[l] = h;
            }
        }
    }
    let mut bl = 0usize;
    for l in 1..4 {
        if best[l] < best[bl] {
            bl = l;
        }
    }
    let (bm, bp, bh) = (bl >> 1, (bl & 1) as u32, besth[bl]);
    // Rebuild: the winner's column states (column 5 un-XOR-ed), DP over the XOR state with backpointers.
    let w = &HEXACODE[bh];
    let mut wst = [[0f32; 4]; 6];
    for j in 0..6 {
        let sx = if j == 5 { bl } else { 0 };
        for s in 0..4 {
            wst[j][s] = col[j][w[j] as usize][s ^ sx][bl];
        }
    }
    let mut dp = [[0f32; 4]; 6];
    let mut back = [[0usize; 4]; 6];
    dp[0] = wst[0];
    for j in 1..6 {
        for s in 0..4 {
            let (mut bv, mut ba) = (f32::INFINITY, 0usize);
            for a in 0..4 {
                let v = dp[j - 1][a] + wst[j][s ^ a];
                if v < bv {
                    bv = v;
                    ba = a;
                }
            }
            dp[j][s] = bv;
            back[j][s] = ba;
        }
    }
    let mut s = bp as usize | (bm << 1);
    for j in (0..6).rev() {
        let prev = if j > 0 { back[j][s] } else { 0 };
        let own = if j > 0 { s ^ prev } else { s };
        let (t, q) = ((own & 1) as u32, (own >> 1) as u32);
        let pat = col_pattern(w[j] as u32, bp, t);
        let (mut kq, mut dl, mut flip) = (0u32, f32::INFINITY, usize::MAX);
        for r in 0..4 {
            let idx = (j * 4 + r) * 4 + bm + 2 * ((pat >> r) & 1) as usize;
            kq ^= c.kp[idx];
            if c.dl[idx] < dl {
                dl = c.dl[idx];
                flip = r;
            }
        }
        for r in 0..4 {
            // the nearest value of the residue class (or the other k-parity's nearest)
            let res = (bm + 2 * ((pat >> r) & 1) as usize) as f64;
            let y = x[j * 4 + r] as f64 * SQRT8;
            let t = (y - res) * 0.25;
            let mut k = rne64(t);
            if kq != q && r == flip {
                k = if t >= k { k + 1.0 } else { k - 1.0 };
            }
            out[j * 4 + r] = ((res + 4.0 * k) / SQRT8) as f32;
        }
        s = prev;
    }
}

/// One vector (portable build).
pub fn decode_one(x: &[f32], out: &mut [f32]) {
    decode_one_impl(x, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn nearest_avx2(x: &[f32], out: &mut [f32]) {
    for (xv, ov) in x.chunks_exact(24).zip(out.chunks_exact_mut(24)) {
        decode_one_impl(xv, ov);
    }
}

/// `x.len() / 24` vectors → nearest Λ24 points.
pub fn nearest(level: crate::core::simd::Level, x: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if level == crate::core::simd::Level::Avx2 {
        // SAFETY: AVX2 and FMA were detected (Rust never contracts a·b + c into an FMA, so the
        // arithmetic is the portable one, only wider).
        unsafe { nearest_avx2(x, out) };
        return;
    }
    let _ = level;
    for (xv, ov) in x.chunks_exact(24).zip(out.chunks_exact_mut(24)) {
        decode_one_impl(xv, ov);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::golay::GOLAY;

    /// Exhaustive search over the 2·4096 cosets (m, codeword), each decoded like D24.
    fn exhaustive(y: &[f64; 24]) -> f64 {
        let (mut d0, mut dl, mut kp) = ([0f64; 96], [0f64; 96], [0u8; 96]);
        for i in 0..24 {
            for r in 0..4 {
                let t = (y[i] - r as f64) / 4.0;
                let k = t.round_ties_even();
                let other = if t >= k { k + 1.0 } else { k - 1.0 };
                d0[i * 4 + r] = (y[i] - r as f64 - 4.0 * k).powi(2);
                dl[i * 4 + r] = (y[i] - r as f64 - 4.0 * other).powi(2) - d0[i * 4 + r];
                kp[i * 4 + r] = (k.abs() % 2.0) as u8;
            }
        }
        let mut best = f64::INFINITY;
        for m in 0..2 {
            for &cw in GOLAY.iter() {
                let (mut cost, mut q, mut fix) = (0f64, 0u8, f64::INFINITY);
                for i in 0..24 {
                    let j = i * 4 + m + 2 * ((cw >> i) & 1) as usize;
                    cost += d0[j];
                    q ^= kp[j];
                    fix = fix.min(dl[j]);
                }
                if q as usize != m {
                    cost += fix;
                }
                best = best.min(cost);
            }
        }
        best
    }

    fn in_leech(z: &[f64; 24]) -> bool {
        let golay: std::collections::HashSet<u32> = GOLAY.iter().copied().collect();
        let m = z[0].rem_euclid(2.0);
        let (mut mask, mut sum) = (0u32, 0f64);
        for i in 0..24 {
            if z[i].fract() != 0.0 || z[i].rem_euclid(2.0) != m {
                return false;
            }
            if (z[i] - m).rem_euclid(4.0) == 2.0 {
                mask |= 1 << i;
            }
            sum += z[i];
        }
        golay.contains(&mask) && sum.rem_euclid(8.0) == 4.0 * m
    }

    #[test]
    fn equals_exhaustive_coset_search() {
        let mut s = 5u64;
        for k in 0..60 {
            let span = [1.0f32, 3.0, 10.0][k % 3];
            let x: Vec<f32> = (0..24)
                .map(|_| {
                    s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (((s >> 40) as f32) / (1u64 << 24) as f32 * 2.0 - 1.0) * span
                })
                .collect();
            let mut out = [0f32; 24];
            decode_one(&x, &mut out);
            let y: [f64; 24] = std::array::from_fn(|i| x[i] as f64 * SQRT8);
            let z: [f64; 24] = std::array::from_fn(|i| (out[i] as f64 * SQRT8).round());
            assert!(z.iter().zip(&out).all(|(a, &o)| ((a / SQRT8) as f32) == o), "output is a scaled integer");
            assert!(in_leech(&z), "vector {k} not in the lattice");
            let got: f64 = (0..24).map(|i| (y[i] - z[i]).powi(2)).sum();
            let want = exhaustive(&y);
            // f32 costs: the winner is optimal up to f32 rounding of the sums
            assert!(got <= want + 1e-5 * (1.0 + want), "vector {k}: {got} vs {want}");
        }
    }

    #[test]
    fn minimal_vectors_and_specials() {
        // a minimal vector (norm² 4): (2, 2, 0, …)/√2 in the usual scale, i.e. (4, 4, 0²²)/√8
        let mut x = [0f32; 24];
        x[0] = (4.0 / SQRT8) as f32;
        x[5] = (-4.0 / SQRT8) as f32;
        let mut out = [0f32; 24];
        decode_one(&x, &mut out);
        assert_eq!(out, x);
        x[3] = f32::NAN;
        decode_one(&x, &mut out);
        assert!(out.iter().all(|v| v.is_nan()));
        decode_one(&[0.0; 24], &mut out);
        assert!(out.iter().all(|v| v.to_bits() == 0));
    }
}
