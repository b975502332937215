//! Lattice kernels (`docs/internals.md`, "Lattice"): the Rust twin of `wasm/lattice/`, bit for bit.
//! Validation, threading and the JS-facing callbacks live here; the kernels are in the sibling files,
//! which mirror the wasm file names.
//!
//! Threads split a batch into contiguous ranges of whole vectors; every vector is computed by the
//! same code whichever thread runs it, so results never depend on `threads`.

pub mod dn;
pub mod e8;
pub mod e81b;
pub mod e8p;
pub mod golay;
pub mod leech;
pub mod leech_sq;

use crate::core::error::{JsError, JsResult};
use crate::core::{simd, threads};
use std::sync::atomic::{AtomicUsize, Ordering};

fn range_err<T>(msg: String) -> JsResult<T> {
    Err(JsError::range_error(msg))
}

/// Runs `f(first_item, out_chunk)` over contiguous chunks of whole items (`out_per` outputs each).
/// Parallel only with more than one thread and at least `min_items` items (small calls stay on the
/// calling thread: spawning costs ~10-20 µs per thread).
fn par_items<O: Send>(
    out: &mut [O],
    out_per: usize,
    threads: u32,
    min_items: usize,
    f: impl Fn(usize, &mut [O]) + Sync,
) {
    let items = if out_per == 0 { 0 } else { out.len() / out_per };
    if items == 0 {
        return;
    }
    let t = threads::resolve(threads).min(items);
    if t <= 1 || items < min_items.max(2) {
        f(0, out);
        return;
    }
    let per = items.div_ceil(t);
    let f = &f;
    std::thread::scope(|s| {
        let mut chunks = out.chunks_mut(per * out_per).enumerate();
        let first = chunks.next();
        for (i, chunk) in chunks {
            s.spawn(move || f(i * per, chunk));
        }
        if let Some((_, chunk)) = first {
            f(0, chunk);
        }
    });
}

fn check_points(x_len: usize, dim: usize) -> JsResult<usize> {
    if !x_len.is_multiple_of(dim) {
        return range_err(format!("x.length must be a multiple of {dim}, got {x_len}"));
    }
    Ok(x_len / dim)
}

fn check_out(name: &str, got: usize, want: usize, formula: &str) -> JsResult<()> {
    if got != want {
        return range_err(format!("{name}.length must be {formula} = {want}, got {got}"));
    }
    Ok(())
}

/// Checks `n` of the Zⁿ / Dₙ / Dₙ⁺ kernels.
pub fn check_dim(n: u64, min: u64, even: bool) -> JsResult<usize> {
    if n < min || n > dn::MAX_N as u64 || (even && n % 2 != 0) {
        let what = if even { "an even integer" } else { "an integer" };
        return range_err(format!("n must be {what} in [{min}, {}], got {n}", dn::MAX_N));
    }
    Ok(n as usize)
}

/// Items below which a call of `bytes_per_item` bytes of streaming work stays single-threaded.
fn min_items_bytes(bytes_per_item: usize) -> usize {
    threads::PARALLEL_MIN_BYTES / bytes_per_item.max(1)
}

/// Which of the n-dimensional kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Zn,
    Dn,
    DnPlus,
}

/// `nearest_zn` / `nearest_dn` / `nearest_dnplus` on every `n`-vector of `x`.
pub fn nearest_n(family: Family, x: &[f32], n: u64, out: &mut [f32], threads: u32) -> JsResult<()> {
    let n = match family {
        Family::Zn => check_dim(n, 1, false)?,
        Family::Dn => check_dim(n, 2, false)?,
        Family::DnPlus => check_dim(n, 2, true)?,
    };
    check_points(x.len(), n)?;
    check_out("out", out.len(), x.len(), "x.length")?;
    par_items(out, n, threads, min_items_bytes(4 * n), |v0, o| {
        let xs = &x[v0 * n..v0 * n + o.len()];
        match family {
            Family::Zn => dn::nearest_zn(xs, n, o),
            Family::Dn => dn::nearest_dn(xs, n, o),
            Family::DnPlus => dn::nearest_dnplus(xs, n, o),
        }
    });
    Ok(())
}

