// rANS decoder for the 16-lane stream of encode.ts. Two paths share one table and one step: a fast
// path for groups of 16 symbols while at least 16 words (32 bytes) remain, which therefore needs no
// bounds checks (one renormalisation per symbol at most), and a careful path that checks every word
// read. The SIMD build runs the fast path on four i32x4 vectors of states (ryg's SSE4.1 scheme:
// compare → bitmask → swizzle the next words into the lanes that need them); wasm has no gather, so
// table lookups stay per lane. A lane's step is a chain of dependent operations (lookup, multiply,
// renormalise), so the decoder is bound by that chain's latency, not by throughput: sixteen lanes are
// four independent vector chains where eight lanes were two. Both builds decode identical bytes: the
// arithmetic is the same u32 math.
import { decodeWide, wideScratchBytes } from "./exact";
import { ERR_CORRUPT, ERR_MODEL, ERR_TRUNCATED, L, LANES, MAX_PRECISION, MAX_TABLE_PRECISION, checkModel } from "./status";

/**
 * Swizzle masks that move the next stream words into the lanes that renormalise, in lane order. A pair
 * of vectors (8 lanes) reads from one 16-byte load: the first vector by its own 4-bit mask (16
 * entries), the second by the pair's 8-bit mask (256 entries), since its words follow the first's.
 */
const FIRST = memory.data(16 << 4, 16);
const SECOND = memory.data(256 << 4, 16);
let shufflesReady = false;

function buildShuffles(): void {
  for (let m = 0; m < 256; m++) {
    for (let j = 0; j < 8; j++) {
      // Lane j of the pair takes word k (bytes 2k, 2k + 1) into its low half; index 0xFF swizzles in a zero.
      const k = popcnt<u32>(m & ((1 << j) - 1));
      const on = (m >> j) & 1;
      if (j < 4 && m >= 16) continue;
      const at = (j < 4 ? FIRST : SECOND) + (<usize>m << 4) + (<usize>(j & 3) << 2);
      store<u32>(at, on ? (2 * k) | ((2 * k + 1) << 8) | 0xFFFF0000 : 0xFFFFFFFF);
    }
  }
  shufflesReady = true;
}

/**
 * Decode tables, 16-byte aligned: the 16 lane states (64 bytes), then one of two layouts.
 * - Packed (width 1, precision ≤ 12): one u32 per slot, `(f − 1) | (slot − c) << 12 | symbol << 24`,
 *   so a lane's step is one load (16 KiB at precision 12: L1).
 * - Split (otherwise): one u32 per symbol, `(f − 1) | c << 16`, then the symbol of every slot (u8
 *   when width is 1, else u16): two dependent loads, but 16 KiB + 1 KiB at precision 14 where a u32
 *   per slot would be 64 KiB. Storing f − 1 keeps f = 2^16 (one symbol at precision 16) in 16 bits.
 */
const STATES_BYTES: usize = <usize>LANES << 2;
const PACKED_MAX_PRECISION: u32 = 12;

// @ts-ignore: decorator
@inline function symsOf(table: usize, nsym: i32): usize {
  return (table + (<usize>nsym << 2) + 15) & ~<usize>15;
}

function buildPacked(freqs: usize, nsym: i32, table: usize): void {
  let slot: usize = 0;
  for (let k = 0; k < nsym; k++) {
    const f = load<u32>(freqs + (<usize>k << 2));
    const e = (f - 1) | (<u32>k << 24);
    for (let j: u32 = 0; j < f; j++) store<u32>(table + ((slot + j) << 2), e | (j << 12));
    slot += f;
  }
}

function buildSplit<T>(freqs: usize, nsym: i32, table: usize): void {
  const syms = symsOf(table, nsym);
  let slot: usize = 0;
  for (let k = 0; k < nsym; k++) {
    const f = load<u32>(freqs + (<usize>k << 2));
    store<u32>(table + (<usize>k << 2), (f - 1) | (<u32>slot << 16));
    if (sizeof<T>() == 1) {
      memory.fill(syms + slot, <u8>k, f);
    } else {
      for (let j: u32 = 0; j < f; j++) store<u16>(syms + ((slot + j) << 1), <u16>k);
    }
    slot += f;
  }
}

