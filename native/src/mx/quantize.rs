//! `mx_quantize`: block quantization of rows (`docs/internals.md`, "MX" → "Block quantization").
//!
//! Work is split into units = (row, block) in row-major order; a unit writes `block_bytes` code
//! bytes and one scale byte, so a contiguous unit range maps to contiguous output ranges and any
//! split (threads) gives the same bytes. The inner loops are plain Rust compiled twice: for the
//! baseline target and with AVX2 enabled (run-time dispatch); integer ops and single IEEE
//! multiplications/divisions give identical results on both.

use super::element::{encode_slice_finite_dyn, EncParams};
use super::formats::{pow2, Fmt, Layout, Rounding, ScaleFmt, ScaleRule};
use super::pack::pack_block;
use super::scale::{block_amax, e8m0_exponent, nvfp4_scale};
use crate::core::philox::philox4x32_10;
use crate::core::simd::Level;

/// A validated quantization call (everything but the data).
#[derive(Clone, Copy, Debug)]
pub struct QuantSpec {
    pub n: usize,
    pub fmt: Fmt,
    pub bs: usize,
    pub scale_fmt: ScaleFmt,
    pub rule: ScaleRule,
    pub rounding: Rounding,
    pub saturate: bool,
    pub layout: Layout,
    pub tensor_scale: f32,
    pub key: [u32; 2],
    /// Global index of the first row (random words).
    pub first_row: u64,
}

impl QuantSpec {
    pub fn nblocks(&self) -> usize {
        self.n.div_ceil(self.bs)
    }
    pub fn block_bytes(&self) -> usize {
        self.fmt.block_bytes(self.bs)
    }
}

/// Random words `out[i]` for global element indices `g0 + i`: word `g mod 4` of
/// Philox4x32-10(counter = (g/4 mod 2^32, g/2^34, 0, 0), key).
#[inline]
pub fn fill_words(g0: u64, key: [u32; 2], out: &mut [u32]) {
    let mut i = 0;
    let len = out.len();
    while i < len {
        let g = g0 + i as u64;
        let b = g >> 2;
        let w = philox4x32_10([b as u32, (b >> 32) as u32, 0, 0], key);
        let mut j = (g & 3) as usize;
        while j < 4 && i < len {
            out[i] = w[j];
            i += 1;
            j += 1;
        }
    }
}

