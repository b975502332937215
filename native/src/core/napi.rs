//! Hand-declared Node-API (no crates) and a few small safe helpers on top of it.
//!
//! Only the functions the addon uses are declared. Handles are opaque pointers; C enums are `i32`
//! with the values of `js_native_api_types.h`. Everything here is compiled out of `cargo test`
//! (see `lib.rs`), so the test binary never references an undefined `napi_*` symbol.

#![allow(non_camel_case_types)]

use std::ffi::CString;
use std::os::raw::{c_char, c_void};

#[repr(C)]
pub struct napi_env__ {
    _private: [u8; 0],
}
#[repr(C)]
pub struct napi_value__ {
    _private: [u8; 0],
}
#[repr(C)]
pub struct napi_callback_info__ {
    _private: [u8; 0],
}

pub type napi_env = *mut napi_env__;
pub type napi_value = *mut napi_value__;
pub type napi_callback_info = *mut napi_callback_info__;
pub type napi_status = i32;
pub type napi_callback = Option<unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value>;

// napi_status
pub const NAPI_OK: napi_status = 0;
pub const NAPI_NUMBER_EXPECTED: napi_status = 6;
pub const NAPI_BOOLEAN_EXPECTED: napi_status = 7;

// napi_valuetype
pub const NAPI_UNDEFINED: i32 = 0;
pub const NAPI_NULL: i32 = 1;

// napi_typedarray_type
pub const NAPI_UINT8_ARRAY: i32 = 1;
pub const NAPI_UINT16_ARRAY: i32 = 4;
pub const NAPI_UINT32_ARRAY: i32 = 6;
pub const NAPI_FLOAT32_ARRAY: i32 = 7;

extern "C" {
    fn napi_get_cb_info(
        env: napi_env,
        cbinfo: napi_callback_info,
        argc: *mut usize,
        argv: *mut napi_value,
        this_arg: *mut napi_value,
        data: *mut *mut c_void,
    ) -> napi_status;
    fn napi_typeof(env: napi_env, value: napi_value, result: *mut i32) -> napi_status;
    fn napi_is_typedarray(env: napi_env, value: napi_value, result: *mut bool) -> napi_status;
    fn napi_get_typedarray_info(
        env: napi_env,
        typedarray: napi_value,
        type_: *mut i32,
        length: *mut usize,
        data: *mut *mut c_void,
        arraybuffer: *mut napi_value,
        byte_offset: *mut usize,
    ) -> napi_status;
    fn napi_get_value_double(env: napi_env, value: napi_value, result: *mut f64) -> napi_status;
    fn napi_get_value_bool(env: napi_env, value: napi_value, result: *mut bool) -> napi_status;
    fn napi_throw_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
    fn napi_throw_type_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
    fn napi_throw_range_error(env: napi_env, code: *const c_char, msg: *const c_char) -> napi_status;
    fn napi_is_exception_pending(env: napi_env, result: *mut bool) -> napi_status;
    fn napi_get_undefined(env: napi_env, result: *mut napi_value) -> napi_status;
    fn napi_create_object(env: napi_env, result: *mut napi_value) -> napi_status;
    fn napi_create_string_utf8(env: napi_env, s: *const c_char, length: usize, result: *mut napi_value) -> napi_status;
    fn napi_create_uint32(env: napi_env, value: u32, result: *mut napi_value) -> napi_status;
    fn napi_create_int32(env: napi_env, value: i32, result: *mut napi_value) -> napi_status;
    fn napi_create_double(env: napi_env, value: f64, result: *mut napi_value) -> napi_status;
    fn napi_set_named_property(
        env: napi_env,
        object: napi_value,
        utf8name: *const c_char,
        value: napi_value,
    ) -> napi_status;
    fn napi_create_function(
        env: napi_env,
        utf8name: *const c_char,
        length: usize,
        cb: napi_callback,
        data: *mut c_void,
        result: *mut napi_value,
    ) -> napi_status;
}