// One lane step without the renormalisation: looks up `x`'s slot, writes the symbol to `o`, returns
// the decoded state f · (x >> s) + slot − c. `packed` is a constant at every call site.
// @ts-ignore: decorator
@inline function advance<T>(x: u32, packed: bool, table: usize, syms: usize, s: u32, o: usize): u32 {
  const slot = x & ((1 << s) - 1);
  if (packed) {
    const e = load<u32>(table + (<usize>slot << 2));
    store<u8>(o, <u8>(e >>> 24));
    return ((e & 0xFFF) + 1) * (x >>> s) + ((e >>> 12) & 0xFFF);
  }
  const k = load<T>(syms + <usize>slot * sizeof<T>());
  store<T>(o, k);
  const e = load<u32>(table + (<usize>k << 2));
  return ((e & 0xFFFF) + 1) * (x >>> s) + slot - (e >>> 16);
}

/** Careful decode of symbols [from, n): every word read is bounds-checked. Returns the read cursor or 0. */
function decodeCareful<T>(states: usize, rp: usize, end: usize, packed: bool, table: usize, syms: usize, s: u32, out: usize, from: i32, n: i32): usize {
  for (let i = from; i < n; i++) {
    const sp = states + (<usize>(i & (LANES - 1)) << 2);
    const o = out + <usize>i * sizeof<T>();
    let x = packed ? advance<T>(load<u32>(sp), true, table, syms, s, o) : advance<T>(load<u32>(sp), false, table, syms, s, o);
    if (x < L) {
      if (rp + 2 > end) return 0;
      x = (x << 16) | <u32>load<u16>(rp);
      rp += 2;
    }
    store<u32>(sp, x);
  }
  return rp;
}

/** The read cursor a fast path stopped at. */
let cursor: usize = 0;

/**
 * Fast path, scalar: whole groups while 32 bytes remain. The states stay in memory: sixteen do not
 * fit the registers, and this loop measured faster than sixteen unrolled steps on locals (and is a
 * quarter of the code). Returns the next symbol.
 */
// @ts-ignore: decorator
@inline function decodeFastScalar<T>(states: usize, rp0: usize, end: usize, packed: bool, table: usize, syms: usize, s: u32, out: usize, groups: i32): i32 {
  let rp = rp0;
  let g = 0;
  for (; g < groups && rp + 32 <= end; g++) {
    const o = out + <usize>g * LANES * sizeof<T>();
    for (let j = 0; j < LANES; j++) {
      const sp = states + (<usize>j << 2);
      const x = advance<T>(load<u32>(sp), packed, table, syms, s, o + <usize>j * sizeof<T>());
      // Branchless refill (it is as unpredictable as the data): the word can always be read here.
      const low = x < L;
      store<u32>(sp, select<u32>((x << 16) | <u32>load<u16>(rp), x, low));
      rp += <usize>low << 1;
    }
  }
  cursor = rp;
  return g * LANES;
}

// Four u32 loads as one vector, built as two half-vectors in parallel: a chain of one insert each
// instead of three.
// @ts-ignore: decorator
@inline function load4(p0: usize, p1: usize, p2: usize, p3: usize): v128 {
  const lo = v128.load32_lane(p1, v128.load32_zero(p0), 1);
  const hi = v128.load32_lane(p3, v128.load32_zero(p2), 1);
  return i64x2.shuffle(lo, hi, 0, 2);
}

