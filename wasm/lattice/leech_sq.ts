// Spherical Leech quantization (Λ24-SQ): the 196,560 minimal vectors of √8·Λ24 (norm² 32), scaled to
// the unit sphere, with an exact nearest-codeword search and a table-free index < 2^18 (contract:
// docs/internals.md, "Lattice"). The three shapes and their index ranges:
//   A [0, 1104):        (±4, ±4, 0²²): index = pairRank(i < j)·4 + neg_i + 2·neg_j
//   B [1104, 98256):    (±2)⁸ on an octad, even number of minus signs:
//                       1104 + octadRank·128 + (minus bits of the octad's first 7 coordinates)
//   C [98256, 196560):  σ − 4σ_k·e_k with σ_i = (−1)^{c_i}, c a Golay codeword:
//                       98256 + codewordIndex·24 + k
// All codewords have the same norm, so the nearest is the one of largest inner product with x. Per
// shape the maximum is found in closed form or by a sweep over octads / codewords built from per-column
// sums (a codeword is six 4-bit column patterns), never over the 196,560 vectors. Ties keep the
// first candidate in the order A, B, C and increasing index. Non-finite coordinates are read as 0.

import { golayInit, GOLAY, OCTADS } from "./golay";

const OFF_B: u32 = 1104, OFF_C: u32 = 98256, TOTAL: u32 = 196560;
const INV_SQRT32: f64 = 0.17677669529663687;
const Y: usize = memory.data(24 * 8, 16);
// Per column j and pattern P (index 16j + P): Σ σy (σ = −1 on the pattern), min σy, Σ|y| on the
// pattern, min |y| on the pattern, parity of the negative y on the pattern.
const SS: usize = memory.data(96 * 8, 16);
const SM: usize = memory.data(96 * 8, 16);
const OA: usize = memory.data(96 * 8, 16);
const OM: usize = memory.data(96 * 8, 16);
const ON: usize = memory.data(96, 16);

// @ts-ignore: decorator
@inline function yAt(i: i32): f64 { return load<f64>(Y + (<usize>i << 3)); }

function columnSums(): void {
  for (let j = 0; j < 6; j++) {
    for (let P = 0; P < 16; P++) {
      let s: f64 = 0, m: f64 = Infinity, a: f64 = 0, am: f64 = Infinity, n = 0;
      for (let r = 0; r < 4; r++) {
        const y = yAt(j * 4 + r);
        const on = (P >> r) & 1;
        const sy = on ? -y : y;
        s += sy;
        m = min(m, sy);
        if (on) { a += abs(y); am = min(am, abs(y)); n ^= <i32>(y < 0); }
      }
      const k = <usize>(j * 16 + P);
      store<f64>(SS + (k << 3), s); store<f64>(SM + (k << 3), m);
      store<f64>(OA + (k << 3), a); store<f64>(OM + (k << 3), am); store<u8>(ON + k, <u8>n);
    }
  }
}

function pairRank(i: i32, j: i32): u32 { return <u32>(i * 23 - (i * (i - 1)) / 2 + (j - i - 1)); }

