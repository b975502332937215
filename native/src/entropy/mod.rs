//! Entropy coding (docs/internals.md, "Entropy"): the rANS coder, model quantizers and the tensor
//! codec's byte helpers, bit-exact with `wasm/entropy/`. The JS-facing callbacks are in [`exports`]
//! (not compiled into tests): typed arrays instead of pointer + length, scratch allocated here.
//! Stream and model errors are returned as the contract's negative codes; only wrong argument
//! types (and lengths that contradict each other) throw.

pub mod decode_simd;
pub mod exact;
pub mod model;
pub mod rans;
pub mod tensor;

/// `precision` as the kernels take it: an integer in [1, 24], or 0 (→ `ERR_MODEL`) for any other
/// number.
pub fn precision_code(d: f64) -> u32 {
    if d.fract() == 0.0 && (1.0..=24.0).contains(&d) {
        d as u32
    } else {
        0
    }
}

/// `kind` of the parametric models: 0, 1, 2, or −1 (→ `ERR_MODEL`) for any other number.
pub fn kind_code(d: f64) -> i32 {
    if d == 0.0 || d == 1.0 || d == 2.0 {
        d as i32
    } else {
        -1
    }
}

/// The JS-facing callbacks.
#[cfg(not(test))]
pub mod exports {
    use super::rans::{self, Sym};
    use super::tensor::{self, PlaneDtype};
    use super::{kind_code, model, precision_code};
    use crate::core::error::{JsError, JsResult};
    use crate::core::napi::{
        napi_value, CallContext, TypedArrayRaw, NAPI_UINT16_ARRAY, NAPI_UINT32_ARRAY, NAPI_UINT8_ARRAY,
    };
    use crate::core::xxhash32;

    const SYMS: &[i32] = &[NAPI_UINT8_ARRAY, NAPI_UINT16_ARRAY];
    const SYMS_WHAT: &str = "a Uint8Array or a Uint16Array";

