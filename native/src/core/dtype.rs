//! IEEE binary16 (f16) and bfloat16 (bf16) <-> f32 conversions.
//!
//! Widening is exact. Narrowing rounds to nearest, ties to even; overflow gives ±Inf; NaN stays NaN
//! with the quiet bit set, the sign kept and the top payload bits kept (the bits that fit).
//! The scalar functions are branch-light so the slice loops auto-vectorize; on x86_64 the f16 slice
//! functions use F16C (`vcvtph2ps` / `vcvtps2ph` with RNE), which gives the same bits.

/// binary16 bits -> f32, exact. A NaN gets its quiet bit set (payload and sign kept).
#[inline(always)]
pub fn f16_to_f32(h: u16) -> f32 {
    let h = h as u32;
    let sign = (h & 0x8000) << 16;
    let exp = h & 0x7C00;
    let mant = h & 0x03FF;
    let bits = if exp == 0x7C00 {
        // Inf / NaN
        let quiet = if mant != 0 { 0x0040_0000 } else { 0 };
        0x7F80_0000 | (mant << 13) | quiet
    } else if exp != 0 {
        // normal: rebias 15 -> 127
        ((exp + ((127 - 15) << 10)) << 13) | (mant << 13)
    } else {
        // zero / subnormal: mant * 2^-24, exact in f32
        return f32::from_bits(sign | (mant as f32 * f32::from_bits(0x3380_0000)).to_bits());
    };
    f32::from_bits(sign | bits)
}

/// f32 -> binary16 bits, round to nearest even.
#[inline(always)]
pub fn f32_to_f16(f: f32) -> u16 {
    let x = f.to_bits();
    let sign = ((x >> 16) & 0x8000) as u16;
    let a = x & 0x7FFF_FFFF;
    let h: u32 = if a >= 0x4780_0000 {
        // |f| >= 65536 (rounds to Inf anyway), Inf or NaN
        if a > 0x7F80_0000 {
            0x7E00 | ((a >> 13) & 0x03FF)
        } else {
            0x7C00
        }
    } else if a < 0x3880_0000 {
        // |f| < 2^-14: result is subnormal or zero. Adding 0.5 (2^-1) puts the f16 subnormal unit
        // (2^-24) at the last f32 mantissa bit, so the FPU's RNE does the rounding.
        let s = f32::from_bits(a) + 0.5f32;
        s.to_bits() - 0x3F00_0000
    } else {
        // normal: round the 13 dropped bits to nearest even, rebias 127 -> 15; a carry out of the
        // mantissa bumps the exponent, and 65520 and up become Inf (0x7C00).
        let odd = (a >> 13) & 1;
        let r = a.wrapping_add(0xFFF + odd).wrapping_sub((127 - 15) << 23);
        r >> 13
    };
    sign | h as u16
}

/// bfloat16 bits -> f32, exact (the upper half of the f32).
#[inline(always)]
pub fn bf16_to_f32(h: u16) -> f32 {
    f32::from_bits((h as u32) << 16)
}

/// f32 -> bfloat16 bits, round to nearest even; NaN stays NaN with the quiet bit set.
#[inline(always)]
pub fn f32_to_bf16(f: f32) -> u16 {
    let x = f.to_bits();
    if (x & 0x7FFF_FFFF) > 0x7F80_0000 {
        ((x >> 16) | 0x0040) as u16
    } else {
        let odd = (x >> 16) & 1;
        (x.wrapping_add(0x7FFF + odd) >> 16) as u16
    }
}

// ---------------------------------------------------------------- slices

#[inline(always)]
fn f16_to_f32_portable(src: &[u16], dst: &mut [f32]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f16_to_f32(s);
    }
}

#[inline(always)]
fn f32_to_f16_portable(src: &[f32], dst: &mut [u16]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f32_to_f16(s);
    }
}

#[inline(always)]
fn bf16_to_f32_portable(src: &[u16], dst: &mut [f32]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = bf16_to_f32(s);
    }
}

