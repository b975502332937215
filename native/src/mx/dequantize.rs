//! `mx_dequantize`: codes + scales → f32 / f16 / bf16 (`docs/internals.md`, "MX" → "Kernels").
//!
//! Per block the factor is `X` (e8m0: `2^(b−127)`; ue4m3: `decode(b)·sg` in f32), times `4/3`
//! (the f32 constant `4f32/3`) for stochastic-3/4; each output is `table[code] · factor` (one f32
//! multiplication), then RNE to f16/bf16 when asked. NaN-scale blocks write a positive quiet NaN.

use super::formats::{e8m0_value, Fmt, Layout, Rounding, ScaleFmt, NAN_BITS};
use super::pack::unpack_block;
use crate::core::dtype;
use crate::core::simd::Level;

/// A validated dequantization / matvec call (everything but the data).
#[derive(Clone, Copy, Debug)]
pub struct DequantSpec {
    pub n: usize,
    pub fmt: Fmt,
    pub bs: usize,
    pub scale_fmt: ScaleFmt,
    pub rounding: Rounding,
    pub layout: Layout,
    pub tensor_scale: f32,
}

impl DequantSpec {
    pub fn nblocks(&self) -> usize {
        self.n.div_ceil(self.bs)
    }
    pub fn block_bytes(&self) -> usize {
        self.fmt.block_bytes(self.bs)
    }
    /// The block's multiplier (NaN for a NaN scale byte), without the 4/3.
    #[inline(always)]
    pub fn block_scale(&self, b: u8) -> f32 {
        match self.scale_fmt {
            ScaleFmt::E8m0 => e8m0_value(b),
            ScaleFmt::Ue4m3 => {
                if b & 0x7F == 0x7F {
                    f32::from_bits(NAN_BITS)
                } else {
                    Fmt::E4m3.table()[(b & 0x7F) as usize] * self.tensor_scale
                }
            }
        }
    }
    #[inline(always)]
    pub fn is_nan_scale(&self, b: u8) -> bool {
        match self.scale_fmt {
            ScaleFmt::E8m0 => b == 0xFF,
            ScaleFmt::Ue4m3 => b & 0x7F == 0x7F,
        }
    }
}