    /// A read-only view of `a`, copied when it shares memory with `w` (which is written).
    fn input<T: Copy>(a: &TypedArrayRaw, w: &TypedArrayRaw) -> std::borrow::Cow<'static, [T]> {
        unsafe { a.read_apart::<T>(&[w]) }
    }

    fn encode_t<T: Sym>(syms: &TypedArrayRaw, freqs: &TypedArrayRaw, p: u32, out: &TypedArrayRaw) -> i32 {
        let s = input::<T>(syms, out);
        let f = input::<u32>(freqs, out);
        rans::encode::<T>(&s, &f, p, unsafe { out.as_mut_slice::<u8>() })
    }

    /// `ransEncode(syms: Uint8Array | Uint16Array, freqs: Uint32Array, precision, out: Uint8Array) → i32`
    pub fn rans_encode(cx: &CallContext) -> JsResult<napi_value> {
        let (syms, ty) = cx.typed_array_one_of(0, "syms", SYMS, SYMS_WHAT)?;
        let freqs = cx.typed_array(1, "freqs", NAPI_UINT32_ARRAY)?;
        let p = precision_code(cx.number(2, "precision")?);
        let out = cx.typed_array(3, "out", NAPI_UINT8_ARRAY)?;
        let r = if ty == NAPI_UINT8_ARRAY {
            encode_t::<u8>(&syms, &freqs, p, &out)
        } else {
            encode_t::<u16>(&syms, &freqs, p, &out)
        };
        cx.int32(r)
    }

    fn decode_t<T: Sym>(src: &TypedArrayRaw, freqs: &TypedArrayRaw, p: u32, out: &TypedArrayRaw) -> i32 {
        let s = input::<u8>(src, out);
        let f = input::<u32>(freqs, out);
        rans::decode::<T>(&s, &f, p, unsafe { out.as_mut_slice::<T>() })
    }

    /// `ransDecode(src: Uint8Array, freqs: Uint32Array, precision, out: Uint8Array | Uint16Array) → i32`
    pub fn rans_decode(cx: &CallContext) -> JsResult<napi_value> {
        let src = cx.typed_array(0, "src", NAPI_UINT8_ARRAY)?;
        let freqs = cx.typed_array(1, "freqs", NAPI_UINT32_ARRAY)?;
        let p = precision_code(cx.number(2, "precision")?);
        let (out, ty) = cx.typed_array_one_of(3, "out", SYMS, SYMS_WHAT)?;
        let r = if ty == NAPI_UINT8_ARRAY {
            decode_t::<u8>(&src, &freqs, p, &out)
        } else {
            decode_t::<u16>(&src, &freqs, p, &out)
        };
        cx.int32(r)
    }

    /// `modelQuantizeCounts(counts: Uint32Array, precision, freqs: Uint32Array) → i32`
    pub fn model_quantize_counts(cx: &CallContext) -> JsResult<napi_value> {
        let counts = cx.typed_array(0, "counts", NAPI_UINT32_ARRAY)?;
        let p = precision_code(cx.number(1, "precision")?);
        let freqs = cx.typed_array(2, "freqs", NAPI_UINT32_ARRAY)?;
        if freqs.len != counts.len {
            return Err(JsError::range_error(format!(
                "freqs.length ({}) must equal counts.length ({})",
                freqs.len, counts.len
            )));
        }
        let c = input::<u32>(&counts, &freqs);
        cx.int32(model::quantize_counts(&c, p, unsafe { freqs.as_mut_slice::<u32>() }))
    }

    /// `modelQuantizeParametric(kind, loc, scale, lo, precision, freqs: Uint32Array) → i32`
    pub fn model_quantize_parametric(cx: &CallContext) -> JsResult<napi_value> {
        let kind = kind_code(cx.number(0, "kind")?);
        let loc = cx.number(1, "loc")?;
        let scale = cx.number(2, "scale")?;
        let lo = cx.number(3, "lo")?;
        if !(lo.fract() == 0.0 && (-2147483648.0..2147483648.0).contains(&lo)) {
            return Err(JsError::range_error(format!("lo must be an int32, got {lo}")));
        }
        let p = precision_code(cx.number(4, "precision")?);
        let freqs = cx.typed_array(5, "freqs", NAPI_UINT32_ARRAY)?;
        let r = model::quantize_parametric(kind, loc, scale, lo as i32, p, unsafe { freqs.as_mut_slice::<u32>() });
        cx.int32(r)
    }

    /// `histU8(src: Uint8Array, counts: Uint32Array)`; `counts.length` must be 256.
    pub fn hist_u8(cx: &CallContext) -> JsResult<napi_value> {
        let src = cx.typed_array(0, "src", NAPI_UINT8_ARRAY)?;
        let counts = cx.typed_array(1, "counts", NAPI_UINT32_ARRAY)?;
        if counts.len != 256 {
            return Err(JsError::range_error(format!("counts.length must be 256, got {}", counts.len)));
        }
        let s = input::<u8>(&src, &counts);
        let c: &mut [u32; 256] = unsafe { counts.as_mut_slice::<u32>() }.try_into().expect("256 counts");
        tensor::hist(&s, c);
        cx.undefined()
    }

    /// `xorBytes(dst: Uint8Array, a: Uint8Array, b: Uint8Array)`: equal lengths; `dst` may be `a` or `b`.
    pub fn xor_bytes(cx: &CallContext) -> JsResult<napi_value> {
        let dst = cx.typed_array(0, "dst", NAPI_UINT8_ARRAY)?;
        let a = cx.typed_array(1, "a", NAPI_UINT8_ARRAY)?;
        let b = cx.typed_array(2, "b", NAPI_UINT8_ARRAY)?;
        if a.len != dst.len || b.len != dst.len {
            return Err(JsError::range_error(format!(
                "a.length ({}) and b.length ({}) must equal dst.length ({})",
                a.len, b.len, dst.len
            )));
        }
        let same = |x: &TypedArrayRaw| x.data == dst.data;
        if same(&a) && !b.overlaps(&dst) {
            tensor::xor_in_place(unsafe { dst.as_mut_slice::<u8>() }, unsafe { b.as_slice::<u8>() });
        } else if same(&b) && !a.overlaps(&dst) {
            tensor::xor_in_place(unsafe { dst.as_mut_slice::<u8>() }, unsafe { a.as_slice::<u8>() });
        } else {
            let (x, y) = (input::<u8>(&a, &dst), input::<u8>(&b, &dst));
            tensor::xor(unsafe { dst.as_mut_slice::<u8>() }, &x, &y);
        }
        cx.undefined()
    }

    /// Arguments of tensorSplit / tensorMerge: `(src, count, dtype, dst)`, or `(src, dtype, dst)`
    /// with the count taken from the lengths.
    fn planes_args(cx: &CallContext) -> JsResult<(TypedArrayRaw, usize, PlaneDtype, TypedArrayRaw)> {
        let src = cx.typed_array(0, "src", NAPI_UINT8_ARRAY)?;
        let dtype_of = |code: u64| {
            PlaneDtype::from_code(code).ok_or_else(|| {
                JsError::range_error(format!("dtype must be 0 (u8), 1 (f16), 2 (bf16) or 3 (f32), got {code}"))
            })
        };
        if cx.is_nullish(3)? {
            let dtype = dtype_of(cx.uint(1, "dtype", u32::MAX as u64)?)?;
            let dst = cx.typed_array(2, "dst", NAPI_UINT8_ARRAY)?;
            let w = dtype.bytes();
            if src.len % w != 0 || dst.len != src.len {
                return Err(JsError::range_error(format!(
                    "src.length ({}) must be a multiple of {w} and equal dst.length ({})",
                    src.len, dst.len
                )));
            }
            return Ok((src, src.len / w, dtype, dst));
        }
        let count = cx.uint(1, "count", (1u64 << 53) - 1)? as usize;
        let dtype = dtype_of(cx.uint(2, "dtype", u32::MAX as u64)?)?;
        let dst = cx.typed_array(3, "dst", NAPI_UINT8_ARRAY)?;
        let nb = count
            .checked_mul(dtype.bytes())
            .ok_or_else(|| JsError::range_error("count * bytes per element is too large"))?;
        if src.len < nb || dst.len < nb {
            return Err(JsError::range_error(format!(
                "src.length ({}) and dst.length ({}) must be at least count * {} = {nb}",
                src.len,
                dst.len,
                dtype.bytes()
            )));
        }
        Ok((src, count, dtype, dst))
    }

    /// `tensorSplit(src: Uint8Array, count, dtype, dst: Uint8Array)` (or `(src, dtype, dst)`)
    pub fn tensor_split(cx: &CallContext) -> JsResult<napi_value> {
        let (src, count, dtype, dst) = planes_args(cx)?;
        let s = input::<u8>(&src, &dst);
        tensor::split(&s, count, dtype, unsafe { dst.as_mut_slice::<u8>() });
        cx.undefined()
    }

    /// `tensorMerge(src: Uint8Array, count, dtype, dst: Uint8Array)` (or `(src, dtype, dst)`)
    pub fn tensor_merge(cx: &CallContext) -> JsResult<napi_value> {
        let (src, count, dtype, dst) = planes_args(cx)?;
        let s = input::<u8>(&src, &dst);
        tensor::merge(&s, count, dtype, unsafe { dst.as_mut_slice::<u8>() });
        cx.undefined()
    }

    /// `xxh32(src: Uint8Array, seed) → u32`
    pub fn xxh32(cx: &CallContext) -> JsResult<napi_value> {
        let src = cx.typed_array(0, "src", NAPI_UINT8_ARRAY)?;
        let seed = cx.word32(1, "seed")?;
        cx.uint32(xxhash32::xxh32(unsafe { src.as_slice::<u8>() }, seed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_codes() {
        assert_eq!(precision_code(12.0), 12);
        assert_eq!(precision_code(0.0), 0);
        assert_eq!(precision_code(24.0), 24);
        assert_eq!(precision_code(25.0), 0);
        assert_eq!(precision_code(3.5), 0);
        assert_eq!(precision_code(f64::NAN), 0);
        assert_eq!(kind_code(2.0), 2);
        assert_eq!(kind_code(-0.0), 0);
        assert_eq!(kind_code(1.5), -1);
        assert_eq!(kind_code(f64::NAN), -1);
    }
}
