// Classic MinHash: for each of k permutations, sig[j] = min over tokens h of
//   u32( ((a_j·h + b_j) mod 2^64) mod (2^61 − 1) )
// exactly as datasketch computes it with numpy uint64 (the product wraps mod 2^64 before the
// Mersenne reduction; see docs/internals.md). The Mersenne reduction needs no division:
//   x mod p = r or r − p, with r = (x & p) + (x >> 61) < 2p,
// and since 2^61 ≡ 0 mod 2^32, u32(r − p) = u32(r) + 1, so u32(x mod p) = u32(r) + ((r + 1) >> 61).
//
// Permutations are laid out as aLo: u32[k], aHi: u32[k], b: u64[k] (k a multiple of 8) so that the
// SIMD path multiplies the 32-bit token by both halves of a with native 32-bit lane multiplies:
//   a·h mod 2^64 = aLo·h + ((aHi·h mod 2^32) << 32).

const P: u64 = 0x1FFFFFFFFFFFFFFF;

/** Folds `n` token hashes into `sig` (u32[k], running minimum; start from 0xFFFFFFFF). */
export function minhash_update(hashes: usize, n: u32, perm: usize, k: u32, sig: usize): i32 {
  if (k == 0 || (k & 7) != 0) return -1;
  if (ASC_FEATURE_SIMD) simd(hashes, n, perm, k, sig);
  else scalar(hashes, n, perm, k, sig);
  return 0;
}

function scalar(hashes: usize, n: u32, perm: usize, k: u32, sig: usize): void {
  const aLo = perm;
  const aHi = perm + (<usize>k << 2);
  const bs = perm + (<usize>k << 3);
  for (let j: usize = 0; j < <usize>k; j++) {
    const a = (<u64>load<u32>(aHi + (j << 2)) << 32) | <u64>load<u32>(aLo + (j << 2));
    const b = load<u64>(bs + (j << 3));
    let m = load<u32>(sig + (j << 2));
    for (let i: usize = 0; i < <usize>n; i++) {
      const x = a * <u64>load<u32>(hashes + (i << 2)) + b;
      const r = (x & P) + (x >>> 61);
      const v = <u32>r + <u32>((r + 1) >>> 61);
      m = min(m, v);
    }
    store<u32>(sig + (j << 2), m);
  }
}

// @ts-ignore: decorator
@inline function permute4(h4: v128, aLo: v128, aHi: v128, b01: v128, b23: v128): v128 {
  const zero = i32x4.splat(0);
  const pmask = i64x2.splat(P);
  const one = i64x2.splat(1);
  const hi = i32x4.mul(aHi, h4);
  const x01 = i64x2.add(i64x2.add(i64x2.extmul_low_i32x4_u(aLo, h4), v128.shuffle<u32>(zero, hi, 0, 4, 0, 5)), b01);
  const x23 = i64x2.add(i64x2.add(i64x2.extmul_high_i32x4_u(aLo, h4), v128.shuffle<u32>(zero, hi, 0, 6, 0, 7)), b23);
  const r01 = i64x2.add(v128.and(x01, pmask), i64x2.shr_u(x01, 61));
  const r23 = i64x2.add(v128.and(x23, pmask), i64x2.shr_u(x23, 61));
  const lo = v128.shuffle<u32>(r01, r23, 0, 2, 4, 6);
  const carry = i32x4.shr_u(v128.shuffle<u32>(i64x2.add(r01, one), i64x2.add(r23, one), 1, 3, 5, 7), 29);
  return i32x4.add(lo, carry);
}

// Permutations outermost, 8 at a time: a, b and the running minima stay in registers while the
// tokens stream past (two independent groups of 4 keep both multiply ports busy).
function simd(hashes: usize, n: u32, perm: usize, k: u32, sig: usize): void {
  const aHiBase = perm + (<usize>k << 2);
  const bBase = perm + (<usize>k << 3);
  for (let j: usize = 0; j < <usize>k; j += 8) {
    const aLo0 = v128.load(perm + (j << 2));
    const aLo1 = v128.load(perm + (j << 2), 16);
    const aHi0 = v128.load(aHiBase + (j << 2));
    const aHi1 = v128.load(aHiBase + (j << 2), 16);
    const b0 = v128.load(bBase + (j << 3));
    const b1 = v128.load(bBase + (j << 3), 16);
    const b2 = v128.load(bBase + (j << 3), 32);
    const b3 = v128.load(bBase + (j << 3), 48);
    let m0 = v128.load(sig + (j << 2));
    let m1 = v128.load(sig + (j << 2), 16);
    for (let i: usize = 0; i < <usize>n; i++) {
      const h4 = v128.load32_splat(hashes + (i << 2));
      m0 = i32x4.min_u(m0, permute4(h4, aLo0, aHi0, b0, b1));
      m1 = i32x4.min_u(m1, permute4(h4, aLo1, aHi1, b2, b3));
    }
    v128.store(sig + (j << 2), m0);
    v128.store(sig + (j << 2), m1, 16);
  }
}
