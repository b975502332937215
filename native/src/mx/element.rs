//! Element encoding (`docs/internals.md`, "MX" → "Element encoding"): one f32 value `v`, already
//! divided by the block scale, to a code byte.
//!
//! The encoder works on the f32 bits. For `a = |v|` with biased exponent `ef` and significand `S`
//! (implicit bit included), the grid spacing at `a` is `2^(e' − 127 − mbits)` with
//! `e' = max(ef, emin)`, i.e. `a / spacing = S / 2^s` with `s = e' − ef + 23 − mbits` (≥ 17). The
//! rounded count `K` of spacings gives the magnitude code `((e' − emin) << mbits) + K` directly:
//! subnormals, the carry into the next binade and the overflow past `max` (a code above
//! `max_code`) all fall out of it. int8 is the same with `emin = 0`, `mbits = 6`.
//!
//! Stochastic rounding is exact: with `frac = (S mod 2^s) / 2^s` and `F = floor(frac · 2^32)`, the
//! value rounds up iff `F + r ≥ 2^32` (`r` the element's random word), which is
//! `floor(a/spacing + r/2^32)` in exact arithmetic. A finite `|v| > max` does not draw: it rounds
//! as rne (max below the midpoint above max, else the overflow rule of `saturate`).
//!
//! [`encode_slice`] is the branch-free batch form (auto-vectorized; compiled once per SIMD level)
//! and gives the same bytes as the scalar [`encode`].

use super::formats::{Fmt, Rounding};

/// Everything the batch encoder needs, precomputed per (format, rounding, saturate).
#[derive(Clone, Copy, Debug)]
pub struct EncParams {
    pub fmt: Fmt,
    pub m: u32,
    pub emin_b: u32,
    pub max_code: u32,
    /// Magnitude code for a finite overflow (max, or NaN/Inf's magnitude when not saturating).
    pub ovf_code: u32,
    /// Magnitude code for ±Inf input.
    pub inf_code: u32,
    pub sign_shift: u32,
    pub int8: bool,
    pub rounding: Rounding,
    /// f32 bits of `max` (stochastic rounding above it falls back to rne).
    pub max_bits: u32,
}

impl EncParams {
    pub fn new(fmt: Fmt, rounding: Rounding, saturate: bool) -> EncParams {
        debug_assert!(fmt.is_element() || fmt == Fmt::Ue4m3);
        let max_code = fmt.max_code();
        let ovf_code = if saturate {
            max_code
        } else {
            match fmt {
                Fmt::E4m3 | Fmt::Ue4m3 => 0x7F,
                Fmt::E5m2 => 0x7C,
                _ => max_code,
            }
        };
        let inf_code = match fmt {
            Fmt::E4m3 | Fmt::Ue4m3 => 0x7F,
            Fmt::E5m2 => 0x7C,
            _ => max_code,
        };
        EncParams {
            fmt,
            m: fmt.mbits(),
            emin_b: fmt.emin_biased(),
            max_code,
            ovf_code,
            inf_code,
            sign_shift: fmt.sign_shift(),
            int8: fmt == Fmt::Int8,
            rounding,
            max_bits: fmt.max().to_bits(),
        }
    }
}

/// Rounded magnitude code of a finite `a = |v|` bits (may exceed `max_code`). `r` is only used by
/// the stochastic modes.
#[inline(always)]
pub fn round_mag(a: u32, m: u32, emin_b: u32, rounding: Rounding, r: u32) -> u32 {
    let ef = a >> 23;
    // f32 subnormals have exponent 1 and no implicit bit.
    let (efx, sig) = if ef == 0 { (1, a & 0x7F_FFFF) } else { (ef, (a & 0x7F_FFFF) | 0x80_0000) };
    let ep = efx.max(emin_b);
    let s = ep - efx + 23 - m; // >= 17
    let sig = sig as u64;
    let k = if s < 64 { sig >> s } else { 0 };
    let rem = sig - (k << s.min(63));
    let up = match rounding {
        Rounding::Rne | Rounding::Away | Rounding::Ggml => {
            if s >= 40 {
                false
            } else {
                let half = 1u64 << (s - 1);
                match rounding {
                    Rounding::Rne => rem > half || (rem == half && k & 1 == 1),
                    Rounding::Away => rem >= half,
                    _ => rem > half,
                }
            }
        }
        Rounding::Stochastic | Rounding::Stochastic34 => {
            let f = if s <= 32 {
                rem << (32 - s)
            } else if s < 64 {
                rem >> (s - 32)
            } else {
                0
            };
            f + r as u64 >= 1u64 << 32
        }
    };
    ((ep - emin_b) << m) + k as u32 + up as u32
}

