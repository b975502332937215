// rANS encoder, 16 interleaved lanes of u32 state with 16-bit renormalisation (docs/internals.md,
// "rANS stream"). Encoding runs last symbol first, so the decoder reads forward (stack semantics).
// It stays scalar even in the SIMD build (wasm has no 64-bit high multiply); 16 independent lanes let
// the CPU overlap the per-symbol multiplies.
import { encodeWide } from "./exact";
import { ERR_CAPACITY, ERR_MODEL, ERR_SYMBOL, L, LANES, MAX_TABLE_PRECISION, checkModel } from "./status";

/** Write cursor for the u16 words; they are pushed downwards from the end of the output buffer. */
let wp: usize = 0;

// Encodes one symbol given its table entry at `p`: u64 reciprocal m = ceil(2^(32+s) / f), then
// u32 f, u32 c. The quotient x / f is (x · m) >> (32 + s), exact for every state that reaches it:
// after renormalisation x < f · 2^(32−s) (or x < 2^16), so with m = 2^(32+s)/f + e, 0 ≤ e < 1, the
// error x·e / 2^(32+s) stays below 1/f and the product below 2^64 (f ≤ 2^s). A u64 multiply
// replaces the u32 division, which was the encoder's bottleneck; the arithmetic result is the same.
// @ts-ignore: decorator
@inline function put(x: u32, p: usize, s: u32, shift: u32): u32 {
  const f = load<u32>(p, 8);
  // Branchless renormalisation (it is unpredictable): the word is always stored below the cursor,
  // which only moves when it is kept. The store stays inside [out + 64, out + cap): at most one word
  // per symbol is kept and cap ≥ 64 + 2n.
  const big = (x >>> shift) >= f;
  store<u16>(wp - 2, <u16>x);
  wp -= <usize>big << 1;
  x = select<u32>(x >>> 16, x, big);
  const q = <u32>((<u64>x * load<u64>(p)) >>> (32 + <u64>s));
  return (q << s) + (x - q * f) + load<u32>(p, 12);
}

/** Fills the per-symbol table (16 bytes: m, f, c; see put), zero beyond nsym so unknown symbols read f = 0. */
function buildTable(freqs: usize, nsym: i32, entries: i32, s: u32, table: usize): void {
  let cum: u32 = 0;
  for (let k = 0; k < entries; k++) {
    const f: u32 = k < nsym ? load<u32>(freqs + (<usize>k << 2)) : 0;
    const p = table + (<usize>k << 4);
    // ceil(2^(32+s) / f) < 2^49; f = 0 never reaches put (ERR_SYMBOL first). The exact path (s > 16)
    // divides and leaves it unused.
    store<u64>(p, f && s <= MAX_TABLE_PRECISION ? ((<u64>1 << (32 + <u64>s)) + <u64>f - 1) / <u64>f : 0);
    store<u32>(p, f, 8);
    store<u32>(p, cum, 12);
    cum += f;
  }
}

