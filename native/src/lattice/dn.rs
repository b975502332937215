//! Nearest points of Zⁿ, Dₙ and Dₙ⁺ = Dₙ ∪ (Dₙ + ½) (Conway & Sloane 1982); mirrors
//! `wasm/lattice/dn.ts` bit for bit (contract: `docs/internals.md`, "Lattice").
//!
//! Rounding is to nearest, ties to even. Dₙ: round every coordinate; when the sum is odd, re-round
//! the coordinate farthest from an integer (the first one on ties) the other way (toward the input; up
//! when it was exact). Dₙ⁺: decode x and x − ½ in Dₙ, keep the closer (the integer coset on ties). A
//! vector with a NaN or ±Inf coordinate gives an all-NaN vector; zero coordinates are +0.

/// Largest accepted vector length of the Zⁿ / Dₙ / Dₙ⁺ kernels.
pub const MAX_N: usize = 1024;

/// IEEE round to nearest, ties to even (`f32.nearest`), exact for every input, without SSE4.1.
#[inline(always)]
pub fn rne(x: f32) -> f32 {
    const M: f32 = 8388608.0; // 2^23: from here on every f32 is an integer
    let a = x.abs();
    if a < M {
        ((a + M) - M).copysign(x)
    } else {
        x
    }
}

/// Parity (0 or 1) of an integer-valued finite f32; what `f − 2·floor(f/2)` gives in f32.
#[inline(always)]
pub fn parity(f: f32) -> u32 {
    if f.abs() < 16777216.0 {
        (f as i32 & 1) as u32
    } else {
        0 // every f32 of magnitude ≥ 2^24 is even
    }
}

/// True when every coordinate is finite.
#[inline(always)]
pub fn finite(x: &[f32]) -> bool {
    x.iter().all(|v| v.is_finite())
}

/// Nearest point of Dₙ + h·𝟙 to x, written to out; returns the squared distance (f32, as dn.ts).
/// `x` must be finite for the result to be meaningful.
#[inline]
pub fn dn_point(x: &[f32], h: f32, out: &mut [f32]) -> f32 {
    let n = x.len();
    let out = &mut out[..n];
    let (mut odd, mut dist, mut worst, mut wi) = (0u32, 0f32, -1f32, 0usize);
    for i in 0..n {
        let y = x[i] - h;
        let f = rne(y);
        let d = y - f;
        odd ^= parity(f);
        dist += d * d;
        let ad = d.abs();
        if ad > worst {
            worst = ad;
            wi = i;
        }
        out[i] = f;
    }
    if odd != 0 {
        let f = out[wi];
        out[wi] = if x[wi] - h >= f { f + 1.0 } else { f - 1.0 };
        dist += 1.0 - 2.0 * worst;
    }
    // adding h also turns −0 into +0
    for o in out.iter_mut() {
        *o += h;
    }
    dist
}

/// Zⁿ on every `n`-vector of `x` (`out.len() == x.len()`, a multiple of `n`).
pub fn nearest_zn(x: &[f32], n: usize, out: &mut [f32]) {
    for (xv, ov) in x.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        if !finite(xv) {
            ov.fill(f32::NAN);
            continue;
        }
        for (o, &v) in ov.iter_mut().zip(xv) {
            *o = rne(v) + 0.0;
        }
    }
}

/// Dₙ on every `n`-vector of `x`.
pub fn nearest_dn(x: &[f32], n: usize, out: &mut [f32]) {
    for (xv, ov) in x.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        if !finite(xv) {
            ov.fill(f32::NAN);
            continue;
        }
        dn_point(xv, 0.0, ov);
    }
}

/// Dₙ⁺ (n even; n = 8 is E8) on every `n`-vector of `x`.
pub fn nearest_dnplus(x: &[f32], n: usize, out: &mut [f32]) {
    let mut tmp = vec![0f32; n];
    for (xv, ov) in x.chunks_exact(n).zip(out.chunks_exact_mut(n)) {
        if !finite(xv) {
            ov.fill(f32::NAN);
            continue;
        }
        let d0 = dn_point(xv, 0.0, ov);
        let d1 = dn_point(xv, 0.5, &mut tmp);
        if d1 < d0 {
            ov.copy_from_slice(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rne_matches_round_ties_even() {
        let mut s = 0x1234_5678u32;
        let mut vals = vec![0.5f32, 1.5, 2.5, -0.5, -1.5, -0.0, 0.0, 8388607.5, -8388607.5, 8388608.0, 1e30, -1e-30];
        for _ in 0..100_000 {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            let v = f32::from_bits(s);
            if v.is_finite() {
                vals.push(v);
            }
            vals.push((s % 20000) as f32 / 8.0 - 1250.0);
        }
        for v in vals {
            assert_eq!(rne(v).to_bits(), v.round_ties_even().to_bits(), "{v}");
            let f = v.round_ties_even();
            let wasm = f - 2.0 * (f * 0.5).floor();
            assert_eq!(parity(f), (wasm != 0.0) as u32, "{v}");
        }
    }

    #[test]
    fn ties_and_specials() {
        let mut out = [0f32; 6];
        nearest_zn(&[0.5, 1.5, -0.5, 2.4, -2.6, 3.0], 3, &mut out);
        assert_eq!(out, [0.0, 2.0, 0.0, 2.0, -3.0, 3.0]);
        assert!(out[2].is_sign_positive());
        // D2: (0.6, 0.2) rounds to (1, 0), odd: re-round the farthest (0.4 from 1) toward 0.6 → (0, 0)
        let mut o2 = [0f32; 2];
        nearest_dn(&[0.6, 0.2], 2, &mut o2);
        assert_eq!(o2, [0.0, 0.0]);
        // exact odd point: up
        nearest_dn(&[1.0, 0.0], 2, &mut o2);
        assert_eq!(o2, [2.0, 0.0]);
        let mut o4 = [0f32; 4];
        nearest_dnplus(&[0.25, 0.25, 0.25, f32::INFINITY], 4, &mut o4);
        assert!(o4.iter().all(|v| v.is_nan()));
    }
}
