//! `mx_matvec`: `y[r] = Σ_j dequant(r, j) · x[j]` straight from the codes.
//!
//! Summation order (identical on every path, so AVX2 and portable give the same bits): per block,
//! the block is cut in chunks of 8 (padding contributes `+0`); lane sums `pa[l]` over the even
//! chunks and `pb[l]` over the odd chunks, `pa[l] += table[code_i] · x_i` in increasing chunk
//! order; then `acc[l] += (pa[l] + pb[l]) · X_block`; finally
//! `y = ((acc0 + acc4) + (acc2 + acc6)) + ((acc1 + acc5) + (acc3 + acc7))`. No FMA.
//! The AVX2 path decodes FP4 nibbles with an in-register LUT (`vpermps` + sign bit).

use super::dequantize::DequantSpec;
use super::formats::{Fmt, Layout};
use super::pack::unpack_block;
use crate::core::simd::Level;

/// Rows `[r0, r0 + y.len())`; `xpad` is `x` followed by zeros up to `nblocks · bs` rounded up to
/// a multiple of 8 (plus 8).
pub fn matvec_rows(level: Level, codes: &[u8], scales: &[u8], spec: &DequantSpec, xpad: &[f32], r0: usize, y: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if level == Level::Avx2
        && spec.fmt == Fmt::E2m1
        && spec.bs.is_multiple_of(if spec.layout == Layout::Ggml { 32 } else { 16 })
    {
        unsafe { avx2::matvec_fp4(codes, scales, spec, xpad, r0, y) };
        return;
    }
    let _ = level;
    matvec_rows_portable(codes, scales, spec, xpad, r0, y)
}

#[inline(always)]
fn hsum(a: &[f32; 8]) -> f32 {
    ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]))
}