function encodeOne(x: usize): u32 {
  for (let i = 0; i < 24; i++) {
    let v = <f64>load<f32>(x + (<usize>i << 2));
    if (v - v != 0) v = 0;
    store<f64>(Y + (<usize>i << 3), v);
  }
  // A: the two largest |y| (first index on ties)
  let i1 = 0, i2 = 1;
  if (abs(yAt(1)) > abs(yAt(0))) { i1 = 1; i2 = 0; }
  for (let i = 2; i < 24; i++) {
    const a = abs(yAt(i));
    if (a > abs(yAt(i1))) { i2 = i1; i1 = i; } else if (a > abs(yAt(i2))) i2 = i;
  }
  const lo = min(i1, i2), hi = max(i1, i2);
  let best = 4 * (abs(yAt(lo)) + abs(yAt(hi)));
  let index = pairRank(lo, hi) * 4 + <u32>(yAt(lo) < 0) + 2 * <u32>(yAt(hi) < 0);
  columnSums();
  // B: octads, 2Σ|y| with the cheapest flip when the minus count is odd
  let bo = -1;
  for (let o = 0; o < 759; o++) {
    const mask = load<u32>(OCTADS + (<usize>o << 2));
    let a: f64 = 0, am: f64 = Infinity, n = 0;
    for (let j = 0; j < 6; j++) {
      const k = <usize>(j * 16 + ((mask >> (4 * j)) & 15));
      a += load<f64>(OA + (k << 3));
      am = min(am, load<f64>(OM + (k << 3)));
      n ^= load<u8>(ON + k);
    }
    const score = 2 * a - (n ? 4 * am : 0);
    if (score > best) { best = score; bo = o; }
  }
  // C: codewords, Σσy − 4·min σ_k y_k
  let bc = -1;
  for (let c = 0; c < 4096; c++) {
    const mask = load<u32>(GOLAY + (<usize>c << 2));
    let s: f64 = 0, m: f64 = Infinity;
    for (let j = 0; j < 6; j++) {
      const k = <usize>(j * 16 + ((mask >> (4 * j)) & 15));
      s += load<f64>(SS + (k << 3));
      m = min(m, load<f64>(SM + (k << 3)));
    }
    const score = s - 4 * m;
    if (score > best) { best = score; bc = c; }
  }
  if (bc >= 0) {
    const mask = load<u32>(GOLAY + (<usize>bc << 2));
    let m: f64 = Infinity, k = 0;
    for (let i = 0; i < 24; i++) {
      const sy = ((mask >> i) & 1) ? -yAt(i) : yAt(i);
      if (sy < m) { m = sy; k = i; }
    }
    return OFF_C + <u32>bc * 24 + <u32>k;
  }
  if (bo >= 0) {
    const mask = load<u32>(OCTADS + (<usize>bo << 2));
    let bits: u32 = 0, n: u32 = 0, pos: u32 = 0, am: f64 = Infinity, amPos: u32 = 0;
    for (let i = 0; i < 24; i++) {
      if (((mask >> i) & 1) == 0) continue;
      const neg = <u32>(yAt(i) < 0);
      bits |= neg << pos;
      n ^= neg;
      if (abs(yAt(i)) < am) { am = abs(yAt(i)); amPos = pos; }
      pos++;
    }
    if (n) bits ^= 1 << amPos; // flip the cheapest: now an even number of minus signs
    return OFF_B + <u32>bo * 128 + (bits & 127);
  }
  return index;
}

/** `count` 24-vectors at x → index of the nearest unit-sphere codeword (u32) at out. */
export function leech_sq_encode(x: usize, count: i32, out: usize): void {
  golayInit();
  for (let v = 0; v < count; v++) store<u32>(out + (<usize>v << 2), encodeOne(x + <usize>(v * 96)));
}

// @ts-ignore: decorator
@inline function put(o: usize, i: u32, v: f64): void { store<f32>(o + (<usize>i << 2), <f32>(v * INV_SQRT32)); }

/**
 * `count` indices (u32) at idx → unit vectors (24 f32 each) at out. Returns −1, or the position of the
 * first index ≥ 196,560 (its vector and those of every later bad index are NaN).
 */
export function leech_sq_decode(idx: usize, count: i32, out: usize): i32 {
  golayInit();
  let bad = -1;
  for (let v = 0; v < count; v++) {
    const c = load<u32>(idx + (<usize>v << 2));
    const o = out + <usize>(v * 96);
    for (let i: u32 = 0; i < 24; i++) put(o, i, 0);
    if (c >= TOTAL) {
      for (let i: u32 = 0; i < 24; i++) store<f32>(o + (<usize>i << 2), NaN);
      if (bad < 0) bad = v;
    } else if (c >= OFF_C) {
      const cw = (c - OFF_C) / 24, k = (c - OFF_C) % 24;
      const mask = load<u32>(GOLAY + (<usize>cw << 2));
      for (let i: u32 = 0; i < 24; i++) {
        const s: f64 = ((mask >> i) & 1) ? -1 : 1;
        put(o, i, i == k ? -3 * s : s);
      }
    } else if (c >= OFF_B) {
      const mask = load<u32>(OCTADS + (<usize>((c - OFF_B) >> 7) << 2));
      const bits = (c - OFF_B) & 127;
      let pos: u32 = 0;
      const last = popcnt(bits) & 1;
      for (let i: u32 = 0; i < 24; i++) {
        if (((mask >> i) & 1) == 0) continue;
        const neg = pos < 7 ? (bits >> pos) & 1 : last;
        put(o, i, neg ? -2 : 2);
        pos++;
      }
    } else {
      let r = <i32>(c >> 2), i = 0;
      while (r >= 23 - i) { r -= 23 - i; i++; }
      const j = i + 1 + r;
      put(o, i, (c & 1) ? -4 : 4);
      put(o, j, (c & 2) ? -4 : 4);
    }
  }
  return bad;
}
