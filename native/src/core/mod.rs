//! Shared pieces of the addon: Node-API glue, threads, dtype conversion, Philox.

#[cfg(not(test))]
pub mod napi;

pub mod dtype;
pub mod philox;
pub mod threads;
pub mod xxhash32;

/// Errors thrown into JS (kept free of Node-API so the validation code is unit-testable).
pub mod error {
    /// Which JS error constructor to throw.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum ErrorKind {
        Error,
        TypeError,
        RangeError,
    }

    /// An error to be thrown into JS: `new <kind>(message)` with `.code = code`.
    #[derive(Debug)]
    pub struct JsError {
        pub kind: ErrorKind,
        pub code: &'static str,
        pub message: String,
    }

    impl JsError {
        /// `TypeError`, code `INVALID_TYPE` (wrong JS type, e.g. not a Float32Array).
        pub fn type_error(message: impl Into<String>) -> Self {
            JsError { kind: ErrorKind::TypeError, code: "INVALID_TYPE", message: message.into() }
        }
        /// `RangeError`, code `INVALID_ARGUMENT` (right type, bad value or length).
        pub fn range_error(message: impl Into<String>) -> Self {
            JsError { kind: ErrorKind::RangeError, code: "INVALID_ARGUMENT", message: message.into() }
        }
        /// `Error`, code `INTERNAL` (a Node-API failure or a bug).
        pub fn internal(message: impl Into<String>) -> Self {
            JsError { kind: ErrorKind::Error, code: "INTERNAL", message: message.into() }
        }
    }

    pub type JsResult<T> = Result<T, JsError>;
}

/// Run-time choice of the SIMD code path.
pub mod simd {
    use std::sync::OnceLock;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Level {
        /// Portable Rust (auto-vectorized by the compiler for the baseline target).
        Scalar,
        /// Hand-written AVX2 (+FMA) kernels (x86_64, detected at run time).
        Avx2,
    }

    impl Level {
        pub fn name(self) -> &'static str {
            match self {
                Level::Scalar => "scalar",
                Level::Avx2 => "avx2",
            }
        }
    }

    /// What this CPU supports, ignoring any override.
    pub fn detect() -> Level {
        #[cfg(target_arch = "x86_64")]
        {
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                return Level::Avx2;
            }
        }
        Level::Scalar
    }

    /// The level in use: [`detect`], unless the environment variable `KOMPAKT_NATIVE_SIMD=scalar`
    /// forces the portable path (read once per process).
    pub fn level() -> Level {
        static LEVEL: OnceLock<Level> = OnceLock::new();
        *LEVEL.get_or_init(|| match std::env::var("KOMPAKT_NATIVE_SIMD") {
            Ok(v) if v.eq_ignore_ascii_case("scalar") => Level::Scalar,
            _ => detect(),
        })
    }
}

/// The JS-facing callbacks of the shared core (`info`, Philox, dtype conversion).
#[cfg(not(test))]
pub mod exports {
    use super::error::{JsError, JsResult};
    use super::napi::{
        napi_value, CallContext, TypedArrayRaw, NAPI_FLOAT32_ARRAY, NAPI_UINT16_ARRAY, NAPI_UINT32_ARRAY,
    };
    use super::{dtype, philox, simd, threads};

    /// `info() -> { version, simd, threads }`
    pub fn info(cx: &CallContext) -> JsResult<napi_value> {
        let o = cx.object()?;
        cx.set(o, "version", cx.string(env!("CARGO_PKG_VERSION"))?)?;
        cx.set(o, "simd", cx.string(simd::level().name())?)?;
        cx.set(o, "threads", cx.uint32(threads::available() as u32)?)?;
        Ok(o)
    }

    /// `philox4x32Fill(dst: Uint32Array, ctrLo, ctrHi, key0, key1)`
    pub fn philox4x32_fill(cx: &CallContext) -> JsResult<napi_value> {
        let dst = cx.typed_array(0, "dst", NAPI_UINT32_ARRAY)?;
        let ctr_lo = cx.word32(1, "ctrLo")?;
        let ctr_hi = cx.word32(2, "ctrHi")?;
        let key0 = cx.word32(3, "key0")?;
        let key1 = cx.word32(4, "key1")?;
        if dst.len % 4 != 0 {
            return Err(JsError::range_error(format!(
                "dst.length must be a multiple of 4 (one Philox block is 4 words), got {}",
                dst.len
            )));
        }
        philox::philox4x32_fill(unsafe { dst.as_mut_slice::<u32>() }, ctr_lo, ctr_hi, key0, key1);
        cx.undefined()
    }

    /// `rademacherFill(dst: Float32Array, key0, key1)`
    pub fn rademacher_fill(cx: &CallContext) -> JsResult<napi_value> {
        let dst = cx.typed_array(0, "dst", NAPI_FLOAT32_ARRAY)?;
        let key0 = cx.word32(1, "key0")?;
        let key1 = cx.word32(2, "key1")?;
        philox::rademacher_fill(unsafe { dst.as_mut_slice::<f32>() }, key0, key1);
        cx.undefined()
    }

    fn src_dst(cx: &CallContext, src_ty: i32, dst_ty: i32) -> JsResult<(TypedArrayRaw, TypedArrayRaw)> {
        let src = cx.typed_array(0, "src", src_ty)?;
        let dst = cx.typed_array(1, "dst", dst_ty)?;
        if src.len != dst.len {
            return Err(JsError::range_error(format!(
                "src.length ({}) and dst.length ({}) must be equal",
                src.len, dst.len
            )));
        }
        Ok((src, dst))
    }

    /// Runs `f(src, dst)`, copying `src` first when it shares memory with `dst`.
    fn convert<S: Copy, D>(src: TypedArrayRaw, dst: TypedArrayRaw, f: fn(&[S], &mut [D])) {
        let s = unsafe { src.read_apart::<S>(&[&dst]) };
        f(&s, unsafe { dst.as_mut_slice::<D>() });
    }

    /// `f16ToF32(src: Uint16Array, dst: Float32Array)`
    pub fn f16_to_f32(cx: &CallContext) -> JsResult<napi_value> {
        let (s, d) = src_dst(cx, NAPI_UINT16_ARRAY, NAPI_FLOAT32_ARRAY)?;
        convert::<u16, f32>(s, d, dtype::f16_slice_to_f32);
        cx.undefined()
    }

    /// `f32ToF16(src: Float32Array, dst: Uint16Array)`
    pub fn f32_to_f16(cx: &CallContext) -> JsResult<napi_value> {
        let (s, d) = src_dst(cx, NAPI_FLOAT32_ARRAY, NAPI_UINT16_ARRAY)?;
        convert::<f32, u16>(s, d, dtype::f32_slice_to_f16);
        cx.undefined()
    }

    /// `bf16ToF32(src: Uint16Array, dst: Float32Array)`
    pub fn bf16_to_f32(cx: &CallContext) -> JsResult<napi_value> {
        let (s, d) = src_dst(cx, NAPI_UINT16_ARRAY, NAPI_FLOAT32_ARRAY)?;
        convert::<u16, f32>(s, d, dtype::bf16_slice_to_f32);
        cx.undefined()
    }

    /// `f32ToBf16(src: Float32Array, dst: Uint16Array)`
    pub fn f32_to_bf16(cx: &CallContext) -> JsResult<napi_value> {
        let (s, d) = src_dst(cx, NAPI_FLOAT32_ARRAY, NAPI_UINT16_ARRAY)?;
        convert::<f32, u16>(s, d, dtype::f32_slice_to_bf16);
        cx.undefined()
    }
}
