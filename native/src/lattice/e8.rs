//! Nearest E8 point (E8 = D8 ∪ (D8 + ½), min norm² 2), specialised for n = 8; mirrors
//! `wasm/lattice/e8.ts` and gives the same results as `dn::nearest_dnplus(x, 8, out)`: per coset the
//! squared distance is summed coordinate after coordinate in f32 (the contract's order), the parity
//! fix goes to the first coordinate of largest |d|, and the integer coset wins ties.
//!
//! The AVX2 path decodes 8 vectors at a time after an 8×8 transpose (one vector per lane), so every
//! lane runs exactly the scalar arithmetic of `dn::dn_point`.

use super::dn::dn_point;
use crate::core::simd::Level;

/// Nearest E8 point of one vector (all NaN when a coordinate is NaN or ±Inf).
#[inline]
pub fn nearest_one(x: &[f32; 8], out: &mut [f32; 8]) {
    let mut alt = [0f32; 8];
    let d0 = dn_point(x, 0.0, out);
    let d1 = dn_point(x, 0.5, &mut alt);
    if d0.is_nan() {
        // d0 is NaN exactly when a coordinate is NaN or ±Inf
        *out = [f32::NAN; 8];
    } else if d1 < d0 {
        *out = alt;
    }
}

/// `x.len() / 8` vectors → nearest E8 points (`out.len() == x.len()`, a multiple of 8).
pub fn nearest_e8(level: Level, x: &[f32], out: &mut [f32]) {
    assert!(x.len() == out.len() && x.len().is_multiple_of(8));
    let mut done = 0;
    #[cfg(target_arch = "x86_64")]
    if level == Level::Avx2 {
        let blocks = x.len() / 64;
        // SAFETY: AVX2 was detected; each block reads and writes 64 f32 within the slices.
        unsafe { avx2::nearest_blocks(x.as_ptr(), out.as_mut_ptr(), blocks) };
        done = blocks * 64;
    }
    let _ = level;
    for (xv, ov) in x[done..].chunks_exact(8).zip(out[done..].chunks_exact_mut(8)) {
        nearest_one(xv.try_into().unwrap(), ov.try_into().unwrap());
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    #[inline(always)]
    unsafe fn transpose(r: &mut [__m256; 8]) {
        let t0 = _mm256_unpacklo_ps(r[0], r[1]);
        let t1 = _mm256_unpackhi_ps(r[0], r[1]);
        let t2 = _mm256_unpacklo_ps(r[2], r[3]);
        let t3 = _mm256_unpackhi_ps(r[2], r[3]);
        let t4 = _mm256_unpacklo_ps(r[4], r[5]);
        let t5 = _mm256_unpackhi_ps(r[4], r[5]);
        let t6 = _mm256_unpacklo_ps(r[6], r[7]);
        let t7 = _mm256_unpackhi_ps(r[6], r[7]);
        let s0 = _mm256_shuffle_ps::<0x44>(t0, t2);
        let s1 = _mm256_shuffle_ps::<0xEE>(t0, t2);
        let s2 = _mm256_shuffle_ps::<0x44>(t1, t3);
        let s3 = _mm256_shuffle_ps::<0xEE>(t1, t3);
        let s4 = _mm256_shuffle_ps::<0x44>(t4, t6);
        let s5 = _mm256_shuffle_ps::<0xEE>(t4, t6);
        let s6 = _mm256_shuffle_ps::<0x44>(t5, t7);
        let s7 = _mm256_shuffle_ps::<0xEE>(t5, t7);
        r[0] = _mm256_permute2f128_ps::<0x20>(s0, s4);
        r[1] = _mm256_permute2f128_ps::<0x20>(s1, s5);
        r[2] = _mm256_permute2f128_ps::<0x20>(s2, s6);
        r[3] = _mm256_permute2f128_ps::<0x20>(s3, s7);
        r[4] = _mm256_permute2f128_ps::<0x31>(s0, s4);
        r[5] = _mm256_permute2f128_ps::<0x31>(s1, s5);
        r[6] = _mm256_permute2f128_ps::<0x31>(s2, s6);
        r[7] = _mm256_permute2f128_ps::<0x31>(s3, s7);
    }

    /// The scalar `coset` on 8 lanes (c[i] holds coordinate i of 8 vectors).
    #[inline(always)]
    unsafe fn coset(c: &[__m256; 8], h: f32, o: &mut [__m256; 8]) -> __m256 {
        let hv = _mm256_set1_ps(h);
        let half = _mm256_set1_ps(0.5);
        let two = _mm256_set1_ps(2.0);
        let one = _mm256_set1_ps(1.0);
        let absm = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fff_ffff));
        let mut odd = _mm256_setzero_ps();
        let mut dist = _mm256_setzero_ps();
        let mut worst = _mm256_set1_ps(-1.0);
        let mut wi = _mm256_setzero_ps();
        for i in 0..8 {
            let y = _mm256_sub_ps(c[i], hv);
            let f = _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(y);
            let d = _mm256_sub_ps(y, f);
            let p = _mm256_sub_ps(f, _mm256_mul_ps(two, _mm256_floor_ps(_mm256_mul_ps(f, half))));
            odd = _mm256_add_ps(odd, p);
            dist = _mm256_add_ps(dist, _mm256_mul_ps(d, d));
            let ad = _mm256_and_ps(d, absm);
            let gt = _mm256_cmp_ps::<_CMP_GT_OQ>(ad, worst);
            worst = _mm256_blendv_ps(worst, ad, gt);
            wi = _mm256_blendv_ps(wi, _mm256_set1_ps(i as f32), gt);
            o[i] = _mm256_add_ps(f, hv);
        }
        let op = _mm256_sub_ps(odd, _mm256_mul_ps(two, _mm256_floor_ps(_mm256_mul_ps(odd, half))));
        let oddm = _mm256_cmp_ps::<_CMP_NEQ_UQ>(op, _mm256_setzero_ps());
        if _mm256_movemask_ps(oddm) != 0 {
            for i in 0..8 {
                let m = _mm256_and_ps(oddm, _mm256_cmp_ps::<_CMP_EQ_OQ>(wi, _mm256_set1_ps(i as f32)));
                let f = _mm256_sub_ps(o[i], hv);
                let y = _mm256_sub_ps(c[i], hv);
                let ge = _mm256_cmp_ps::<_CMP_GE_OQ>(y, f);
                let nv = _mm256_add_ps(_mm256_blendv_ps(_mm256_sub_ps(f, one), _mm256_add_ps(f, one), ge), hv);
                o[i] = _mm256_blendv_ps(o[i], nv, m);
            }
            let fixed = _mm256_add_ps(dist, _mm256_sub_ps(one, _mm256_mul_ps(two, worst)));
            dist = _mm256_blendv_ps(dist, fixed, oddm);
        }
        dist
    }

    /// # Safety
    /// AVX2 must be available; `x` and `out` must hold `64 · blocks` f32.
    #[target_feature(enable = "avx2")]
    pub unsafe fn nearest_blocks(x: *const f32, out: *mut f32, blocks: usize) {
        let nan = _mm256_set1_ps(f32::NAN);
        for b in 0..blocks {
            let xb = x.add(64 * b);
            let mut c = [_mm256_setzero_ps(); 8];
            for (r, cr) in c.iter_mut().enumerate() {
                *cr = _mm256_loadu_ps(xb.add(8 * r));
            }
            transpose(&mut c);
            let mut o0 = [_mm256_setzero_ps(); 8];
            let mut o1 = [_mm256_setzero_ps(); 8];
            let d0 = coset(&c, 0.0, &mut o0);
            let d1 = coset(&c, 0.5, &mut o1);
            let take1 = _mm256_cmp_ps::<_CMP_LT_OQ>(d1, d0);
            let bad = _mm256_cmp_ps::<_CMP_UNORD_Q>(d0, d0);
            for i in 0..8 {
                o0[i] = _mm256_blendv_ps(_mm256_blendv_ps(o0[i], o1[i], take1), nan, bad);
            }
            transpose(&mut o0);
            let ob = out.add(64 * b);
            for (r, or) in o0.iter().enumerate() {
                _mm256_storeu_ps(ob.add(8 * r), *or);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::dn::nearest_dnplus;

    fn lcg(s: &mut u64) -> f32 {
        *s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((*s >> 40) as f32) / (1u64 << 24) as f32
    }

    #[test]
    fn finds_the_240_minimal_vectors() {
        // every vector of {−1, −½, 0, ½, 1}^8 of norm² 2 decodes to itself: exactly 240 of them
        let vals = [-1.0f32, -0.5, 0.0, 0.5, 1.0];
        let mut cand = Vec::new();
        for t in 0..5usize.pow(8) {
            let mut r = t;
            let mut v = [0f32; 8];
            for vi in v.iter_mut() {
                *vi = vals[r % 5];
                r /= 5;
            }
            if v.iter().map(|a| a * a).sum::<f32>() == 2.0 {
                cand.extend_from_slice(&v);
            }
        }
        for level in [Level::Scalar, crate::core::simd::detect()] {
            let mut out = vec![0f32; cand.len()];
            nearest_e8(level, &cand, &mut out);
            let fixed = cand.chunks(8).zip(out.chunks(8)).filter(|(a, b)| a == b).count();
            assert_eq!(fixed, 240);
        }
    }

    #[test]
    fn simd_scalar_and_dnplus_agree_and_are_nearest() {
        let mut s = 7u64;
        let mut x = Vec::new();
        for span in [1.0f32, 4.0, 100.0, 1e6] {
            for _ in 0..8 * 4000 {
                x.push((lcg(&mut s) * 2.0 - 1.0) * span);
            }
        }
        // exact ties, halves and specials
        for i in 0..8 * 64 {
            x.push(((i * 7) % 9) as f32 * 0.25 - 1.0);
        }
        x[5] = f32::NAN;
        x[8 * 3 + 2] = f32::INFINITY;
        x[8 * 100..8 * 101].fill(-0.2);
        let mut a = vec![0f32; x.len()];
        let mut b = vec![0f32; x.len()];
        let mut c = vec![0f32; x.len()];
        nearest_e8(Level::Scalar, &x, &mut a);
        nearest_e8(crate::core::simd::detect(), &x, &mut b);
        nearest_dnplus(&x, 8, &mut c);
        for i in 0..x.len() {
            assert_eq!(a[i].to_bits(), b[i].to_bits(), "simd {i}");
            assert_eq!(a[i].to_bits(), c[i].to_bits(), "dnplus {i}");
        }
        assert!(a[..8].iter().all(|v| v.is_nan()) && a[24..32].iter().all(|v| v.is_nan()));
        assert!(a[800..808].iter().all(|v| v.to_bits() == 0));
        // against the 240 roots (the Voronoi-relevant vectors)
        let mut roots: Vec<[f32; 8]> = Vec::new();
        for i in 0..8 {
            for j in i + 1..8 {
                for (sa, sb) in [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)] {
                    let mut v = [0f32; 8];
                    v[i] = sa;
                    v[j] = sb;
                    roots.push(v);
                }
            }
        }
        for m in 0..256u32 {
            if m.count_ones() % 2 == 0 {
                roots.push(std::array::from_fn(|i| if (m >> i) & 1 == 1 { -0.5 } else { 0.5 }));
            }
        }
        assert_eq!(roots.len(), 240);
        for k in (8 * 16..8 * 8000).step_by(8) {
            let d: f64 = (0..8).map(|i| (x[k + i] as f64 - a[k + i] as f64).powi(2)).sum();
            for r in &roots {
                let e: f64 = (0..8).map(|i| (x[k + i] as f64 - a[k + i] as f64 - r[i] as f64).powi(2)).sum();
                assert!(e >= d - 1e-5, "vector {}", k / 8);
            }
        }
    }
}