/// `nearest_e8`.
pub fn nearest_e8(x: &[f32], out: &mut [f32], threads: u32) -> JsResult<()> {
    check_points(x.len(), 8)?;
    check_out("out", out.len(), x.len(), "x.length")?;
    let level = simd::level();
    par_items(out, 8, threads, min_items_bytes(32), |v0, o| e8::nearest_e8(level, &x[v0 * 8..v0 * 8 + o.len()], o));
    Ok(())
}

/// `nearest_leech`.
pub fn nearest_leech(x: &[f32], out: &mut [f32], threads: u32) -> JsResult<()> {
    check_points(x.len(), 24)?;
    check_out("out", out.len(), x.len(), "x.length")?;
    let level = simd::level();
    par_items(out, 24, threads, 32, |v0, o| leech::nearest(level, &x[v0 * 24..v0 * 24 + o.len()], o));
    Ok(())
}

/// `e8p_encode`.
pub fn e8p_encode(x: &[f32], codes: &mut [u16], threads: u32) -> JsResult<()> {
    let count = check_points(x.len(), 8)?;
    check_out("codes", codes.len(), count, "x.length / 8")?;
    par_items(codes, 1, threads, 2048, |v0, c| e8p::encode(&x[v0 * 8..(v0 + c.len()) * 8], c));
    Ok(())
}

/// `e8p_decode`.
pub fn e8p_decode(codes: &[u16], out: &mut [f32], threads: u32) -> JsResult<()> {
    check_out("out", out.len(), codes.len() * 8, "codes.length * 8")?;
    par_items(out, 8, threads, min_items_bytes(32), |v0, o| e8p::decode(&codes[v0..v0 + o.len() / 8], o));
    Ok(())
}

/// `e81b_encode`.
pub fn e81b_encode(x: &[f32], codes: &mut [u8], threads: u32) -> JsResult<()> {
    let count = check_points(x.len(), 8)?;
    check_out("codes", codes.len(), count, "x.length / 8")?;
    par_items(codes, 1, threads, 2048, |v0, c| e81b::encode(&x[v0 * 8..(v0 + c.len()) * 8], c));
    Ok(())
}

/// `e81b_decode`.
pub fn e81b_decode(codes: &[u8], out: &mut [f32], threads: u32) -> JsResult<()> {
    check_out("out", out.len(), codes.len() * 8, "codes.length * 8")?;
    par_items(out, 8, threads, min_items_bytes(32), |v0, o| e81b::decode(&codes[v0..v0 + o.len() / 8], o));
    Ok(())
}

/// `leech_sq_encode`.
pub fn leech_sq_encode(x: &[f32], out: &mut [u32], threads: u32) -> JsResult<()> {
    let count = check_points(x.len(), 24)?;
    check_out("out", out.len(), count, "x.length / 24")?;
    par_items(out, 1, threads, 16, |v0, o| leech_sq::encode(&x[v0 * 24..(v0 + o.len()) * 24], o));
    Ok(())
}

/// `leech_sq_decode`: returns −1, or the position of the first index ≥ 196,560 (written as NaN).
pub fn leech_sq_decode(idx: &[u32], out: &mut [f32], threads: u32) -> JsResult<i64> {
    check_out("out", out.len(), idx.len() * 24, "idx.length * 24")?;
    let bad = AtomicUsize::new(usize::MAX);
    par_items(out, 24, threads, min_items_bytes(96), |v0, o| {
        if let Some(b) = leech_sq::decode(&idx[v0..v0 + o.len() / 24], o) {
            bad.fetch_min(v0 + b, Ordering::Relaxed);
        }
    });
    let b = bad.into_inner();
    Ok(if b == usize::MAX { -1 } else { b as i64 })
}