/// Encodes one value with the contract's rules (NaN, ±Inf, overflow, signs). For
/// `Rounding::Stochastic34` the value is first multiplied by `0.75` (f32).
pub fn encode(v: f32, fmt: Fmt, rounding: Rounding, saturate: bool, r: u32) -> u8 {
    match fmt {
        Fmt::E8m0 => return encode_e8m0(v, rounding, saturate, r),
        Fmt::Ue4m3 => {
            let c = encode(v, Fmt::E4m3, rounding, saturate, r);
            return if c & 0x80 == 0 || c & 0x7F == 0 {
                c & 0x7F
            } else if saturate {
                0
            } else {
                0x7F
            };
        }
        _ => {}
    }
    let p = EncParams::new(fmt, rounding, saturate);
    let v = if rounding == Rounding::Stochastic34 { v * 0.75 } else { v };
    let bits = v.to_bits();
    let sign = bits >> 31;
    let a = bits & 0x7FFF_FFFF;
    let mag = if a > 0x7F80_0000 {
        // NaN
        return match fmt {
            Fmt::E4m3 => 0x7F | (sign << 7) as u8,
            Fmt::E5m2 => 0x7E | (sign << 7) as u8,
            Fmt::Int8 => 0,
            // ml_dtypes: +NaN → the −0 code, −NaN → +0
            _ => ((sign ^ 1) << p.sign_shift) as u8,
        };
    } else if a == 0x7F80_0000 {
        p.inf_code
    } else {
        // stochastic rounding of |v| > max does not draw: it rounds as rne ("past max but below
        // the midpoint gives max in every mode"; past the midpoint it overflows per `saturate`)
        let mode = if rounding.is_stochastic() && a > p.max_bits { Rounding::Rne } else { rounding };
        let mag = round_mag(a, p.m, p.emin_b, mode, r);
        if mag > p.max_code {
            p.ovf_code
        } else {
            mag
        }
    };
    assemble(mag, sign, &p) as u8
}

#[inline(always)]
fn assemble(mag: u32, sign: u32, p: &EncParams) -> u32 {
    if p.int8 {
        if sign != 0 {
            0u32.wrapping_sub(mag) & 0xFF
        } else {
            mag
        }
    } else if p.rounding == Rounding::Ggml {
        mag | ((sign & (mag != 0) as u32) << p.sign_shift)
    } else {
        mag | (sign << p.sign_shift)
    }
}

/// f32 → e8m0 as ml_dtypes `float8_e8m0fnu` (RNE where the implicit 1 is the odd LSB, so normal
/// ties round up; ties between 2^-127 and 2^-126 (f32 subnormals) round down; values ≤ 2^-127 give
/// 0x00). Zero/negative: 0xFF, or 0x00 when saturating. NaN/±Inf: 0xFF. Overflow: 0xFF, or 0xFE
/// when saturating.
pub fn encode_e8m0(v: f32, rounding: Rounding, saturate: bool, r: u32) -> u8 {
    let bits = v.to_bits();
    if bits & 0x7FFF_FFFF >= 0x7F80_0000 {
        return 0xFF;
    }
    if v <= 0.0 {
        return if saturate { 0x00 } else { 0xFF };
    }
    let ef = bits >> 23;
    let mant = bits & 0x7F_FFFF;
    let (base, frac, tie_up) = if ef == 0 {
        if mant <= 0x40_0000 {
            return 0;
        }
        // between 2^-127 (byte 0) and 2^-126 (byte 1): fraction (mant − 2^22) / 2^22
        (0u32, (mant - 0x40_0000) << 10, false)
    } else {
        (ef, mant << 9, true)
    };
    let half = 1u32 << 31;
    let up = match rounding {
        Rounding::Rne => frac > half || (frac == half && tie_up),
        Rounding::Away => frac >= half,
        Rounding::Ggml => frac > half,
        Rounding::Stochastic | Rounding::Stochastic34 => (frac as u64 + r as u64) >= 1u64 << 32,
    };
    let b = base + up as u32;
    if b >= 0xFF {
        if saturate {
            0xFE
        } else {
            0xFF
        }
    } else {
        b as u8
    }
}

