//! MX / NVFP4 block formats (`docs/internals.md`, "MX"): validation, threading and the JS-facing
//! callbacks around the kernels in the sibling files (which mirror `wasm/mx/`).
//!
//! Threads split the work into contiguous ranges of units (quantize/dequantize: (row, block) in
//! row-major order; matvec: rows). Every unit is computed by exactly one thread with the same code
//! and random words are indexed by the global element index, so results never depend on threads.

pub mod dequantize;
pub mod element;
pub mod elements;
pub mod formats;
pub mod matvec;
pub mod pack;
pub mod quantize;
pub mod scale;

use crate::core::error::{JsError, JsResult};
use crate::core::{simd, threads};
use dequantize::{DequantSpec, OutBuf};
use formats::{Fmt, Layout, Rounding, ScaleFmt, ScaleRule};
use quantize::QuantSpec;

/// Largest accepted block size.
pub const MAX_BS: u64 = 1 << 20;

fn range_err<T>(msg: String) -> JsResult<T> {
    Err(JsError::range_error(msg))
}

/// Element format id for blocks (0..=5).
pub fn element_fmt(id: u64) -> JsResult<Fmt> {
    match Fmt::from_id(id) {
        Some(f) if f.is_element() => Ok(f),
        _ => range_err(format!("fmt must be an element format id in [0, 5] (e2m1, e2m3, e3m2, e4m3, e5m2, int8), got {id}")),
    }
}

/// Any format id (0..=7), for the element-wise kernels.
pub fn any_fmt(id: u64) -> JsResult<Fmt> {
    Fmt::from_id(id).map_or_else(|| range_err(format!("fmt must be a format id in [0, 7], got {id}")), Ok)
}

pub fn rounding(id: u64) -> JsResult<Rounding> {
    Ok(match id {
        0 => Rounding::Rne,
        1 => Rounding::Away,
        2 => Rounding::Stochastic,
        3 => Rounding::Stochastic34,
        4 => Rounding::Ggml,
        _ => return range_err(format!("rounding must be in [0, 4] (rne, away, stochastic, stochastic-3/4, ggml), got {id}")),
    })
}

pub fn scale_rule(id: u64) -> JsResult<ScaleRule> {
    Ok(match id {
        0 => ScaleRule::Floor,
        1 => ScaleRule::Ceil,
        2 => ScaleRule::Even,
        3 => ScaleRule::Rceil,
        4 => ScaleRule::Ggml,
        _ => return range_err(format!("scaleRule must be in [0, 4] (floor, ceil, even, rceil, ggml), got {id}")),
    })
}

pub fn layout(id: u64) -> JsResult<Layout> {
    match id {
        0 => Ok(Layout::Pairs),
        1 => Ok(Layout::Ggml),
        _ => range_err(format!("layout must be 0 (pairs) or 1 (ggml), got {id}")),
    }
}

/// Shape and format checks shared by quantize / dequantize / matvec. Returns
/// `(nblocks, block_bytes, scale_fmt, tensor_scale as f32)`.
pub fn check_block_args(
    rows: usize,
    n: usize,
    fmt: Fmt,
    bs: u64,
    scale_fmt: u64,
    tensor_scale: f64,
) -> JsResult<(usize, usize, ScaleFmt, f32)> {
    if !(1..=MAX_BS).contains(&bs) {
        return range_err(format!("bs must be in [1, {MAX_BS}], got {bs}"));
    }
    let bs = bs as usize;
    match fmt.bits() {
        4 if !bs.is_multiple_of(2) => return range_err(format!("bs must be even for FP4 (e2m1), got {bs}")),
        6 if !bs.is_multiple_of(4) => return range_err(format!("bs must be a multiple of 4 for FP6 (e2m3, e3m2), got {bs}")),
        _ => {}
    }
    let sf = match scale_fmt {
        0 => ScaleFmt::E8m0,
        1 => ScaleFmt::Ue4m3,
        _ => return range_err(format!("scaleFmt must be 0 (e8m0) or 1 (ue4m3), got {scale_fmt}")),
    };
    let ts = tensor_scale as f32;
    if sf == ScaleFmt::Ue4m3 {
        if fmt != Fmt::E2m1 {
            return range_err(format!("scaleFmt 1 (ue4m3, NVFP4) needs fmt 0 (e2m1), got fmt {}", fmt as u8));
        }
        if !(ts.is_finite() && ts > 0.0) {
            return range_err(format!("tensorScale must be a finite number > 0 with ue4m3 scales, got {tensor_scale}"));
        }
    }
    let nb = n.div_ceil(bs);
    let units = rows.checked_mul(nb).ok_or_else(|| JsError::range_error("rows * nblocks is too large"))?;
    rows.checked_mul(n).ok_or_else(|| JsError::range_error("rows * n is too large"))?;
    units
        .checked_mul(fmt.block_bytes(bs))
        .ok_or_else(|| JsError::range_error("codes length is too large"))?;
    Ok((nb, fmt.block_bytes(bs), sf, ts))
}