pub use crate::core::error::{ErrorKind, JsError, JsResult};

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

/// Throws `err` unless an exception is already pending.
///
/// # Safety
/// `env` must be the live environment of the current callback.
pub unsafe fn throw(env: napi_env, err: &JsError) {
    let mut pending = false;
    if napi_is_exception_pending(env, &mut pending) == NAPI_OK && pending {
        return;
    }
    let code = cstring(err.code);
    let msg = cstring(&err.message);
    match err.kind {
        ErrorKind::Error => napi_throw_error(env, code.as_ptr(), msg.as_ptr()),
        ErrorKind::TypeError => napi_throw_type_error(env, code.as_ptr(), msg.as_ptr()),
        ErrorKind::RangeError => napi_throw_range_error(env, code.as_ptr(), msg.as_ptr()),
    };
}

fn check(status: napi_status, what: &str) -> JsResult<()> {
    if status == NAPI_OK {
        Ok(())
    } else {
        Err(JsError::internal(format!("Node-API call {what} failed with status {status}")))
    }
}

/// A typed array's memory as seen at the time of the call. The pointer is only valid during the
/// current callback and while no JS runs (the addon never calls back into JS).
#[derive(Clone, Copy, Debug)]
pub struct TypedArrayRaw {
    pub data: *mut u8,
    /// Number of elements.
    pub len: usize,
    /// Bytes per element.
    pub elem: usize,
}

impl TypedArrayRaw {
    /// Byte range `[start, end)` of the view (for overlap checks).
    pub fn byte_range(&self) -> (usize, usize) {
        let start = self.data as usize;
        (start, start + self.len * self.elem)
    }

    /// True when the two views share at least one byte.
    pub fn overlaps(&self, other: &TypedArrayRaw) -> bool {
        let (a0, a1) = self.byte_range();
        let (b0, b1) = other.byte_range();
        a0 < b1 && b0 < a1 && self.len > 0 && other.len > 0
    }

    /// # Safety
    /// `T` must match the element type that was checked when the view was obtained, and the view
    /// must not be accessed mutably elsewhere while the slice lives.
    pub unsafe fn as_slice<'a, T>(&self) -> &'a [T] {
        debug_assert_eq!(std::mem::size_of::<T>(), self.elem);
        if self.len == 0 || self.data.is_null() {
            return &[];
        }
        std::slice::from_raw_parts(self.data as *const T, self.len)
    }

    /// The view as an input that outputs `outs` are about to be written to: borrowed when they
    /// share no memory with it, else copied first, so writing an output cannot change what is read
    /// (callers may pass the same buffer, or subarrays of one, as input and output).
    ///
    /// # Safety
    /// As [`as_slice`](Self::as_slice).
    pub unsafe fn read_apart<'a, T: Copy>(&self, outs: &[&TypedArrayRaw]) -> std::borrow::Cow<'a, [T]> {
        let view = self.as_slice::<T>();
        if outs.iter().any(|o| self.overlaps(o)) {
            std::borrow::Cow::Owned(view.to_vec())
        } else {
            std::borrow::Cow::Borrowed(view)
        }
    }

    /// # Safety
    /// As [`as_slice`](Self::as_slice), and no other slice may alias the same bytes.
    pub unsafe fn as_mut_slice<'a, T>(&self) -> &'a mut [T] {
        debug_assert_eq!(std::mem::size_of::<T>(), self.elem);
        if self.len == 0 || self.data.is_null() {
            return &mut [];
        }
        std::slice::from_raw_parts_mut(self.data as *mut T, self.len)
    }
}

const MAX_ARGS: usize = 20;

/// The arguments of one callback.
pub struct CallContext {
    pub env: napi_env,
    argc: usize,
    argv: [napi_value; MAX_ARGS],
}

fn typed_array_name(t: i32) -> &'static str {
    match t {
        NAPI_UINT8_ARRAY => "Uint8Array",
        NAPI_UINT16_ARRAY => "Uint16Array",
        NAPI_UINT32_ARRAY => "Uint32Array",
        NAPI_FLOAT32_ARRAY => "Float32Array",
        _ => "TypedArray",
    }
}