/// The ue4m3 block-scale code of a non-negative `t`: RNE, saturating, clamped to [2^-9, 448]
/// (codes 0x01..=0x7E). NaN gives 0x7E.
#[inline]
pub fn ue4m3_scale_code(t: f32) -> u8 {
    let a = t.to_bits();
    if t.is_nan() || a >= 0x7F80_0000 {
        return 0x7E;
    }
    if a & 0x8000_0000 != 0 {
        return 0x01;
    }
    let mag = round_mag(a, 3, Fmt::E4m3.emin_biased(), Rounding::Rne, 0);
    mag.clamp(1, 0x7E) as u8
}

/// Batch encoder for finite values (block quantization never sees NaN/Inf; [`encode_slice_any`]
/// handles them). `MODE` is the rounding id; `words` holds one random word per element for the
/// stochastic modes (ignored otherwise). The stochastic-3/4 pre-scaling is the caller's job here.
#[inline(always)]
pub fn encode_slice_finite<const MODE: u8>(w: &[f32], words: &[u32], out: &mut [u8], p: &EncParams) {
    let m = p.m;
    let emin_b = p.emin_b;
    let max_code = p.max_code;
    let ovf = p.ovf_code;
    let sh = p.sign_shift;
    let int8 = p.int8;
    let n = w.len().min(out.len());
    let stochastic = MODE == Rounding::Stochastic as u8 || MODE == Rounding::Stochastic34 as u8;
    let words = if stochastic { &words[..n] } else { &[][..] };
    for i in 0..n {
        let bits = w[i].to_bits();
        let sign = bits >> 31;
        let a = bits & 0x7FFF_FFFF;
        let ef = a >> 23;
        let ep = if ef > emin_b { ef } else { emin_b };
        let sig = (a & 0x7F_FFFF) | 0x80_0000;
        let st = ep - ef + (23 - m);
        let mag = if stochastic && a > p.max_bits {
            // above max: rne (see `encode`)
            let s = if st < 31 { st } else { 31 };
            let half = (1u32 << s) >> 1;
            let k = (sig + half - 1 + ((sig >> s) & 1)) >> s;
            let mag = ((ep - emin_b) << m) + k;
            if mag > max_code {
                ovf
            } else {
                mag
            }
        } else if stochastic {
            // exact stochastic rounding (see the module docs); f32 subnormals have st ≥ 100 → 0
            let k = if st < 32 { sig >> st } else { 0 };
            let rem = if st < 32 { sig & ((1u32 << st) - 1) } else { sig };
            let f = if st <= 32 {
                rem << (32 - st)
            } else if st < 56 {
                rem >> (st - 32)
            } else {
                0
            };
            let up = f.checked_add(words[i]).is_none() as u32;
            // |v| ≤ max never rounds past max
            ((ep - emin_b) << m) + k + up
        } else {
            let s = if st < 31 { st } else { 31 };
            let half = (1u32 << s) >> 1;
            let bias = if MODE == Rounding::Rne as u8 {
                half - 1 + ((sig >> s) & 1)
            } else if MODE == Rounding::Away as u8 {
                half
            } else {
                half - 1
            };
            let k = (sig + bias) >> s;
            let mag = ((ep - emin_b) << m) + k;
            if mag > max_code {
                ovf
            } else {
                mag
            }
        };
        let code = if int8 {
            if sign != 0 {
                0u32.wrapping_sub(mag) & 0xFF
            } else {
                mag
            }
        } else if MODE == Rounding::Ggml as u8 {
            mag | ((sign & (mag != 0) as u32) << sh)
        } else {
            mag | (sign << sh)
        };
        out[i] = code as u8;
    }
}

