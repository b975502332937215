//! rANS coder, stream format "rans16x16" (docs/internals.md, "Entropy"): 16 interleaved lanes of u32
//! state in [2^16, 2^32), 16-bit renormalisation, probability precision 1–16 bits (17–24 dispatch
//! to the exact rans16x32 path in [`super::exact`]). Mirrors
//! `wasm/entropy/encode.ts` and `decode.ts` and writes / accepts byte-identical streams.
//!
//! Encoder: the per-symbol division is replaced by an exact 64-bit reciprocal multiply (for a 32-bit
//! numerator `x` and a divisor `f ≤ 2^16`, `floor(x · ceil(2^64 / f) / 2^64) = floor(x / f)`), and
//! the renormalisation is branch-free (the word is always stored, the cursor moves only on a push).
//! Decoder: a slot table (u32 `(f − 1) | (slot − c) << 16`, then u16 symbol, 6·2^s bytes), a fast
//! path without bounds checks while at least 16 words remain at the start of a group of 16 symbols
//! (each symbol reads at most one word), and a careful path that checks every read.

/// Output buffer smaller than the documented bound.
pub const ERR_CAPACITY: i32 = -1;
/// A symbol ≥ nsym or with frequency 0.
pub const ERR_SYMBOL: i32 = -2;
/// Bad precision, nsym, or frequencies that do not sum to 2^precision.
pub const ERR_MODEL: i32 = -3;
/// The stream ends before the decoder is done.
pub const ERR_TRUNCATED: i32 = -4;
/// A structural check failed.
pub const ERR_CORRUPT: i32 = -5;

/// Interleaved lanes (fixed by the format).
pub const LANES: usize = 16;
/// Lower bound of a lane state.
pub const L: u32 = 1 << 16;
/// Precision limit of the table-driven rans16x16 stream; above it the exact rans16x32 path runs.
pub const MAX_TABLE_PRECISION: u32 = 16;
pub const MAX_PRECISION: u32 = 24;
pub const MAX_SYMBOLS: usize = 1 << 16;
/// Bytes of the 16 initial states at the start of a stream.
pub const HEADER: usize = LANES * 4;

/// The documented output bound of [`encode`]: `64 + 2n`, or `128 + 4n` at precision > 16 (`None`
/// on overflow).
pub fn max_stream_len(n: usize, precision: u32) -> Option<usize> {
    if precision > MAX_TABLE_PRECISION {
        return super::exact::max_stream_len_wide(n);
    }
    n.checked_mul(2)?.checked_add(HEADER)
}

/// Precision in [1, 16], nsym in [1, 65536], frequencies summing to exactly 2^precision.
pub fn check_model(freqs: &[u32], precision: u32) -> bool {
    if !(1..=MAX_PRECISION).contains(&precision) || freqs.is_empty() || freqs.len() > MAX_SYMBOLS {
        return false;
    }
    let sum: u64 = freqs.iter().map(|&f| f as u64).sum();
    sum == 1u64 << precision
}

/// A symbol type: u8 (width 1) or u16 (width 2).
pub trait Sym: Copy + Default + Send + Sync + 'static {
    const WIDTH: usize;
    /// Entries of an encoder table indexed by every value of the type.
    const VALUES: usize;
    fn index(self) -> usize;
    fn from_u16(v: u16) -> Self;
}

impl Sym for u8 {
    const WIDTH: usize = 1;
    const VALUES: usize = 256;
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
    }
    #[inline(always)]
    fn from_u16(v: u16) -> Self {
        v as u8
    }
}

impl Sym for u16 {
    const WIDTH: usize = 2;
    const VALUES: usize = 65536;
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
    }
    #[inline(always)]
    fn from_u16(v: u16) -> Self {
        v
    }
}

/// Model checks shared by encode and decode (the wasm kernels also reject width 1 with nsym > 256:
/// such a model could decode symbols that do not fit a byte).
fn model_ok<T: Sym>(freqs: &[u32], precision: u32) -> bool {
    check_model(freqs, precision) && !(T::WIDTH == 1 && freqs.len() > 256)
}

// ---------------------------------------------------------------------------------------------
// Encoder

/// Encoder table entry: `[rcp, freq | bias << 32]`, zero (freq 0) for unusable symbols.
type EncSym = [u64; 2];

