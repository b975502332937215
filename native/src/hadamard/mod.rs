//! Hadamard transforms: argument validation, threading and the 16-bit wrappers around
//! [`fwht::fwht_rows`]. The JS-facing callbacks are in [`exports`] (not compiled into tests).

pub mod fwht;

use crate::core::error::{JsError, JsResult};
use crate::core::{dtype, simd, threads};
use fwht::Spec;

/// Largest accepted `log2m` (the contract's limit).
pub const MAX_LOG2M: u32 = 30;
/// Largest accepted `k`.
pub const MAX_K: usize = 1 << 16;

/// Everything a `fwht_rows` call takes besides the data.
#[derive(Clone, Copy, Debug)]
pub struct RowsArgs<'a> {
    pub rows: usize,
    pub k: usize,
    pub log2m: u32,
    pub hk: Option<&'a [f32]>,
    pub signs: Option<&'a [f32]>,
    pub signs_after: bool,
    pub scale: f32,
    /// 0 = all cores.
    pub threads: u32,
}

impl<'a> RowsArgs<'a> {
    /// Checks the shape against `x_len` and returns the row length `n` and the kernel spec.
    pub fn validate(&self, x_len: usize) -> JsResult<(usize, Spec<'a>)> {
        if self.k < 1 || self.k > MAX_K {
            return Err(JsError::range_error(format!("k must be in [1, {MAX_K}], got {}", self.k)));
        }
        if self.log2m > MAX_LOG2M {
            return Err(JsError::range_error(format!("log2m must be in [0, {MAX_LOG2M}], got {}", self.log2m)));
        }
        let n =
            self.k.checked_mul(1usize << self.log2m).ok_or_else(|| JsError::range_error("k << log2m is too large"))?;
        let total = self.rows.checked_mul(n).ok_or_else(|| JsError::range_error("rows * (k << log2m) is too large"))?;
        if x_len != total {
            return Err(JsError::range_error(format!(
                "x.length must be rows * (k << log2m) = {} * {} = {total}, got {x_len}",
                self.rows, n
            )));
        }
        let mut scale = self.scale;
        let hk = if self.k > 1 {
            match self.hk {
                Some(h) if h.len() == self.k * self.k => Some(h),
                Some(h) => {
                    return Err(JsError::range_error(format!(
                        "hk.length must be k * k = {}, got {}",
                        self.k * self.k,
                        h.len()
                    )))
                }
                None => return Err(JsError::type_error("hk must be a Float32Array of length k * k when k > 1")),
            }
        } else {
            match self.hk {
                None => None,
                // A 1x1 mixing matrix is a plain factor.
                Some(h) if h.len() == 1 => {
                    scale *= h[0];
                    None
                }
                Some(h) => {
                    return Err(JsError::range_error(format!(
                        "hk must be null (or of length 1) when k = 1, got length {}",
                        h.len()
                    )))
                }
            }
        };
        if let Some(s) = self.signs {
            if s.len() != n {
                return Err(JsError::range_error(format!("signs.length must be k << log2m = {n}, got {}", s.len())));
            }
        }
        Ok((n, Spec { k: self.k, log2m: self.log2m, hk, signs: self.signs, signs_after: self.signs_after, scale }))
    }
}

/// `hadamardFwhtRows` on f32 data, in place.
pub fn fwht_rows_f32(x: &mut [f32], args: &RowsArgs) -> JsResult<()> {
    let (n, spec) = args.validate(x.len())?;
    let level = simd::level();
    let t = threads::resolve(args.threads);
    threads::for_row_chunks(x, n, t, |_, chunk| {
        let mut scratch = Vec::new();
        fwht::fwht_rows(level, chunk, &spec, &mut scratch);
    });
    Ok(())
}

/// 16-bit storage formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dtype16 {
    F16,
    Bf16,
}

impl Dtype16 {
    pub fn from_code(code: u64) -> JsResult<Self> {
        match code {
            0 => Ok(Dtype16::F16),
            1 => Ok(Dtype16::Bf16),
            _ => Err(JsError::range_error(format!("dtype must be 0 (f16) or 1 (bf16), got {code}"))),
        }
    }
}