/// [`encode_slice_finite`] dispatched on the rounding mode.
#[inline(always)]
pub fn encode_slice_finite_dyn(w: &[f32], words: &[u32], out: &mut [u8], p: &EncParams) {
    match p.rounding {
        Rounding::Rne => encode_slice_finite::<0>(w, words, out, p),
        Rounding::Away => encode_slice_finite::<1>(w, words, out, p),
        Rounding::Stochastic => encode_slice_finite::<2>(w, words, out, p),
        Rounding::Stochastic34 => encode_slice_finite::<3>(w, words, out, p),
        Rounding::Ggml => encode_slice_finite::<4>(w, words, out, p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODES: [Rounding; 3] = [Rounding::Rne, Rounding::Away, Rounding::Ggml];

    /// Independent reference: the representable non-negative values of `fmt` from the decode
    /// table, nearest by f64 comparison, ties per mode, then overflow/sign rules.
    fn reference(v: f32, fmt: Fmt, mode: Rounding, saturate: bool) -> u8 {
        let t = fmt.table();
        let bits = fmt.bits();
        let nmag = 1u32 << (bits - 1);
        // finite non-negative grid, ascending (code, value)
        let mut grid: Vec<(u32, f64)> = (0..nmag)
            .filter(|&c| fmt == Fmt::Int8 || t[c as usize].is_finite())
            .filter(|&c| c <= fmt.max_code())
            .map(|c| (c, t[c as usize] as f64))
            .collect();
        grid.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap());
        let neg = v.is_sign_negative();
        let sign_bit = |c: u32| -> u8 {
            if fmt == Fmt::Int8 {
                if neg {
                    (0u32.wrapping_sub(c) & 0xFF) as u8
                } else {
                    c as u8
                }
            } else if mode == Rounding::Ggml && c == 0 {
                0
            } else {
                (c | ((neg as u32) << (bits - 1))) as u8
            }
        };
        if v.is_nan() {
            return match fmt {
                Fmt::E4m3 => 0x7F | ((neg as u8) << 7),
                Fmt::E5m2 => 0x7E | ((neg as u8) << 7),
                Fmt::Int8 => 0,
                _ => ((!neg) as u8) << (bits - 1),
            };
        }
        let a = (v as f64).abs();
        let max = fmt.max() as f64;
        let overflow = |inf: bool| -> u8 {
            match fmt {
                Fmt::E4m3 if inf || !saturate => 0x7F | ((neg as u8) << 7),
                Fmt::E5m2 if inf || !saturate => 0x7C | ((neg as u8) << 7),
                _ => sign_bit(fmt.max_code()),
            }
        };
        if v.is_infinite() {
            return overflow(true);
        }
        if a > max {
            // next grid point above max on the extended grid
            let next = match fmt {
                Fmt::E2m1 => 8.0,
                Fmt::E2m3 => 8.0,
                Fmt::E3m2 => 32.0,
                Fmt::E4m3 => 480.0,
                Fmt::E5m2 => 65536.0,
                Fmt::Int8 => 2.0,
                _ => unreachable!(),
            };
            let mid = (max + next) / 2.0;
            // ties: away goes up; rne goes up when max has an odd mantissa (all but e4m3's 0x7E)
            let go_up = a > mid
                || (a == mid && (mode == Rounding::Away || (mode == Rounding::Rne && fmt.max_code() & 1 == 1)));
            return if go_up { overflow(false) } else { sign_bit(fmt.max_code()) };
        }
        let i = grid.partition_point(|g| g.1 <= a) - 1; // grid[i].1 <= a
        let (lo_c, lo) = grid[i];
        if lo == a || i + 1 == grid.len() {
            return sign_bit(lo_c);
        }
        let (hi_c, hi) = grid[i + 1];
        let mid = (lo + hi) / 2.0;
        let c = if a < mid {
            lo_c
        } else if a > mid {
            hi_c
        } else {
            match mode {
                Rounding::Rne => {
                    // even mantissa (int8: even integer)
                    if lo_c & 1 == 0 {
                        lo_c
                    } else {
                        hi_c
                    }
                }
                Rounding::Away => hi_c,
                _ => lo_c,
            }
        };
        sign_bit(c)
    }

    fn next_up(x: f32) -> f32 {
        if x == 0.0 {
            return f32::from_bits(1);
        }
        f32::from_bits(x.to_bits() + 1)
    }
    fn next_down(x: f32) -> f32 {
        if x == 0.0 {
            return -f32::from_bits(1);
        }
        f32::from_bits(x.to_bits() - 1)
    }

    fn check_all(v: f32, fmt: Fmt) {
        for mode in MODES {
            for sat in [false, true] {
                let got = encode(v, fmt, mode, sat, 0);
                let want = reference(v, fmt, mode, sat);
                assert_eq!(got, want, "{fmt:?} {mode:?} sat={sat} v={v:e} ({:#010x})", v.to_bits());
                // batch path agrees for finite values
                if v.is_finite() {
                    let p = EncParams::new(fmt, mode, sat);
                    let mut o = [0u8; 1];
                    encode_slice_finite_dyn(&[v], &[0], &mut o, &p);
                    assert_eq!(o[0], want, "batch {fmt:?} {mode:?} sat={sat} v={v:e}");
                }
            }
        }
    }

    /// Every representable value, every midpoint between neighbours, ±1 ulp, both signs.
    #[test]
    fn midpoints_all_formats() {
        for fmt in [Fmt::E2m1, Fmt::E2m3, Fmt::E3m2, Fmt::E4m3, Fmt::E5m2, Fmt::Int8] {
            let t = fmt.table();
            let mut vals: Vec<f64> =
                (0..=fmt.max_code()).map(|c| t[c as usize] as f64).filter(|v| v.is_finite()).collect();
            vals.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let next = match fmt {
                Fmt::E2m1 | Fmt::E2m3 => 8.0,
                Fmt::E3m2 => 32.0,
                Fmt::E4m3 => 480.0,
                Fmt::E5m2 => 65536.0,
                _ => 2.0,
            };
            vals.push(next);
            let mut pts = Vec::new();
            for w in vals.windows(2) {
                pts.push(w[0] as f32);
                let mid = ((w[0] + w[1]) / 2.0) as f32;
                assert_eq!(mid as f64, (w[0] + w[1]) / 2.0);
                pts.extend([mid, next_up(mid), next_down(mid), next_up(w[0] as f32)]);
            }
            pts.extend([next as f32, 1e30, f32::MAX, 1e-30, f32::from_bits(1), f32::from_bits(0x7F_FFFF), 0.0]);
            for p in pts {
                check_all(p, fmt);
                check_all(-p, fmt);
            }
            for v in [f32::INFINITY, f32::NEG_INFINITY, f32::NAN, -f32::NAN] {
                check_all(v, fmt);
            }
        }
    }

    #[test]
    fn random_values_match_reference() {
        let mut s = 0x1234_5678u64;
        for _ in 0..20000 {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let v = f32::from_bits((s >> 32) as u32);
            let e = (((s >> 20) & 0xFF) as i32 - 128) % 24; // concentrate around the formats' ranges
            let v = if v.is_finite() { v.abs().min(1.999) * 2f32.powi(e) * if s & 1 == 1 { -1.0 } else { 1.0 } } else { v };
            for fmt in [Fmt::E2m1, Fmt::E2m3, Fmt::E3m2, Fmt::E4m3, Fmt::E5m2, Fmt::Int8] {
                check_all(v, fmt);
            }
        }
    }

    #[test]
    fn published_vectors() {
        // ml_dtypes E2M1 (mx.md §8)
        let e2 = |v: f32| encode(v, Fmt::E2m1, Rounding::Rne, false, 0);
        for (v, c) in [
            (0.25f32, 0x0u8),
            (0.25000003, 0x1),
            (0.75, 0x2),
            (0.7499999, 0x1),
            (1.25, 0x2),
            (1.75, 0x4),
            (2.5, 0x4),
            (3.5, 0x6),
            (5.0, 0x6),
            (6.5, 0x7),
            (7.0, 0x7),
            (1e9, 0x7),
            (f32::INFINITY, 0x7),
            (f32::NEG_INFINITY, 0xF),
            (f32::NAN, 0x8),
            (-f32::NAN, 0x0),
            (-0.25, 0x8),
            (1e-40, 0x0),
        ] {
            assert_eq!(e2(v), c, "e2m1 {v}");
        }
        // ml_dtypes E4M3FN
        let e4 = |v: f32, sat: bool| encode(v, Fmt::E4m3, Rounding::Rne, sat, 0);
        assert_eq!(e4(464.0, false), 0x7E);
        for v in [464.0001f32, 480.0, 1e6, f32::INFINITY, f32::NAN] {
            assert_eq!(e4(v, false), 0x7F, "{v}");
        }
        for v in [464.0001f32, 480.0, 1e6] {
            assert_eq!(e4(v, true), 0x7E, "{v}");
        }
        assert_eq!(e4(f32::INFINITY, true), 0x7F);
        assert_eq!(e4(f32::NAN, true), 0x7F);
        assert_eq!(e4(400.0, false), 0x7C);
        assert_eq!(e4(2f32.powi(-10), false), 0x00);
        assert_eq!(e4(0.0029296875, false), 0x02);
        // E5M2
        assert_eq!(encode(61440.0, Fmt::E5m2, Rounding::Rne, false, 0), 0x7C);
        assert_eq!(encode(57344.0, Fmt::E5m2, Rounding::Rne, false, 0), 0x7B);
        assert_eq!(encode(f32::NEG_INFINITY, Fmt::E5m2, Rounding::Rne, true, 0), 0xFC);
        assert_eq!(encode(-f32::NAN, Fmt::E5m2, Rounding::Rne, true, 0), 0xFE);
        // torchao FP6 E3M2
        let e32 = |v: f32| encode(v, Fmt::E3m2, Rounding::Rne, true, 0);
        assert_eq!(e32(29.0), 0b011111);
        assert_eq!(e32(26.0), 0b011110);
        assert_eq!(e32(0.1251), 0b000010);
        assert_eq!(e32(0.0314), 0b000001);
        assert_eq!(e32(0.03), 0);
        // microxcaling MXFP8-E4M3 ties-away (scale 1)
        let xs = [485.0f32, 475.0, 400.0, -485.0, -475.0, -450.0, 2f32.powi(-6), -(2f32.powi(-6))];
        let want = [448.0f32, 448.0, 416.0, -448.0, -448.0, -448.0, 2f32.powi(-6), -(2f32.powi(-6))];
        for (x, w) in xs.iter().zip(want) {
            let c = encode(*x, Fmt::E4m3, Rounding::Away, true, 0);
            assert_eq!(Fmt::E4m3.table()[c as usize], w, "{x}");
        }
        // llama.cpp ggml: ties toward zero, never −0
        let g = |v: f32| encode(v, Fmt::E2m1, Rounding::Ggml, true, 0);
        assert_eq!(g(0.75), 0x1);
        assert_eq!(g(1.75), 0x3);
        assert_eq!(g(3.5), 0x5);
        assert_eq!(g(-0.2), 0x0);
        assert_eq!(g(-0.0), 0x0);
        assert_eq!(g(-3.5), 0xD);
        // int8: no −0, −128 never written
        assert_eq!(encode(-0.0, Fmt::Int8, Rounding::Rne, true, 0), 0);
        assert_eq!(encode(-5.0, Fmt::Int8, Rounding::Rne, true, 0), 0x81);
        assert_eq!(encode(f32::NEG_INFINITY, Fmt::Int8, Rounding::Rne, false, 0), 0x81);
    }

    #[test]
    fn e8m0_cases() {
        let ns = |v: f32| encode_e8m0(v, Rounding::Rne, false, 0);
        let s = |v: f32| encode_e8m0(v, Rounding::Rne, true, 0);
        assert_eq!(ns(0.0), 0xFF);
        assert_eq!(ns(-1.0), 0xFF);
        assert_eq!(ns(1.5), 0x80);
        assert_eq!(ns(1.4999999), 0x7F);
        assert_eq!(ns(3.0), 0x81);
        assert_eq!(ns(std::f32::consts::SQRT_2), 0x7F);
        assert_eq!(ns(2f32.powi(127) * 1.5), 0xFF);
        assert_eq!(ns(2f32.powi(127)), 0xFE);
        assert_eq!(ns(f32::from_bits(0x0040_0000)), 0x00);
        assert_eq!(ns(f32::from_bits(1)), 0x00);
        assert_eq!(ns(f32::from_bits(0x0060_0000)), 0x00); // subnormal tie rounds down
        assert_eq!(ns(f32::from_bits(0x0060_0001)), 0x01);
        assert_eq!(ns(f32::INFINITY), 0xFF);
        assert_eq!(ns(f32::NAN), 0xFF);
        assert_eq!(s(0.0), 0x00);
        assert_eq!(s(-1.0), 0x00);
        assert_eq!(s(f32::MAX), 0xFE);
        assert_eq!(s(f32::INFINITY), 0xFF);
        assert_eq!(encode(1.5, Fmt::E8m0, Rounding::Ggml, false, 0), 0x7F);
    }

    #[test]
    fn stochastic_is_floor_plus_u() {
        // exact check: a/spacing + r/2^32 against f64 (exact for these magnitudes)
        let mut s = 99u64;
        for _ in 0..20000 {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = (s >> 32) as u32;
            let v = ((s >> 8) & 0xFFFFFF) as f32 / 16777216.0 * 7.0;
            let c = encode(v, Fmt::E2m1, Rounding::Stochastic, false, r);
            // grid spacing at v
            let sp = if v < 1.0 { 0.5 } else { 2f64.powi((v as f64).log2().floor() as i32 - 1) };
            let want = (((v as f64) / sp + r as f64 / 4294967296.0).floor() * sp).min(6.0);
            assert_eq!(Fmt::E2m1.table()[c as usize] as f64, want, "v={v} r={r}");
            let p = EncParams::new(Fmt::E2m1, Rounding::Stochastic, false);
            let mut o = [0u8];
            encode_slice_finite_dyn(&[v], &[r], &mut o, &p);
            assert_eq!(o[0], c);
        }
        // r = 0 never rounds up, r = 2^32−1 rounds up anything not on the grid
        assert_eq!(encode(0.75, Fmt::E2m1, Rounding::Stochastic, true, 0), 0x1);
        assert_eq!(encode(0.75, Fmt::E2m1, Rounding::Stochastic, true, u32::MAX), 0x2);
        assert_eq!(encode(1.0, Fmt::E2m1, Rounding::Stochastic, true, u32::MAX), 0x2);
        assert_eq!(encode(100.0, Fmt::E2m1, Rounding::Stochastic, false, u32::MAX), 0x7);
        assert_eq!(encode(470.0, Fmt::E4m3, Rounding::Stochastic, false, u32::MAX), 0x7F);
        assert_eq!(encode(460.0, Fmt::E4m3, Rounding::Stochastic, false, u32::MAX), 0x7E);
        assert_eq!(encode(-470.0, Fmt::E4m3, Rounding::Stochastic, true, u32::MAX), 0xFE);
        // tiny values: probability 2^-k
        let tiny = 2f32.powi(-40); // spacing 0.5 → frac 2^-39 → F = 2^-7·2^0 ... F = floor(2^-39·2^32) = 0
        assert_eq!(encode(tiny, Fmt::E2m1, Rounding::Stochastic, true, u32::MAX), 0);
        let small = 2f32.powi(-30); // frac 2^-29 → F = 8 → rounds up iff r ≥ 2^32 − 8
        assert_eq!(encode(small, Fmt::E2m1, Rounding::Stochastic, true, u32::MAX - 7), 1);
        assert_eq!(encode(small, Fmt::E2m1, Rounding::Stochastic, true, u32::MAX - 8), 0);
        // stochastic-3/4 encodes 0.75·v
        assert_eq!(encode(8.0, Fmt::E2m1, Rounding::Stochastic34, true, 0), 0x7);
    }

    #[test]
    fn ue4m3_scale_codes() {
        assert_eq!(ue4m3_scale_code(0.0), 0x01);
        assert_eq!(ue4m3_scale_code(1e-30), 0x01);
        assert_eq!(ue4m3_scale_code(1000.0), 0x7E);
        assert_eq!(ue4m3_scale_code(f32::INFINITY), 0x7E);
        assert_eq!(ue4m3_scale_code(1.0), 0x38);
        assert_eq!(ue4m3_scale_code(2f32.powi(-9)), 0x01);
        assert_eq!(ue4m3_scale_code(464.0), 0x7E);
        assert_eq!(encode(-1.0, Fmt::Ue4m3, Rounding::Rne, false, 0), 0x7F);
        assert_eq!(encode(-1.0, Fmt::Ue4m3, Rounding::Rne, true, 0), 0x00);
        assert_eq!(encode(-1e-9, Fmt::Ue4m3, Rounding::Rne, false, 0), 0x00);
        assert_eq!(encode(f32::NEG_INFINITY, Fmt::Ue4m3, Rounding::Rne, false, 0), 0x7F);
        assert_eq!(encode(1.0, Fmt::Ue4m3, Rounding::Rne, false, 0), 0x38);
    }
}