fn enc_table<T: Sym>(freqs: &[u32], s: u32) -> Vec<EncSym> {
    // Zero-initialised (calloc): entries past nsym stay zero without being touched.
    let mut t = vec![[0u64; 2]; T::VALUES];
    let mut cum: u32 = 0;
    for (k, &f) in freqs.iter().enumerate() {
        if f != 0 {
            // cmpl = 2^s − f is recomputed per symbol. f = 1 uses rcp = 2^64 − 1 (q = x − 1) with the
            // bias raised by 2^s − 1 to compensate (ryg's rans_byte trick).
            let (rcp, bias) = if f == 1 { (u64::MAX, cum + (1u32 << s) - 1) } else { (u64::MAX / f as u64 + 1, cum) };
            t[k] = [rcp, f as u64 | (bias as u64) << 32];
        }
        cum = cum.wrapping_add(f);
    }
    t
}

/// Encodes one symbol into state `x`. Always stores the low word at `wp − 2` (a byte offset into
/// `base`); `wp` moves down only when the word is pushed.
///
/// # Safety
/// `wp − 2` must be a writable offset of `base` that holds no pushed word yet; `e.freq ≠ 0`.
#[inline(always)]
unsafe fn put(x: u32, e: EncSym, shift: u32, one_s: u32, base: *mut u8, wp: &mut usize) -> u32 {
    let f = e[1] as u32;
    let bias = (e[1] >> 32) as u32;
    let push = (x >> shift) >= f;
    base.add(*wp - 2).cast::<[u8; 2]>().write_unaligned((x as u16).to_le_bytes());
    *wp -= (push as usize) << 1;
    let x = x >> ((push as u32) << 4);
    let q = ((x as u128 * e[0] as u128) >> 64) as u32;
    x.wrapping_add(bias).wrapping_add(q.wrapping_mul(one_s.wrapping_sub(f)))
}

/// `rans_encode`: encodes `syms` with the model `freqs` (precision `precision`) into `out`. Returns
/// the stream length or `ERR_MODEL` / `ERR_CAPACITY` (`out.len() < 64 + 2n`, checked before any
/// write) / `ERR_SYMBOL`. The caller keeps `64 + 2n` within `i32` (else `ERR_CAPACITY`).
pub fn encode<T: Sym>(syms: &[T], freqs: &[u32], precision: u32, out: &mut [u8]) -> i32 {
    if !model_ok::<T>(freqs, precision) {
        return ERR_MODEL;
    }
    let n = syms.len();
    match max_stream_len(n, precision) {
        Some(need) if need <= out.len() && need <= i32::MAX as usize => {}
        _ => return ERR_CAPACITY,
    }
    if precision > MAX_TABLE_PRECISION {
        return super::exact::encode_wide(syms, freqs, precision, out);
    }
    let table = enc_table::<T>(freqs, precision);
    // SAFETY: out.len() ≥ 64 + 2n (checked above); see encode_with.
    unsafe { encode_with(syms, &table, precision, out) }
}

