//! Classic MinHash permutations, bit-exact with `wasm/minhash/permute.ts` and `permute32.ts`; the
//! signature keeps the minimum per permutation. Two families (docs/minhash.md):
//! - datasketch's: token `h` under permutation `j` is `u32(((a_j·h + b_j) mod 2^64) mod (2^61 − 1))`
//!   (numpy's arithmetic, docs/internals.md "Classic permutations");
//! - the 32-bit family: `(a_j·fmix32(h) + b_j) mod 2^32`, a_j odd.

const P: u64 = (1 << 61) - 1;

/// Permutation parameters unpacked from the kernel layout `aLo: u32[k], aHi: u32[k], b: u64[k]`.
pub struct Permutations {
    pub a: Vec<u64>,
    pub b: Vec<u64>,
}

impl Permutations {
    /// `packed` holds 4·k u32 words; None when its length is not a multiple of 4.
    pub fn unpack(packed: &[u32]) -> Option<Self> {
        if packed.len() % 4 != 0 {
            return None;
        }
        let k = packed.len() / 4;
        let a = (0..k).map(|j| (packed[k + j] as u64) << 32 | packed[j] as u64).collect();
        let b = (0..k).map(|j| (packed[2 * k + 2 * j + 1] as u64) << 32 | packed[2 * k + 2 * j] as u64).collect();
        Some(Self { a, b })
    }

    pub fn len(&self) -> usize {
        self.a.len()
    }
}

/// The 32-bit family's parameters, from the kernel layout `a: u32[k], b: u32[k]`.
pub struct Permutations32 {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
}

impl Permutations32 {
    /// `packed` holds 2·k u32 words; None when its length is odd.
    pub fn unpack(packed: &[u32]) -> Option<Self> {
        if packed.len() % 2 != 0 {
            return None;
        }
        let (a, b) = packed.split_at(packed.len() / 2);
        Some(Self { a: a.to_vec(), b: b.to_vec() })
    }
}

/// A classic permutation family with its parameters.
pub enum Family {
    Datasketch(Permutations),
    Linear32(Permutations32),
}

impl Family {
    pub fn len(&self) -> usize {
        match self {
            Family::Datasketch(p) => p.len(),
            Family::Linear32(p) => p.a.len(),
        }
    }
}

/// MurmurHash3's 32-bit finalizer: the 32-bit family mixes each token once with it.
#[inline(always)]
pub fn fmix32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x85EB_CA6B);
    x ^= x >> 13;
    x = x.wrapping_mul(0xC2B2_AE35);
    x ^ (x >> 16)
}

/// The Mersenne reduction without division: `r = (x & p) + (x >> 61) < 2p`, and since
/// 2^61 ≡ 0 mod 2^32, `u32(x mod p) = u32(r) + ((r + 1) >> 61)`.
#[inline(always)]
fn permuted(a: u64, b: u64, h: u64) -> u32 {
    let x = a.wrapping_mul(h).wrapping_add(b);
    let r = (x & P) + (x >> 61);
    (r as u32).wrapping_add(((r + 1) >> 61) as u32)
}

/// Lanes of permutations kept in registers while the tokens stream past.
const LANES: usize = 16;
/// The 32-bit family's lanes are a quarter the width of the Mersenne family's (u32 vs u64 products).
const LANES32: usize = 32;

/// The minimum of `permuted(a_j, b_j, token)` over the tokens for every permutation j: L lanes of
/// parameters and minima stay in registers while the tokens stream past (vectorized per lane type).
#[inline(always)]
fn fold_lanes<T: Copy, const L: usize>(tokens: &[u32], a: &[T], b: &[T], sig: &mut [u32], permuted: impl Fn(T, T, u32) -> u32) {
    let k = sig.len().min(a.len());
    let mut j = 0;
    while j + L <= k {
        let pa: [T; L] = a[j..j + L].try_into().unwrap();
        let pb: [T; L] = b[j..j + L].try_into().unwrap();
        let mut m: [u32; L] = sig[j..j + L].try_into().unwrap();
        for &h in tokens {
            for l in 0..L {
                m[l] = m[l].min(permuted(pa[l], pb[l], h));
            }
        }
        sig[j..j + L].copy_from_slice(&m);
        j += L;
    }
    for j in j..k {
        sig[j] = tokens.iter().fold(sig[j], |m, &h| m.min(permuted(a[j], b[j], h)));
    }
}