fn check_len(what: &str, got: usize, want: usize, formula: &str) -> JsResult<()> {
    if got != want {
        return range_err(format!("{what}.length must be {formula} = {want}, got {got}"));
    }
    Ok(())
}

/// Contiguous ranges `[a, b)` covering `0..units`: one range unless `threads > 1`, the call touches
/// at least `threads::PARALLEL_MIN_BYTES` and there are at least 2 units.
pub fn unit_ranges(units: usize, threads: usize, work_bytes: usize) -> Vec<(usize, usize)> {
    let t = threads.max(1).min(units.max(1));
    if t <= 1 || work_bytes < threads::PARALLEL_MIN_BYTES {
        return vec![(0, units)];
    }
    let per = units.div_ceil(t);
    (0..units.div_ceil(per)).map(|i| (i * per, ((i + 1) * per).min(units))).collect()
}

/// Splits `s` at the given ascending cut points (relative to `s`), returning the pieces.
fn split_at_points<'a, T>(mut s: &'a mut [T], cuts: &[usize]) -> Vec<&'a mut [T]> {
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut prev = 0;
    for &c in cuts {
        let (a, b) = s.split_at_mut(c - prev);
        out.push(a);
        s = b;
        prev = c;
    }
    out.push(s);
    out
}

/// Runs `f(range_index, range, piece)` for each range, the first on the calling thread.
fn run_parallel<P: Send, R: Send>(
    ranges: &[(usize, usize)],
    pieces: Vec<P>,
    f: impl Fn((usize, usize), P) -> R + Sync,
) -> Vec<R> {
    if ranges.len() == 1 {
        return pieces.into_iter().map(|p| f(ranges[0], p)).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let mut it = ranges.iter().copied().zip(pieces);
        let first = it.next();
        let handles: Vec<_> = it.map(|(r, p)| s.spawn(move || f(r, p))).collect();
        let mut out = Vec::with_capacity(ranges.len());
        if let Some((r, p)) = first {
            out.push(f(r, p));
        }
        for h in handles {
            out.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        out
    })
}

/// `mx_quantize` on validated slices (lengths checked here too).
pub fn quantize(x: &[f32], rows: usize, spec: &QuantSpec, codes: &mut [u8], scales: &mut [u8], threads: u32) -> JsResult<()> {
    let nb = spec.nblocks();
    let bb = spec.block_bytes();
    check_len("x", x.len(), rows * spec.n, "rows * n")?;
    check_len("codes", codes.len(), rows * nb * bb, "rows * ceil(n / bs) * blockBytes")?;
    check_len("scales", scales.len(), rows * nb, "rows * ceil(n / bs)")?;
    let units = rows * nb;
    if units == 0 {
        return Ok(());
    }
    let level = simd::level();
    let ranges = unit_ranges(units, threads::resolve(threads), x.len() * 4);
    let cuts: Vec<usize> = ranges[1..].iter().map(|r| r.0).collect();
    let cc: Vec<usize> = cuts.iter().map(|&u| u * bb).collect();
    let pieces: Vec<(&mut [u8], &mut [u8])> =
        split_at_points(codes, &cc).into_iter().zip(split_at_points(scales, &cuts)).collect();
    run_parallel(&ranges, pieces, |(u0, _), (c, s)| quantize::quantize_units(level, x, spec, u0, c, s));
    Ok(())
}