/// `hadamardFwhtRows16`: each row is widened to f32, transformed and rounded back (RNE).
pub fn fwht_rows_16(x: &mut [u16], dtype: Dtype16, args: &RowsArgs) -> JsResult<()> {
    let (n, spec) = args.validate(x.len())?;
    let level = simd::level();
    let t = threads::resolve(args.threads);
    threads::for_row_chunks(x, n, t, |_, chunk| {
        let mut buf = vec![0f32; n];
        let mut scratch = Vec::new();
        for row in chunk.chunks_exact_mut(n) {
            match dtype {
                Dtype16::F16 => dtype::f16_slice_to_f32(row, &mut buf),
                Dtype16::Bf16 => dtype::bf16_slice_to_f32(row, &mut buf),
            }
            fwht::transform_row(level, &mut buf, &spec, &mut scratch);
            match dtype {
                Dtype16::F16 => dtype::f32_slice_to_f16(&buf, row),
                Dtype16::Bf16 => dtype::f32_slice_to_bf16(&buf, row),
            }
        }
    });
    Ok(())
}

/// The JS-facing callbacks.
#[cfg(not(test))]
pub mod exports {
    use super::*;
    use crate::core::napi::{napi_value, CallContext, TypedArrayRaw, NAPI_FLOAT32_ARRAY, NAPI_UINT16_ARRAY};

    /// Reads arguments `first..first + 8` (`rows, k, log2m, hk, signs, signsAfter, scale, threads`)
    /// and calls `f` with them. `hk`/`signs` are copied first when they share memory with `x`.
    fn with_rows_args<R>(
        cx: &CallContext,
        first: usize,
        x: &TypedArrayRaw,
        f: impl FnOnce(&RowsArgs) -> JsResult<R>,
    ) -> JsResult<R> {
        let rows = cx.uint(first, "rows", u32::MAX as u64)? as usize;
        let k = cx.uint(first + 1, "k", MAX_K as u64)? as usize;
        let log2m = cx.uint(first + 2, "log2m", MAX_LOG2M as u64)? as u32;
        let hk = cx.opt_typed_array(first + 3, "hk", NAPI_FLOAT32_ARRAY)?;
        let signs = cx.opt_typed_array(first + 4, "signs", NAPI_FLOAT32_ARRAY)?;
        let signs_after = cx.boolean(first + 5, "signsAfter")?;
        let scale = cx.number(first + 6, "scale")? as f32;
        let threads =
            if cx.is_nullish(first + 7)? { 0 } else { cx.uint(first + 7, "threads", u32::MAX as u64)? as u32 };
        // Copies break any aliasing with x before x is borrowed mutably.
        let hk = hk.map(|h| unsafe { h.read_apart::<f32>(&[x]) });
        let signs = signs.map(|s| unsafe { s.read_apart::<f32>(&[x]) });
        f(&RowsArgs { rows, k, log2m, hk: hk.as_deref(), signs: signs.as_deref(), signs_after, scale, threads })
    }

    /// `hadamardFwhtRows(x, rows, k, log2m, hk, signs, signsAfter, scale, threads)`
    pub fn hadamard_fwht_rows(cx: &CallContext) -> JsResult<napi_value> {
        let x = cx.typed_array(0, "x", NAPI_FLOAT32_ARRAY)?;
        with_rows_args(cx, 1, &x, |args| {
            let xs = unsafe { x.as_mut_slice::<f32>() };
            fwht_rows_f32(xs, args)
        })?;
        cx.undefined()
    }

