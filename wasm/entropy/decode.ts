// rANS decoder for the 8-lane stream of encode.ts. Two paths share one table and one loop shape:
// a fast path for groups of 8 symbols while at least 8 words (16 bytes) remain, which therefore needs
// no bounds checks (one renormalisation per symbol at most), and a careful path that checks every
// word read. The SIMD build runs the fast path on two i32x4 vectors of states (ryg's SSE4.1 scheme:
// compare → bitmask → swizzle the next words into the lanes that need them); wasm has no gather, so
// table lookups stay per lane. Both builds decode identical bytes: the arithmetic is the same u32 math.
import { decodeWide } from "./exact";
import { ERR_CORRUPT, ERR_MODEL, ERR_TRUNCATED, L, LANES, MAX_TABLE_PRECISION, checkModel } from "./status";

/** 16 swizzle masks (one per 4-bit renormalisation mask), built on first use. */
const SHUFFLES = memory.data(256, 16);
let shufflesReady = false;

function buildShuffles(): void {
  for (let m = 0; m < 16; m++) {
    let k = 0;
    for (let j = 0; j < 4; j++) {
      const at = SHUFFLES + (<usize>m << 4) + (<usize>j << 2);
      // Lane j takes word k (bytes 2k, 2k+1) into its low half; index 0xFF swizzles in a zero.
      const on = (m >> j) & 1;
      store<u8>(at, on ? 2 * k : 0xFF);
      store<u8>(at, on ? 2 * k + 1 : 0xFF, 1);
      store<u8>(at, 0xFF, 2);
      store<u8>(at, 0xFF, 3);
      k += on;
    }
  }
  shufflesReady = true;
}

/**
 * Decode tables, 16-byte aligned at `table`: the 8 lane states (32 bytes), one
 * u32 per symbol `(f − 1) | c << 16`, then the symbol of every slot (u8 when width is 1, else u16).
 * Two levels keep the hot data small: at precision 14 with bytes that is 16 KiB + 1 KiB, which stays
 * in L1 where a u32-per-slot table (64 KiB) would not. Storing f − 1 keeps f = 2^16 (a one-symbol
 * model at precision 16) inside 16 bits; c < 2^16 for every symbol with f > 0.
 */
// @ts-ignore: decorator
@inline function entriesOf(table: usize): usize {
  return table + (<usize>LANES << 2);
}
// @ts-ignore: decorator
@inline function symsOf(table: usize, nsym: i32): usize {
  return (entriesOf(table) + (<usize>nsym << 2) + 15) & ~<usize>15;
}

function buildTable<T>(freqs: usize, nsym: i32, table: usize): void {
  const entries = entriesOf(table);
  const syms = symsOf(table, nsym);
  let slot: usize = 0;
  for (let k = 0; k < nsym; k++) {
    const f = load<u32>(freqs + (<usize>k << 2));
    store<u32>(entries + (<usize>k << 2), (f - 1) | (<u32>slot << 16));
    if (sizeof<T>() == 1) {
      memory.fill(syms + slot, <u8>k, f);
    } else {
      for (let j: u32 = 0; j < f; j++) store<u16>(syms + ((slot + j) << 1), <u16>k);
    }
    slot += f;
  }
}

/** Careful decode of symbols [from, n): every word read is bounds-checked. */
function decodeCareful<T>(states: usize, rp: usize, end: usize, entries: usize, syms: usize, s: u32, out: usize, from: i32, n: i32): usize {
  const mask: u32 = (1 << s) - 1;
  for (let i = from; i < n; i++) {
    const sp = states + (<usize>(i & (LANES - 1)) << 2);
    let x = load<u32>(sp);
    const slot = x & mask;
    const k = load<T>(syms + <usize>slot * sizeof<T>());
    const e = load<u32>(entries + (<usize>k << 2));
    store<T>(out + <usize>i * sizeof<T>(), k);
    x = ((e & 0xFFFF) + 1) * (x >>> s) + slot - (e >>> 16);
    if (x < L) {
      if (rp + 2 > end) return 0;
      x = (x << 16) | <u32>load<u16>(rp);
      rp += 2;
    }
    store<u32>(sp, x);
  }
  return rp;
}

