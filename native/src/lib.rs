//! Kompakt native addon (`@kompakt/native`): a `cdylib` Node-API module with hand-declared
//! Node-API bindings and no crate dependencies. See `docs/internals.md`.
//!
//! This file only registers the exports; the kernels live in `core/`, `hadamard/` and `mx/`. The
//! registration and every Node-API use are compiled out of `cargo test` builds, so the unit-test
//! binary links without Node.

pub mod core;
pub mod entropy;
pub mod hadamard;
pub mod lattice;
pub mod minhash;
pub mod mx;

#[cfg(not(test))]
mod register {
    use crate::core::napi::{export_function, napi_callback_info, napi_env, napi_value, run_callback, throw};

    macro_rules! callbacks {
        ($($js:literal => $cb:ident = $body:path;)*) => {
            $(
                unsafe extern "C" fn $cb(env: napi_env, info: napi_callback_info) -> napi_value {
                    run_callback(env, info, $body)
                }
            )*
            const EXPORTS: &[(&str, unsafe extern "C" fn(napi_env, napi_callback_info) -> napi_value)] =
                &[$(($js, $cb)),*];
        };
    }

    callbacks! {
        "info" => cb_info = crate::core::exports::info;
        "hadamardFwhtRows" => cb_fwht_rows = crate::hadamard::exports::hadamard_fwht_rows;
        "hadamardFwhtRows16" => cb_fwht_rows16 = crate::hadamard::exports::hadamard_fwht_rows16;
        "philox4x32Fill" => cb_philox = crate::core::exports::philox4x32_fill;
        "rademacherFill" => cb_rademacher = crate::core::exports::rademacher_fill;
        "f16ToF32" => cb_f16_to_f32 = crate::core::exports::f16_to_f32;
        "f32ToF16" => cb_f32_to_f16 = crate::core::exports::f32_to_f16;
        "bf16ToF32" => cb_bf16_to_f32 = crate::core::exports::bf16_to_f32;
        "f32ToBf16" => cb_f32_to_bf16 = crate::core::exports::f32_to_bf16;
        "mxAmax" => cb_mx_amax = crate::mx::exports::mx_amax;
        "mxQuantize" => cb_mx_quantize = crate::mx::exports::mx_quantize;
        "mxDequantize" => cb_mx_dequantize = crate::mx::exports::mx_dequantize;
        "mxMatvec" => cb_mx_matvec = crate::mx::exports::mx_matvec;
        "mxEncodeElements" => cb_mx_encode_elements = crate::mx::exports::mx_encode_elements;
        "mxDecodeElements" => cb_mx_decode_elements = crate::mx::exports::mx_decode_elements;
        "ransEncode" => cb_rans_encode = crate::entropy::exports::rans_encode;
        "ransDecode" => cb_rans_decode = crate::entropy::exports::rans_decode;
        "modelQuantizeCounts" => cb_model_quantize_counts = crate::entropy::exports::model_quantize_counts;
        "modelQuantizeParametric" => cb_model_quantize_parametric = crate::entropy::exports::model_quantize_parametric;
        "histU8" => cb_hist_u8 = crate::entropy::exports::hist_u8;
        "xorBytes" => cb_xor_bytes = crate::entropy::exports::xor_bytes;
        "tensorSplit" => cb_tensor_split = crate::entropy::exports::tensor_split;
        "tensorMerge" => cb_tensor_merge = crate::entropy::exports::tensor_merge;
        "xxh32" => cb_xxh32 = crate::entropy::exports::xxh32;
        "latticeNearestZn" => cb_lattice_nearest_zn = crate::lattice::exports::lattice_nearest_zn;
        "latticeNearestDn" => cb_lattice_nearest_dn = crate::lattice::exports::lattice_nearest_dn;
        "latticeNearestDnPlus" => cb_lattice_nearest_dnplus = crate::lattice::exports::lattice_nearest_dnplus;
        "latticeNearestE8" => cb_lattice_nearest_e8 = crate::lattice::exports::lattice_nearest_e8;
        "latticeNearestLeech" => cb_lattice_nearest_leech = crate::lattice::exports::lattice_nearest_leech;
        "latticeE8pEncode" => cb_lattice_e8p_encode = crate::lattice::exports::lattice_e8p_encode;
        "latticeE8pDecode" => cb_lattice_e8p_decode = crate::lattice::exports::lattice_e8p_decode;
        "latticeE81bEncode" => cb_lattice_e81b_encode = crate::lattice::exports::lattice_e81b_encode;
        "latticeE81bDecode" => cb_lattice_e81b_decode = crate::lattice::exports::lattice_e81b_decode;
        "latticeLeechSqEncode" => cb_lattice_leech_sq_encode = crate::lattice::exports::lattice_leech_sq_encode;
        "latticeLeechSqDecode" => cb_lattice_leech_sq_decode = crate::lattice::exports::lattice_leech_sq_decode;
        "minhashHashItems" => cb_minhash_hash_items = crate::minhash::exports::hash_items;
        "minhashUpdate" => cb_minhash_update = crate::minhash::exports::minhash_update;
        "minhashUpdate32" => cb_minhash_update32 = crate::minhash::exports::minhash_update32;
        "minhashOphUpdate" => cb_minhash_oph_update = crate::minhash::exports::oph_update;
        "minhashOphDensify" => cb_minhash_oph_densify = crate::minhash::exports::oph_densify;
        "minhashSketchTexts" => cb_minhash_sketch_texts = crate::minhash::exports::sketch_texts;
    }

    /// Module entry point looked up by Node (`NAPI_MODULE_INIT` equivalent).
    ///
    /// # Safety
    /// Called by Node with a live environment and the module's `exports` object.
    #[no_mangle]
    pub unsafe extern "C" fn napi_register_module_v1(env: napi_env, exports: napi_value) -> napi_value {
        for (name, cb) in EXPORTS {
            if let Err(e) = export_function(env, exports, name, *cb) {
                throw(env, &e);
                return std::ptr::null_mut();
            }
        }
        exports
    }
}
