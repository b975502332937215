// The exact rANS path for probability precision 17 … 24 ("rans16x32", docs/internals.md): 16 lanes of
// u64 state in [2^32, 2^64) that renormalise by one u32 word. A 2^24-slot lookup table would be 64 MiB
// of u32, so the decoder finds each symbol by a branch-free binary search over the cumulative table of
// the present symbols, narrowed first by a 4096-bucket index on the slot's top 12 bits (usually to
// one or two candidates), and the encoder divides exactly (u64). Sparse data (XOR deltas, where one
// symbol has p ≈ 1) needs the finer steps: at 16 bits the dominant symbol cannot cost less than
// log2(2^16 / (2^16 − 1)) bits, at 24 bits 256× less.
import { ERR_CORRUPT, ERR_SYMBOL, ERR_TRUNCATED, LANES } from "./status";

/** Lower bound of a wide lane state. */
const L64: u64 = <u64>1 << 32;

/** Encoder: the symbol table holds u32 f at +8 and u32 c at +12 of each 16-byte entry (encode.ts). */
// @ts-ignore: decorator
@inline function putWide(x: u64, e: usize, s: u64): u64 {
  const f = <u64>load<u32>(e, 8);
  if ((x >> (64 - s)) >= f) {
    wp -= 4;
    store<u32>(wp, <u32>x);
    x >>= 32;
  }
  return ((x / f) << s) + (x % f) + <u64>load<u32>(e, 12);
}

/** Write cursor for the u32 words, pushed downwards from the end of the output buffer. */
let wp: usize = 0;

/** Encodes `n` symbols (width W) with the table at `table`; returns the stream length or ERR_SYMBOL. */
export function encodeWide<T>(syms: usize, n: i32, table: usize, s: u32, out: usize, cap: usize): i32 {
  const W = sizeof<T>();
  wp = out + cap;
  const header = <usize>LANES << 3;
  for (let j = 0; j < LANES; j++) store<u64>(out + (<usize>j << 3), L64);
  for (let i = n - 1; i >= 0; i--) {
    const e = table + (<usize>load<T>(syms + <usize>i * W) << 4);
    if (load<u32>(e, 8) == 0) return ERR_SYMBOL;
    const sp = out + (<usize>(i & (LANES - 1)) << 3);
    store<u64>(sp, putWide(load<u64>(sp), e, <u64>s));
  }
  // Words were pushed downwards, so [wp, end) is already in the decoder's reading order.
  const words = out + cap - wp;
  memory.copy(out + header, wp, words);
  return <i32>(header + words);
}

/** Buckets of the search index: bucket b covers the slots whose top 12 bits are b. */
const BUCKET_BITS: u32 = 12;

/** Scratch bytes of decodeWide: the lane states, 12 bytes per symbol, the bucket index. */
export function wideScratchBytes(nsym: i32): usize {
  return (<usize>LANES << 3) + 12 * <usize>nsym + 4 * ((<usize>1 << BUCKET_BITS) + 1);
}

/**
 * Decodes `n` symbols into `out` from [src, src + len). `scratch` (8-byte aligned) receives the lane
 * states (128 bytes), then for the m present symbols u32 c, u32 f and u32 symbol (12·nsym bytes), then
 * the bucket index: u32 per bucket (4097), the entry holding the bucket's first slot.
 */
export function decodeWide<T>(src: usize, len: usize, freqs: usize, nsym: i32, s: u32, out: usize, n: i32, scratch: usize): i32 {
  const header = <usize>LANES << 3;
  if (len < header) return ERR_TRUNCATED;
  if (len & 3) return ERR_CORRUPT;
  const states = scratch;
  const cums = scratch + header;
  let m = 0;
  let cum: u32 = 0;
  for (let k = 0; k < nsym; k++) {
    const f = load<u32>(freqs + (<usize>k << 2));
    if (f == 0) continue;
    const p = cums + <usize>m * 12;
    store<u32>(p, cum);
    store<u32>(p, f, 4);
    store<u32>(p, k, 8);
    cum += f;
    m++;
  }
  // Entry j holds slot b << shift exactly when c[j] ≤ b << shift < c[j + 1]; bucket 4096 = the last entry.
  const index = cums + <usize>nsym * 12;
  const shift = s - BUCKET_BITS;
  let j = 0;
  for (let b: u32 = 0; b < (1 << BUCKET_BITS); b++) {
    while (j + 1 < m && load<u32>(cums + <usize>(j + 1) * 12) <= (b << shift)) j++;
    store<u32>(index + (<usize>b << 2), j);
  }
  store<u32>(index + (<usize>1 << (BUCKET_BITS + 2)), m - 1);
  memory.copy(states, src, header);
  for (let j = 0; j < LANES; j++) if (load<u64>(states + (<usize>j << 3)) < L64) return ERR_CORRUPT;
  const mask: u64 = (<u64>1 << s) - 1;
  const end = src + len;
  let rp = src + header;
  for (let i = 0; i < n; i++) {
    const sp = states + (<usize>(i & (LANES - 1)) << 3);
    let x = load<u64>(sp);
    const slot = <u32>(x & mask);
    // Largest entry with c ≤ slot, between the entries of this bucket's and the next bucket's first
    // slot; the halving keeps it branch-free.
    const bp = index + (<usize>(slot >> shift) << 2);
    let lo = <usize>load<u32>(bp);
    let size = <usize>load<u32>(bp, 4) - lo + 1;
    while (size > 1) {
      const half = size >> 1;
      lo = select<usize>(lo + half, lo, load<u32>(cums + (lo + half) * 12) <= slot);
      size -= half;
    }
    const p = cums + lo * 12;
    store<T>(out + <usize>i * sizeof<T>(), <T>load<u32>(p, 8));
    x = <u64>load<u32>(p, 4) * (x >> s) + <u64>(slot - load<u32>(p));
    if (x < L64) {
      if (rp + 4 > end) return ERR_TRUNCATED;
      x = (x << 32) | <u64>load<u32>(rp);
      rp += 4;
    }
    store<u64>(sp, x);
  }
  if (rp != end) return ERR_CORRUPT;
  for (let j = 0; j < LANES; j++) if (load<u64>(states + (<usize>j << 3)) != L64) return ERR_CORRUPT;
  return 0;
}