// One scalar lane step of the fast path; `rp` is the global read cursor.
let rp: usize = 0;
// @ts-ignore: decorator
@inline function step<T>(x: u32, entries: usize, syms: usize, mask: u32, s: u32, o: usize): u32 {
  const slot = x & mask;
  const k = load<T>(syms + <usize>slot * sizeof<T>());
  const e = load<u32>(entries + (<usize>k << 2));
  store<T>(o, k);
  x = ((e & 0xFFFF) + 1) * (x >>> s) + slot - (e >>> 16);
  // Branchless refill: the fast path has ≥ 16 bytes left, so the word can always be read.
  const low = x < L;
  x = select<u32>((x << 16) | <u32>load<u16>(rp), x, low);
  rp += <usize>low << 1;
  return x;
}

/** Fast path, scalar: whole groups while 16 bytes remain. Returns the index of the next symbol. */
function decodeFastScalar<T>(states: usize, end: usize, entries: usize, syms: usize, s: u32, out: usize, groups: i32): i32 {
  const mask: u32 = (1 << s) - 1;
  const W = sizeof<T>();
  let x0 = load<u32>(states, 0), x1 = load<u32>(states, 4), x2 = load<u32>(states, 8), x3 = load<u32>(states, 12);
  let x4 = load<u32>(states, 16), x5 = load<u32>(states, 20), x6 = load<u32>(states, 24), x7 = load<u32>(states, 28);
  let g = 0;
  for (; g < groups && rp + 16 <= end; g++) {
    const o = out + <usize>g * 8 * W;
    x0 = step<T>(x0, entries, syms, mask, s, o);
    x1 = step<T>(x1, entries, syms, mask, s, o + W);
    x2 = step<T>(x2, entries, syms, mask, s, o + 2 * W);
    x3 = step<T>(x3, entries, syms, mask, s, o + 3 * W);
    x4 = step<T>(x4, entries, syms, mask, s, o + 4 * W);
    x5 = step<T>(x5, entries, syms, mask, s, o + 5 * W);
    x6 = step<T>(x6, entries, syms, mask, s, o + 6 * W);
    x7 = step<T>(x7, entries, syms, mask, s, o + 7 * W);
  }
  store<u32>(states, x0, 0); store<u32>(states, x1, 4); store<u32>(states, x2, 8); store<u32>(states, x3, 12);
  store<u32>(states, x4, 16); store<u32>(states, x5, 20); store<u32>(states, x6, 24); store<u32>(states, x7, 28);
  return g * LANES;
}

// Table lookup for 4 lanes: writes the 4 symbols and returns their 4 packed entries.
// @ts-ignore: decorator
@inline function gather<T>(slots: v128, entries: usize, syms: usize, o: usize): v128 {
  const k0 = <usize>load<T>(syms + <usize>i32x4.extract_lane(slots, 0) * sizeof<T>());
  const k1 = <usize>load<T>(syms + <usize>i32x4.extract_lane(slots, 1) * sizeof<T>());
  const k2 = <usize>load<T>(syms + <usize>i32x4.extract_lane(slots, 2) * sizeof<T>());
  const k3 = <usize>load<T>(syms + <usize>i32x4.extract_lane(slots, 3) * sizeof<T>());
  store<T>(o, <T>k0);
  store<T>(o + sizeof<T>(), <T>k1);
  store<T>(o + 2 * sizeof<T>(), <T>k2);
  store<T>(o + 3 * sizeof<T>(), <T>k3);
  let e = i32x4.splat(load<u32>(entries + (k0 << 2)));
  e = i32x4.replace_lane(e, 1, load<u32>(entries + (k1 << 2)));
  e = i32x4.replace_lane(e, 2, load<u32>(entries + (k2 << 2)));
  return i32x4.replace_lane(e, 3, load<u32>(entries + (k3 << 2)));
}