/// Output storage of one call.
pub enum OutBuf<'a> {
    F32(&'a mut [f32]),
    F16(&'a mut [u16]),
    Bf16(&'a mut [u16]),
}

impl OutBuf<'_> {
    pub fn len(&self) -> usize {
        match self {
            OutBuf::F32(s) => s.len(),
            OutBuf::F16(s) | OutBuf::Bf16(s) => s.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Start of unit `u`'s values in the row-major output.
#[inline]
pub fn unit_start(spec: &DequantSpec, u: usize) -> usize {
    let nb = spec.nblocks();
    (u / nb) * spec.n + (u % nb) * spec.bs
}

/// Dequantizes units `[u0, u1)`; `out` holds exactly their values (from `unit_start(u0)`).
/// Returns the first NaN-scale unit, if any.
pub fn dequantize_units(
    level: Level,
    codes: &[u8],
    scales: &[u8],
    spec: &DequantSpec,
    u0: usize,
    u1: usize,
    out: OutBuf,
) -> Option<usize> {
    match level {
        #[cfg(target_arch = "x86_64")]
        Level::Avx2 => unsafe { dequantize_units_avx2(codes, scales, spec, u0, u1, out) },
        _ => dequantize_units_impl(codes, scales, spec, u0, u1, out),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dequantize_units_avx2(
    codes: &[u8],
    scales: &[u8],
    spec: &DequantSpec,
    u0: usize,
    u1: usize,
    out: OutBuf,
) -> Option<usize> {
    dequantize_units_impl(codes, scales, spec, u0, u1, out)
}

#[inline(always)]
fn dequantize_units_impl(
    codes: &[u8],
    scales: &[u8],
    spec: &DequantSpec,
    u0: usize,
    u1: usize,
    mut out: OutBuf,
) -> Option<usize> {
    let n = spec.n;
    let bs = spec.bs;
    let nb = spec.nblocks();
    let bb = spec.block_bytes();
    let bits = spec.fmt.bits();
    let table = spec.fmt.table();
    let four_thirds = spec.rounding == Rounding::Stochastic34;
    let mut cb = vec![0u8; bs];
    let mut fbuf = vec![0f32; if matches!(out, OutBuf::F32(_)) { 0 } else { bs }];
    let mut first_nan = None;
    let mut pos = 0;
    for u in u0..u1 {
        let b = u % nb;
        let cnt = bs.min(n - b * bs);
        let sb = scales[u];
        let dst: &mut [f32] = match &mut out {
            OutBuf::F32(o) => &mut o[pos..pos + cnt],
            _ => &mut fbuf[..cnt],
        };
        if spec.is_nan_scale(sb) {
            first_nan.get_or_insert(u);
            dst.fill(f32::from_bits(NAN_BITS));
        } else {
            let mut s = spec.block_scale(sb);
            if four_thirds {
                s *= 4.0f32 / 3.0;
            }
            let packed = &codes[u * bb..(u + 1) * bb];
            if bits == 8 {
                for (d, &c) in dst.iter_mut().zip(&packed[..cnt]) {
                    *d = table[c as usize] * s;
                }
            } else {
                unpack_block(bits, spec.layout, packed, &mut cb);
                for (d, &c) in dst.iter_mut().zip(&cb[..cnt]) {
                    *d = table[c as usize] * s;
                }
            }
        }
        match &mut out {
            OutBuf::F32(_) => {}
            OutBuf::F16(o) => {
                for (d, &v) in o[pos..pos + cnt].iter_mut().zip(&fbuf[..cnt]) {
                    *d = dtype::f32_to_f16(v);
                }
            }
            OutBuf::Bf16(o) => {
                for (d, &v) in o[pos..pos + cnt].iter_mut().zip(&fbuf[..cnt]) {
                    *d = dtype::f32_to_bf16(v);
                }
            }
        }
        pos += cnt;
    }
    first_nan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mx::formats::ScaleRule;
    use crate::mx::quantize::{quantize_units, QuantSpec};

    #[test]
    fn roundtrip_and_nan_blocks() {
        let n = 40;
        let rows = 2;
        let mut x: Vec<f32> = (0..rows * n).map(|i| (i as f32 - 37.0) * 0.37).collect();
        x[45] = f32::NAN; // row 1, block 0
        for fmt in [Fmt::E2m1, Fmt::E2m3, Fmt::E3m2, Fmt::E4m3, Fmt::E5m2, Fmt::Int8] {
            for layout in [Layout::Pairs, Layout::Ggml] {
                let q = QuantSpec {
                    n,
                    fmt,
                    bs: 32,
                    scale_fmt: ScaleFmt::E8m0,
                    rule: ScaleRule::Floor,
                    rounding: Rounding::Rne,
                    saturate: true,
                    layout,
                    tensor_scale: 1.0,
                    key: [0, 0],
                    first_row: 0,
                };
                let units = rows * q.nblocks();
                let mut codes = vec![0u8; units * q.block_bytes()];
                let mut scales = vec![0u8; units];
                quantize_units(Level::Scalar, &x, &q, 0, &mut codes, &mut scales);
                let d = DequantSpec {
                    n,
                    fmt,
                    bs: 32,
                    scale_fmt: ScaleFmt::E8m0,
                    rounding: Rounding::Rne,
                    layout,
                    tensor_scale: 1.0,
                };
                let mut out = vec![0f32; rows * n];
                let nan = dequantize_units(Level::Scalar, &codes, &scales, &d, 0, units, OutBuf::F32(&mut out));
                assert_eq!(nan, Some(2));
                for (i, (&o, &v)) in out.iter().zip(&x).enumerate() {
                    if (40..72).contains(&i) {
                        assert_eq!(o.to_bits(), NAN_BITS);
                        continue;
                    }
                    // requantizing the dequantized value gives the same code (exact round trip)
                    let rel = (o - v).abs() / v.abs().max(1e-3);
                    assert!(rel < 0.5 || (o - v).abs() < 2.0, "{fmt:?} i={i} {v} -> {o}");
                }
                let mut o16 = vec![0u16; rows * n];
                dequantize_units(Level::Scalar, &codes, &scales, &d, 0, units, OutBuf::Bf16(&mut o16));
                for (a, b) in o16.iter().zip(&out) {
                    assert_eq!(*a, dtype::f32_to_bf16(*b));
                }
                dequantize_units(Level::Scalar, &codes, &scales, &d, 0, units, OutBuf::F16(&mut o16));
                for (a, b) in o16.iter().zip(&out) {
                    assert_eq!(*a, dtype::f32_to_f16(*b));
                }
                #[cfg(target_arch = "x86_64")]
                if crate::core::simd::detect() == Level::Avx2 {
                    let mut o2 = vec![0f32; rows * n];
                    dequantize_units(Level::Avx2, &codes, &scales, &d, 0, units, OutBuf::F32(&mut o2));
                    assert!(o2.iter().zip(&out).all(|(a, b)| a.to_bits() == b.to_bits()));
                }
            }
        }
    }

    #[test]
    fn e8m0_zero_byte_is_2_pow_minus_127_and_four_thirds() {
        let d = DequantSpec {
            n: 2,
            fmt: Fmt::E2m1,
            bs: 2,
            scale_fmt: ScaleFmt::E8m0,
            rounding: Rounding::Rne,
            layout: Layout::Pairs,
            tensor_scale: 1.0,
        };
        let mut out = [0f32; 2];
        dequantize_units(Level::Scalar, &[0x72], &[0], &d, 0, 1, OutBuf::F32(&mut out));
        assert_eq!(out, [1.0 * 2f32.powi(-127), 6.0 * 2f32.powi(-127)]);
        let d = DequantSpec { rounding: Rounding::Stochastic34, ..d };
        dequantize_units(Level::Scalar, &[0x72], &[127], &d, 0, 1, OutBuf::F32(&mut out));
        assert_eq!(out, [4.0f32 / 3.0, 6.0 * (4.0f32 / 3.0)]);
        let d = DequantSpec { scale_fmt: ScaleFmt::Ue4m3, tensor_scale: 0.5, rounding: Rounding::Rne, ..d };
        dequantize_units(Level::Scalar, &[0x72], &[0x40], &d, 0, 1, OutBuf::F32(&mut out));
        assert_eq!(out, [1.0, 6.0]);
    }
}