fn elem_size(t: i32) -> usize {
    match t {
        0..=2 => 1,
        3 | 4 => 2,
        5..=7 => 4,
        _ => 8,
    }
}

impl CallContext {
    /// # Safety
    /// `env` and `info` must come from the current callback.
    pub unsafe fn new(env: napi_env, info: napi_callback_info) -> JsResult<Self> {
        let mut argc = MAX_ARGS;
        let mut argv = [std::ptr::null_mut(); MAX_ARGS];
        check(
            napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), std::ptr::null_mut(), std::ptr::null_mut()),
            "napi_get_cb_info",
        )?;
        Ok(CallContext { env, argc: argc.min(MAX_ARGS), argv })
    }

    fn arg(&self, i: usize) -> Option<napi_value> {
        if i < self.argc {
            Some(self.argv[i])
        } else {
            None
        }
    }

    fn type_of(&self, v: napi_value) -> JsResult<i32> {
        let mut t = 0;
        check(unsafe { napi_typeof(self.env, v, &mut t) }, "napi_typeof")?;
        Ok(t)
    }

    /// True when argument `i` is missing, `undefined` or `null`.
    pub fn is_nullish(&self, i: usize) -> JsResult<bool> {
        match self.arg(i) {
            None => Ok(true),
            Some(v) => {
                let t = self.type_of(v)?;
                Ok(t == NAPI_UNDEFINED || t == NAPI_NULL)
            }
        }
    }

    /// Argument `i` as a typed array of exactly type `ty` (a `NAPI_*_ARRAY` constant).
    pub fn typed_array(&self, i: usize, name: &str, ty: i32) -> JsResult<TypedArrayRaw> {
        let want = typed_array_name(ty);
        let err = || JsError::type_error(format!("{name} must be a {want}"));
        let v = self.arg(i).ok_or_else(err)?;
        let mut t = -1;
        let mut len = 0usize;
        let mut data: *mut c_void = std::ptr::null_mut();
        let mut ab: napi_value = std::ptr::null_mut();
        let mut off = 0usize;
        // Fails with napi_invalid_arg when `v` is not a typed array.
        let status = unsafe { napi_get_typedarray_info(self.env, v, &mut t, &mut len, &mut data, &mut ab, &mut off) };
        if status != NAPI_OK {
            let mut is_ta = false;
            check(unsafe { napi_is_typedarray(self.env, v, &mut is_ta) }, "napi_is_typedarray")?;
            if !is_ta {
                return Err(err());
            }
            check(status, "napi_get_typedarray_info")?;
        }
        if t != ty {
            return Err(JsError::type_error(format!(
                "{name} must be a {want}, got a {}",
                match t {
                    0 => "Int8Array",
                    1 => "Uint8Array",
                    2 => "Uint8ClampedArray",
                    3 => "Int16Array",
                    4 => "Uint16Array",
                    5 => "Int32Array",
                    6 => "Uint32Array",
                    7 => "Float32Array",
                    8 => "Float64Array",
                    9 => "BigInt64Array",
                    10 => "BigUint64Array",
                    _ => "TypedArray",
                }
            )));
        }
        let elem = elem_size(t);
        if len > 0 && data.is_null() {
            return Err(JsError::type_error(format!("{name} has no backing memory (detached buffer?)")));
        }
        if len > 0 && !(data as usize).is_multiple_of(elem) {
            return Err(JsError::range_error(format!("{name} is not aligned to {elem} bytes")));
        }
        Ok(TypedArrayRaw { data: data as *mut u8, len, elem })
    }

    /// Argument `i` as a typed array of one of the types `tys`; returns the view and its type.
    /// The error names `what` (e.g. "a Float32Array or a Uint16Array").
    pub fn typed_array_one_of(&self, i: usize, name: &str, tys: &[i32], what: &str) -> JsResult<(TypedArrayRaw, i32)> {
        let v = self.arg(i).ok_or_else(|| JsError::type_error(format!("{name} must be {what}")))?;
        let mut t = -1;
        let mut len = 0usize;
        let mut data: *mut c_void = std::ptr::null_mut();
        let mut ab: napi_value = std::ptr::null_mut();
        let mut off = 0usize;
        let status = unsafe { napi_get_typedarray_info(self.env, v, &mut t, &mut len, &mut data, &mut ab, &mut off) };
        if status != NAPI_OK || !tys.contains(&t) {
            return Err(JsError::type_error(format!("{name} must be {what}")));
        }
        self.typed_array(i, name, t).map(|a| (a, t))
    }

    /// Argument `i` as a typed array of type `ty`, or `None` when it is `null`/`undefined`/missing.
    pub fn opt_typed_array(&self, i: usize, name: &str, ty: i32) -> JsResult<Option<TypedArrayRaw>> {
        if self.is_nullish(i)? {
            return Ok(None);
        }
        self.typed_array(i, name, ty).map(Some).map_err(|e| {
            if e.kind == ErrorKind::TypeError && e.message.starts_with(&format!("{name} must be")) {
                JsError::type_error(format!("{name} must be a {} or null", typed_array_name(ty)))
            } else {
                e
            }
        })
    }

    /// Argument `i` as a JS number.
    pub fn number(&self, i: usize, name: &str) -> JsResult<f64> {
        let err = || JsError::type_error(format!("{name} must be a number"));
        let v = self.arg(i).ok_or_else(err)?;
        let mut d = 0.0;
        match unsafe { napi_get_value_double(self.env, v, &mut d) } {
            NAPI_OK => Ok(d),
            NAPI_NUMBER_EXPECTED => Err(err()),
            status => check(status, "napi_get_value_double").map(|_| d),
        }
    }

    /// Argument `i` as an integer in `[0, max]`.
    pub fn uint(&self, i: usize, name: &str, max: u64) -> JsResult<u64> {
        let d = self.number(i, name)?;
        if !(d.is_finite() && d.fract() == 0.0 && d >= 0.0 && d <= max as f64) {
            return Err(JsError::range_error(format!("{name} must be an integer in [0, {max}], got {d}")));
        }
        Ok(d as u64)
    }

    /// Argument `i` as a 32-bit word: an integer in `[-2^31, 2^32)`, reinterpreted modulo 2^32
    /// (so both `x >>> 0` and `x | 0` forms are accepted).
    pub fn word32(&self, i: usize, name: &str) -> JsResult<u32> {
        let d = self.number(i, name)?;
        if !(d.fract() == 0.0 && (-2147483648.0..4294967296.0).contains(&d)) {
            return Err(JsError::range_error(format!("{name} must be a 32-bit integer (uint32 or int32), got {d}")));
        }
        Ok((d as i64) as u32)
    }

    /// Argument `i` as a boolean (`true`/`false`, or the numbers 0 and 1).
    pub fn boolean(&self, i: usize, name: &str) -> JsResult<bool> {
        let err = || JsError::type_error(format!("{name} must be a boolean"));
        let v = self.arg(i).ok_or_else(err)?;
        let mut b = false;
        match unsafe { napi_get_value_bool(self.env, v, &mut b) } {
            NAPI_OK => Ok(b),
            NAPI_BOOLEAN_EXPECTED => {
                let mut d = 0.0;
                if unsafe { napi_get_value_double(self.env, v, &mut d) } != NAPI_OK {
                    return Err(err());
                }
                if d == 0.0 || d == 1.0 {
                    Ok(d == 1.0)
                } else {
                    Err(JsError::range_error(format!("{name} must be a boolean (or 0/1), got {d}")))
                }
            }
            status => check(status, "napi_get_value_bool").map(|_| b),
        }
    }

    pub fn undefined(&self) -> JsResult<napi_value> {
        let mut v = std::ptr::null_mut();
        check(unsafe { napi_get_undefined(self.env, &mut v) }, "napi_get_undefined")?;
        Ok(v)
    }

    pub fn object(&self) -> JsResult<napi_value> {
        unsafe { new_object(self.env) }
    }

    pub fn string(&self, s: &str) -> JsResult<napi_value> {
        let mut v = std::ptr::null_mut();
        check(
            unsafe { napi_create_string_utf8(self.env, s.as_ptr() as *const c_char, s.len(), &mut v) },
            "napi_create_string_utf8",
        )?;
        Ok(v)
    }

    pub fn int32(&self, n: i32) -> JsResult<napi_value> {
        let mut v = std::ptr::null_mut();
        check(unsafe { napi_create_int32(self.env, n, &mut v) }, "napi_create_int32")?;
        Ok(v)
    }

    pub fn double(&self, d: f64) -> JsResult<napi_value> {
        let mut v = std::ptr::null_mut();
        check(unsafe { napi_create_double(self.env, d, &mut v) }, "napi_create_double")?;
        Ok(v)
    }

    pub fn uint32(&self, n: u32) -> JsResult<napi_value> {
        let mut v = std::ptr::null_mut();
        check(unsafe { napi_create_uint32(self.env, n, &mut v) }, "napi_create_uint32")?;
        Ok(v)
    }

    /// `obj[key] = value`; both handles must come from this callback (they are opaque handles,
    /// never dereferenced on the Rust side).
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn set(&self, obj: napi_value, key: &str, value: napi_value) -> JsResult<()> {
        unsafe { set_named(self.env, obj, key, value) }
    }
}

