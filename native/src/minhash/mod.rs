//! MinHash (docs/internals.md, "MinHash"): token hashes, classic permutations, one-permutation
//! hashing with optimal densification and the raw-text batch kernel, bit-exact with
//! `wasm/minhash/`. The batch kernels split documents (rows) across threads. The JS-facing callbacks
//! are in [`exports`] (not compiled into tests): typed arrays instead of pointer + length; argument
//! shapes that contradict each other return −1 like the wasm kernels (the TS layer validates first).

pub mod batch;
pub mod hash;
pub mod oph;
pub mod permute;
pub mod sha1;
pub mod text;

/// The JS-facing callbacks.
#[cfg(not(test))]
pub mod exports {
    use super::batch::{self, Plan, METHOD_CLASSIC, METHOD_CLASSIC32};
    use super::permute::{Family, Permutations, Permutations32};
    use super::{hash, oph, permute};
    use crate::core::error::JsResult;
    use crate::core::napi::{napi_value, CallContext, NAPI_UINT32_ARRAY, NAPI_UINT8_ARRAY};
    use crate::core::threads;

    fn seed(cx: &CallContext, i: usize) -> JsResult<u64> {
        Ok((cx.word32(i + 1, "seedHi")? as u64) << 32 | cx.word32(i, "seedLo")? as u64)
    }

    /// `minhashHashItems(bytes: Uint8Array, offsets: Uint32Array, kind, out: Uint32Array) → i32`
    pub fn hash_items(cx: &CallContext) -> JsResult<napi_value> {
        let bytes = cx.typed_array(0, "bytes", NAPI_UINT8_ARRAY)?;
        let offsets = cx.typed_array(1, "offsets", NAPI_UINT32_ARRAY)?;
        let kind = cx.uint(2, "kind", 255)? as i32;
        let out = cx.typed_array(3, "out", NAPI_UINT32_ARRAY)?;
        let b = unsafe { bytes.read_apart::<u8>(&[&out]) };
        let o = unsafe { offsets.read_apart::<u32>(&[&out]) };
        cx.int32(hash::hash_items(&b, &o, kind, unsafe { out.as_mut_slice::<u32>() }))
    }

    /// `minhashUpdate(hashes: Uint32Array, perm: Uint32Array, sig: Uint32Array) → i32`
    /// (perm: datasketch's family in the kernel layout for k = sig.length).
    pub fn minhash_update(cx: &CallContext) -> JsResult<napi_value> {
        update_with(cx, |p| Permutations::unpack(p).map(Family::Datasketch))
    }

    /// `minhashUpdate32(hashes: Uint32Array, perm: Uint32Array, sig: Uint32Array) → i32`
    /// (perm: the 32-bit family's layout for k = sig.length).
    pub fn minhash_update32(cx: &CallContext) -> JsResult<napi_value> {
        update_with(cx, |p| Permutations32::unpack(p).map(Family::Linear32))
    }

    fn update_with(cx: &CallContext, unpack: impl Fn(&[u32]) -> Option<Family>) -> JsResult<napi_value> {
        let hashes = cx.typed_array(0, "hashes", NAPI_UINT32_ARRAY)?;
        let perm = cx.typed_array(1, "perm", NAPI_UINT32_ARRAY)?;
        let sig = cx.typed_array(2, "sig", NAPI_UINT32_ARRAY)?;
        let family = match unpack(unsafe { perm.as_slice::<u32>() }) {
            Some(f) if f.len() == sig.len && sig.len > 0 => f,
            _ => return cx.int32(-1),
        };
        let h = unsafe { hashes.read_apart::<u32>(&[&sig]) };
        permute::update(&h, &family, unsafe { sig.as_mut_slice::<u32>() });
        cx.int32(0)
    }

    /// `minhashOphUpdate(hashes: Uint32Array, seedLo, seedHi, bins: Uint32Array) → i32`
    pub fn oph_update(cx: &CallContext) -> JsResult<napi_value> {
        let hashes = cx.typed_array(0, "hashes", NAPI_UINT32_ARRAY)?;
        let seed = seed(cx, 1)?;
        let bins = cx.typed_array(3, "bins", NAPI_UINT32_ARRAY)?;
        if bins.len == 0 {
            return cx.int32(-1);
        }
        let h = unsafe { hashes.read_apart::<u32>(&[&bins]) };
        oph::update(&h, seed, unsafe { bins.as_mut_slice::<u32>() });
        cx.int32(0)
    }

    /// `minhashOphDensify(bins: Uint32Array, k, seedLo, seedHi, out: Uint32Array, threads) → i32`
    pub fn oph_densify(cx: &CallContext) -> JsResult<napi_value> {
        let bins = cx.typed_array(0, "bins", NAPI_UINT32_ARRAY)?;
        let k = cx.uint(1, "k", u32::MAX as u64)? as usize;
        let seed = seed(cx, 2)?;
        let out = cx.typed_array(4, "out", NAPI_UINT32_ARRAY)?;
        let t = threads::resolve(cx.uint(5, "threads", u32::MAX as u64)? as u32);
        let b = unsafe { bins.read_apart::<u32>(&[&out]) };
        cx.int32(batch::densify_rows(&b, k, seed, unsafe { out.as_mut_slice::<u32>() }, t))
    }

    /// `minhashSketchTexts(text: Uint8Array, offsets: Uint32Array, gram, n, kind, method, k,
    /// perm: Uint32Array | null, seedLo, seedHi, out: Uint32Array, counts: Uint32Array, threads) → i32`
    pub fn sketch_texts(cx: &CallContext) -> JsResult<napi_value> {
        let text = cx.typed_array(0, "text", NAPI_UINT8_ARRAY)?;
        let offsets = cx.typed_array(1, "offsets", NAPI_UINT32_ARRAY)?;
        let gram = cx.uint(2, "gram", 255)? as i32;
        let n = cx.uint(3, "n", u32::MAX as u64)? as u32;
        let kind = cx.uint(4, "kind", 255)? as i32;
        let method = cx.uint(5, "method", 255)? as i32;
        let k = cx.uint(6, "k", u32::MAX as u64)? as usize;
        let perm = cx.opt_typed_array(7, "perm", NAPI_UINT32_ARRAY)?;
        let seed = seed(cx, 8)?;
        let out = cx.typed_array(10, "out", NAPI_UINT32_ARRAY)?;
        let counts = cx.typed_array(11, "counts", NAPI_UINT32_ARRAY)?;
        let t = threads::resolve(cx.uint(12, "threads", u32::MAX as u64)? as u32);
        if out.overlaps(&counts) {
            return cx.int32(-1);
        }
        let words = perm.as_ref().map(|p| unsafe { p.as_slice::<u32>() });
        let unpacked = match (method, words) {
            (METHOD_CLASSIC, Some(p)) => match Permutations::unpack(p) {
                Some(p) => Some(Family::Datasketch(p)),
                None => return cx.int32(-1),
            },
            (METHOD_CLASSIC32, Some(p)) => match Permutations32::unpack(p) {
                Some(p) => Some(Family::Linear32(p)),
                None => return cx.int32(-1),
            },
            _ => None,
        };
        let plan = Plan { gram, n, kind, method, k, perm: unpacked.as_ref(), seed };
        let tx = unsafe { text.read_apart::<u8>(&[&out, &counts]) };
        let offs = unsafe { offsets.read_apart::<u32>(&[&out, &counts]) };
        let rc = batch::sketch_texts(&tx, &offs, &plan, unsafe { out.as_mut_slice::<u32>() }, unsafe { counts.as_mut_slice::<u32>() }, t);
        cx.int32(rc)
    }
}