/// The JS-facing callbacks.
#[cfg(not(test))]
pub mod exports {
    use super::*;
    use crate::core::napi::{
        napi_value, CallContext, NAPI_FLOAT32_ARRAY, NAPI_UINT16_ARRAY, NAPI_UINT32_ARRAY, NAPI_UINT8_ARRAY,
    };

    const U32: u64 = u32::MAX as u64;

    fn threads_arg(cx: &CallContext, i: usize) -> JsResult<u32> {
        if cx.is_nullish(i)? {
            Ok(0)
        } else {
            Ok(cx.uint(i, "threads", U32)? as u32)
        }
    }

    fn nearest_n_cb(cx: &CallContext, family: Family) -> JsResult<napi_value> {
        let x = cx.typed_array(0, "x", NAPI_FLOAT32_ARRAY)?;
        let n = cx.uint(1, "n", U32)?;
        let out = cx.typed_array(2, "out", NAPI_FLOAT32_ARRAY)?;
        let threads = threads_arg(cx, 3)?;
        // The kernels read inputs after writing outputs: an input sharing memory with out is copied.
        let xs = unsafe { x.read_apart::<f32>(&[&out]) };
        nearest_n(family, &xs, n, unsafe { out.as_mut_slice::<f32>() }, threads)?;
        cx.undefined()
    }

    /// `latticeNearestZn(x: Float32Array, n, out: Float32Array, threads?)`
    pub fn lattice_nearest_zn(cx: &CallContext) -> JsResult<napi_value> {
        nearest_n_cb(cx, Family::Zn)
    }

    /// `latticeNearestDn(x: Float32Array, n, out: Float32Array, threads?)`
    pub fn lattice_nearest_dn(cx: &CallContext) -> JsResult<napi_value> {
        nearest_n_cb(cx, Family::Dn)
    }

    /// `latticeNearestDnPlus(x: Float32Array, n, out: Float32Array, threads?)`
    pub fn lattice_nearest_dnplus(cx: &CallContext) -> JsResult<napi_value> {
        nearest_n_cb(cx, Family::DnPlus)
    }

    /// Shared shape of the two-array kernels: `(in: In, out: Out, threads?)`.
    fn two<I: Copy, O>(
        cx: &CallContext,
        names: (&str, &str),
        tys: (i32, i32),
        f: impl FnOnce(&[I], &mut [O], u32) -> JsResult<()>,
    ) -> JsResult<napi_value> {
        let a = cx.typed_array(0, names.0, tys.0)?;
        let out = cx.typed_array(1, names.1, tys.1)?;
        let threads = threads_arg(cx, 2)?;
        let xs = unsafe { a.read_apart::<I>(&[&out]) };
        f(&xs, unsafe { out.as_mut_slice::<O>() }, threads)?;
        cx.undefined()
    }

    /// `latticeNearestE8(x: Float32Array, out: Float32Array, threads?)`
    pub fn lattice_nearest_e8(cx: &CallContext) -> JsResult<napi_value> {
        two::<f32, f32>(cx, ("x", "out"), (NAPI_FLOAT32_ARRAY, NAPI_FLOAT32_ARRAY), nearest_e8)
    }

    /// `latticeNearestLeech(x: Float32Array, out: Float32Array, threads?)`
    pub fn lattice_nearest_leech(cx: &CallContext) -> JsResult<napi_value> {
        two::<f32, f32>(cx, ("x", "out"), (NAPI_FLOAT32_ARRAY, NAPI_FLOAT32_ARRAY), nearest_leech)
    }

    /// `latticeE8pEncode(x: Float32Array, codes: Uint16Array, threads?)`
    pub fn lattice_e8p_encode(cx: &CallContext) -> JsResult<napi_value> {
        two::<f32, u16>(cx, ("x", "codes"), (NAPI_FLOAT32_ARRAY, NAPI_UINT16_ARRAY), e8p_encode)
    }