pub fn matvec_rows_portable(codes: &[u8], scales: &[u8], spec: &DequantSpec, xpad: &[f32], r0: usize, y: &mut [f32]) {
    let n = spec.n;
    let bs = spec.bs;
    let nb = spec.nblocks();
    let bb = spec.block_bytes();
    let bits = spec.fmt.bits();
    let table = spec.fmt.table();
    let bs8 = bs.div_ceil(8) * 8;
    let mut cb = vec![0u8; bs];
    let mut wbuf = vec![0f32; bs8];
    for (k, yo) in y.iter_mut().enumerate() {
        let r = r0 + k;
        let mut acc = [0f32; 8];
        for b in 0..nb {
            let u = r * nb + b;
            let cnt = bs.min(n - b * bs);
            let s = spec.block_scale(scales[u]);
            let packed = &codes[u * bb..(u + 1) * bb];
            unpack_block(bits, spec.layout, packed, &mut cb);
            for (w, &c) in wbuf[..cnt].iter_mut().zip(&cb[..cnt]) {
                *w = table[c as usize];
            }
            wbuf[cnt..].fill(0.0);
            let xs = &xpad[b * bs..b * bs + bs8];
            let mut pa = [0f32; 8];
            let mut pb = [0f32; 8];
            for (ci, (wc, xc)) in wbuf.chunks_exact(8).zip(xs.chunks_exact(8)).enumerate() {
                let p = if ci % 2 == 0 { &mut pa } else { &mut pb };
                for l in 0..8 {
                    p[l] += wc[l] * xc[l];
                }
            }
            for l in 0..8 {
                acc[l] += (pa[l] + pb[l]) * s;
            }
        }
        *yo = hsum(&acc);
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::*;
    use std::arch::x86_64::*;

    /// 8 FP4 codes (i32 lanes 0..15) → their exact f32 values.
    #[inline]
    #[target_feature(enable = "avx2,fma")]
    fn decode8(idx: __m256i, lut: __m256) -> __m256 {
        let mag = _mm256_permutevar8x32_ps(lut, idx);
        let sign = _mm256_slli_epi32::<31>(_mm256_srli_epi32::<3>(idx));
        _mm256_xor_ps(mag, _mm256_castsi256_ps(sign))
    }

    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn matvec_fp4(codes: &[u8], scales: &[u8], spec: &DequantSpec, xpad: &[f32], r0: usize, y: &mut [f32]) {
        let n = spec.n;
        let bs = spec.bs;
        let nb = spec.nblocks();
        let bb = bs / 2;
        let lut = _mm256_setr_ps(0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0);
        let m4 = _mm_set1_epi8(0x0F);
        let ggml = spec.layout == Layout::Ggml;
        assert!(codes.len() >= (r0 + y.len()) * nb * bb && xpad.len() >= nb * bs);
        for (k, yo) in y.iter_mut().enumerate() {
            let r = r0 + k;
            let mut acc = _mm256_setzero_ps();
            for b in 0..nb {
                let u = r * nb + b;
                let cnt = bs.min(n - b * bs);
                let s = _mm256_set1_ps(spec.block_scale(*scales.get_unchecked(u)));
                let pk = codes.as_ptr().add(u * bb);
                let xb = xpad.as_ptr().add(b * bs);
                let mut pa = _mm256_setzero_ps();
                let mut pb = _mm256_setzero_ps();
                let mut i = 0;
                // 16 elements per step
                while i < bs {
                    let (i0, i1) = if ggml {
                        // elements [i, i+16): low nibbles of bytes i.. (first half) or high nibbles
                        let h = bs / 2;
                        let (off, hi) = if i < h { (i, false) } else { (i - h, true) };
                        let v = _mm_loadu_si128(pk.add(off) as *const __m128i);
                        let v = if hi { _mm_srli_epi16::<4>(v) } else { v };
                        let v = _mm_and_si128(v, m4);
                        (_mm256_cvtepu8_epi32(v), _mm256_cvtepu8_epi32(_mm_srli_si128::<8>(v)))
                    } else {
                        let v = _mm_loadl_epi64(pk.add(i / 2) as *const __m128i);
                        let lo = _mm_and_si128(v, m4);
                        let hi = _mm_and_si128(_mm_srli_epi16::<4>(v), m4);
                        let e = _mm_unpacklo_epi8(lo, hi);
                        (_mm256_cvtepu8_epi32(e), _mm256_cvtepu8_epi32(_mm_srli_si128::<8>(e)))
                    };
                    let mut w0 = decode8(i0, lut);
                    let mut w1 = decode8(i1, lut);
                    if i + 16 > cnt {
                        // partial block: zero the padding lanes
                        let lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
                        let lim0 = _mm256_set1_epi32(cnt as i32 - i as i32);
                        let lim1 = _mm256_set1_epi32(cnt as i32 - i as i32 - 8);
                        w0 = _mm256_and_ps(w0, _mm256_castsi256_ps(_mm256_cmpgt_epi32(lim0, lane)));
                        w1 = _mm256_and_ps(w1, _mm256_castsi256_ps(_mm256_cmpgt_epi32(lim1, lane)));
                    }
                    pa = _mm256_add_ps(pa, _mm256_mul_ps(w0, _mm256_loadu_ps(xb.add(i))));
                    pb = _mm256_add_ps(pb, _mm256_mul_ps(w1, _mm256_loadu_ps(xb.add(i + 8))));
                    i += 16;
                }
                acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_add_ps(pa, pb), s));
            }
            let mut a = [0f32; 8];
            _mm256_storeu_ps(a.as_mut_ptr(), acc);
            *yo = hsum(&a);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mx::formats::{Rounding, ScaleFmt};

    fn pad(x: &[f32], spec: &DequantSpec) -> Vec<f32> {
        let mut v = x.to_vec();
        v.resize(spec.nblocks() * spec.bs + 16, 0.0);
        v
    }

    #[test]
    fn matches_dequantize_then_dot_and_avx2_identical() {
        let mut st = 3u64;
        let mut rnd = || {
            st = st.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (st >> 33) as u32
        };
        for (fmt, bs, n, layout, sf) in [
            (Fmt::E2m1, 32usize, 100usize, Layout::Pairs, ScaleFmt::E8m0),
            (Fmt::E2m1, 32, 96, Layout::Ggml, ScaleFmt::E8m0),
            (Fmt::E2m1, 16, 37, Layout::Pairs, ScaleFmt::Ue4m3),
            (Fmt::E2m1, 64, 130, Layout::Ggml, ScaleFmt::E8m0),
            (Fmt::E4m3, 32, 70, Layout::Pairs, ScaleFmt::E8m0),
            (Fmt::E3m2, 32, 64, Layout::Pairs, ScaleFmt::E8m0),
            (Fmt::Int8, 8, 20, Layout::Pairs, ScaleFmt::E8m0),
        ] {
            let rows = 5;
            let spec = DequantSpec { n, fmt, bs, scale_fmt: sf, rounding: Rounding::Rne, layout, tensor_scale: 0.25 };
            let nb = spec.nblocks();
            let bb = spec.block_bytes();
            let mut codes: Vec<u8> = (0..rows * nb * bb).map(|_| rnd() as u8).collect();
            let scales: Vec<u8> = (0..rows * nb).map(|_| 110 + (rnd() % 30) as u8).collect();
            // padding code positions hold +0 (what the quantizer writes)
            let mut cb = vec![0u8; bs];
            for u in 0..rows * nb {
                if (u % nb + 1) * bs > n {
                    let blk = &mut codes[u * bb..(u + 1) * bb];
                    unpack_block(fmt.bits(), layout, blk, &mut cb);
                    for c in cb[n - (u % nb) * bs..].iter_mut() {
                        *c = 0;
                    }
                    crate::mx::pack::pack_block(fmt.bits(), layout, &cb, blk);
                }
            }
            let x: Vec<f32> = (0..n).map(|_| rnd() as f32 / 4294967296.0 - 0.5).collect();
            let xp = pad(&x, &spec);
            let mut y = vec![0f32; rows];
            matvec_rows_portable(&codes, &scales, &spec, &xp, 0, &mut y);
            let mut deq = vec![0f32; rows * n];
            crate::mx::dequantize::dequantize_units(
                Level::Scalar,
                &codes,
                &scales,
                &spec,
                0,
                rows * nb,
                crate::mx::dequantize::OutBuf::F32(&mut deq),
            );
            for r in 0..rows {
                let want: f64 = (0..n).map(|j| deq[r * n + j] as f64 * x[j] as f64).sum();
                let mag: f64 = (0..n).map(|j| (deq[r * n + j] as f64 * x[j] as f64).abs()).sum();
                let ok = (y[r] as f64 - want).abs() <= 1e-5 * mag.max(1e-30) || y[r].is_nan() && want.is_nan();
                assert!(ok, "{fmt:?} {layout:?} row {r}: {} vs {want}", y[r]);
            }
            #[cfg(target_arch = "x86_64")]
            if crate::core::simd::detect() == Level::Avx2 {
                let mut y2 = vec![0f32; rows];
                matvec_rows(Level::Avx2, &codes, &scales, &spec, &xp, 0, &mut y2);
                for r in 0..rows {
                    assert_eq!(y2[r].to_bits(), y[r].to_bits(), "{fmt:?} {layout:?} bs {bs} row {r}");
                }
                // a sub-range of rows
                let mut y3 = vec![0f32; 2];
                matvec_rows(Level::Avx2, &codes, &scales, &spec, &xp, 3, &mut y3);
                assert_eq!(y3[0].to_bits(), y[3].to_bits());
            }
        }
    }
}