/// `mx_dequantize` on validated slices; returns the first NaN-scale block index or −1.
pub fn dequantize(codes: &[u8], scales: &[u8], rows: usize, spec: &DequantSpec, out: OutBuf, threads: u32) -> JsResult<i64> {
    let nb = spec.nblocks();
    let bb = spec.block_bytes();
    check_len("codes", codes.len(), rows * nb * bb, "rows * ceil(n / bs) * blockBytes")?;
    check_len("scales", scales.len(), rows * nb, "rows * ceil(n / bs)")?;
    check_len("out", out.len(), rows * spec.n, "rows * n")?;
    let units = rows * nb;
    if units == 0 {
        return Ok(-1);
    }
    let level = simd::level();
    let ranges = unit_ranges(units, threads::resolve(threads), rows * spec.n * 4);
    let cuts: Vec<usize> = ranges[1..].iter().map(|r| dequantize::unit_start(spec, r.0)).collect();
    let pieces: Vec<OutBuf> = match out {
        OutBuf::F32(o) => split_at_points(o, &cuts).into_iter().map(OutBuf::F32).collect(),
        OutBuf::F16(o) => split_at_points(o, &cuts).into_iter().map(OutBuf::F16).collect(),
        OutBuf::Bf16(o) => split_at_points(o, &cuts).into_iter().map(OutBuf::Bf16).collect(),
    };
    let res = run_parallel(&ranges, pieces, |(u0, u1), o| dequantize::dequantize_units(level, codes, scales, spec, u0, u1, o));
    Ok(res.into_iter().flatten().min().map_or(-1, |u| u as i64))
}

/// `mx_matvec` on validated slices.
pub fn matvec(codes: &[u8], scales: &[u8], rows: usize, spec: &DequantSpec, x: &[f32], y: &mut [f32], threads: u32) -> JsResult<()> {
    let nb = spec.nblocks();
    let bb = spec.block_bytes();
    check_len("codes", codes.len(), rows * nb * bb, "rows * ceil(n / bs) * blockBytes")?;
    check_len("scales", scales.len(), rows * nb, "rows * ceil(n / bs)")?;
    check_len("x", x.len(), spec.n, "n")?;
    check_len("y", y.len(), rows, "rows")?;
    if rows == 0 {
        return Ok(());
    }
    let mut xpad = x.to_vec();
    xpad.resize(nb * spec.bs + 16, 0.0);
    let level = simd::level();
    let ranges = unit_ranges(rows, threads::resolve(threads), codes.len());
    let cuts: Vec<usize> = ranges[1..].iter().map(|r| r.0).collect();
    let pieces = split_at_points(y, &cuts);
    let xp = &xpad;
    run_parallel(&ranges, pieces, |(r0, _), yc| matvec::matvec_rows(level, codes, scales, spec, xp, r0, yc));
    Ok(())
}

/// The JS-facing callbacks.
#[cfg(not(test))]
pub mod exports {
    use super::*;
    use crate::core::napi::{
        napi_value, CallContext, NAPI_FLOAT32_ARRAY, NAPI_UINT16_ARRAY, NAPI_UINT8_ARRAY,
    };

    const U32: u64 = u32::MAX as u64;
    /// Integers up to 2^53 (JS safe integers).
    const SAFE: u64 = (1u64 << 53) - 1;

    fn threads_arg(cx: &CallContext, i: usize) -> JsResult<u32> {
        if cx.is_nullish(i)? {
            Ok(0)
        } else {
            Ok(cx.uint(i, "threads", U32)? as u32)
        }
    }

    /// Arguments `i..i + 5` of every block call: rows, n, fmt, bs and scaleFmt (checked later by
    /// check_block_args together with tensorScale).
    fn block_geometry(cx: &CallContext, i: usize) -> JsResult<(usize, usize, Fmt, u64, u64)> {
        Ok((
            cx.uint(i, "rows", U32)? as usize,
            cx.uint(i + 1, "n", U32)? as usize,
            element_fmt(cx.uint(i + 2, "fmt", U32)?)?,
            cx.uint(i + 3, "bs", U32)?,
            cx.uint(i + 4, "scaleFmt", U32)?,
        ))
    }