// Looks up 4 lanes' slots and writes their symbols to `o`; returns the 4 table entries.
// @ts-ignore: decorator
@inline function lookup4<T>(slots: v128, packed: bool, table: usize, syms: usize, o: usize): v128 {
  if (packed) {
    const e = load4(
      table + (<usize>i32x4.extract_lane(slots, 0) << 2), table + (<usize>i32x4.extract_lane(slots, 1) << 2),
      table + (<usize>i32x4.extract_lane(slots, 2) << 2), table + (<usize>i32x4.extract_lane(slots, 3) << 2),
    );
    v128.store32_lane(o, i8x16.swizzle(e, i8x16(3, 7, 11, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)), 0);
    return e;
  }
  const k0 = <usize>load<T>(syms + <usize>i32x4.extract_lane(slots, 0) * sizeof<T>());
  const k1 = <usize>load<T>(syms + <usize>i32x4.extract_lane(slots, 1) * sizeof<T>());
  const k2 = <usize>load<T>(syms + <usize>i32x4.extract_lane(slots, 2) * sizeof<T>());
  const k3 = <usize>load<T>(syms + <usize>i32x4.extract_lane(slots, 3) * sizeof<T>());
  store<T>(o, <T>k0);
  store<T>(o + sizeof<T>(), <T>k1);
  store<T>(o + 2 * sizeof<T>(), <T>k2);
  store<T>(o + 3 * sizeof<T>(), <T>k3);
  return load4(table + (k0 << 2), table + (k1 << 2), table + (k2 << 2), table + (k3 << 2));
}

// The decoded states of 4 lanes from their entries (see advance), before renormalisation.
// f · q is computed as (f − 1) · q + q so that the + 1 leaves the multiply's dependency chain.
// @ts-ignore: decorator
@inline function advance4(x: v128, slots: v128, e: v128, packed: bool, s: u32): v128 {
  const q = i32x4.shr_u(x, s);
  if (packed) {
    const bias = v128.and(i32x4.shr_u(e, 12), i32x4.splat(0xFFF));
    return i32x4.add(i32x4.mul(v128.and(e, i32x4.splat(0xFFF)), q), i32x4.add(q, bias));
  }
  const bias = i32x4.sub(slots, i32x4.shr_u(e, 16));
  return i32x4.add(i32x4.mul(v128.and(e, i32x4.splat(0xFFFF)), q), i32x4.add(q, bias));
}

// Lanes whose state fell below L (all-ones lanes): x < 2^16 ⇔ its high half is zero.
// @ts-ignore: decorator
@inline function lowLanes(x: v128): v128 {
  return i32x4.eq(v128.and(x, i32x4.splat(0xFFFF0000)), i32x4.splat(0));
}

// x << 16 | word in the lanes of `low`, x elsewhere.
// @ts-ignore: decorator
@inline function refill(x: v128, low: v128, words: v128, shuffle: usize): v128 {
  return v128.bitselect(v128.or(i32x4.shl(x, 16), i8x16.swizzle(words, load<v128>(shuffle))), x, low);
}

/** Fast path, SIMD: the same groups as decodeFastScalar, on four vectors of 4 lanes. */
// @ts-ignore: decorator
@inline function decodeFastSimd<T>(states: usize, rp0: usize, end: usize, packed: bool, table: usize, syms: usize, s: u32, out: usize, groups: i32): i32 {
  const maskv = i32x4.splat((1 << s) - 1);
  const W = sizeof<T>();
  let a = v128.load(states), b = v128.load(states, 16), c = v128.load(states, 32), d = v128.load(states, 48);
  let rp = rp0;
  let g = 0;
  for (; g < groups && rp + 32 <= end; g++) {
    const o = out + <usize>g * LANES * W;
    const sa = v128.and(a, maskv), sb = v128.and(b, maskv), sc = v128.and(c, maskv), sd = v128.and(d, maskv);
    a = advance4(a, sa, lookup4<T>(sa, packed, table, syms, o), packed, s);
    b = advance4(b, sb, lookup4<T>(sb, packed, table, syms, o + 4 * W), packed, s);
    c = advance4(c, sc, lookup4<T>(sc, packed, table, syms, o + 8 * W), packed, s);
    d = advance4(d, sd, lookup4<T>(sd, packed, table, syms, o + 12 * W), packed, s);
    const la = lowLanes(a), lb = lowLanes(b), lc = lowLanes(c), ld = lowLanes(d);
    // Each pair of vectors takes at most 8 words (16 bytes): one load serves both.
    const ab = i32x4.bitmask(la) | (i32x4.bitmask(lb) << 4);
    const cd = i32x4.bitmask(lc) | (i32x4.bitmask(ld) << 4);
    const wab = v128.load(rp);
    rp += <usize>popcnt<u32>(ab) << 1;
    const wcd = v128.load(rp);
    rp += <usize>popcnt<u32>(cd) << 1;
    a = refill(a, la, wab, FIRST + (<usize>(ab & 15) << 4));
    b = refill(b, lb, wab, SECOND + (<usize>ab << 4));
    c = refill(c, lc, wcd, FIRST + (<usize>(cd & 15) << 4));
    d = refill(d, ld, wcd, SECOND + (<usize>cd << 4));
  }
  v128.store(states, a);
  v128.store(states, b, 16);
  v128.store(states, c, 32);
  v128.store(states, d, 48);
  cursor = rp;
  return g * LANES;
}

