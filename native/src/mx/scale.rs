//! Block amax and the shared-scale rules (`docs/internals.md`, "MX" → "Block quantization").

use super::element::ue4m3_scale_code;
use super::formats::{Fmt, ScaleRule};
use crate::core::simd::Level;

/// `(max |v|, all finite)` over `x`; the max is only meaningful when all values are finite.
/// Branch-free over the bits (auto-vectorized): `|v|` bits compare like the values.
#[inline(always)]
pub fn block_amax(x: &[f32]) -> (f32, bool) {
    let mut m = 0u32;
    for &v in x {
        let a = v.to_bits() & 0x7FFF_FFFF;
        m = if a > m { a } else { m };
    }
    (f32::from_bits(m), m < 0x7F80_0000)
}

/// `mx_amax`: max |v| over the finite values (0 when none).
pub fn amax_finite(level: Level, x: &[f32]) -> f32 {
    match level {
        #[cfg(target_arch = "x86_64")]
        Level::Avx2 => unsafe { amax_finite_avx2(x) },
        _ => amax_finite_impl(x),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn amax_finite_avx2(x: &[f32]) -> f32 {
    amax_finite_impl(x)
}

#[inline(always)]
fn amax_finite_impl(x: &[f32]) -> f32 {
    // Weights rarely hold NaN or Inf: first the plain maximum of the |v| bits (vectorized unsigned
    // maxima), which is the answer when it is finite; only otherwise the scan that skips them.
    let (m, finite) = block_amax(x);
    if finite {
        return m;
    }
    let mut m = 0u32;
    for &v in x {
        let a = v.to_bits() & 0x7FFF_FFFF;
        let a = if a < 0x7F80_0000 { a } else { 0 };
        m = if a > m { a } else { m };
    }
    f32::from_bits(m)
}

/// Exact `floor(log2(a))` of a positive finite f32 bit pattern (f32 subnormals included); an
/// exponent field of 255 (from the `even` rule's bit add) gives 128.
#[inline]
pub fn floor_log2_bits(a: u32) -> i32 {
    let ef = (a >> 23) & 0xFF;
    if ef != 0 {
        ef as i32 - 127
    } else {
        let mant = a & 0x7F_FFFF;
        debug_assert!(mant != 0);
        (31 - mant.leading_zeros() as i32) - 149
    }
}

/// The e8m0 shared exponent `se` in [−127, 127] for a finite block max `amax ≥ 0`.
pub fn e8m0_exponent(amax: f32, rule: ScaleRule, fmt: Fmt) -> i32 {
    if amax == 0.0 {
        return -127;
    }
    let a = amax.to_bits() & 0x7FFF_FFFF;
    let emax = fmt.emax();
    let e = floor_log2_bits(a);
    let se = match rule {
        ScaleRule::Floor => e - emax,
        ScaleRule::Ceil => {
            let pow2 = if a >> 23 != 0 { a & 0x7F_FFFF == 0 } else { a.is_power_of_two() };
            e - emax + (!pow2) as i32
        }
        ScaleRule::Even => floor_log2_bits(a + (1u32 << (22 - fmt.mbits()))) - emax,
        ScaleRule::Rceil => {
            let q = f32::from_bits(a) / fmt.max();
            let b = q.to_bits();
            (((b.wrapping_add(0x7F_FFFF)) & 0x7F80_0000) >> 23) as i32 - 127
        }
        ScaleRule::Ggml => (((f32::from_bits(a) as f64).log2() as f32).floor()) as i32 - 2,
    };
    se.clamp(-127, 127)
}

/// The NVFP4 block scale: `(code, X)` with `code = ue4m3_rne(bamax / (6·sg))` clamped to
/// [2^-9, 448] and `X = decode(code)·sg` (f32). `bamax = 0` → `(0, 0)`.
#[inline]
pub fn nvfp4_scale(bamax: f32, sg: f32) -> (u8, f32) {
    if bamax == 0.0 {
        return (0, 0.0);
    }
    let t = bamax / (6.0f32 * sg);
    if (0.015625..=448.0).contains(&t) {
        // No clamp and no subnormal step here: decode(code) is t rounded to 3 mantissa bits (rne on
        // the bits; a carry moves into the exponent), the code its exponent rebiased 127 -> 7.
        let b = t.to_bits();
        let r = (b + 0x7_FFFF + ((b >> 20) & 1)) & 0xFFF0_0000;
        return (((r >> 20) - 0x3C0) as u8, f32::from_bits(r) * sg);
    }
    let code = ue4m3_scale_code(t);
    (code, Fmt::E4m3.table()[code as usize] * sg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_log2_exact() {
        assert_eq!(floor_log2_bits(1.0f32.to_bits()), 0);
        assert_eq!(floor_log2_bits(1.9999999f32.to_bits()), 0);
        assert_eq!(floor_log2_bits(2.0f32.to_bits()), 1);
        assert_eq!(floor_log2_bits(1), -149);
        assert_eq!(floor_log2_bits(0x0040_0000), -127);
        assert_eq!(floor_log2_bits(0x007F_FFFF), -127);
        assert_eq!(floor_log2_bits(0x0080_0000), -126);
    }

    #[test]
    fn rules_around_powers_of_two() {
        let f = Fmt::E2m1;
        for k in [-100i32, -3, 0, 1, 5, 60] {
            let p = 2f32.powi(k);
            let below = f32::from_bits(p.to_bits() - 1);
            let above = f32::from_bits(p.to_bits() + 1);
            // floor
            assert_eq!(e8m0_exponent(p, ScaleRule::Floor, f), k - 2);
            assert_eq!(e8m0_exponent(below, ScaleRule::Floor, f), k - 3);
            assert_eq!(e8m0_exponent(above, ScaleRule::Floor, f), k - 2);
            // ceil
            assert_eq!(e8m0_exponent(p, ScaleRule::Ceil, f), k - 2);
            assert_eq!(e8m0_exponent(below, ScaleRule::Ceil, f), k - 2);
            assert_eq!(e8m0_exponent(above, ScaleRule::Ceil, f), k - 1);
            // even (E2M1: bump when the significand ≥ 1.75)
            assert_eq!(e8m0_exponent(p, ScaleRule::Even, f), k - 2);
            assert_eq!(e8m0_exponent(p * 1.75, ScaleRule::Even, f), k - 1);
            assert_eq!(e8m0_exponent(f32::from_bits((p * 1.75).to_bits() - 1), ScaleRule::Even, f), k - 2);
            assert_eq!(e8m0_exponent(below, ScaleRule::Even, f), k - 2);
            // rceil: exponent of amax/6 rounded up
            assert_eq!(e8m0_exponent(6.0 * p, ScaleRule::Rceil, f), k);
            assert_eq!(e8m0_exponent(f32::from_bits((6.0 * p).to_bits() + 1), ScaleRule::Rceil, f), k + 1);
            assert_eq!(e8m0_exponent(p, ScaleRule::Rceil, f), k - 2);
            assert_eq!(e8m0_exponent(1.5 * p, ScaleRule::Rceil, f), k - 2);
            assert_eq!(e8m0_exponent(f32::from_bits((1.5 * p).to_bits() + 1), ScaleRule::Rceil, f), k - 1);
            // ggml: floor(fround(log2)) − 2; just below a power of two log2f rounds up
            assert_eq!(e8m0_exponent(p, ScaleRule::Ggml, f), k - 2);
            assert_eq!(e8m0_exponent(above, ScaleRule::Ggml, f), k - 2);
            if k.abs() >= 3 {
                assert_eq!(e8m0_exponent(below, ScaleRule::Ggml, f), k - 2, "ggml below 2^{k}");
            }
        }
        // E4M3 even threshold 1.9375
        assert_eq!(e8m0_exponent(1.9375, ScaleRule::Even, Fmt::E4m3), 1 - 8);
        assert_eq!(e8m0_exponent(1.93749988, ScaleRule::Even, Fmt::E4m3), -8);
        // zero, clamps, subnormal amax
        for r in [ScaleRule::Floor, ScaleRule::Ceil, ScaleRule::Even, ScaleRule::Rceil, ScaleRule::Ggml] {
            assert_eq!(e8m0_exponent(0.0, r, f), -127);
            assert_eq!(e8m0_exponent(f32::from_bits(1), r, f), -127);
            assert_eq!(e8m0_exponent(f32::MAX, r, Fmt::Int8).clamp(126, 127), e8m0_exponent(f32::MAX, r, Fmt::Int8));
        }
        assert_eq!(e8m0_exponent(f32::MAX, ScaleRule::Floor, f), 125);
        assert_eq!(e8m0_exponent(f32::MAX, ScaleRule::Even, f), 126);
        assert_eq!(e8m0_exponent(2f32.powi(-120), ScaleRule::Floor, Fmt::E5m2), -127);
        assert_eq!(e8m0_exponent(2f32.powi(-120), ScaleRule::Floor, Fmt::E2m1), -122);
    }

    #[test]
    fn microxcaling_block_scale() {
        // test_mxfp8_e4m3_round: amax 2.660086 → scale byte 120 (floor rule)
        assert_eq!(e8m0_exponent(2.660086, ScaleRule::Floor, Fmt::E4m3) + 127, 120);
    }

    #[test]
    fn nvfp4_scale_matches_definition() {
        let (c, x) = nvfp4_scale(6.0 * 448.0, 1.0);
        assert_eq!((c, x), (0x7E, 448.0));
        let (c, x) = nvfp4_scale(6.0, 0.5);
        assert_eq!((c, x), (0x40, 1.0)); // t = 2 → code 0x40, X = 2·0.5
        assert_eq!(nvfp4_scale(0.0, 1.0), (0, 0.0));
        assert_eq!(nvfp4_scale(1e-30, 1.0).0, 0x01);
    }

    #[test]
    fn nvfp4_scale_bit_rounding_equals_the_encoder() {
        // Every quotient t on and ±3 ulp around each UE4M3 value and midpoint, 2^-10 … 512 (inside
        // and outside the bit-rounding range [2^-6, 448]), against ue4m3_scale_code and its table.
        let table = Fmt::E4m3.table();
        let mut ts = Vec::new();
        for c in 1..0x7Eusize {
            ts.push(table[c]);
            ts.push((table[c] + table[c + 1]) / 2.0);
        }
        ts.extend([2f32.powi(-10), 448.0, 464.0, 480.0, 512.0]);
        for sg in [1.0f32, 0.0123, 2f32.powi(-100)] {
            let six_sg = 6.0f32 * sg;
            for &t in &ts {
                let mid = (t * six_sg).to_bits();
                for bits in mid - 3..=mid + 3 {
                    let bamax = f32::from_bits(bits);
                    let code = ue4m3_scale_code(bamax / six_sg);
                    assert_eq!(nvfp4_scale(bamax, sg), (code, table[code as usize] * sg), "bamax {bamax:e}, sg {sg:e}");
                }
            }
        }
    }
}
