//! The exact rANS path for probability precision 17–24, stream format "rans16x32"
//! (docs/internals.md, "Entropy"): 16 lanes of u64 state in [2^32, 2^64) renormalising by one u32
//! word. Mirrors `wasm/entropy/exact.ts` byte for byte. No slot table (2^24 entries would be 64 MiB):
//! the decoder binary-searches the cumulative table of the present symbols, between the bounds a
//! 4096-bucket index on the slot's top 12 bits gives, and the encoder divides.

use super::rans::{Sym, ERR_CORRUPT, ERR_SYMBOL, ERR_TRUNCATED, LANES};

/// Lower bound of a wide lane state.
const L64: u64 = 1 << 32;
/// Buckets of the decoder's search index: bucket b covers the slots whose top 12 bits are b.
const BUCKET_BITS: u32 = 12;
/// Bytes of the 16 initial u64 states at the start of a stream.
pub const HEADER_WIDE: usize = LANES * 8;

/// The documented output bound: `64 + 4n` (`None` on overflow).
pub fn max_stream_len_wide(n: usize) -> Option<usize> {
    n.checked_mul(4)?.checked_add(HEADER_WIDE)
}

/// Encodes `syms` (the model already checked, `out.len() ≥ 64 + 4n`). Returns the length or
/// `ERR_SYMBOL`.
pub fn encode_wide<T: Sym>(syms: &[T], freqs: &[u32], s: u32, out: &mut [u8]) -> i32 {
    let mut cum = vec![0u32; freqs.len()];
    let mut c = 0u32;
    for (k, &f) in freqs.iter().enumerate() {
        cum[k] = c;
        c = c.wrapping_add(f);
    }
    let cap = out.len();
    // Words are pushed downwards from the end; at most one per symbol, so never into the header.
    let mut wp = cap;
    let mut x = [L64; LANES];
    for (i, sym) in syms.iter().enumerate().rev() {
        let k = sym.index();
        let f = match freqs.get(k) {
            Some(&f) if f != 0 => f as u64,
            _ => return ERR_SYMBOL,
        };
        let xi = &mut x[i & (LANES - 1)];
        if (*xi >> (64 - s)) >= f {
            wp -= 4;
            out[wp..wp + 4].copy_from_slice(&(*xi as u32).to_le_bytes());
            *xi >>= 32;
        }
        *xi = ((*xi / f) << s) + (*xi % f) + cum[k] as u64;
    }
    for (j, v) in x.iter().enumerate() {
        out[j * 8..j * 8 + 8].copy_from_slice(&v.to_le_bytes());
    }
    let words = cap - wp;
    out.copy_within(wp..cap, HEADER_WIDE);
    (HEADER_WIDE + words) as i32
}

