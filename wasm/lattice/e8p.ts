// QuIP#'s E8P ("E8P12") 2-bit codebook: 65,536 points of E8 + ¼ in 8 dimensions, one u16 per
// 8 values (contract and layout: docs/internals.md, "Lattice"; construction: docs/lattice.md).
//
// code = a << 8 | s. a indexes ABS, 256 absolute-value patterns of D8 + ½ (the 227 with norm² ≤ 10 in
// lexicographic order, then 29 of norm² 12), stored with the last coordinate negated when the
// pattern's sum is odd so that every entry lies in D8 + ½. s is a sign byte; coordinate i reads bit
// SIGN_BIT[i]. With p = popcount(s) & 1, bit 0 is toggled when p = 1 (so an even number of signs
// flips and the point stays in D8 + ½) and the shift is −¼ when p = 1, +¼ when p = 0.
//
// Encoding is exact: for each shift the D8 + ½ lattice decoder runs first; its point is optimal for
// that shift when it is in the set S (every D8 + ½ point with its |pattern| in ABS). Otherwise a search
// over the 256 patterns, each with its best sign choice (signs of the input, with the one cheapest flip
// when the count of negatives has the wrong parity), finds the optimum.

import { dnPoint } from "./dn";

/** ABS[a]: 8 f32 per entry, the stored (signed) pattern. */
const ABS: usize = memory.data(256 * 32, 16);
/** NORM2[a]: squared norm of the pattern. */
const NORM2: usize = memory.data(256 * 4, 16);
/** FLIP[s]: 8 u32 sign masks (0x80000000 where the coordinate is negated) for the raw sign byte s. */
const FLIP: usize = memory.data(256 * 32, 16);
/** SHIFT[s]: ±¼. */
const SHIFT: usize = memory.data(256 * 4, 16);
/** KEY[Σ 3^(7−i)·(|v_i| − ½)] = pattern index, 0xFFFF when the pattern is not in ABS. */
const KEY: usize = memory.data(6561 * 2, 16);
/** The positions of the three ½ entries of the 29 norm² 12 patterns (the others are 3/2), in table order. */
const NORM12: StaticArray<u16> = [
  123, 23, 13, 12, 367, 357, 347, 356, 346, 345, 267, 257, 247, 256, 246, 245, 167, 157, 147, 156, 146,
  45, 67, 57, 47, 56, 46, 14, 237,
];
// Sign bit of coordinate i (QuIP#'s nibble order [0,2,4,6,1,3,5,7], inverted).
const SIGN_BIT: StaticArray<u8> = [0, 4, 1, 5, 2, 6, 3, 7];
let ready = false;

// Base-3 digits (|v| − ½) of the pattern being added.
const DIGITS: usize = memory.data(8);

function addPattern(a: i32, key: i32): void {
  let sum = 0, n2: f32 = 0;
  for (let i = 0; i < 8; i++) {
    const v = <f32>load<u8>(DIGITS + i) + 0.5;
    store<f32>(ABS + (<usize>a << 5) + (<usize>i << 2), v);
    n2 += v * v;
    sum += 2 * load<u8>(DIGITS + i) + 1;
  }
  // Σ|v| = sum / 2; odd → negate the last coordinate
  if ((sum >> 1) & 1) store<f32>(ABS + (<usize>a << 5) + 28, -(<f32>load<u8>(DIGITS + 7) + 0.5));
  store<f32>(NORM2 + (<usize>a << 2), n2);
  store<u16>(KEY + (<usize>key << 1), <u16>a);
}

export function e8pInit(): void {
  if (ready) return;
  for (let k = 0; k < 6561; k++) store<u16>(KEY + (<usize>k << 1), 0xffff);
  let a = 0;
  // lexicographic order of the patterns with values ½, 3/2, 5/2: key order with coordinate 0 most significant
  for (let key = 0; key < 6561; key++) {
    let k = key, weight = 0;
    for (let i = 7; i >= 0; i--) { const d = k % 3; k /= 3; store<u8>(DIGITS + i, <u8>d); weight += d == 2 ? 3 : d; }
    if (weight <= 4) addPattern(a++, key); // norm² = 2 + 2·#(3/2) + 6·#(5/2) ≤ 10
  }
  for (let j = 0; j < 29; j++) {
    const pos = <i32>NORM12[j];
    let key = 0;
    for (let i = 0; i < 8; i++) store<u8>(DIGITS + i, 1);
    store<u8>(DIGITS + pos / 100, 0); store<u8>(DIGITS + (pos / 10) % 10, 0); store<u8>(DIGITS + pos % 10, 0);
    for (let i = 0; i < 8; i++) key = key * 3 + <i32>load<u8>(DIGITS + i);
    addPattern(a++, key);
  }
  for (let s = 0; s < 256; s++) {
    const p = popcnt(s) & 1;
    const f = s ^ p;
    for (let i = 0; i < 8; i++) {
      store<u32>(FLIP + (<usize>s << 5) + (<usize>i << 2), ((f >> SIGN_BIT[i]) & 1) << 31);
    }
    store<f32>(SHIFT + (<usize>s << 2), p ? -0.25 : 0.25);
  }
  ready = true;
}