/// # Safety
/// `out.len() ≥ 64 + 2·syms.len()` and `table.len() == T::VALUES`.
unsafe fn encode_with<T: Sym>(syms: &[T], table: &[EncSym], s: u32, out: &mut [u8]) -> i32 {
    let n = syms.len();
    let shift = 32 - s;
    let one_s = 1u32 << s;
    let cap = out.len();
    let base = out.as_mut_ptr();
    let tab = table.as_ptr();
    // Words are pushed downwards from the end of `out`. Invariant: before each step at most
    // (steps so far) ≤ n − 1 words were pushed, so wp − 2 ≥ cap − 2n ≥ 64: never in the header.
    let mut wp = cap;
    let mut x = [L; LANES];
    let full = n & !(LANES - 1);
    // The tail (n mod 16 symbols, encoded first), then whole groups, last lane first.
    for i in (full..n).rev() {
        let e = *tab.add(syms[i].index());
        if e[1] as u32 == 0 {
            return ERR_SYMBOL;
        }
        x[i & (LANES - 1)] = put(x[i & (LANES - 1)], e, shift, one_s, base, &mut wp);
    }
    let sp = syms.as_ptr();
    let mut g = full;
    while g >= LANES {
        g -= LANES;
        let p = sp.add(g);
        let e: [EncSym; LANES] = std::array::from_fn(|j| *tab.add((*p.add(j)).index()));
        // One test per group: a zero frequency anywhere means an unencodable symbol.
        if e.iter().fold(false, |bad, e| bad | (e[1] as u32 == 0)) {
            return ERR_SYMBOL;
        }
        for j in (0..LANES).rev() {
            x[j] = put(x[j], e[j], shift, one_s, base, &mut wp);
        }
    }
    for (j, v) in x.into_iter().enumerate() {
        out[j * 4..j * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    // Pushed downwards, so [wp, cap) is already in the decoder's reading order.
    let words = cap - wp;
    out.copy_within(wp..cap, HEADER);
    (HEADER + words) as i32
}

// ---------------------------------------------------------------------------------------------
// Decoder

/// Decode table in two levels: the symbol of every slot (u8 or u16), then per symbol u32
/// `(f − 1) | c << 16` (f − 1 keeps f = 2^16 in 16 bits). At precision 14 with bytes that is 16 KiB +
/// 1 KiB, which stays in L1 where one u64 per slot (128 KiB) would not: the second load depends on
/// the first, but both hit L1, and a lane's step is latency-bound.
struct DecTable<T> {
    syms: Vec<T>,
    entries: Vec<u32>,
}

impl<T: Sym> DecTable<T> {
    fn new(freqs: &[u32], s: u32) -> Self {
        let mut syms = Vec::with_capacity(1usize << s);
        let mut entries = Vec::with_capacity(freqs.len());
        for (k, &f) in freqs.iter().enumerate() {
            entries.push(f.wrapping_sub(1) & 0xFFFF | (syms.len() as u32) << 16);
            syms.extend(std::iter::repeat_n(T::from_u16(k as u16), f as usize));
        }
        debug_assert_eq!(syms.len(), 1usize << s);
        DecTable { syms, entries }
    }

    fn view(&self) -> TableView<T> {
        TableView { syms: self.syms.as_ptr(), entries: self.entries.as_ptr() }
    }
}

/// A [`DecTable`] as raw pointers, for the fast paths.
#[derive(Clone, Copy)]
pub struct TableView<T> {
    pub syms: *const T,
    pub entries: *const u32,
}

impl<T: Sym> TableView<T> {
    /// One lane step before renormalisation: the symbol of `x`'s slot and the decoded state
    /// f · (x >> s) + slot − c.
    ///
    /// # Safety
    /// The view's table has 2^s slots.
    #[inline(always)]
    pub unsafe fn advance(self, x: u32, s: u32) -> (T, u32) {
        let slot = x & ((1u32 << s) - 1);
        let k = *self.syms.add(slot as usize);
        let e = *self.entries.add(k.index());
        (k, ((e & 0xFFFF) + 1).wrapping_mul(x >> s).wrapping_add(slot).wrapping_sub(e >> 16))
    }
}

/// One decode step of a lane in the fast path: writes the symbol to `o`, reads the next word at
/// word index `rp` unconditionally and advances `rp` when it was consumed.
///
/// # Safety
/// `tab` has 2^s slots; word `rp` of `wp` is readable; `o` is writable.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn step<T: Sym>(
    x: u32,
    tab: TableView<T>,
    s: u32,
    o: *mut T,
    wp: *const u16,
    rp: &mut usize,
) -> u32 {
    let (k, x) = tab.advance(x, s);
    *o = k;
    let w = u16::from_le(wp.add(*rp).read_unaligned()) as u32;
    let need = x < L;
    *rp += need as usize;
    // Branch-free select: the refill is as unpredictable as the data.
    if need {
        (x << 16) | w
    } else {
        x
    }
}

/// What a fast path decodes: `groups` groups of 16 symbols into `out` from the `nwords` readable
/// words at `wp`, with a table of 2^s slots.
#[derive(Clone, Copy)]
pub struct FastJob<T> {
    pub tab: TableView<T>,
    pub s: u32,
    pub out: *mut T,
    pub groups: usize,
    pub wp: *const u16,
    pub nwords: usize,
}

/// Fast path: whole groups of 16 while at least 16 words remain at the start of a group. Returns
/// the number of groups decoded; `x` and `rp` (a word index) are updated.
///
/// # Safety
/// `job` is as [`FastJob`] says.
#[inline(always)]
unsafe fn decode_fast_scalar<T: Sym>(x: &mut [u32; LANES], job: FastJob<T>, rp: &mut usize) -> usize {
    let mut xs = *x;
    let mut r = *rp;
    let mut g = 0usize;
    let mut o = job.out;
    while g < job.groups && r + LANES <= job.nwords {
        for (j, xj) in xs.iter_mut().enumerate() {
            *xj = step(*xj, job.tab, job.s, o.add(j), job.wp, &mut r);
        }
        o = o.add(LANES);
        g += 1;
    }
    *x = xs;
    *rp = r;
    g
}

/// Whether the SIMD fast path ([`super::decode_simd`]) runs: x86_64 at the addon's AVX2 level
/// (`KOMPAKT_NATIVE_SIMD=scalar` turns it off) with POPCNT.
fn simd_path() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        static B: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *B.get_or_init(|| crate::core::simd::level() == crate::core::simd::Level::Avx2 && is_x86_feature_detected!("popcnt"))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `rans_decode`: decodes `out.len()` symbols from `src` with the model `freqs`. Returns 0 or
/// `ERR_MODEL` / `ERR_TRUNCATED` / `ERR_CORRUPT`. Reads nothing outside `src`, whatever its bytes;
/// `out` is unspecified after an error.
pub fn decode<T: Sym>(src: &[u8], freqs: &[u32], precision: u32, out: &mut [T]) -> i32 {
    decode_with(src, freqs, precision, out, simd_path())
}

/// [`decode`] with the fast path chosen by the caller (`simd` only where [`simd_path`] holds).
fn decode_with<T: Sym>(src: &[u8], freqs: &[u32], precision: u32, out: &mut [T], simd: bool) -> i32 {
    if !model_ok::<T>(freqs, precision) {
        return ERR_MODEL;
    }
    if precision > MAX_TABLE_PRECISION {
        return super::exact::decode_wide(src, freqs, precision, out);
    }
    if src.len() < HEADER {
        return ERR_TRUNCATED;
    }
    if src.len() & 1 != 0 {
        return ERR_CORRUPT;
    }
    let mut x = [0u32; LANES];
    for (j, v) in x.iter_mut().enumerate() {
        *v = u32::from_le_bytes([src[4 * j], src[4 * j + 1], src[4 * j + 2], src[4 * j + 3]]);
        if *v < L {
            return ERR_CORRUPT;
        }
    }
    let s = precision;
    let words = &src[HEADER..];
    let nwords = words.len() / 2;
    let table = DecTable::<T>::new(freqs, s);
    let n = out.len();
    let groups = n / LANES;
    let mut g = 0;
    let mut rp = 0usize;
    if groups > 0 && nwords >= LANES {
        // The words as u16 (unaligned reads): `wp.add(i)` for i < nwords stays inside `src`.
        let wp = words.as_ptr().cast::<u16>();
        let job = FastJob { tab: table.view(), s, out: out.as_mut_ptr(), groups, wp, nwords };
        // SAFETY: slots are < 2^s = table length; out has ≥ groups·16 elements; each group reads
        // at most 16 words and starts with at least 16 of the nwords left.
        g = unsafe {
            #[cfg(target_arch = "x86_64")]
            if simd {
                super::decode_simd::decode_fast(&mut x, job, &mut rp)
            } else {
                decode_fast_scalar(&mut x, job, &mut rp)
            }
            #[cfg(not(target_arch = "x86_64"))]
            {
                let _ = simd;
                decode_fast_scalar(&mut x, job, &mut rp)
            }
        };
    }
    // Careful path: every word read is checked.
    #[allow(clippy::needless_range_loop)]
    for i in g * LANES..n {
        let lane = i & (LANES - 1);
        let xi = x[lane];
        // SAFETY: the table has 2^s slots.
        let (k, mut xn) = unsafe { table.view().advance(xi, s) };
        out[i] = k;
        if xn < L {
            if rp >= nwords {
                return ERR_TRUNCATED;
            }
            xn = (xn << 16) | u16::from_le_bytes([words[2 * rp], words[2 * rp + 1]]) as u32;
            rp += 1;
        }
        x[lane] = xn;
    }
    if rp != nwords || x.iter().any(|&v| v != L) {
        return ERR_CORRUPT;
    }
    0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Literal transcription of the contract's encoder (u32 division, Vec of pushed words).
    fn reference_encode(syms: &[u32], freqs: &[u32], s: u32) -> Vec<u8> {
        let mut cum = vec![0u32; freqs.len() + 1];
        for k in 0..freqs.len() {
            cum[k + 1] = cum[k] + freqs[k];
        }
        let mut x = [L; LANES];
        let mut pushed: Vec<u16> = Vec::new();
        for i in (0..syms.len()).rev() {
            let j = i % LANES;
            let k = syms[i] as usize;
            let f = freqs[k];
            if (x[j] >> (32 - s)) >= f {
                pushed.push(x[j] as u16);
                x[j] >>= 16;
            }
            x[j] = ((x[j] / f) << s) + (x[j] % f) + cum[k];
        }
        let mut out = Vec::new();
        for v in x {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for w in pushed.iter().rev() {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// Literal transcription of the contract's decoder (symbol search by cumulative frequency).
    fn reference_decode(src: &[u8], freqs: &[u32], s: u32, n: usize) -> Result<Vec<u32>, i32> {
        if src.len() < HEADER {
            return Err(ERR_TRUNCATED);
        }
        if src.len() % 2 == 1 {
            return Err(ERR_CORRUPT);
        }
        let mut x = [0u32; LANES];
        for j in 0..LANES {
            x[j] = u32::from_le_bytes(src[4 * j..4 * j + 4].try_into().unwrap());
            if x[j] < L {
                return Err(ERR_CORRUPT);
            }
        }
        let mut rp = HEADER;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let j = i % LANES;
            let slot = x[j] & ((1 << s) - 1);
            let mut c = 0u32;
            let mut k = 0usize;
            while !(c <= slot && slot < c + freqs[k]) {
                c += freqs[k];
                k += 1;
            }
            out.push(k as u32);
            x[j] = freqs[k] * (x[j] >> s) + slot - c;
            if x[j] < L {
                if rp + 2 > src.len() {
                    return Err(ERR_TRUNCATED);
                }
                x[j] = (x[j] << 16) | u16::from_le_bytes([src[rp], src[rp + 1]]) as u32;
                rp += 2;
            }
        }
        if rp != src.len() || x.iter().any(|&v| v != L) {
            return Err(ERR_CORRUPT);
        }
        Ok(out)
    }

    /// xorshift64* for reproducible test data.
    pub(crate) struct Rng(pub u64);
    impl Rng {
        pub fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545F4914F6CDD1D)
        }
        pub fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// A random model of `nsym` symbols at precision `s` (some zero frequencies when `zeros`).
    fn random_model(rng: &mut Rng, nsym: usize, s: u32, zeros: bool) -> Vec<u32> {
        let total = 1u32 << s;
        assert!(nsym as u32 <= total);
        let mut f = vec![0u32; nsym];
        let used: Vec<usize> = (0..nsym).filter(|&k| !zeros || k == 0 || rng.below(3) != 0).collect();
        for &k in &used {
            f[k] = 1;
        }
        let mut left = total - used.len() as u32;
        // Skewed: a few symbols take most of the mass.
        while left > 0 {
            let k = used[(rng.below(used.len() as u64) as usize * rng.below(used.len() as u64) as usize) / used.len()];
            let add = (rng.below(left as u64 / 4 + 1) as u32).max(1).min(left);
            f[k] += add;
            left -= add;
        }
        f
    }

    /// Symbols drawn from the model's distribution.
    fn draw(rng: &mut Rng, f: &[u32], s: u32, n: usize) -> Vec<u32> {
        let mut cum = Vec::with_capacity(f.len());
        let mut c = 0u32;
        for &v in f {
            cum.push(c);
            c += v;
        }
        (0..n)
            .map(|_| {
                let r = rng.below(1 << s) as u32;
                (cum.partition_point(|&c| c <= r) - 1) as u32
            })
            .collect()
    }

    fn enc(syms: &[u32], f: &[u32], s: u32, wide: bool) -> Result<Vec<u8>, i32> {
        let mut out = vec![0u8; HEADER + 2 * syms.len()];
        let r = if wide {
            encode(&syms.iter().map(|&v| v as u16).collect::<Vec<_>>(), f, s, &mut out)
        } else {
            encode(&syms.iter().map(|&v| v as u8).collect::<Vec<_>>(), f, s, &mut out)
        };
        if r < 0 {
            return Err(r);
        }
        out.truncate(r as usize);
        Ok(out)
    }

    /// Decodes with the scalar fast path and, where the CPU has it, the SIMD one; both must agree.
    fn dec(src: &[u8], f: &[u32], s: u32, n: usize, wide: bool) -> Result<Vec<u32>, i32> {
        let run = |simd: bool| -> Result<Vec<u32>, i32> {
            let r;
            let v: Vec<u32> = if wide {
                let mut o = vec![0u16; n];
                r = decode_with(src, f, s, &mut o, simd);
                o.into_iter().map(|v| v as u32).collect()
            } else {
                let mut o = vec![0u8; n];
                r = decode_with(src, f, s, &mut o, simd);
                o.into_iter().map(|v| v as u32).collect()
            };
            if r < 0 {
                Err(r)
            } else {
                assert_eq!(r, 0);
                Ok(v)
            }
        };
        let scalar = run(false);
        if simd_path() {
            // Output bytes after an error are unspecified: compare the codes there.
            assert_eq!(run(true), scalar, "SIMD and scalar fast paths disagree (len {}, n {n}, s {s})", src.len());
        }
        scalar
    }

    fn round_trip(syms: &[u32], f: &[u32], s: u32) -> Vec<u8> {
        let want = reference_encode(syms, f, s);
        let wides: &[bool] = if f.len() <= 256 { &[false, true] } else { &[true] };
        for &wide in wides {
            let got = enc(syms, f, s, wide).unwrap();
            assert_eq!(got, want, "stream bytes (nsym {}, s {s}, n {})", f.len(), syms.len());
            assert_eq!(dec(&got, f, s, syms.len(), wide).unwrap(), syms, "decode (nsym {}, s {s})", f.len());
        }
        want
    }

    #[test]
    fn hand_computed_streams() {
        // n = 0: sixteen states of 2^16, no words.
        let f = [1u32, 1];
        let mut want = Vec::new();
        for _ in 0..LANES {
            want.extend_from_slice(&0x10000u32.to_le_bytes());
        }
        assert_eq!(enc(&[], &f, 1, false).unwrap(), want);
        // One symbol 1 with f = [1, 1], s = 1: x0 = (65536 / 1) << 1 + 0 + 1 = 131073 = 0x20001.
        want[0..4].copy_from_slice(&0x20001u32.to_le_bytes());
        assert_eq!(enc(&[1], &f, 1, false).unwrap(), want);
        // f = [3, 1], s = 2, symbols [0, 1]: lane 0: x = ((65536 / 3) << 2) + 65536 % 3 + 0
        // = 21845·4 + 1 = 87381 = 0x15555; lane 1: (65536 << 2) + 3 = 262147 = 0x40003.
        let f = [3u32, 1];
        want[0..4].copy_from_slice(&0x15555u32.to_le_bytes());
        want[4..8].copy_from_slice(&0x40003u32.to_le_bytes());
        assert_eq!(enc(&[0, 1], &f, 2, false).unwrap(), want);
        // A push: one symbol 0 with f = [1, 65535] at s = 16 from x = 2^16: x >> 16 = 1 ≥ f = 1, so
        // the word x & 0xFFFF = 0x0000 is pushed and x = 1, then x = ((1 / 1) << 16) + 0 + 0 = 0x10000.
        let mut f16 = vec![0u32; 2];
        f16[0] = 1;
        f16[1] = 65535;
        let got = enc(&[0], &f16, 16, false).unwrap();
        let mut want = Vec::new();
        want.extend_from_slice(&0x10000u32.to_le_bytes());
        for _ in 1..LANES {
            want.extend_from_slice(&0x10000u32.to_le_bytes());
        }
        want.extend_from_slice(&[0, 0]);
        assert_eq!(got, want);
        assert_eq!(dec(&got, &f16, 16, 1, false).unwrap(), vec![0]);
        // Two pushes on lane 0, words in reverse push order. 33 symbols, all 1 except i = 0 and 32.
        // Lane 0 (encoded i = 32, 16, 0): sym 0 pushes 0x0000 (x = 1 → 0x10000); sym 1 (f = 65535,
        // c = 1): x = (1 << 16) + 1 + 1 = 0x10002; sym 0 pushes 0x0002 → 0x10000. Lanes 1..15 see
        // sym 1 twice: 0x10002, then (1 << 16) + (65538 mod 65535 = 3) + 1 = 0x10004.
        let mut syms = vec![1u32; 33];
        syms[0] = 0;
        syms[32] = 0;
        let mut want = Vec::new();
        want.extend_from_slice(&0x10000u32.to_le_bytes());
        for _ in 1..LANES {
            want.extend_from_slice(&0x10004u32.to_le_bytes());
        }
        want.extend_from_slice(&[0x02, 0x00, 0x00, 0x00]);
        assert_eq!(enc(&syms, &f16, 16, false).unwrap(), want);
        assert_eq!(enc(&syms, &f16, 16, true).unwrap(), want);
        assert_eq!(dec(&want, &f16, 16, 33, true).unwrap(), syms);
    }

    #[test]
    fn round_trips_random_models() {
        let mut rng = Rng(0x9E3779B97F4A7C15);
        for &(nsym, s) in
            &[(1usize, 1u32), (2, 1), (2, 16), (3, 2), (17, 5), (256, 8), (256, 12), (256, 16), (1000, 12), (4096, 16)]
        {
            for &n in &[0usize, 1, 7, 8, 9, 15, 16, 17, 64, 1000, 4099] {
                let f = random_model(&mut rng, nsym, s, nsym > 3);
                let syms = draw(&mut rng, &f, s, n);
                round_trip(&syms, &f, s);
            }
        }
    }

    #[test]
    fn extreme_models() {
        let mut rng = Rng(42);
        // nsym = 65536 at s = 16: every frequency 1 (uniform 16-bit symbols).
        let f = vec![1u32; 65536];
        let syms: Vec<u32> = (0..20000).map(|_| rng.below(65536) as u32).collect();
        let st = round_trip(&syms, &f, 16);
        assert!(st.len() <= HEADER + 2 * syms.len());
        // p ≈ 1: one symbol with 2^16 − 1, the rest 1; mostly the big one, a few of the smallest.
        let mut f = vec![1u32; 2];
        f[0] = 65535;
        let mut syms = vec![0u32; 10000];
        for i in (0..10000).step_by(997) {
            syms[i] = 1;
        }
        let st = round_trip(&syms, &f, 16);
        assert!(st.len() < HEADER + 200, "p ≈ 1 should cost almost nothing, got {}", st.len());
        // Only the smallest-probability symbol, repeatedly (a push on every step).
        let syms = vec![1u32; 1001];
        round_trip(&syms, &f, 16);
        // One symbol with f = 2^s (zero bits per symbol) at several precisions.
        for s in [1u32, 8, 16] {
            let f = vec![1u32 << s];
            let st = round_trip(&vec![0; 123], &f, s);
            assert_eq!(st.len(), HEADER);
        }
        // Many symbols, 16-bit, with zero frequencies in between.
        let f = random_model(&mut rng, 65536, 16, true);
        let syms = draw(&mut rng, &f, 16, 30000);
        round_trip(&syms, &f, 16);
    }

    #[test]
    fn reciprocal_matches_division() {
        let mut rng = Rng(7);
        for f in (1u32..=65536).step_by(1).filter(|&f| !(300..=65000).contains(&f) || f % 97 == 0) {
            let rcp = if f == 1 { u64::MAX } else { u64::MAX / f as u64 + 1 };
            for x in [1u32, f - 1, f, f + 1, u32::MAX, u32::MAX - 1, 1 << 31, (1u32 << 31) - 1]
                .into_iter()
                .chain((0..64).map(|_| rng.next() as u32))
            {
                if x == 0 {
                    continue;
                }
                let q = ((x as u128 * rcp as u128) >> 64) as u32;
                let want = if f == 1 { x - 1 } else { x / f };
                assert_eq!(q, want, "x {x} f {f}");
            }
        }
    }

    #[test]
    fn errors() {
        let f = [3u32, 1];
        let mut out = [0u8; HEADER + 32];
        assert_eq!(encode::<u8>(&[0, 1], &[3, 2], 2, &mut out), ERR_MODEL);
        assert_eq!(encode::<u8>(&[0, 1], &f, 0, &mut out), ERR_MODEL);
        assert_eq!(encode::<u8>(&[0, 1], &f, 17, &mut out), ERR_MODEL);
        assert_eq!(encode::<u8>(&[0, 1], &[], 2, &mut out), ERR_MODEL);
        assert_eq!(encode::<u8>(&[0], &vec![1u32; 512], 9, &mut out), ERR_MODEL);
        assert_eq!(encode::<u16>(&[0], &vec![1u32; 512], 9, &mut out), HEADER as i32);
        // Model before capacity, capacity before symbols.
        assert_eq!(encode::<u8>(&[0; 17], &[3, 2], 2, &mut out), ERR_MODEL);
        assert_eq!(encode::<u8>(&[0; 17], &f, 2, &mut out), ERR_CAPACITY);
        assert_eq!(encode::<u8>(&[0; 16], &f, 2, &mut out), HEADER as i32);
        assert_eq!(encode::<u8>(&[2], &f, 2, &mut out), ERR_SYMBOL);
        assert_eq!(encode::<u8>(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255], &f, 2, &mut out[..HEADER + 22]), ERR_SYMBOL);
        assert_eq!(encode::<u16>(&[0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 9], &f, 2, &mut out), ERR_SYMBOL);
        assert_eq!(encode::<u8>(&[1, 0, 2, 0, 0, 0, 0, 0], &[2, 2, 0], 2, &mut out), ERR_SYMBOL);
        // Decoder structure errors.
        let mut o = [0u8; 4];
        assert_eq!(decode::<u8>(&[0; HEADER - 1], &f, 2, &mut o), ERR_TRUNCATED);
        assert_eq!(decode::<u8>(&[0; HEADER + 1], &[3, 2], 2, &mut o), ERR_MODEL);
        assert_eq!(decode::<u8>(&[0xFF; HEADER + 1], &f, 2, &mut o), ERR_CORRUPT);
        assert_eq!(decode::<u8>(&[0; HEADER], &f, 2, &mut o), ERR_CORRUPT);
        let good = enc(&[0, 1, 0, 0], &f, 2, false).unwrap();
        assert_eq!(dec(&good, &f, 2, 4, false).unwrap(), vec![0, 1, 0, 0]);
        // Wrong n: too few steps leaves states ≠ 2^16, too many runs out or leaves garbage.
        assert!(dec(&good, &f, 2, 3, false).is_err());
        assert!(dec(&good, &f, 2, 5, false).is_err());
        let mut extra = good.clone();
        extra.extend_from_slice(&[0, 0]);
        assert_eq!(dec(&extra, &f, 2, 4, false), Err(ERR_CORRUPT));
    }

    /// Decoding arbitrary bytes never panics and agrees with the reference decoder (result or code).
    fn check_decode(src: &[u8], f: &[u32], s: u32, n: usize) {
        let want = reference_decode(src, f, s, n);
        for wide in [false, true] {
            if !wide && f.len() > 256 {
                continue;
            }
            let got = dec(src, f, s, n, wide);
            assert_eq!(got, want, "len {} n {n} s {s}", src.len());
        }
    }

    #[test]
    fn decoder_fuzz() {
        let mut rng = Rng(0xDEADBEEF);
        for round in 0..60 {
            let (nsym, s) = [(2usize, 1u32), (5, 4), (40, 8), (256, 11), (300, 16)][round % 5];
            let f = random_model(&mut rng, nsym, s, true);
            let n = rng.below(200) as usize;
            let syms = draw(&mut rng, &f, s, n);
            let stream = round_trip(&syms, &f, s);
            // Every truncation.
            for cut in 0..stream.len() {
                check_decode(&stream[..cut], &f, s, n);
            }
            // Bit flips.
            for _ in 0..40 {
                let mut b = stream.clone();
                let bit = rng.below(8 * b.len() as u64) as usize;
                b[bit / 8] ^= 1 << (bit % 8);
                check_decode(&b, &f, s, n);
            }
            // Random bytes, random lengths, random n.
            for _ in 0..20 {
                let len = rng.below(120) as usize;
                let b: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                check_decode(&b, &f, s, rng.below(300) as usize);
                // Valid states, random words: reaches the fast path.
                let mut b: Vec<u8> = (0..len.max(72) & !1).map(|_| rng.next() as u8).collect();
                for j in 0..LANES {
                    b[4 * j + 3] |= 1;
                }
                check_decode(&b, &f, s, rng.below(300) as usize);
            }
        }
    }
}

#[cfg(test)]
mod bench {
    use super::*;

    /// `cargo test --release rans_throughput -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn rans_throughput() {
        let mut rng = tests::Rng(1);
        let n = 1 << 20;
        for &(name, nsym, s, spread) in &[
            ("~3 bits", 256usize, 12u32, 6.0f64),
            ("~7 bits", 256, 12, 80.0),
            ("~1 bit", 256, 14, 0.4),
            ("16-bit ~12 bits", 65536, 16, 1200.0),
        ] {
            // Laplace-ish symbols around nsym / 2.
            let syms16: Vec<u16> = (0..n)
                .map(|_| {
                    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
                    let v = (-(1.0 - u).ln() * spread) as i64 * if rng.next() & 1 == 0 { 1 } else { -1 };
                    (nsym as i64 / 2 + v).clamp(0, nsym as i64 - 1) as u16
                })
                .collect();
            let mut counts = vec![0u32; nsym];
            for &v in &syms16 {
                counts[v as usize] += 1;
            }
            let mut f = vec![0u32; nsym];
            assert_eq!(crate::entropy::model::quantize_counts(&counts, s, &mut f), 0);
            let mut out = vec![1u8; HEADER + 2 * n];
            let wide = nsym > 256;
            let syms8: Vec<u8> = syms16.iter().map(|&v| v as u8).collect();
            let mut te = f64::MAX;
            let mut len = 0;
            for _ in 0..40 {
                let t = std::time::Instant::now();
                len = if wide { encode(&syms16, &f, s, &mut out) } else { encode(&syms8, &f, s, &mut out) };
                te = te.min(t.elapsed().as_secs_f64());
            }
            assert!(len > 0);
            let stream = &out[..len as usize];
            // Scalar and SIMD fast paths interleaved, so both see the same machine load.
            let mut best = [f64::MAX; 2];
            let mut o16 = vec![1u16; n];
            let mut o8 = vec![1u8; n];
            for round in 0..160 {
                let simd = round % 2 == 1 && simd_path();
                let t = std::time::Instant::now();
                let r = if wide { decode_with(stream, &f, s, &mut o16, simd) } else { decode_with(stream, &f, s, &mut o8, simd) };
                best[round % 2] = best[round % 2].min(t.elapsed().as_secs_f64());
                assert_eq!(r, 0);
                assert!(if wide { o16 == syms16 } else { o8 == syms8 });
            }
            let w = if wide { 2.0 } else { 1.0 };
            println!(
                "{name}: {:.2} bits/sym, encode {:.0} MB/s, decode scalar {:.0} MB/s, SIMD{} {:.0} MB/s",
                8.0 * len as f64 / n as f64,
                n as f64 * w / te / 1e6,
                n as f64 * w / best[0] / 1e6,
                if simd_path() { "" } else { " (unavailable: scalar again)" },
                n as f64 * w / best[1] / 1e6,
            );
        }
    }
}