    /// `mxAmax(x: Float32Array): number`
    pub fn mx_amax(cx: &CallContext) -> JsResult<napi_value> {
        let x = cx.typed_array(0, "x", NAPI_FLOAT32_ARRAY)?;
        cx.double(scale::amax_finite(simd::level(), unsafe { x.as_slice::<f32>() }) as f64)
    }

    /// `mxQuantize(x, rows, n, fmt, bs, scaleFmt, scaleRule, rounding, saturate, layout,
    /// tensorScale, key0, key1, firstRow, codes, scales, threads)`
    pub fn mx_quantize(cx: &CallContext) -> JsResult<napi_value> {
        let x = cx.typed_array(0, "x", NAPI_FLOAT32_ARRAY)?;
        let (rows, n, fmt, bs, scale_fmt) = block_geometry(cx, 1)?;
        let rule = scale_rule(cx.uint(6, "scaleRule", U32)?)?;
        let rounding = rounding(cx.uint(7, "rounding", U32)?)?;
        let saturate = cx.boolean(8, "saturate")?;
        let layout = layout(cx.uint(9, "layout", U32)?)?;
        let tensor_scale = cx.number(10, "tensorScale")?;
        let key0 = cx.word32(11, "key0")?;
        let key1 = cx.word32(12, "key1")?;
        let first_row = cx.uint(13, "firstRow", SAFE)?;
        let codes = cx.typed_array(14, "codes", NAPI_UINT8_ARRAY)?;
        let scales = cx.typed_array(15, "scales", NAPI_UINT8_ARRAY)?;
        let threads = threads_arg(cx, 16)?;
        let (_, _, scale_fmt, ts) = check_block_args(rows, n, fmt, bs, scale_fmt, tensor_scale)?;
        if codes.overlaps(&scales) {
            return range_err("codes and scales must not share memory".into());
        }
        let spec = QuantSpec {
            n,
            fmt,
            bs: bs as usize,
            scale_fmt,
            rule,
            rounding,
            saturate,
            layout,
            tensor_scale: ts,
            key: [key0, key1],
            first_row,
        };
        let xs = unsafe { x.read_apart::<f32>(&[&codes, &scales]) };
        quantize(&xs, rows, &spec, unsafe { codes.as_mut_slice::<u8>() }, unsafe { scales.as_mut_slice::<u8>() }, threads)?;
        cx.undefined()
    }

    /// `mxDequantize(codes, scales, rows, n, fmt, bs, scaleFmt, rounding, layout, tensorScale, out,
    /// outDtype, threads): number`
    pub fn mx_dequantize(cx: &CallContext) -> JsResult<napi_value> {
        let codes = cx.typed_array(0, "codes", NAPI_UINT8_ARRAY)?;
        let scales = cx.typed_array(1, "scales", NAPI_UINT8_ARRAY)?;
        let (rows, n, fmt, bs, scale_fmt) = block_geometry(cx, 2)?;
        let rounding = rounding(cx.uint(7, "rounding", U32)?)?;
        let layout = layout(cx.uint(8, "layout", U32)?)?;
        let tensor_scale = cx.number(9, "tensorScale")?;
        let (out, ty) = cx.typed_array_one_of(
            10,
            "out",
            &[NAPI_FLOAT32_ARRAY, NAPI_UINT16_ARRAY],
            "a Float32Array (outDtype 0) or a Uint16Array (outDtype 1, 2)",
        )?;
        let dt = cx.uint(11, "outDtype", U32)?;
        let threads = threads_arg(cx, 12)?;
        match (dt, ty) {
            (0, NAPI_FLOAT32_ARRAY) | (1, NAPI_UINT16_ARRAY) | (2, NAPI_UINT16_ARRAY) => {}
            (0..=2, _) => {
                return Err(JsError::type_error(format!(
                    "out must be a {} for outDtype {dt}",
                    if dt == 0 { "Float32Array" } else { "Uint16Array" }
                )))
            }
            _ => return range_err(format!("outDtype must be 0 (f32), 1 (f16) or 2 (bf16), got {dt}")),
        }
        let (_, _, scale_fmt, ts) = check_block_args(rows, n, fmt, bs, scale_fmt, tensor_scale)?;
        let spec = DequantSpec { n, fmt, bs: bs as usize, scale_fmt, rounding, layout, tensor_scale: ts };
        let cs = unsafe { codes.read_apart::<u8>(&[&out]) };
        let ss = unsafe { scales.read_apart::<u8>(&[&out]) };
        let ob = match dt {
            0 => OutBuf::F32(unsafe { out.as_mut_slice::<f32>() }),
            1 => OutBuf::F16(unsafe { out.as_mut_slice::<u16>() }),
            _ => OutBuf::Bf16(unsafe { out.as_mut_slice::<u16>() }),
        };
        let first = dequantize(&cs, &ss, rows, &spec, ob, threads)?;
        cx.double(first as f64)
    }