#[inline(always)]
fn f32_to_bf16_portable(src: &[f32], dst: &mut [u16]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = f32_to_bf16(s);
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx2,f16c")]
    pub unsafe fn f16_to_f32(src: &[u16], dst: &mut [f32]) {
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i + 8 <= n {
            let h = _mm_loadu_si128(src.as_ptr().add(i) as *const __m128i);
            _mm256_storeu_ps(dst.as_mut_ptr().add(i), _mm256_cvtph_ps(h));
            i += 8;
        }
        super::f16_to_f32_portable(&src[i..n], &mut dst[i..n]);
    }

    #[target_feature(enable = "avx2,f16c")]
    pub unsafe fn f32_to_f16(src: &[f32], dst: &mut [u16]) {
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i + 8 <= n {
            let v = _mm256_loadu_ps(src.as_ptr().add(i));
            let h = _mm256_cvtps_ph::<_MM_FROUND_TO_NEAREST_INT>(v);
            _mm_storeu_si128(dst.as_mut_ptr().add(i) as *mut __m128i, h);
            i += 8;
        }
        super::f32_to_f16_portable(&src[i..n], &mut dst[i..n]);
    }

    #[target_feature(enable = "avx2")]
    pub unsafe fn bf16_to_f32(src: &[u16], dst: &mut [f32]) {
        super::bf16_to_f32_portable(src, dst)
    }

    #[target_feature(enable = "avx2")]
    pub unsafe fn f32_to_bf16(src: &[f32], dst: &mut [u16]) {
        super::f32_to_bf16_portable(src, dst)
    }
}

/// True when the F16C + AVX2 paths may be used (and scalar was not forced).
#[inline]
pub fn use_f16c() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        crate::core::simd::level() == crate::core::simd::Level::Avx2 && is_x86_feature_detected!("f16c")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Converts `min(src.len(), dst.len())` values.
pub fn f16_slice_to_f32(src: &[u16], dst: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if use_f16c() {
        return unsafe { x86::f16_to_f32(src, dst) };
    }
    f16_to_f32_portable(src, dst)
}

/// Converts `min(src.len(), dst.len())` values.
pub fn f32_slice_to_f16(src: &[f32], dst: &mut [u16]) {
    #[cfg(target_arch = "x86_64")]
    if use_f16c() {
        return unsafe { x86::f32_to_f16(src, dst) };
    }
    f32_to_f16_portable(src, dst)
}

/// Converts `min(src.len(), dst.len())` values.
pub fn bf16_slice_to_f32(src: &[u16], dst: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if crate::core::simd::level() == crate::core::simd::Level::Avx2 {
        return unsafe { x86::bf16_to_f32(src, dst) };
    }
    bf16_to_f32_portable(src, dst)
}

/// Converts `min(src.len(), dst.len())` values.
pub fn f32_slice_to_bf16(src: &[f32], dst: &mut [u16]) {
    #[cfg(target_arch = "x86_64")]
    if crate::core::simd::level() == crate::core::simd::Level::Avx2 {
        return unsafe { x86::f32_to_bf16(src, dst) };
    }
    f32_to_bf16_portable(src, dst)
}