/** `count` codes (u16) → 8·count f32 at out. */
export function e8p_decode(codes: usize, count: i32, out: usize): void {
  e8pInit();
  for (let v = 0; v < count; v++) {
    const c = <usize>load<u16>(codes + (<usize>v << 1));
    const a = ABS + ((c >> 8) << 5), f = FLIP + ((c & 255) << 5);
    const o = out + (<usize>v << 5);
    if (ASC_FEATURE_SIMD) {
      const sh = v128.load32_splat(SHIFT + ((c & 255) << 2));
      v128.store(o, f32x4.add(v128.xor(v128.load(a), v128.load(f)), sh));
      v128.store(o, f32x4.add(v128.xor(v128.load(a, 16), v128.load(f, 16)), sh), 16);
    } else {
      const sh = load<f32>(SHIFT + ((c & 255) << 2));
      for (let i: usize = 0; i < 32; i += 4) {
        store<f32>(o + i, reinterpret<f32>(load<u32>(a + i) ^ load<u32>(f + i)) + sh);
      }
    }
  }
}

const Y: usize = memory.data(32, 16);
const PT: usize = memory.data(32, 16);
const BEST: usize = memory.data(32, 16);

/** The code of a point v of S (at PT) for shift index p (0: +¼, 1: −¼). */
function codeOf(a: i32, p: u32): u32 {
  let f: u32 = 0;
  for (let i = 0; i < 8; i++) {
    const neg = (load<u32>(PT + (<usize>i << 2)) ^ load<u32>(ABS + (<usize>a << 5) + (<usize>i << 2))) >> 31;
    f |= neg << SIGN_BIT[i];
  }
  return (<u32>a << 8) | (f ^ p);
}

/** Best point of S for the target at Y (squared distance returned, point at PT, pattern index in SEL). */
let SEL = 0;
function bestInS(): f32 {
  // 1. lattice decoder: nearest point of D8 + ½
  const d = dnPoint(Y, 8, 0.5, PT);
  let key = 0, inRange = true;
  for (let i = 0; i < 8; i++) {
    const t = abs(load<f32>(PT + (<usize>i << 2))) - 0.5;
    if (t > 2) { inRange = false; break; }
    key = key * 3 + <i32>t;
  }
  if (inRange) {
    const a = <i32>load<u16>(KEY + (<usize>key << 1));
    if (a != 0xffff) { SEL = a; return d; }
  }
  // 2. search: per pattern, 2·⟨|y|, P⟩ − ‖P‖², minus 4·min P_i|y_i| when the sign parity is wrong
  let negs: u32 = 0, y2: f32 = 0;
  for (let i = 0; i < 8; i++) {
    const y = load<f32>(Y + (<usize>i << 2));
    negs += <u32>(y < 0);
    y2 += y * y;
  }
  let best: f32 = -Infinity, ba = 0;
  for (let a = 0; a < 256; a++) {
    const e = ABS + (<usize>a << 5);
    let dot: f32 = 0, mn: f32 = Infinity;
    for (let i = 0; i < 8; i++) {
      const t = abs(load<f32>(e + (<usize>i << 2))) * abs(load<f32>(Y + (<usize>i << 2)));
      dot += t;
      mn = min(mn, t);
    }
    const want = load<u32>(e + 28) >> 31; // parity of negatives in D8 + ½ for this pattern
    let score = dot * 2 - load<f32>(NORM2 + (<usize>a << 2));
    if (((negs ^ want) & 1) != 0) score -= mn * 4;
    if (score > best) { best = score; ba = a; }
  }
  // rebuild the point: signs of y, one flip of the cheapest coordinate when the parity is wrong
  const e = ABS + (<usize>ba << 5);
  let mn: f32 = Infinity, mi = 0;
  for (let i = 0; i < 8; i++) {
    const y = load<f32>(Y + (<usize>i << 2));
    const m = abs(load<f32>(e + (<usize>i << 2)));
    const t = m * abs(y);
    if (t < mn) { mn = t; mi = i; }
    store<f32>(PT + (<usize>i << 2), y < 0 ? -m : m);
  }
  if (((negs ^ (load<u32>(e + 28) >> 31)) & 1) != 0) {
    store<f32>(PT + (<usize>mi << 2), -load<f32>(PT + (<usize>mi << 2)));
  }
  SEL = ba;
  return y2 - best;
}

/**
 * `count` 8-vectors at x → the code of the nearest codeword at codes (u16). Non-finite coordinates are
 * read as 0. Ties between the shifts go to +¼.
 */
export function e8p_encode(x: usize, count: i32, codes: usize): void {
  e8pInit();
  for (let v = 0; v < count; v++) {
    const xv = x + (<usize>v << 5);
    let bestCode: u32 = 0, bestD: f32 = Infinity;
    for (let p: u32 = 0; p < 2; p++) {
      const sh: f32 = p ? -0.25 : 0.25;
      for (let i = 0; i < 8; i++) {
        let xi = load<f32>(xv + (<usize>i << 2));
        if (xi - xi != 0) xi = 0;
        store<f32>(Y + (<usize>i << 2), xi - sh);
      }
      const d = bestInS();
      if (d < bestD) { bestD = d; bestCode = codeOf(SEL, p); }
    }
    store<u16>(codes + (<usize>v << 1), <u16>bestCode);
  }
}