function encodeT<T>(syms: usize, n: i32, table: usize, s: u32, out: usize, cap: usize): i32 {
  const shift = 32 - s;
  const W = sizeof<T>();
  wp = out + cap;
  // The tail (n mod 16 symbols, coded first) works on the states in memory, at their final place.
  for (let j = 0; j < LANES; j++) store<u32>(out + (<usize>j << 2), L);
  const full = n & ~(LANES - 1);
  for (let i = n - 1; i >= full; i--) {
    const e = table + (<usize>load<T>(syms + <usize>i * W) << 4);
    if (load<u32>(e, 8) == 0) return ERR_SYMBOL;
    const sp = out + (<usize>(i & (LANES - 1)) << 2);
    store<u32>(sp, put(load<u32>(sp), e, s, shift));
  }
  let x0 = load<u32>(out, 0), x1 = load<u32>(out, 4), x2 = load<u32>(out, 8), x3 = load<u32>(out, 12);
  let x4 = load<u32>(out, 16), x5 = load<u32>(out, 20), x6 = load<u32>(out, 24), x7 = load<u32>(out, 28);
  let x8 = load<u32>(out, 32), x9 = load<u32>(out, 36), x10 = load<u32>(out, 40), x11 = load<u32>(out, 44);
  let x12 = load<u32>(out, 48), x13 = load<u32>(out, 52), x14 = load<u32>(out, 56), x15 = load<u32>(out, 60);
  for (let g = full - LANES; g >= 0; g -= LANES) {
    const p = syms + <usize>g * W;
    const e15 = table + (<usize>load<T>(p + 15 * W) << 4);
    const e14 = table + (<usize>load<T>(p + 14 * W) << 4);
    const e13 = table + (<usize>load<T>(p + 13 * W) << 4);
    const e12 = table + (<usize>load<T>(p + 12 * W) << 4);
    const e11 = table + (<usize>load<T>(p + 11 * W) << 4);
    const e10 = table + (<usize>load<T>(p + 10 * W) << 4);
    const e9 = table + (<usize>load<T>(p + 9 * W) << 4);
    const e8 = table + (<usize>load<T>(p + 8 * W) << 4);
    const e7 = table + (<usize>load<T>(p + 7 * W) << 4);
    const e6 = table + (<usize>load<T>(p + 6 * W) << 4);
    const e5 = table + (<usize>load<T>(p + 5 * W) << 4);
    const e4 = table + (<usize>load<T>(p + 4 * W) << 4);
    const e3 = table + (<usize>load<T>(p + 3 * W) << 4);
    const e2 = table + (<usize>load<T>(p + 2 * W) << 4);
    const e1 = table + (<usize>load<T>(p + 1 * W) << 4);
    const e0 = table + (<usize>load<T>(p + 0 * W) << 4);
    // One test for the whole group: a zero frequency anywhere means an unencodable symbol.
    if ((load<u32>(e0, 8) == 0) | (load<u32>(e1, 8) == 0) | (load<u32>(e2, 8) == 0) | (load<u32>(e3, 8) == 0) |
        (load<u32>(e4, 8) == 0) | (load<u32>(e5, 8) == 0) | (load<u32>(e6, 8) == 0) | (load<u32>(e7, 8) == 0) |
        (load<u32>(e8, 8) == 0) | (load<u32>(e9, 8) == 0) | (load<u32>(e10, 8) == 0) | (load<u32>(e11, 8) == 0) |
        (load<u32>(e12, 8) == 0) | (load<u32>(e13, 8) == 0) | (load<u32>(e14, 8) == 0) | (load<u32>(e15, 8) == 0)) return ERR_SYMBOL;
    x15 = put(x15, e15, s, shift);
    x14 = put(x14, e14, s, shift);
    x13 = put(x13, e13, s, shift);
    x12 = put(x12, e12, s, shift);
    x11 = put(x11, e11, s, shift);
    x10 = put(x10, e10, s, shift);
    x9 = put(x9, e9, s, shift);
    x8 = put(x8, e8, s, shift);
    x7 = put(x7, e7, s, shift);
    x6 = put(x6, e6, s, shift);
    x5 = put(x5, e5, s, shift);
    x4 = put(x4, e4, s, shift);
    x3 = put(x3, e3, s, shift);
    x2 = put(x2, e2, s, shift);
    x1 = put(x1, e1, s, shift);
    x0 = put(x0, e0, s, shift);
  }
  store<u32>(out, x0, 0); store<u32>(out, x1, 4); store<u32>(out, x2, 8); store<u32>(out, x3, 12);
  store<u32>(out, x4, 16); store<u32>(out, x5, 20); store<u32>(out, x6, 24); store<u32>(out, x7, 28);
  store<u32>(out, x8, 32); store<u32>(out, x9, 36); store<u32>(out, x10, 40); store<u32>(out, x11, 44);
  store<u32>(out, x12, 48); store<u32>(out, x13, 52); store<u32>(out, x14, 56); store<u32>(out, x15, 60);
  // Words were pushed downwards, so [wp, end) is already in the decoder's reading order.
  const words = out + cap - wp;
  memory.copy(out + (<usize>LANES << 2), wp, words);
  return <i32>((<usize>LANES << 2) + words);
}

/** Worst-case stream length: 16 lane states plus at most one word per symbol (rans16x16 or rans16x32). */
export function ransBound(n: usize, precision: u32): usize {
  return precision > MAX_TABLE_PRECISION ? (<usize>LANES << 3) + (n << 2) : (<usize>LANES << 2) + (n << 1);
}

/**
 * Encodes `n` symbols of `width` bytes (1: u8, 2: u16) with the model `freqs` (u32[nsym], summing to
 * 2^precision). Returns the stream length at `out`, or a negative status. `scratch`: 16·256 bytes
 * when width is 1, else 16·65536. Precision 17 … 24 writes the exact rans16x32 stream.
 */
export function rans_encode(
  syms: usize, n: i32, width: i32, freqs: usize, nsym: i32, precision: u32, out: usize, cap: usize, scratch: usize,
): i32 {
  if (!checkModel(freqs, nsym, precision) || (width != 1 && width != 2) || (width == 1 && nsym > 256) || n < 0) return ERR_MODEL;
  if (cap < ransBound(<usize>n, precision)) return ERR_CAPACITY;
  buildTable(freqs, nsym, width == 1 ? 256 : 1 << 16, precision, scratch);
  if (precision > MAX_TABLE_PRECISION) {
    return width == 1 ? encodeWide<u8>(syms, n, scratch, precision, out, cap) : encodeWide<u16>(syms, n, scratch, precision, out, cap);
  }
  return width == 1 ? encodeT<u8>(syms, n, scratch, precision, out, cap) : encodeT<u16>(syms, n, scratch, precision, out, cap);
}