/// Portable slice converters (no run-time dispatch), for tests and comparisons.
pub mod portable {
    pub fn f16_to_f32(src: &[u16], dst: &mut [f32]) {
        super::f16_to_f32_portable(src, dst)
    }
    pub fn f32_to_f16(src: &[f32], dst: &mut [u16]) {
        super::f32_to_f16_portable(src, dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference f32 -> f16 with integer arithmetic only (round to nearest even).
    fn ref_f32_to_f16(f: f32) -> u16 {
        let x = f.to_bits();
        let sign = ((x >> 31) as u16) << 15;
        let exp = ((x >> 23) & 0xFF) as i32;
        let mant = x & 0x7F_FFFF;
        if exp == 0xFF {
            if mant == 0 {
                return sign | 0x7C00;
            }
            return sign | 0x7E00 | (mant >> 13) as u16;
        }
        if exp == 0 && mant == 0 {
            return sign;
        }
        // value = sig * 2^(e) with sig integer (24 bits for normals)
        let (sig, e) = if exp == 0 { (mant as u64, -149) } else { ((mant | 0x80_0000) as u64, exp - 150) };
        // f16 quantum for this magnitude: normal f16 with exponent E has unit 2^(E-25) .. choose
        // the target unit: the largest of 2^-24 and 2^(floor(log2 v) - 10).
        let msb = 63 - sig.leading_zeros() as i32 + e; // floor(log2 v)
        let unit = (msb - 10).max(-24);
        // q = round(sig * 2^(e - unit)) to nearest even
        let shift = unit - e;
        let q: u64 = if shift <= 0 {
            sig << (-shift)
        } else if shift >= 64 {
            0
        } else {
            let base = sig >> shift;
            let rem = sig & ((1u64 << shift) - 1);
            let half = 1u64 << (shift - 1);
            if rem > half || (rem == half && base & 1 == 1) {
                base + 1
            } else {
                base
            }
        };
        // value = q * 2^unit; encode
        if q == 0 {
            return sign;
        }
        let mut q = q;
        let mut unit = unit;
        if q >= 2048 {
            // rounding carried into the next binade
            q >>= 1;
            unit += 1;
        }
        if unit == -24 && q < 1024 {
            return sign | q as u16; // subnormal
        }
        // normal: q in [1024, 2048), value = q * 2^unit, exponent field = unit + 10 + 15
        let ef = unit + 10 + 15;
        if ef >= 31 {
            return sign | 0x7C00;
        }
        sign | ((ef as u16) << 10) | (q as u16 & 0x3FF)
    }

    fn ref_f32_to_bf16(f: f32) -> u16 {
        let x = f.to_bits();
        if (x & 0x7FFF_FFFF) > 0x7F80_0000 {
            return ((x >> 16) | 0x40) as u16;
        }
        let base = x >> 16;
        let rem = x & 0xFFFF;
        let r = if rem > 0x8000 || (rem == 0x8000 && base & 1 == 1) { base + 1 } else { base };
        r as u16
    }

    fn ref_f16_to_f32(h: u16) -> f32 {
        let sign = if h & 0x8000 != 0 { -1.0f64 } else { 1.0 };
        let e = ((h >> 10) & 0x1F) as i32;
        let m = (h & 0x3FF) as f64;
        if e == 31 {
            if h & 0x3FF == 0 {
                return (sign * f64::INFINITY) as f32;
            }
            let bits = ((h as u32 & 0x8000) << 16) | 0x7FC0_0000 | ((h as u32 & 0x3FF) << 13);
            return f32::from_bits(bits);
        }
        let v = if e == 0 { m * 2f64.powi(-24) } else { (1024.0 + m) * 2f64.powi(e - 25) };
        (sign * v) as f32
    }

    #[test]
    fn f16_widen_all_patterns_exact() {
        for h in 0..=u16::MAX {
            let a = f16_to_f32(h);
            let b = ref_f16_to_f32(h);
            assert_eq!(a.to_bits(), b.to_bits(), "f16 {h:#06x}");
        }
    }

    #[test]
    fn f16_round_trip_all_patterns() {
        for h in 0..=u16::MAX {
            let f = f16_to_f32(h);
            let back = f32_to_f16(f);
            if (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0 {
                assert_eq!(back, h | 0x0200, "NaN {h:#06x} comes back quiet");
            } else {
                assert_eq!(back, h, "f16 {h:#06x} -> {f:e} -> {back:#06x}");
            }
        }
    }

    #[test]
    fn bf16_round_trip_all_patterns() {
        for h in 0..=u16::MAX {
            let f = bf16_to_f32(h);
            assert_eq!(f.to_bits(), (h as u32) << 16);
            let back = f32_to_bf16(f);
            if (h & 0x7F80) == 0x7F80 && (h & 0x7F) != 0 {
                assert_eq!(back, h | 0x0040, "NaN {h:#06x} comes back quiet");
                assert!(f32::from_bits((back as u32) << 16).is_nan());
            } else {
                assert_eq!(back, h, "bf16 {h:#06x}");
            }
        }
    }

    #[test]
    fn f16_rne_ties_and_edges() {
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: tie -> even (1.0)
        assert_eq!(f32_to_f16(1.0 + 2f32.powi(-11)), 0x3C00);
        // 1 + 3*2^-11 is halfway between 1+2^-10 (odd) and 1+2^-9 (even) -> 1+2^-9
        assert_eq!(f32_to_f16(1.0 + 3.0 * 2f32.powi(-11)), 0x3C02);
        // just above the tie rounds up
        assert_eq!(f32_to_f16(f32::from_bits((1.0f32 + 2f32.powi(-11)).to_bits() + 1)), 0x3C01);
        // max finite and overflow
        assert_eq!(f32_to_f16(65504.0), 0x7BFF);
        assert_eq!(f32_to_f16(65519.99), 0x7BFF);
        assert_eq!(f32_to_f16(65520.0), 0x7C00); // tie between 65504 and 65536 -> even -> Inf
        assert_eq!(f32_to_f16(-1e9), 0xFC00);
        assert_eq!(f32_to_f16(f32::INFINITY), 0x7C00);
        assert_eq!(f32_to_f16(f32::NEG_INFINITY), 0xFC00);
        // subnormals: smallest subnormal 2^-24; half of it ties to zero (even); 1.5 units -> 2
        assert_eq!(f32_to_f16(2f32.powi(-24)), 0x0001);
        assert_eq!(f32_to_f16(2f32.powi(-25)), 0x0000);
        assert_eq!(f32_to_f16(-2f32.powi(-25)), 0x8000);
        assert_eq!(f32_to_f16(3.0 * 2f32.powi(-25)), 0x0002);
        assert_eq!(f32_to_f16(f32::from_bits(2f32.powi(-25).to_bits() + 1)), 0x0001);
        // largest subnormal rounding up into the smallest normal
        assert_eq!(f32_to_f16(2f32.powi(-14) - 2f32.powi(-25)), 0x0400);
        // NaN: quiet, sign and top payload kept
        assert_eq!(f32_to_f16(f32::from_bits(0x7F80_0001)), 0x7E00);
        assert_eq!(f32_to_f16(f32::from_bits(0xFFC0_2000)), 0xFE01);
        assert_eq!(f32_to_f16(-0.0), 0x8000);
        // bf16
        assert_eq!(f32_to_bf16(f32::from_bits(0x3F80_8000)), 0x3F80); // tie -> even
        assert_eq!(f32_to_bf16(f32::from_bits(0x3F81_8000)), 0x3F82); // tie -> even (up)
        assert_eq!(f32_to_bf16(f32::from_bits(0x7F7F_FFFF)), 0x7F80); // overflow -> Inf
        assert_eq!(f32_to_bf16(f32::from_bits(0xFF80_0001)), 0xFFC0); // sNaN -> qNaN, sign kept
    }

    /// Every f32 bit pattern (release builds; a stride of 7919 in debug builds).
    #[test]
    fn f32_to_16_all_values() {
        let step: usize = if cfg!(debug_assertions) { 7919 } else { 1 };
        let mut x: u64 = 0;
        while x <= u32::MAX as u64 {
            let f = f32::from_bits(x as u32);
            let a = f32_to_f16(f);
            let b = ref_f32_to_f16(f);
            if a != b {
                panic!("f32 {:#010x}: got {a:#06x}, want {b:#06x}", x);
            }
            let c = f32_to_bf16(f);
            let d = ref_f32_to_bf16(f);
            if c != d {
                panic!("bf16 f32 {:#010x}: got {c:#06x}, want {d:#06x}", x);
            }
            x += step as u64;
        }
    }

    /// The F16C slice path gives the same bits as the portable path on every f32 pattern.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn f16c_matches_portable() {
        if !(is_x86_feature_detected!("f16c") && is_x86_feature_detected!("avx2")) {
            return;
        }
        let all16: Vec<u16> = (0..=u16::MAX).collect();
        let mut a = vec![0f32; all16.len()];
        let mut b = vec![0f32; all16.len()];
        unsafe { x86::f16_to_f32(&all16, &mut a) };
        portable::f16_to_f32(&all16, &mut b);
        for i in 0..a.len() {
            assert_eq!(a[i].to_bits(), b[i].to_bits(), "f16 {i:#06x}");
        }
        let chunk = 1usize << 20;
        let stride: u64 = if cfg!(debug_assertions) { 97 } else { 1 };
        let mut src = vec![0f32; chunk];
        let mut ha = vec![0u16; chunk];
        let mut hb = vec![0u16; chunk];
        let mut start: u64 = 0;
        while start <= u32::MAX as u64 {
            for (i, s) in src.iter_mut().enumerate() {
                *s = f32::from_bits(((start + i as u64 * stride) & 0xFFFF_FFFF) as u32);
            }
            unsafe { x86::f32_to_f16(&src, &mut ha) };
            portable::f32_to_f16(&src, &mut hb);
            if ha != hb {
                let i = (0..chunk).find(|&i| ha[i] != hb[i]).unwrap();
                panic!("f32 {:#010x}: f16c {:#06x} portable {:#06x}", src[i].to_bits(), ha[i], hb[i]);
            }
            start += chunk as u64 * stride;
        }
    }
}