    /// `mxMatvec(codes, scales, rows, n, fmt, bs, scaleFmt, layout, tensorScale, x, y, threads)`
    pub fn mx_matvec(cx: &CallContext) -> JsResult<napi_value> {
        let codes = cx.typed_array(0, "codes", NAPI_UINT8_ARRAY)?;
        let scales = cx.typed_array(1, "scales", NAPI_UINT8_ARRAY)?;
        let (rows, n, fmt, bs, scale_fmt) = block_geometry(cx, 2)?;
        let layout = layout(cx.uint(7, "layout", U32)?)?;
        let tensor_scale = cx.number(8, "tensorScale")?;
        let x = cx.typed_array(9, "x", NAPI_FLOAT32_ARRAY)?;
        let y = cx.typed_array(10, "y", NAPI_FLOAT32_ARRAY)?;
        let threads = threads_arg(cx, 11)?;
        let (_, _, scale_fmt, ts) = check_block_args(rows, n, fmt, bs, scale_fmt, tensor_scale)?;
        let spec = DequantSpec { n, fmt, bs: bs as usize, scale_fmt, rounding: Rounding::Rne, layout, tensor_scale: ts };
        let cs = unsafe { codes.read_apart::<u8>(&[&y]) };
        let ss = unsafe { scales.read_apart::<u8>(&[&y]) };
        let xs = unsafe { x.read_apart::<f32>(&[&y]) };
        matvec(&cs, &ss, rows, &spec, &xs, unsafe { y.as_mut_slice::<f32>() }, threads)?;
        cx.undefined()
    }

    /// `mxEncodeElements(x: Float32Array, fmt, rounding, saturate, key0, key1, out: Uint8Array)`
    pub fn mx_encode_elements(cx: &CallContext) -> JsResult<napi_value> {
        let x = cx.typed_array(0, "x", NAPI_FLOAT32_ARRAY)?;
        let fmt = any_fmt(cx.uint(1, "fmt", U32)?)?;
        let rounding = rounding(cx.uint(2, "rounding", U32)?)?;
        let saturate = cx.boolean(3, "saturate")?;
        let key0 = cx.word32(4, "key0")?;
        let key1 = cx.word32(5, "key1")?;
        let out = cx.typed_array(6, "out", NAPI_UINT8_ARRAY)?;
        check_len("out", out.len, x.len, "x.length")?;
        let xs = unsafe { x.read_apart::<f32>(&[&out]) };
        elements::encode_elements(simd::level(), &xs, fmt, rounding, saturate, [key0, key1], unsafe {
            out.as_mut_slice::<u8>()
        });
        cx.undefined()
    }