    /// `latticeE8pDecode(codes: Uint16Array, out: Float32Array, threads?)`
    pub fn lattice_e8p_decode(cx: &CallContext) -> JsResult<napi_value> {
        two::<u16, f32>(cx, ("codes", "out"), (NAPI_UINT16_ARRAY, NAPI_FLOAT32_ARRAY), e8p_decode)
    }

    /// `latticeE81bEncode(x: Float32Array, codes: Uint8Array, threads?)`
    pub fn lattice_e81b_encode(cx: &CallContext) -> JsResult<napi_value> {
        two::<f32, u8>(cx, ("x", "codes"), (NAPI_FLOAT32_ARRAY, NAPI_UINT8_ARRAY), e81b_encode)
    }

    /// `latticeE81bDecode(codes: Uint8Array, out: Float32Array, threads?)`
    pub fn lattice_e81b_decode(cx: &CallContext) -> JsResult<napi_value> {
        two::<u8, f32>(cx, ("codes", "out"), (NAPI_UINT8_ARRAY, NAPI_FLOAT32_ARRAY), e81b_decode)
    }

    /// `latticeLeechSqEncode(x: Float32Array, out: Uint32Array, threads?)`
    pub fn lattice_leech_sq_encode(cx: &CallContext) -> JsResult<napi_value> {
        two::<f32, u32>(cx, ("x", "out"), (NAPI_FLOAT32_ARRAY, NAPI_UINT32_ARRAY), leech_sq_encode)
    }

    /// `latticeLeechSqDecode(idx: Uint32Array, out: Float32Array, threads?): number`
    pub fn lattice_leech_sq_decode(cx: &CallContext) -> JsResult<napi_value> {
        let idx = cx.typed_array(0, "idx", NAPI_UINT32_ARRAY)?;
        let out = cx.typed_array(1, "out", NAPI_FLOAT32_ARRAY)?;
        let threads = threads_arg(cx, 2)?;
        let is = unsafe { idx.read_apart::<u32>(&[&out]) };
        let bad = leech_sq_decode(&is, unsafe { out.as_mut_slice::<f32>() }, threads)?;
        cx.double(bad as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_name_the_argument() {
        let e = nearest_e8(&[0.0; 7], &mut [0.0; 7], 1).unwrap_err();
        assert_eq!(e.code, "INVALID_ARGUMENT");
        assert!(e.message.starts_with("x.length"), "{}", e.message);
        let e = nearest_e8(&[0.0; 8], &mut [0.0; 16], 1).unwrap_err();
        assert!(e.message.starts_with("out.length"), "{}", e.message);
        let e = nearest_n(Family::DnPlus, &[0.0; 6], 3, &mut [0.0; 6], 1).unwrap_err();
        assert!(e.message.contains("even"), "{}", e.message);
        assert!(nearest_n(Family::Dn, &[0.0; 6], 1, &mut [0.0; 6], 1).is_err());
        assert!(nearest_n(Family::Zn, &[0.0; 6], 1025, &mut [0.0; 6], 1).is_err());
        assert!(nearest_n(Family::Zn, &[], 3, &mut [], 1).is_ok());
        let e = e8p_encode(&[0.0; 16], &mut [0; 3], 1).unwrap_err();
        assert!(e.message.starts_with("codes.length"), "{}", e.message);
        assert!(e8p_decode(&[0; 2], &mut [0.0; 15], 1).is_err());
        assert!(leech_sq_decode(&[0; 2], &mut [0.0; 47], 1).is_err());
        assert!(leech_sq_encode(&[0.0; 24], &mut [0; 2], 1).is_err());
        assert!(nearest_leech(&[0.0; 25], &mut [0.0; 25], 1).is_err());
    }

    #[test]
    fn threads_give_identical_results() {
        let mut s = 3u64;
        let x: Vec<f32> = (0..24 * 20000)
            .map(|_| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((s >> 40) as f32) / (1u64 << 22) as f32 - 2.0
            })
            .collect();
        let run = |t: u32| {
            let mut e8o = vec![0f32; x.len()];
            nearest_e8(&x, &mut e8o, t).unwrap();
            let mut dno = vec![0f32; x.len()];
            nearest_n(Family::DnPlus, &x, 12, &mut dno, t).unwrap();
            let mut le = vec![0f32; 24 * 200];
            nearest_leech(&x[..24 * 200], &mut le, t).unwrap();
            let mut codes = vec![0u16; x.len() / 8];
            e8p_encode(&x, &mut codes, t).unwrap();
            let mut sq = vec![0u32; 100];
            leech_sq_encode(&x[..2400], &mut sq, t).unwrap();
            let mut idx: Vec<u32> = (0..5000u32).map(|i| i * 41).collect();
            idx[4000] = leech_sq::TOTAL;
            idx[4500] = u32::MAX;
            let mut dec = vec![0f32; 24 * 5000];
            let bad = leech_sq_decode(&idx, &mut dec, t).unwrap();
            let bits = |v: &[f32]| v.iter().map(|a| a.to_bits()).collect::<Vec<_>>();
            (bits(&e8o), bits(&dno), bits(&le), codes, sq, bad, bits(&dec))
        };
        let one = run(1);
        assert_eq!(one.5, 4000);
        for t in [2, 3, 0] {
            assert!(run(t) == one, "threads {t}");
        }
    }
}

/// `cargo test --release lattice::bench -- --ignored --nocapture`: single-thread throughput.
#[cfg(test)]
mod bench {
    use super::*;
    use std::time::Instant;