/// Decodes `out.len()` symbols (the model already checked). Returns 0 or `ERR_TRUNCATED` /
/// `ERR_CORRUPT`; reads nothing outside `src`.
pub fn decode_wide<T: Sym>(src: &[u8], freqs: &[u32], s: u32, out: &mut [T]) -> i32 {
    if src.len() < HEADER_WIDE {
        return ERR_TRUNCATED;
    }
    if src.len() & 3 != 0 {
        return ERR_CORRUPT;
    }
    // (c, f, symbol) of the present symbols, in increasing c.
    let mut table: Vec<(u32, u32, u16)> = Vec::with_capacity(freqs.len());
    let mut c = 0u32;
    for (k, &f) in freqs.iter().enumerate() {
        if f != 0 {
            table.push((c, f, k as u16));
            c += f;
        }
    }
    // index[b] = the entry holding slot b << shift (c[j] ≤ b << shift < c[j + 1]); index[4096] = last.
    let shift = s - BUCKET_BITS;
    let mut index = Vec::with_capacity((1 << BUCKET_BITS) + 1);
    let mut j = 0usize;
    for b in 0..1u32 << BUCKET_BITS {
        while j + 1 < table.len() && table[j + 1].0 <= b << shift {
            j += 1;
        }
        index.push(j);
    }
    index.push(table.len() - 1);
    let mut x = [0u64; LANES];
    for (j, v) in x.iter_mut().enumerate() {
        *v = u64::from_le_bytes(src[8 * j..8 * j + 8].try_into().expect("8 bytes"));
        if *v < L64 {
            return ERR_CORRUPT;
        }
    }
    let words = &src[HEADER_WIDE..];
    let mut rp = 0usize;
    let mask = (1u64 << s) - 1;
    for (i, o) in out.iter_mut().enumerate() {
        let xi = &mut x[i & (LANES - 1)];
        let slot = (*xi & mask) as u32;
        // Largest entry with c ≤ slot, between this bucket's and the next bucket's first entries.
        let b = (slot >> shift) as usize;
        let (mut lo, mut size) = (index[b], index[b + 1] - index[b] + 1);
        while size > 1 {
            let half = size >> 1;
            if table[lo + half].0 <= slot {
                lo += half;
            }
            size -= half;
        }
        let (c, f, k) = table[lo];
        *o = T::from_u16(k);
        *xi = f as u64 * (*xi >> s) + (slot - c) as u64;
        if *xi < L64 {
            if rp + 4 > words.len() {
                return ERR_TRUNCATED;
            }
            *xi = (*xi << 32) | u32::from_le_bytes(words[rp..rp + 4].try_into().expect("4 bytes")) as u64;
            rp += 4;
        }
    }
    if rp != words.len() || x.iter().any(|&v| v != L64) {
        return ERR_CORRUPT;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::super::rans::{decode, encode, tests::Rng, ERR_MODEL};
    use super::*;

    /// Literal transcription of the contract's rans16x32 encoder (u64 division, list of pushed words).
    fn reference_encode(syms: &[u32], freqs: &[u32], s: u32) -> Vec<u8> {
        let cum: Vec<u64> = freqs.iter().scan(0u64, |c, &f| Some(std::mem::replace(c, *c + f as u64))).collect();
        let mut x = [L64; LANES];
        let mut pushed: Vec<u32> = Vec::new();
        for i in (0..syms.len()).rev() {
            let (j, k) = (i % LANES, syms[i] as usize);
            let f = freqs[k] as u64;
            if (x[j] >> (64 - s)) >= f {
                pushed.push(x[j] as u32);
                x[j] >>= 32;
            }
            x[j] = ((x[j] / f) << s) + (x[j] % f) + cum[k];
        }
        let mut out: Vec<u8> = x.iter().flat_map(|v| v.to_le_bytes()).collect();
        out.extend(pushed.iter().rev().flat_map(|w| w.to_le_bytes()));
        out
    }

    /// A sparse model at precision `s`: symbol 0 takes all but a few slots.
    fn sparse_model(rng: &mut Rng, nsym: usize, s: u32) -> Vec<u32> {
        let mut f = vec![0u32; nsym];
        let mut left = 1u32 << s;
        for v in f.iter_mut().skip(1) {
            if rng.below(2) == 0 {
                *v = 1 + rng.below(4) as u32;
                left -= *v;
            }
        }
        f[0] = left;
        f
    }

    fn draw(rng: &mut Rng, f: &[u32], s: u32, n: usize) -> Vec<u32> {
        let cum: Vec<u32> = f.iter().scan(0u32, |c, &v| Some(std::mem::replace(c, *c + v))).collect();
        (0..n)
            .map(|_| {
                let r = rng.below(1 << s) as u32;
                (cum.partition_point(|&c| c <= r) - 1) as u32
            })
            .collect()
    }

    fn enc16(syms: &[u32], f: &[u32], s: u32) -> Vec<u8> {
        let mut out = vec![0u8; HEADER_WIDE + 4 * syms.len()];
        let r = encode(&syms.iter().map(|&v| v as u16).collect::<Vec<_>>(), f, s, &mut out);
        assert!(r >= 0, "encode status {r}");
        out.truncate(r as usize);
        out
    }

    #[test]
    fn exact_round_trips_match_the_reference() {
        let mut rng = Rng(0x5EED);
        for s in 17..=24u32 {
            for &n in &[0usize, 1, 7, 8, 9, 100, 5000] {
                let f = sparse_model(&mut rng, 300, s);
                // Mostly the dominant symbol, with rare ones forced in so every path runs.
                let mut syms = draw(&mut rng, &f, s, n);
                for i in (0..n).step_by(37) {
                    syms[i] = (1..300).find(|&k| f[k] != 0).unwrap() as u32;
                }
                let want = reference_encode(&syms, &f, s);
                let got = enc16(&syms, &f, s);
                assert_eq!(got, want, "s {s} n {n}");
                let mut out = vec![0u16; n];
                assert_eq!(decode(&got, &f, s, &mut out), 0);
                assert!(out.iter().zip(&syms).all(|(&a, &b)| a as u32 == b));
                // u8 symbols give the same bytes when the alphabet fits.
                let f8: Vec<u32> = {
                    let mut g = f[..256].to_vec();
                    g[0] += f[256..].iter().sum::<u32>();
                    g
                };
                let s8: Vec<u8> = syms.iter().map(|&v| if v < 256 { v as u8 } else { 0 }).collect();
                let mut o = vec![0u8; HEADER_WIDE + 4 * n];
                let len = encode(&s8, &f8, s, &mut o);
                assert_eq!(
                    &o[..len as usize],
                    &reference_encode(&s8.iter().map(|&v| v as u32).collect::<Vec<_>>(), &f8, s)[..]
                );
            }
        }
    }

    #[test]
    fn exact_path_reaches_the_ideal_size_on_sparse_data() {
        // p(0) = 1 − 2^−20: at precision 16 each 0 costs ≥ log2(65536/65535) bits, at 24 about 2^−20·1.44.
        let s = 24;
        let mut f = vec![0u32; 2];
        f[1] = 16;
        f[0] = (1 << s) - 16;
        let mut syms = vec![0u32; 1 << 20];
        syms[4321] = 1;
        let ideal: f64 = syms.iter().map(|&k| s as f64 - (f[k as usize] as f64).log2()).sum::<f64>() / 8.0;
        let got = enc16(&syms, &f, s);
        // The information first grows the 128 bytes of final states, then spills into words.
        assert!((got.len() as f64) <= HEADER_WIDE as f64 + ideal + 4.0, "{} vs ideal {ideal}", got.len());
        // At precision 16 the dominant symbol alone costs n·log2(2^16 / (2^16 − 1)) bits ≈ 2.9 bytes
        // here, more than the whole ideal message at 24 bits.
        assert!(ideal < (1u64 << 20) as f64 * (65536f64 / 65535.0).log2() / 8.0);
    }

    #[test]
    fn exact_decoder_rejects_damage_without_panicking() {
        let mut rng = Rng(99);
        let s = 20;
        let f = sparse_model(&mut rng, 40, s);
        let syms = draw(&mut rng, &f, s, 300);
        let good = enc16(&syms, &f, s);
        let mut out = vec![0u16; 300];
        for cut in 0..good.len() {
            let r = decode(&good[..cut], &f, s, &mut out);
            assert!(r == ERR_TRUNCATED || r == ERR_CORRUPT, "cut {cut}: {r}");
        }
        for _ in 0..500 {
            let mut b = good.clone();
            let bit = rng.below(8 * b.len() as u64) as usize;
            b[bit / 8] ^= 1 << (bit % 8);
            let r = decode(&b, &f, s, &mut out);
            assert!(r == 0 || r == ERR_TRUNCATED || r == ERR_CORRUPT);
        }
        assert_eq!(decode(&good, &f[..39], s, &mut out), ERR_MODEL);
        assert_eq!(max_stream_len_wide(usize::MAX), None);
    }
}