    /// `mxDecodeElements(codes: Uint8Array, fmt, out: Float32Array)`
    pub fn mx_decode_elements(cx: &CallContext) -> JsResult<napi_value> {
        let codes = cx.typed_array(0, "codes", NAPI_UINT8_ARRAY)?;
        let fmt = any_fmt(cx.uint(1, "fmt", U32)?)?;
        let out = cx.typed_array(2, "out", NAPI_FLOAT32_ARRAY)?;
        check_len("out", out.len, codes.len, "codes.length")?;
        let cs = unsafe { codes.read_apart::<u8>(&[&out]) };
        elements::decode_elements(&cs, fmt, unsafe { out.as_mut_slice::<f32>() });
        cx.undefined()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors() {
        assert!(element_fmt(6).is_err());
        assert!(any_fmt(8).is_err());
        assert!(rounding(5).is_err());
        assert!(scale_rule(5).is_err());
        assert!(layout(2).is_err());
        let e = check_block_args(1, 32, Fmt::E2m1, 3, 0, 1.0).unwrap_err();
        assert!(e.message.starts_with("bs must be even"), "{}", e.message);
        assert!(check_block_args(1, 32, Fmt::E3m2, 6, 0, 1.0).is_err());
        assert!(check_block_args(1, 32, Fmt::E4m3, 0, 0, 1.0).is_err());
        assert!(check_block_args(1, 32, Fmt::E4m3, 16, 1, 1.0).is_err());
        assert!(check_block_args(1, 32, Fmt::E2m1, 16, 1, 0.0).is_err());
        assert!(check_block_args(1, 32, Fmt::E2m1, 16, 1, f64::NAN).is_err());
        assert!(check_block_args(1, 32, Fmt::E2m1, 16, 2, 1.0).is_err());
        assert_eq!(check_block_args(2, 33, Fmt::E3m2, 32, 0, 0.0).unwrap().0, 2);
        assert_eq!(check_block_args(2, 33, Fmt::E3m2, 32, 0, 0.0).unwrap().1, 24);
        let q = QuantSpec {
            n: 33,
            fmt: Fmt::E2m1,
            bs: 32,
            scale_fmt: ScaleFmt::E8m0,
            rule: ScaleRule::Floor,
            rounding: Rounding::Rne,
            saturate: true,
            layout: Layout::Pairs,
            tensor_scale: 1.0,
            key: [0, 0],
            first_row: 0,
        };
        let x = vec![0f32; 66];
        let e = quantize(&x, 2, &q, &mut [0u8; 63], &mut [0u8; 4], 1).unwrap_err();
        assert!(e.message.starts_with("codes.length"), "{}", e.message);
        let e = quantize(&x, 2, &q, &mut [0u8; 64], &mut [0u8; 3], 1).unwrap_err();
        assert!(e.message.starts_with("scales.length"), "{}", e.message);
        let e = quantize(&x[1..], 2, &q, &mut [0u8; 64], &mut [0u8; 4], 1).unwrap_err();
        assert!(e.message.starts_with("x.length"), "{}", e.message);
        assert!(quantize(&x, 2, &q, &mut [0u8; 64], &mut [0u8; 4], 1).is_ok());
    }

    #[test]
    fn threads_give_identical_results() {
        let (rows, n) = (37usize, 1000usize);
        let mut st = 5u64;
        let x: Vec<f32> = (0..rows * n)
            .map(|_| {
                st = st.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((st >> 40) as f32 / 16777216.0 - 0.5) * 10.0
            })
            .collect();
        for (fmt, rounding, sf, bs) in [
            (Fmt::E2m1, Rounding::Stochastic, ScaleFmt::E8m0, 32usize),
            (Fmt::E2m1, Rounding::Rne, ScaleFmt::Ue4m3, 16),
            (Fmt::E3m2, Rounding::Stochastic34, ScaleFmt::E8m0, 32),
        ] {
            let q = QuantSpec {
                n,
                fmt,
                bs,
                scale_fmt: sf,
                rule: ScaleRule::Floor,
                rounding,
                saturate: true,
                layout: Layout::Pairs,
                tensor_scale: 0.01,
                key: [3, 4],
                first_row: 7,
            };
            let nb = q.nblocks();
            let mut outs = Vec::new();
            for t in [1u32, 2, 3, 8] {
                let mut c = vec![0u8; rows * nb * q.block_bytes()];
                let mut s = vec![0u8; rows * nb];
                quantize(&x, rows, &q, &mut c, &mut s, t).unwrap();
                let d = DequantSpec { n, fmt, bs, scale_fmt: sf, rounding, layout: Layout::Pairs, tensor_scale: 0.01 };
                let mut o = vec![0f32; rows * n];
                assert_eq!(dequantize(&c, &s, rows, &d, OutBuf::F32(&mut o), t).unwrap(), -1);
                let mut y = vec![0f32; rows];
                matvec(&c, &s, rows, &d, &x[..n], &mut y, t).unwrap();
                outs.push((c, s, o.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), y.iter().map(|v| v.to_bits()).collect::<Vec<_>>()));
            }
            assert!(unit_ranges(rows * nb, 3, 1 << 20).len() == 3);
            for o in &outs[1..] {
                assert!(o == &outs[0], "{fmt:?} {rounding:?}");
            }
        }
    }
}
