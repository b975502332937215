// Token hashes: every sketch starts from one u32 per token. kind 0 = XXH32 seed 0 (fast), kind 1 =
// the first 4 bytes of SHA-1, little-endian (datasketch's sha1_hash32, for compatible signatures).
import { xxh32 } from "../core/xxhash32";
import { sha1_32 } from "../core/sha1";

export const HASH_XXH32: i32 = 0;
export const HASH_SHA1: i32 = 1;

// @ts-ignore: decorator
@inline export function hashBytes(ptr: usize, len: usize, kind: i32): u32 {
  return kind == HASH_SHA1 ? sha1_32(ptr, len) : xxh32(ptr, len, 0);
}

/**
 * Hashes `n` byte strings: item i is bytes [offsets[i], offsets[i+1]) of `bytes` (offsets: u32[n+1]).
 * Writes u32[n] to `out`. Returns 0, or -1 for an unknown `kind`.
 */
export function hash_items(bytes: usize, offsets: usize, n: u32, kind: i32, out: usize): i32 {
  if (kind != HASH_XXH32 && kind != HASH_SHA1) return -1;
  for (let i: usize = 0; i < <usize>n; i++) {
    const start = load<u32>(offsets + (i << 2));
    const end = load<u32>(offsets + (i << 2) + 4);
    store<u32>(out + (i << 2), hashBytes(bytes + start, end - start, kind));
  }
  return 0;
}
