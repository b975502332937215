//! Token hashes (`kind` of docs/internals.md, "MinHash"): 0 = XXH32 seed 0, 1 = datasketch's sha1_hash32.

use super::sha1::sha1_32;
use crate::core::xxhash32::xxh32;

pub const HASH_XXH32: i32 = 0;
pub const HASH_SHA1: i32 = 1;

#[inline]
pub fn hash_bytes(data: &[u8], kind: i32) -> u32 {
    if kind == HASH_SHA1 {
        sha1_32(data)
    } else {
        xxh32(data, 0)
    }
}

/// Item `i` = `bytes[offsets[i]..offsets[i+1]]`; writes its hash to `out[i]`. −1 for an unknown
/// kind or offsets that are not ascending within `bytes`.
pub fn hash_items(bytes: &[u8], offsets: &[u32], kind: i32, out: &mut [u32]) -> i32 {
    if (kind != HASH_XXH32 && kind != HASH_SHA1) || offsets.len() != out.len() + 1 {
        return -1;
    }
    if offsets.windows(2).any(|w| w[0] > w[1]) || offsets.last().is_some_and(|&e| e as usize > bytes.len()) {
        return -1;
    }
    for (o, w) in out.iter_mut().zip(offsets.windows(2)) {
        *o = hash_bytes(&bytes[w[0] as usize..w[1] as usize], kind);
    }
    0
}