/// `tokens`: the token hashes (datasketch family) or their fmix32 (32-bit family).
#[inline(always)]
fn update_generic(tokens: &[u32], family: &Family, sig: &mut [u32]) {
    match family {
        Family::Datasketch(p) => fold_lanes::<u64, LANES>(tokens, &p.a, &p.b, sig, |a, b, h| permuted(a, b, h as u64)),
        // Tokens already mixed by fmix32.
        Family::Linear32(p) => fold_lanes::<u32, LANES32>(tokens, &p.a, &p.b, sig, |a, b, y| a.wrapping_mul(y).wrapping_add(b)),
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn update_avx512(tokens: &[u32], family: &Family, sig: &mut [u32]) {
    update_generic(tokens, family, sig)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn update_avx2(tokens: &[u32], family: &Family, sig: &mut [u32]) {
    update_generic(tokens, family, sig)
}

/// Uses the widest vector unit present: the arithmetic is integer and exact, so every path gives the same bits.
fn update_widest(tokens: &[u32], family: &Family, sig: &mut [u32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512dq") && is_x86_feature_detected!("avx512vl") {
            return unsafe { update_avx512(tokens, family, sig) };
        }
        if is_x86_feature_detected!("avx2") {
            return unsafe { update_avx2(tokens, family, sig) };
        }
    }
    update_generic(tokens, family, sig)
}

/// Folds `hashes` into `sig` (running minima; start from 0xFFFFFFFF).
pub fn update(hashes: &[u32], family: &Family, sig: &mut [u32]) {
    match family {
        Family::Datasketch(_) => update_widest(hashes, family, sig),
        Family::Linear32(_) => {
            // fmix32 once per token, not once per token and permutation.
            let mixed: Vec<u32> = hashes.iter().map(|&h| fmix32(h)).collect();
            update_widest(&mixed, family, sig)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formula in exact big-integer steps (u128), as the numpy reference computes it.
    fn reference(a: u64, b: u64, h: u32) -> u32 {
        let x = ((a as u128 * h as u128 + b as u128) % (1u128 << 64)) as u64;
        (x % P) as u32
    }

    fn xorshift(mut s: u64) -> impl FnMut() -> u64 {
        move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        }
    }

    #[test]
    fn matches_the_reference_on_every_path() {
        let mut next = xorshift(0x9E3779B97F4A7C15);
        let k = 40; // two full 16-lane blocks and a remainder
        let perm = Permutations { a: (0..k).map(|_| next() % P).collect(), b: (0..k).map(|_| next() % P).collect() };
        let hashes: Vec<u32> = (0..300).map(|i| if i < 3 { [0, u32::MAX, 1][i] } else { next() as u32 }).collect();
        let (sig, plain) = both_paths(&hashes, &Family::Datasketch(Permutations { a: perm.a.clone(), b: perm.b.clone() }), k);
        for j in 0..k {
            let want = hashes.iter().map(|&h| reference(perm.a[j], perm.b[j], h)).min().unwrap();
            assert_eq!(sig[j], want, "perm {j}");
            assert_eq!(plain[j], want, "perm {j} (portable path)");
        }
    }

    /// `update` (widest vector path) and the portable path on the same tokens.
    fn both_paths(hashes: &[u32], family: &Family, k: usize) -> (Vec<u32>, Vec<u32>) {
        let mut sig = vec![u32::MAX; k];
        update(hashes, family, &mut sig);
        let mut plain = vec![u32::MAX; k];
        let tokens: Vec<u32> = match family {
            Family::Datasketch(_) => hashes.to_vec(),
            Family::Linear32(_) => hashes.iter().map(|&h| fmix32(h)).collect(),
        };
        update_generic(&tokens, family, &mut plain);
        (sig, plain)
    }

    #[test]
    fn linear32_matches_its_formula_on_every_path() {
        let mut next = xorshift(0xD1B54A32D192ED03);
        let k = 72; // two full 32-lane blocks and a remainder
        let a: Vec<u32> = (0..k).map(|_| next() as u32 | 1).collect();
        let b: Vec<u32> = (0..k).map(|_| next() as u32).collect();
        let hashes: Vec<u32> = (0..300).map(|i| if i < 3 { [0, u32::MAX, 1][i] } else { next() as u32 }).collect();
        let (sig, plain) = both_paths(&hashes, &Family::Linear32(Permutations32 { a: a.clone(), b: b.clone() }), k);
        for j in 0..k {
            let want = hashes.iter().map(|&h| (a[j] as u64 * fmix32(h) as u64 + b[j] as u64) as u32).min().unwrap();
            assert_eq!(sig[j], want, "perm {j}");
            assert_eq!(plain[j], want, "perm {j} (portable path)");
        }
        // MurmurHash3 fmix32 reference values.
        assert_eq!(fmix32(0), 0);
        assert_eq!(fmix32(1), 0x514E_28B7);
    }

    #[test]
    fn unpacks_the_kernel_layout() {
        let packed = [1u32, 2, 3, 4, 5, 6, 7, 8];
        let p = Permutations::unpack(&packed).unwrap();
        assert_eq!(p.a, vec![3u64 << 32 | 1, 4u64 << 32 | 2]);
        assert_eq!(p.b, vec![6u64 << 32 | 5, 8u64 << 32 | 7]);
        assert!(Permutations::unpack(&packed[..7]).is_none());
        let p = Permutations32::unpack(&packed[..4]).unwrap();
        assert_eq!((p.a, p.b), (vec![1, 2], vec![3, 4]));
        assert!(Permutations32::unpack(&packed[..3]).is_none());
    }
}
