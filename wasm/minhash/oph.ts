// One-permutation hashing (Li, Owen & Zhang 2012) with optimal densification (Shrivastava, ICML 2017).
// A token h is mixed once, g = fmix64(h ^ tokenKey): its bin is reduce(hi32(g), k) and its value
// lo32(g) (0xFFFFFFFF is clamped to 0xFFFFFFFE, which marks an empty bin). Cost O(d + k).
import { fmix64, probeKey, reduce, tokenKey } from "./mix";

export const EMPTY: u32 = 0xFFFFFFFF;
// After this many hashed probes an empty bin scans linearly from its last probe. The order is still
// fixed by (seed, bin) alone, so densification stays an LSH; it only bounds the worst case.
const MAX_PROBES: u32 = 4096;

/** Folds `n` token hashes into raw OPH bins (u32[k], start from all EMPTY). */
export function oph_update(hashes: usize, n: u32, k: u32, seedLo: u32, seedHi: u32, bins: usize): i32 {
  if (k == 0) return -1;
  const key = tokenKey(seedLo, seedHi);
  for (let i: usize = 0; i < <usize>n; i++) {
    const g = fmix64(<u64>load<u32>(hashes + (i << 2)) ^ key);
    const at = bins + (<usize>reduce(<u32>(g >>> 32), k) << 2);
    // Branch-free: whether a token lowers its bin is a coin flip the predictor cannot learn.
    store<u32>(at, min(min(<u32>g, EMPTY - 1), load<u32>(at)));
  }
  return 0;
}

/** Probe `attempt` (1, 2, …) of empty bin j: a bin chosen by (seed, j, attempt) only. */
// @ts-ignore: decorator
@inline function probe(key: u64, j: u32, attempt: u32, k: u32): u32 {
  return reduce(<u32>(fmix64(key + ((<u64>j << 32) | <u64>attempt)) >>> 32), k);
}

/**
 * Densifies one sketch: `dst` (k u32) = `src` with each empty bin replaced by the first bin on its
 * probe sequence that is non-empty in `src`. Reading the snapshot `src`, never a bin filled earlier
 * in the same pass, is what keeps the variance near classic MinHash (copying filled bins chains
 * copies and inflates it several-fold on sparse sets). A row with no non-empty bin is copied as is
 * (all EMPTY). `dst` must not alias `src`; `key` = probeKey(seed).
 */
export function densifyRow(src: usize, dst: usize, k: u32, key: u64): void {
  memory.copy(dst, src, <usize>k << 2);
  let filled: u32 = 0;
  for (let j: u32 = 0; j < k; j++) filled += <u32>(load<u32>(src + (<usize>j << 2)) != EMPTY);
  if (filled == 0 || filled == k) return;
  for (let j: u32 = 0; j < k; j++) {
    if (load<u32>(src + (<usize>j << 2)) != EMPTY) continue;
    let attempt: u32 = 1;
    let p = probe(key, j, attempt, k);
    while (load<u32>(src + (<usize>p << 2)) == EMPTY) {
      if (attempt < MAX_PROBES) p = probe(key, j, ++attempt, k);
      else p = p + 1 == k ? 0 : p + 1;
    }
    store<u32>(dst + (<usize>j << 2), load<u32>(src + (<usize>p << 2)));
  }
}

/**
 * Densifies `rows` sketches of k raw bins from `bins` into `out` (densifyRow per row; `out` must not
 * alias `bins`). Returns 0, or -1 when out == bins or k == 0.
 */
export function oph_densify(bins: usize, rows: u32, k: u32, seedLo: u32, seedHi: u32, out: usize): i32 {
  if (k == 0 || out == bins) return -1;
  const key = probeKey(seedLo, seedHi);
  const rowBytes = <usize>k << 2;
  for (let r: usize = 0; r < <usize>rows; r++) densifyRow(bins + r * rowBytes, out + r * rowBytes, k, key);
  return 0;
}
