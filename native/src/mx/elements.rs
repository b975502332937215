//! `mx_encode_elements` / `mx_decode_elements`: one code per byte (unpacked), element `i` uses the
//! random word of global index `g = i`.

use super::element::{encode, encode_slice_finite_dyn, EncParams};
use super::formats::{Fmt, Rounding};
use super::quantize::fill_words;
use crate::core::simd::Level;

/// Chunk of elements handled per batch (random words are generated per chunk).
const CHUNK: usize = 1024;

/// Encodes `x` into `out` (same length). NaN/±Inf and the scale formats take the scalar path.
pub fn encode_elements(level: Level, x: &[f32], fmt: Fmt, rounding: Rounding, saturate: bool, key: [u32; 2], out: &mut [u8]) {
    match level {
        #[cfg(target_arch = "x86_64")]
        Level::Avx2 => unsafe { encode_elements_avx2(x, fmt, rounding, saturate, key, out) },
        _ => encode_elements_impl(x, fmt, rounding, saturate, key, out),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn encode_elements_avx2(x: &[f32], fmt: Fmt, rounding: Rounding, saturate: bool, key: [u32; 2], out: &mut [u8]) {
    encode_elements_impl(x, fmt, rounding, saturate, key, out)
}

#[inline(always)]
fn encode_elements_impl(x: &[f32], fmt: Fmt, rounding: Rounding, saturate: bool, key: [u32; 2], out: &mut [u8]) {
    let stochastic = rounding.is_stochastic();
    let mut words = vec![0u32; if stochastic { CHUNK } else { 0 }];
    let batch = fmt.is_element();
    let p = if batch { Some(EncParams::new(fmt, rounding, saturate)) } else { None };
    let mut w = vec![0f32; CHUNK];
    for (ci, (xs, os)) in x.chunks(CHUNK).zip(out.chunks_mut(CHUNK)).enumerate() {
        let g0 = (ci * CHUNK) as u64;
        if stochastic {
            fill_words(g0, key, &mut words[..xs.len()]);
        }
        match p {
            Some(p) => {
                let ws = &mut w[..xs.len()];
                if rounding == Rounding::Stochastic34 {
                    for (d, &v) in ws.iter_mut().zip(xs) {
                        *d = v * 0.75;
                    }
                } else {
                    ws.copy_from_slice(xs);
                }
                encode_slice_finite_dyn(ws, &words, os, &p);
                for (i, &v) in xs.iter().enumerate() {
                    if !v.is_finite() {
                        os[i] = encode(v, fmt, rounding, saturate, 0);
                    }
                }
            }
            None => {
                for (i, (&v, o)) in xs.iter().zip(os.iter_mut()).enumerate() {
                    *o = encode(v, fmt, rounding, saturate, if stochastic { words[i] } else { 0 });
                }
            }
        }
    }
}

/// Decodes one code per byte (exact; NaN codes give a quiet NaN with the code's sign).
pub fn decode_elements(codes: &[u8], fmt: Fmt, out: &mut [f32]) {
    let t = fmt.table();
    for (o, &c) in out.iter_mut().zip(codes) {
        *o = t[c as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_equals_scalar_with_specials_and_words() {
        let mut st = 11u64;
        let x: Vec<f32> = (0..3000)
            .map(|i| {
                st = st.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                match i % 97 {
                    0 => f32::NAN,
                    1 => f32::NEG_INFINITY,
                    2 => f32::INFINITY,
                    3 => -f32::NAN,
                    _ => f32::from_bits((st >> 32) as u32 & 0x8FFF_FFFF | 0x3000_0000),
                }
            })
            .collect();
        for fmt in Fmt::ALL {
            for rounding in [Rounding::Rne, Rounding::Away, Rounding::Stochastic, Rounding::Stochastic34, Rounding::Ggml] {
                for sat in [false, true] {
                    let mut out = vec![0u8; x.len()];
                    encode_elements(Level::Scalar, &x, fmt, rounding, sat, [9, 10], &mut out);
                    let mut words = vec![0u32; x.len()];
                    fill_words(0, [9, 10], &mut words);
                    for i in 0..x.len() {
                        let want = encode(x[i], fmt, rounding, sat, words[i]);
                        assert_eq!(out[i], want, "{fmt:?} {rounding:?} {sat} i={i} v={}", x[i]);
                    }
                    #[cfg(target_arch = "x86_64")]
                    if crate::core::simd::detect() == Level::Avx2 {
                        let mut o2 = vec![0u8; x.len()];
                        encode_elements(Level::Avx2, &x, fmt, rounding, sat, [9, 10], &mut o2);
                        assert_eq!(o2, out);
                    }
                }
            }
        }
    }
}