    /// `hadamardFwhtRows16(x, dtype, rows, k, log2m, hk, signs, signsAfter, scale, threads)`
    pub fn hadamard_fwht_rows16(cx: &CallContext) -> JsResult<napi_value> {
        let x = cx.typed_array(0, "x", NAPI_UINT16_ARRAY)?;
        let dtype = Dtype16::from_code(cx.uint(1, "dtype", u32::MAX as u64)?)?;
        with_rows_args(cx, 2, &x, |args| {
            let xs = unsafe { x.as_mut_slice::<u16>() };
            fwht_rows_16(xs, dtype, args)
        })?;
        cx.undefined()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args<'a>(rows: usize, k: usize, log2m: u32) -> RowsArgs<'a> {
        RowsArgs { rows, k, log2m, hk: None, signs: None, signs_after: false, scale: 1.0, threads: 1 }
    }

    #[test]
    fn validation_errors_name_the_argument() {
        let e = args(2, 1, 3).validate(15).unwrap_err();
        assert_eq!(e.code, "INVALID_ARGUMENT");
        assert!(e.message.contains("x.length"), "{}", e.message);
        let e = args(1, 0, 3).validate(0).unwrap_err();
        assert!(e.message.starts_with("k "), "{}", e.message);
        let e = args(1, 1, 31).validate(0).unwrap_err();
        assert!(e.message.starts_with("log2m"), "{}", e.message);
        let e = args(1, 3, 2).validate(12).unwrap_err();
        assert_eq!(e.code, "INVALID_TYPE");
        assert!(e.message.starts_with("hk"), "{}", e.message);
        let hk = [1.0f32; 8];
        let e = RowsArgs { hk: Some(&hk), ..args(1, 3, 2) }.validate(12).unwrap_err();
        assert!(e.message.starts_with("hk.length"), "{}", e.message);
        let signs = [1.0f32; 7];
        let e = RowsArgs { signs: Some(&signs), ..args(1, 1, 3) }.validate(8).unwrap_err();
        assert!(e.message.starts_with("signs.length"), "{}", e.message);
        assert!(args(usize::MAX, 2, 30).validate(0).is_err());
        assert!(args(3, 1, 0).validate(3).is_ok());
        assert!(args(0, 1, 4).validate(0).is_ok());
    }

    #[test]
    fn threads_give_identical_results() {
        let (k, log2m, rows) = (3usize, 10u32, 64usize);
        let n = k << log2m;
        let hk: Vec<f32> = (0..9).map(|i| if (i * 5) % 3 == 0 { -1.0 } else { 1.0 }).collect();
        let signs: Vec<f32> = (0..n).map(|i| if (i * 7919) % 5 < 2 { -1.0 } else { 1.0 }).collect();
        let x: Vec<f32> = (0..rows * n).map(|i| ((i * 2654435761usize) % 1000) as f32 / 997.0 - 0.5).collect();
        let mut outs = Vec::new();
        for threads in [1u32, 2, 3, 0] {
            let mut y = x.clone();
            let a = RowsArgs { hk: Some(&hk), signs: Some(&signs), scale: 0.0180422, threads, ..args(rows, k, log2m) };
            fwht_rows_f32(&mut y, &a).unwrap();
            outs.push(y);
        }
        for o in &outs[1..] {
            assert!(o.iter().zip(&outs[0]).all(|(a, b)| a.to_bits() == b.to_bits()));
        }
    }

    #[test]
    fn rows16_matches_f32_path_then_rounding() {
        let (k, log2m, rows) = (1usize, 9u32, 4usize);
        let n = k << log2m;
        let vals: Vec<f32> = (0..rows * n).map(|i| ((i * 37) % 101) as f32 / 50.0 - 1.0).collect();
        for dt in [Dtype16::F16, Dtype16::Bf16] {
            let mut x16: Vec<u16> = vals
                .iter()
                .map(|&v| match dt {
                    Dtype16::F16 => dtype::f32_to_f16(v),
                    Dtype16::Bf16 => dtype::f32_to_bf16(v),
                })
                .collect();
            let mut x32: Vec<f32> = x16
                .iter()
                .map(|&h| match dt {
                    Dtype16::F16 => dtype::f16_to_f32(h),
                    Dtype16::Bf16 => dtype::bf16_to_f32(h),
                })
                .collect();
            let a = RowsArgs { scale: 1.0 / (n as f32).sqrt(), threads: 2, ..args(rows, k, log2m) };
            fwht_rows_16(&mut x16, dt, &a).unwrap();
            fwht_rows_f32(&mut x32, &a).unwrap();
            for i in 0..x16.len() {
                let want = match dt {
                    Dtype16::F16 => dtype::f32_to_f16(x32[i]),
                    Dtype16::Bf16 => dtype::f32_to_bf16(x32[i]),
                };
                assert_eq!(x16[i], want, "{dt:?} i={i}");
            }
        }
    }
}