/// # Safety
/// `env` must be the live environment of the current callback.
pub unsafe fn new_object(env: napi_env) -> JsResult<napi_value> {
    let mut v = std::ptr::null_mut();
    check(unsafe { napi_create_object(env, &mut v) }, "napi_create_object")?;
    Ok(v)
}

/// # Safety
/// `env` must be the live environment of the current callback; `obj` and `value` its handles.
pub unsafe fn set_named(env: napi_env, obj: napi_value, key: &str, value: napi_value) -> JsResult<()> {
    let k = cstring(key);
    check(unsafe { napi_set_named_property(env, obj, k.as_ptr(), value) }, "napi_set_named_property")
}

/// Creates a JS function named `name` backed by `cb` and stores it as `exports[name]`.
///
/// # Safety
/// `env` must be the live environment of the module initialisation; `exports` its handle.
pub unsafe fn export_function(
    env: napi_env,
    exports: napi_value,
    name: &str,
    cb: unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value,
) -> JsResult<()> {
    let mut f = std::ptr::null_mut();
    check(
        unsafe {
            napi_create_function(
                env,
                name.as_ptr() as *const c_char,
                name.len(),
                Some(cb),
                std::ptr::null_mut(),
                &mut f,
            )
        },
        "napi_create_function",
    )?;
    set_named(env, exports, name, f)
}

/// Runs a callback body: converts `Err` and panics into a thrown JS error, returns `undefined`'s
/// null handle (which Node treats as `undefined`) in that case.
///
/// # Safety
/// `env` and `info` must be the arguments of the current Node-API callback.
pub unsafe fn run_callback(
    env: napi_env,
    info: napi_callback_info,
    body: fn(&CallContext) -> JsResult<napi_value>,
) -> napi_value {
    let result = std::panic::catch_unwind(|| {
        let cx = CallContext::new(env, info)?;
        body(&cx)
    });
    match result {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            throw(env, &e);
            std::ptr::null_mut()
        }
        Err(panic) => {
            let msg = if let Some(s) = panic.downcast_ref::<&str>() {
                (*s).to_string()
            } else if let Some(s) = panic.downcast_ref::<String>() {
                s.clone()
            } else {
                "unknown panic".to_string()
            };
            throw(env, &JsError::internal(format!("kompakt native addon panicked: {msg}")));
            std::ptr::null_mut()
        }
    }
}