/// Quantizes units `[u0, u0 + scales.len())` of `x` (`rows · n` values, row 0 = `spec.first_row`
/// in the tensor) into `codes` (`scales.len() · block_bytes`) and `scales`.
pub fn quantize_units(level: Level, x: &[f32], spec: &QuantSpec, u0: usize, codes: &mut [u8], scales: &mut [u8]) {
    match level {
        #[cfg(target_arch = "x86_64")]
        Level::Avx2 => unsafe { quantize_units_avx2(x, spec, u0, codes, scales) },
        _ => quantize_units_impl(x, spec, u0, codes, scales),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn quantize_units_avx2(x: &[f32], spec: &QuantSpec, u0: usize, codes: &mut [u8], scales: &mut [u8]) {
    quantize_units_impl(x, spec, u0, codes, scales)
}

/// Blocks per segment: full blocks of one row are scaled, encoded and packed together so the
/// element loops run long (the result is the same as block by block).
const SEG_ELEMS: usize = 2048;

#[inline(always)]
fn quantize_units_impl(x: &[f32], spec: &QuantSpec, u0: usize, codes: &mut [u8], scales: &mut [u8]) {
    let n = spec.n;
    let bs = spec.bs;
    let nb = spec.nblocks();
    let bb = spec.block_bytes();
    let fmt = spec.fmt;
    let bits = fmt.bits();
    let p = EncParams::new(fmt, spec.rounding, spec.saturate);
    let stochastic = spec.rounding.is_stochastic();
    let three_quarters = spec.rounding == Rounding::Stochastic34;
    let nan_code = fmt.nan_block_code();
    let seg_blocks = (SEG_ELEMS / bs).max(1);
    let mut w = vec![0f32; seg_blocks * bs];
    let mut cb = vec![0u8; seg_blocks * bs];
    let mut words = vec![0u32; if stochastic { seg_blocks * bs } else { 0 }];
    // per block of the segment: 0 = normal, 1 = NaN block, 2 = all-zero codes (ue4m3 zero block)
    let mut special = vec![0u8; seg_blocks];
    let sg = spec.tensor_scale;
    let units = scales.len();
    let mut k = 0;
    while k < units {
        let u = u0 + k;
        let row = u / nb;
        let b0 = u % nb;
        // full blocks of this row from b0, or the single (partial) last block
        let full_end = n / bs; // blocks [0, full_end) are full
        let cnt_blocks = if b0 < full_end { (full_end - b0).min(seg_blocks).min(units - k) } else { 1 };
        let c0 = b0 * bs;
        let elems = (cnt_blocks * bs).min(n - c0);
        let xrow = &x[row * n + c0..row * n + c0 + elems];
        for j in 0..cnt_blocks {
            let lo = j * bs;
            let hi = (lo + bs).min(elems);
            let xs = &xrow[lo..hi];
            let ws = &mut w[lo..hi];
            let (amax, finite) = block_amax(xs);
            let sc = &mut scales[k + j];
            special[j] = 0;
            if !finite {
                *sc = match spec.scale_fmt {
                    ScaleFmt::E8m0 => 0xFF,
                    ScaleFmt::Ue4m3 => 0x7F,
                };
                special[j] = 1;
                ws.fill(0.0);
                continue;
            }
            match spec.scale_fmt {
                ScaleFmt::E8m0 => {
                    let se = e8m0_exponent(amax, spec.rule, fmt);
                    *sc = (se + 127) as u8;
                    let f = if three_quarters { 0.75 * pow2(-se) } else { pow2(-se) };
                    for (d, &v) in ws.iter_mut().zip(xs) {
                        *d = v * f;
                    }
                }
                ScaleFmt::Ue4m3 => {
                    let (code, xsc) = nvfp4_scale(amax, sg);
                    *sc = code;
                    if code == 0 {
                        special[j] = 2;
                        ws.fill(0.0);
                    } else {
                        let q = if three_quarters { 0.75f32 } else { 1.0 };
                        if xsc > 0.0 {
                            // finite values over a positive divisor: never NaN
                            for (d, &v) in ws.iter_mut().zip(xs) {
                                *d = v / xsc * q;
                            }
                        } else {
                            for (d, &v) in ws.iter_mut().zip(xs) {
                                let y = v / xsc;
                                // ±0 / 0 (the divisor underflowed): a signed zero
                                let y = if y.is_nan() { f32::from_bits(v.to_bits() & 0x8000_0000) } else { y };
                                *d = y * q;
                            }
                        }
                    }
                }
            }
        }
        let total = cnt_blocks * bs;
        if elems < total {
            w[elems..total].fill(0.0);
        }
        if stochastic {
            let g0 = (spec.first_row + row as u64) * n as u64 + c0 as u64;
            fill_words(g0, spec.key, &mut words[..elems]);
            words[elems..total].fill(0);
        }
        encode_slice_finite_dyn(&w[..total], &words, &mut cb[..total], &p);
        let out = &mut codes[k * bb..(k + cnt_blocks) * bb];
        if spec.layout == Layout::Ggml && bits == 4 {
            for (o, c) in out.chunks_exact_mut(bb).zip(cb.chunks_exact(bs)) {
                pack_block(bits, spec.layout, c, o);
            }
        } else {
            // pairs / FP6 / FP8 packing does not cross block boundaries
            pack_block(bits, spec.layout, &cb[..total], out);
        }
        for j in 0..cnt_blocks {
            match special[j] {
                1 => out[j * bb..(j + 1) * bb].fill(nan_code),
                2 => out[j * bb..(j + 1) * bb].fill(0),
                _ => {}
            }
        }
        k += cnt_blocks;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mx::element::encode;
    use crate::mx::formats::Fmt;

    fn spec(fmt: Fmt, bs: usize, n: usize) -> QuantSpec {
        QuantSpec {
            n,
            fmt,
            bs,
            scale_fmt: ScaleFmt::E8m0,
            rule: ScaleRule::Floor,
            rounding: Rounding::Rne,
            saturate: true,
            layout: Layout::Pairs,
            tensor_scale: 1.0,
            key: [1, 2],
            first_row: 0,
        }
    }

    fn run(level: Level, x: &[f32], rows: usize, s: &QuantSpec) -> (Vec<u8>, Vec<u8>) {
        let units = rows * s.nblocks();
        let mut codes = vec![0xAAu8; units * s.block_bytes()];
        let mut scales = vec![0xAAu8; units];
        quantize_units(level, x, s, 0, &mut codes, &mut scales);
        (codes, scales)
    }

    #[test]
    fn microxcaling_e4m3_ties_away_block() {
        // amax 485 → floor(log2 485) = 8 → se = 0: elements encoded as is
        let x = [485.0f32, 475.0, 400.0, -485.0, -475.0, -450.0, 2f32.powi(-6), -(2f32.powi(-6))];
        let s = QuantSpec { rounding: Rounding::Away, ..spec(Fmt::E4m3, 8, 8) };
        let (c, sc) = run(Level::Scalar, &x, 1, &s);
        assert_eq!(sc, [127]);
        let want = [448.0f32, 448.0, 416.0, -448.0, -448.0, -448.0, 2f32.powi(-6), -(2f32.powi(-6))];
        for (code, w) in c.iter().zip(want) {
            assert_eq!(Fmt::E4m3.table()[*code as usize], w);
        }
    }

    #[test]
    fn nan_zero_and_padding_blocks() {
        let mut x = vec![1.0f32; 40];
        x[3] = f32::NAN;
        x[33] = 0.0;
        let s = spec(Fmt::E4m3, 32, 40);
        let (c, sc) = run(Level::Scalar, &x, 1, &s);
        assert_eq!(sc[0], 0xFF);
        assert!(c[..32].iter().all(|&b| b == 0x7F));
        // second block: x[32..40] = ones but x[33] = 0 (+24 padding) → amax 1 → se = −8
        assert_eq!(sc[1], 127 - 8);
        let one = encode(256.0, Fmt::E4m3, Rounding::Rne, true, 0);
        assert_eq!(one, 0x78);
        for (i, &b) in c[32..].iter().enumerate() {
            let want = if i < 8 && i != 1 { one } else { 0 };
            assert_eq!(b, want, "i {i}");
        }
        // zero block
        let z = [0.0f32, -0.0];
        let (c, sc) = run(Level::Scalar, &z, 1, &spec(Fmt::E2m1, 2, 2));
        assert_eq!((sc[0], c[0]), (0, 0x80));
        let s = QuantSpec { rounding: Rounding::Ggml, ..spec(Fmt::E2m1, 2, 2) };
        assert_eq!(run(Level::Scalar, &z, 1, &s).0[0], 0);
        // Inf block in MXFP4
        let (c, sc) = run(Level::Scalar, &[1.0, f32::INFINITY], 1, &spec(Fmt::E2m1, 2, 2));
        assert_eq!((sc[0], c[0]), (0xFF, 0));
        // NVFP4: NaN scale 0x7F, zero block → scale 0 and zero codes
        let s = QuantSpec { scale_fmt: ScaleFmt::Ue4m3, ..spec(Fmt::E2m1, 16, 32) };
        let mut x = vec![0.0f32; 32];
        x[0] = -0.0;
        x[20] = f32::NEG_INFINITY;
        let (c, sc) = run(Level::Scalar, &x, 1, &s);
        assert_eq!(sc, [0, 0x7F]);
        assert!(c.iter().all(|&b| b == 0));
    }

    /// Each element of a block equals the element encoder applied to v·2^−se.
    #[test]
    fn blocks_match_element_encoder_and_levels_agree() {
        let mut st = 7u64;
        let mut rnd = || {
            st = st.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            st
        };
        for fmt in [Fmt::E2m1, Fmt::E2m3, Fmt::E3m2, Fmt::E4m3, Fmt::E5m2, Fmt::Int8] {
            for rounding in [Rounding::Rne, Rounding::Away, Rounding::Stochastic, Rounding::Stochastic34, Rounding::Ggml] {
                for rule in [ScaleRule::Floor, ScaleRule::Ceil, ScaleRule::Even, ScaleRule::Rceil, ScaleRule::Ggml] {
                    let (rows, n, bs) = (3usize, 70usize, 32usize);
                    let x: Vec<f32> = (0..rows * n)
                        .map(|_| {
                            let r = rnd();
                            let m = ((r >> 40) as f32 / 16777216.0 - 0.5) * 2.0;
                            m * 2f32.powi(((r >> 8) % 40) as i32 - 20)
                        })
                        .collect();
                    let s = QuantSpec { rounding, rule, first_row: 5, key: [0xdead, 0xbeef], ..spec(fmt, bs, n) };
                    let (c, sc) = run(Level::Scalar, &x, rows, &s);
                    let nb = s.nblocks();
                    let bb = s.block_bytes();
                    for r in 0..rows {
                        for b in 0..nb {
                            let u = r * nb + b;
                            let xs = &x[r * n + b * bs..(r * n + (b + 1) * bs).min((r + 1) * n)];
                            let amax = xs.iter().fold(0f32, |m, v| m.max(v.abs()));
                            let se = e8m0_exponent(amax, rule, fmt);
                            assert_eq!(sc[u] as i32, se + 127);
                            let mut cb = vec![0u8; bs];
                            crate::mx::pack::unpack_block(fmt.bits(), Layout::Pairs, &c[u * bb..(u + 1) * bb], &mut cb);
                            for i in 0..bs {
                                let want = if i < xs.len() {
                                    let g = (5 + r as u64) * n as u64 + (b * bs + i) as u64;
                                    let mut wd = [0u32];
                                    fill_words(g, [0xdead, 0xbeef], &mut wd);
                                    // 3/4 is applied by encode() itself for Stochastic34
                                    encode(xs[i] * pow2(-se), fmt, rounding, true, wd[0])
                                } else {
                                    0
                                };
                                assert_eq!(cb[i], want, "{fmt:?} {rounding:?} {rule:?} row {r} block {b} i {i}");
                            }
                        }
                    }
                    #[cfg(target_arch = "x86_64")]
                    if crate::core::simd::detect() == Level::Avx2 {
                        assert_eq!(run(Level::Avx2, &x, rows, &s), (c, sc), "avx2 {fmt:?} {rounding:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn words_follow_global_index() {
        let mut a = vec![0u32; 11];
        fill_words(3, [5, 6], &mut a);
        for (i, &w) in a.iter().enumerate() {
            let g = 3 + i as u64;
            assert_eq!(w, philox4x32_10([(g / 4) as u32, 0, 0, 0], [5, 6])[(g % 4) as usize]);
        }
        let mut b = [0u32; 2];
        let g = (1u64 << 34) + 4 * 7 + 2;
        fill_words(g, [5, 6], &mut b);
        assert_eq!(b[0], philox4x32_10([7, 1, 0, 0], [5, 6])[2]);
    }
}