// Decodes 4 lanes and refills from `rp` the lanes that fell below L, in lane order.
// @ts-ignore: decorator
@inline function step4<T>(x: v128, entries: usize, syms: usize, maskv: v128, s: u32, o: usize): v128 {
  const slots = v128.and(x, maskv);
  const e = gather<T>(slots, entries, syms, o);
  const f = i32x4.add(v128.and(e, i32x4.splat(0xFFFF)), i32x4.splat(1));
  x = i32x4.add(i32x4.mul(f, i32x4.shr_u(x, s)), i32x4.sub(slots, i32x4.shr_u(e, 16)));
  const low = i32x4.lt_u(x, i32x4.splat(L));
  const bits = i32x4.bitmask(low);
  const words = i8x16.swizzle(v128.load64_zero(rp), load<v128>(SHUFFLES + (<usize>bits << 4)));
  rp += <usize>popcnt<u32>(bits) << 1;
  return v128.bitselect(v128.or(i32x4.shl(x, 16), words), x, low);
}

/** Fast path, SIMD: the same groups as decodeFastScalar, on two vectors of 4 lanes. */
function decodeFastSimd<T>(states: usize, end: usize, entries: usize, syms: usize, s: u32, out: usize, groups: i32): i32 {
  const maskv = i32x4.splat((1 << s) - 1);
  const W = sizeof<T>();
  let a = v128.load(states);
  let b = v128.load(states, 16);
  let g = 0;
  for (; g < groups && rp + 16 <= end; g++) {
    const o = out + <usize>g * 8 * W;
    a = step4<T>(a, entries, syms, maskv, s, o);
    b = step4<T>(b, entries, syms, maskv, s, o + 4 * W);
  }
  v128.store(states, a);
  v128.store(states, b, 16);
  return g * LANES;
}

function decodeT<T>(src: usize, len: usize, freqs: usize, nsym: i32, s: u32, out: usize, n: i32, table: usize): i32 {
  buildTable<T>(freqs, nsym, table);
  const entries = entriesOf(table);
  const syms = symsOf(table, nsym);
  const end = src + len;
  // States are decoded in a 16-byte aligned copy: the SIMD path loads them as vectors.
  const states = table;
  memory.copy(states, src, <usize>LANES << 2);
  for (let j = 0; j < LANES; j++) if (load<u32>(states + (<usize>j << 2)) < L) return ERR_CORRUPT;
  rp = src + (<usize>LANES << 2);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    i = decodeFastSimd<T>(states, end, entries, syms, s, out, n / LANES);
  } else {
    i = decodeFastScalar<T>(states, end, entries, syms, s, out, n / LANES);
  }
  const last = decodeCareful<T>(states, rp, end, entries, syms, s, out, i, n);
  if (last == 0) return ERR_TRUNCATED;
  if (last != end) return ERR_CORRUPT;
  for (let j = 0; j < LANES; j++) if (load<u32>(states + (<usize>j << 2)) != L) return ERR_CORRUPT;
  return 0;
}

/**
 * Decodes `n` symbols of `width` bytes into `out` from the stream [src, src + len). Returns 0 or a
 * negative status. `scratch`: 16-byte aligned, 48 + 4·nsym + width·2^precision bytes; at precision
 * 17 … 24 (the exact rans8x32 stream) 64 + 12·nsym + 4·4097 bytes.
 */
export function rans_decode(
  src: usize, len: usize, freqs: usize, nsym: i32, precision: u32, out: usize, n: i32, width: i32, scratch: usize,
): i32 {
  if (!checkModel(freqs, nsym, precision) || (width != 1 && width != 2) || (width == 1 && nsym > 256) || n < 0) return ERR_MODEL;
  if (precision > MAX_TABLE_PRECISION) {
    return width == 1
      ? decodeWide<u8>(src, len, freqs, nsym, precision, out, n, scratch)
      : decodeWide<u16>(src, len, freqs, nsym, precision, out, n, scratch);
  }
  if (len < (<usize>LANES << 2)) return ERR_TRUNCATED;
  if (len & 1) return ERR_CORRUPT;
  if (ASC_FEATURE_SIMD && !shufflesReady) buildShuffles();
  return width == 1
    ? decodeT<u8>(src, len, freqs, nsym, precision, out, n, scratch)
    : decodeT<u16>(src, len, freqs, nsym, precision, out, n, scratch);
}