    fn data(n: usize, span: f32) -> Vec<f32> {
        let mut s = 1u64;
        (0..n)
            .map(|_| {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (((s >> 40) as f32) / (1u64 << 24) as f32 * 2.0 - 1.0) * span
            })
            .collect()
    }

    fn time(name: &str, items: usize, mut f: impl FnMut()) {
        f();
        let t = Instant::now();
        let mut reps = 0;
        while t.elapsed().as_secs_f64() < 0.5 {
            f();
            reps += 1;
        }
        let per = t.elapsed().as_secs_f64() / (reps * items) as f64;
        println!("{name}: {:.1} ns/vector, {:.2} M vectors/s", per * 1e9, 1e-6 / per);
    }

    #[test]
    #[ignore]
    fn bench() {
        let x = data(8 << 16, 3.0);
        let mut out = vec![0f32; x.len()];
        time("nearest_e8 (1 thread)", x.len() / 8, || nearest_e8(&x, &mut out, 1).unwrap());
        time("nearest_e8 (all threads)", x.len() / 8, || nearest_e8(&x, &mut out, 0).unwrap());
        time("nearest_e8 scalar", x.len() / 8, || e8::nearest_e8(simd::Level::Scalar, &x, &mut out));
        time("nearest_dnplus n=8", x.len() / 8, || nearest_n(Family::DnPlus, &x, 8, &mut out, 1).unwrap());
        let g = data(8 << 14, 1.5);
        let mut codes = vec![0u16; g.len() / 8];
        time("e8p_encode", codes.len(), || e8p_encode(&g, &mut codes, 1).unwrap());
        time("e8p_decode", codes.len(), || e8p_decode(&codes, &mut out[..g.len()], 1).unwrap());
        let mut c1 = vec![0u8; g.len() / 8];
        time("e81b_encode", c1.len(), || e81b_encode(&g, &mut c1, 1).unwrap());
        let l = data(24 * 2000, 2.0);
        let mut lo = vec![0f32; l.len()];
        time("nearest_leech", 2000, || nearest_leech(&l, &mut lo, 1).unwrap());
        let mut idx = vec![0u32; 2000];
        time("leech_sq_encode", 2000, || leech_sq_encode(&l, &mut idx, 1).unwrap());
        time("leech_sq_decode", 2000, || {
            leech_sq_decode(&idx, &mut lo, 1).unwrap();
        });
    }
}
