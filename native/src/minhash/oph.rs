//! One-permutation hashing with optimal densification, bit-exact with `wasm/minhash/oph.ts` and
//! `mix.ts` (docs/internals.md, "One-permutation hashing").

pub const EMPTY: u32 = 0xFFFF_FFFF;
/// After this many hashed probes an empty bin scans linearly from its last probe (bounds the worst case).
const MAX_PROBES: u32 = 4096;

/// MurmurHash3's 64-bit finalizer.
#[inline(always)]
pub fn fmix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51AFD7ED558CCD);
    x ^= x >> 33;
    x = x.wrapping_mul(0xC4CEB9FE1A85EC53);
    x ^ (x >> 33)
}

/// `(x·k) >> 32`: a u32 mapped uniformly onto [0, k).
#[inline(always)]
fn reduce(x: u32, k: u32) -> usize {
    ((x as u64 * k as u64) >> 32) as usize
}

/// Folds token hashes into raw bins (`bins.len()` = k, start from all EMPTY).
pub fn update(hashes: &[u32], seed: u64, bins: &mut [u32]) {
    let k = bins.len() as u32;
    let key = fmix64(seed.wrapping_add(0x9E3779B97F4A7C15));
    for &h in hashes {
        let g = fmix64(h as u64 ^ key);
        let at = reduce((g >> 32) as u32, k);
        bins[at] = bins[at].min((g as u32).min(EMPTY - 1));
    }
}

/// Densifies one row: `dst` = `src` with each empty bin replaced by the first bin on its probe
/// sequence that is non-empty in `src` (never a bin filled in this pass). All-empty rows are copied.
pub fn densify_row(src: &[u32], seed: u64, dst: &mut [u32]) {
    dst.copy_from_slice(src);
    let k = src.len() as u32;
    let filled = src.iter().filter(|&&v| v != EMPTY).count() as u32;
    if filled == 0 || filled == k {
        return;
    }
    let key = fmix64(seed ^ 0xD1B54A32D192ED03);
    let probe = |j: u32, attempt: u32| reduce((fmix64(key.wrapping_add((j as u64) << 32 | attempt as u64)) >> 32) as u32, k);
    for j in 0..k {
        if src[j as usize] != EMPTY {
            continue;
        }
        let mut attempt = 1;
        let mut p = probe(j, attempt);
        while src[p] == EMPTY {
            if attempt < MAX_PROBES {
                attempt += 1;
                p = probe(j, attempt);
            } else {
                p = if p + 1 == k as usize { 0 } else { p + 1 };
            }
        }
        dst[j as usize] = src[p];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_keep_minima_and_densify_copies_only_original_values() {
        let k = 64;
        let mut bins = vec![EMPTY; k];
        let hashes: Vec<u32> = (0..20u32).map(|i| i.wrapping_mul(2654435761)).collect();
        update(&hashes, 1, &mut bins);
        let filled: Vec<u32> = bins.iter().copied().filter(|&v| v != EMPTY).collect();
        assert!(!filled.is_empty() && filled.len() < k);
        // Order does not matter.
        let mut again = vec![EMPTY; k];
        update(&hashes.iter().rev().copied().collect::<Vec<_>>(), 1, &mut again);
        assert_eq!(bins, again);
        let mut dense = vec![0; k];
        densify_row(&bins, 1, &mut dense);
        assert!(dense.iter().all(|v| filled.contains(v)));
        for j in 0..k {
            if bins[j] != EMPTY {
                assert_eq!(dense[j], bins[j]);
            }
        }
        let mut empty = vec![0; k];
        densify_row(&vec![EMPTY; k], 1, &mut empty);
        assert!(empty.iter().all(|&v| v == EMPTY));
    }
}