function decodeT<T>(src: usize, len: usize, freqs: usize, nsym: i32, s: u32, out: usize, n: i32, scratch: usize): i32 {
  // States are decoded in a 16-byte aligned copy: the SIMD path loads them as vectors.
  const states = scratch;
  memory.copy(states, src, STATES_BYTES);
  for (let j = 0; j < LANES; j++) if (load<u32>(states + (<usize>j << 2)) < L) return ERR_CORRUPT;
  const table = scratch + STATES_BYTES;
  const syms = symsOf(table, nsym);
  const end = src + len;
  const groups = n / LANES;
  const packed = sizeof<T>() == 1 && s <= PACKED_MAX_PRECISION;
  let i = 0;
  const rp = src + STATES_BYTES;
  if (packed) {
    buildPacked(freqs, nsym, table);
    if (ASC_FEATURE_SIMD) i = decodeFastSimd<T>(states, rp, end, true, table, syms, s, out, groups);
    else i = decodeFastScalar<T>(states, rp, end, true, table, syms, s, out, groups);
  } else {
    buildSplit<T>(freqs, nsym, table);
    if (ASC_FEATURE_SIMD) i = decodeFastSimd<T>(states, rp, end, false, table, syms, s, out, groups);
    else i = decodeFastScalar<T>(states, rp, end, false, table, syms, s, out, groups);
  }
  const last = decodeCareful<T>(states, cursor, end, packed, table, syms, s, out, i, n);
  if (last == 0) return ERR_TRUNCATED;
  if (last != end) return ERR_CORRUPT;
  for (let j = 0; j < LANES; j++) if (load<u32>(states + (<usize>j << 2)) != L) return ERR_CORRUPT;
  return 0;
}

/** Scratch bytes rans_decode needs (16-byte aligned), or 0 for a bad model shape. */
export function rans_decode_scratch_bytes(nsym: i32, precision: u32, width: i32): usize {
  if (nsym < 1 || precision < 1 || precision > MAX_PRECISION || (width != 1 && width != 2)) return 0;
  if (precision > MAX_TABLE_PRECISION) return wideScratchBytes(nsym);
  if (width == 1 && precision <= PACKED_MAX_PRECISION) return STATES_BYTES + (<usize>4 << precision);
  return STATES_BYTES + (<usize>nsym << 2) + 16 + (<usize>width << precision);
}

/**
 * Decodes `n` symbols of `width` bytes into `out` from the stream [src, src + len). Returns 0 or a
 * negative status. `scratch`: 16-byte aligned, rans_decode_scratch_bytes(nsym, precision, width) bytes.
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
  if (len < STATES_BYTES) return ERR_TRUNCATED;
  if (len & 1) return ERR_CORRUPT;
  if (ASC_FEATURE_SIMD && !shufflesReady) buildShuffles();
  return width == 1
    ? decodeT<u8>(src, len, freqs, nsym, precision, out, n, scratch)
    : decodeT<u16>(src, len, freqs, nsym, precision, out, n, scratch);
}
