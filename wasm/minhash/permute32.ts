// Classic MinHash over the 32-bit family (the default for 'xxh32' tokens; docs/minhash.md, "The
// 32-bit permutation family"): token h under permutation j is
//   π_j(h) = (a_j · fmix32(h) + b_j) mod 2^32,   a_j odd,
// a bijection of u32 for every j. fmix32 is applied once per token (O(n), not O(n·k)); the k
// permutations are then one 32-bit multiply-add each, four lanes per i32x4 vector (the Mersenne
// family of permute.ts needs 64-bit products, two lanes).
//
// Permutations are laid out as a: u32[k], b: u32[k] (k a multiple of 8).
import { fmix32 } from "./mix";

/**
 * Folds `n` token hashes into `sig` (u32[k], running minimum; start from 0xFFFFFFFF). The token
 * hashes at `hashes` are overwritten by fmix32 of themselves.
 */
export function minhash_update32(hashes: usize, n: u32, perm: usize, k: u32, sig: usize): i32 {
  if (k == 0 || (k & 7) != 0) return -1;
  for (let i: usize = 0; i < <usize>n; i++) store<u32>(hashes + (i << 2), fmix32(load<u32>(hashes + (i << 2))));
  if (ASC_FEATURE_SIMD) simd(hashes, n, perm, k, sig);
  else scalar(hashes, n, perm, k, sig);
  return 0;
}

function scalar(mixed: usize, n: u32, perm: usize, k: u32, sig: usize): void {
  const bs = perm + (<usize>k << 2);
  for (let j: usize = 0; j < <usize>k; j++) {
    const a = load<u32>(perm + (j << 2));
    const b = load<u32>(bs + (j << 2));
    let m = load<u32>(sig + (j << 2));
    for (let i: usize = 0; i < <usize>n; i++) m = min(m, a * load<u32>(mixed + (i << 2)) + b);
    store<u32>(sig + (j << 2), m);
  }
}

// Permutations outermost, 8 at a time: a, b and the running minima stay in registers while the
// mixed tokens stream past.
function simd(mixed: usize, n: u32, perm: usize, k: u32, sig: usize): void {
  const bBase = perm + (<usize>k << 2);
  for (let j: usize = 0; j < <usize>k; j += 8) {
    const a0 = v128.load(perm + (j << 2));
    const a1 = v128.load(perm + (j << 2), 16);
    const b0 = v128.load(bBase + (j << 2));
    const b1 = v128.load(bBase + (j << 2), 16);
    let m0 = v128.load(sig + (j << 2));
    let m1 = v128.load(sig + (j << 2), 16);
    for (let i: usize = 0; i < <usize>n; i++) {
      const y = v128.load32_splat(mixed + (i << 2));
      m0 = i32x4.min_u(m0, i32x4.add(i32x4.mul(a0, y), b0));
      m1 = i32x4.min_u(m1, i32x4.add(i32x4.mul(a1, y), b1));
    }
    v128.store(sig + (j << 2), m0);
    v128.store(sig + (j << 2), m1, 16);
  }
}
