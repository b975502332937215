//! Classic MinHash permutations, bit-exact with `wasm/minhash/permute.ts`: token `h` under
//! permutation `j` is `u32(((a_j·h + b_j) mod 2^64) mod (2^61 − 1))` (datasketch's numpy arithmetic,
//! docs/internals.md "Classic permutations"); the signature keeps the minimum per permutation.

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

#[inline(always)]
fn update_generic(hashes: &[u32], perm: &Permutations, sig: &mut [u32]) {
    let k = sig.len().min(perm.len());
    let mut j = 0;
    while j + LANES <= k {
        let a: [u64; LANES] = perm.a[j..j + LANES].try_into().unwrap();
        let b: [u64; LANES] = perm.b[j..j + LANES].try_into().unwrap();
        let mut m: [u32; LANES] = sig[j..j + LANES].try_into().unwrap();
        for &h in hashes {
            for l in 0..LANES {
                m[l] = m[l].min(permuted(a[l], b[l], h as u64));
            }
        }
        sig[j..j + LANES].copy_from_slice(&m);
        j += LANES;
    }
    for j in j..k {
        let (a, b) = (perm.a[j], perm.b[j]);
        sig[j] = hashes.iter().fold(sig[j], |m, &h| m.min(permuted(a, b, h as u64)));
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512vl")]
unsafe fn update_avx512(hashes: &[u32], perm: &Permutations, sig: &mut [u32]) {
    update_generic(hashes, perm, sig)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn update_avx2(hashes: &[u32], perm: &Permutations, sig: &mut [u32]) {
    update_generic(hashes, perm, sig)
}

/// Folds `hashes` into `sig` (running minima; start from 0xFFFFFFFF). Uses the widest vector unit
/// present: the arithmetic is integer and exact, so every path gives the same bits.
pub fn update(hashes: &[u32], perm: &Permutations, sig: &mut [u32]) {
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("avx512dq") && is_x86_feature_detected!("avx512vl") {
            return unsafe { update_avx512(hashes, perm, sig) };
        }
        if is_x86_feature_detected!("avx2") {
            return unsafe { update_avx2(hashes, perm, sig) };
        }
    }
    update_generic(hashes, perm, sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formula in exact big-integer steps (u128), as the numpy reference computes it.
    fn reference(a: u64, b: u64, h: u32) -> u32 {
        let x = ((a as u128 * h as u128 + b as u128) % (1u128 << 64)) as u64;
        (x % P) as u32
    }

    #[test]
    fn matches_the_reference_on_every_path() {
        let mut s = 0x9E3779B97F4A7C15u64;
        let mut next = || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            s
        };
        let k = 40; // two full 16-lane blocks and a remainder
        let perm = Permutations { a: (0..k).map(|_| next() % P).collect(), b: (0..k).map(|_| next() % P).collect() };
        let hashes: Vec<u32> = (0..300).map(|i| if i < 3 { [0, u32::MAX, 1][i] } else { next() as u32 }).collect();
        let mut sig = vec![u32::MAX; k];
        update(&hashes, &perm, &mut sig);
        let mut plain = vec![u32::MAX; k];
        update_generic(&hashes, &perm, &mut plain);
        for j in 0..k {
            let want = hashes.iter().map(|&h| reference(perm.a[j], perm.b[j], h)).min().unwrap();
            assert_eq!(sig[j], want, "perm {j}");
            assert_eq!(plain[j], want, "perm {j} (portable path)");
        }
    }

    #[test]
    fn unpacks_the_kernel_layout() {
        let packed = [1u32, 2, 3, 4, 5, 6, 7, 8];
        let p = Permutations::unpack(&packed).unwrap();
        assert_eq!(p.a, vec![3u64 << 32 | 1, 4u64 << 32 | 2]);
        assert_eq!(p.b, vec![6u64 << 32 | 5, 8u64 << 32 | 7]);
        assert!(Permutations::unpack(&packed[..7]).is_none());
    }
}
