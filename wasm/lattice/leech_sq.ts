// Spherical Leech quantization (Λ24-SQ): the 196,560 minimal vectors of √8·Λ24 (norm² 32), scaled to
// the unit sphere, with an exact nearest-codeword search and a table-free index < 2^18 (contract:
// docs/internals.md, "Lattice"). The three shapes and their index ranges:
//   A [0, 1104):        (±4, ±4, 0²²): index = pairRank(i < j)·4 + neg_i + 2·neg_j
//   B [1104, 98256):    (±2)⁸ on an octad, even number of minus signs:
//                       1104 + octadRank·128 + (minus bits of the octad's first 7 coordinates)
//   C [98256, 196560):  σ − 4σ_k·e_k with σ_i = (−1)^{c_i}, c a Golay codeword:
//                       98256 + codewordIndex·24 + k
// All codewords have the same norm, so the nearest is the one of largest inner product with x. The
// search visits neither the 196,560 vectors nor the 759 octads or 4096 codewords one by one. It uses
// the MOG/hexacode form of the Golay code (golay.ts): a codeword is a hexacode word h, a column parity
// p and per column a top bit t_j with Σt_j ≡ p, column j holding pattern colPattern(h_j, p, t_j); the
// two patterns of a column are complements. Per shape:
//   A  the two largest |x_i| (closed form).
//   C  ⟨x, σ − 4σ_k e_k⟩ = Σ_j S_j(t_j) − 4σ_k x_k. A column is a vector over (t, κ = "k is in this
//      column"): (S, −S, K₀, K₁), K_t = the column's signed sum less 4·min σx. The best codeword of an
//      (h, p) block is a max-plus convolution of the six column vectors, ending at t-parity p and
//      exactly one κ. Columns are paired (0,1), (2,3), (4,5); the hexacode is MDS, so each pair sees
//      each of its 16 value pairs and the pair convolutions are shared by the 64 words.
//   B  octads, score 2·max ⟨x, s⟩ over sign patterns s on the octad with an even number of minus signs.
//      p = 1 (384 octads): row h_j of every column but one, j*, which holds the other three rows. That
//      is the C convolution again, t being the minus-sign parity and κ "j* is this column", with
//      column vectors (u, −u, best even-signed triple, best odd-signed triple).
//      p = 0 (375): two whole columns (h = 0), or for each of the 45 words of weight 4 two rows in each
//      nonzero column (t picks which pair); a max-plus convolution over (t-parity, sign parity).
// Per block the search yields the best value; the index is rebuilt from the winning block: its best
// octad (B) or codeword and position (C), first on ties. Ties between blocks keep the first in the
// order A, B (h = 0, weight-4 words by index, then p = 1 words 0, 32, 1, 33, …), C (by block index).
// Scores are f64; every backend evaluates the same expressions in the same order. Non-finite
// coordinates read as 0.

import { golayInit, colPattern, GOLAY, HEXACODE, OCTADS } from "./golay";

const OFF_B: u32 = 1104, OFF_C: u32 = 98256, TOTAL: u32 = 196560;
const INV_SQRT32: f64 = 0.17677669529663687;
const Y: usize = memory.data(24 * 8, 16);
// Column vectors (S, K₀, K₁). Codewords: COLC[4j + v] = three f64 pairs, lane p (48 bytes); p = 1
// octads: COLB[4j + v], 4 f64 apart.
const COLC: usize = memory.data(24 * 48, 16);
const COLB: usize = memory.data(24 * 32, 16);
// Pair vectors g[τ + 2κ] of column pairs k = 0, 1, 2: PAIRC[16k + 4v₁ + v₂] holds four f64 pairs, lane p
// (64 bytes); for k = 2 lane 1 is stored with τ flipped, so the target τ = p is τ = 0 in both lanes.
// PAIRB[16k + 4v₁ + v₂]: four f64.
const PAIRC: usize = memory.data(48 * 64, 16);
const PAIRB: usize = memory.data(48 * 32, 16);
// SIMD build: PAIRB as f64 pairs, lane 1 holding the pair vector of word w + 32 (values + (0, 0, ω, ω, ω, ω),
// i.e. key 16k + r → 16k + (r ^ 10) for k = 1, 2), so words w and w + 32 run as two lanes.
const PAIRB2: usize = memory.data(48 * 64, 16);
// p = 0 octad columns, EV[4j + v] over states t + 2q (q = minus-sign parity): v ≠ 0 the two-row patterns
// (t = 0: the rows other than 0 and v; t = 1: rows 0 and v); v = 0 the whole column (t = 0 slots).
const EV: usize = memory.data(24 * 32, 16);
// Per weight-4 hexacode word: its four nonzero columns as 4j + v, then the word.
const W4: usize = memory.data(45 * 8, 16);
// Per hexacode word, the pair keys 4h₀ + h₁, 16 + 4h₂ + h₃, 32 + 4h₄ + h₅.
const HQ: usize = memory.data(64 * 4, 16);
// Golay index → rank among the octads (index order); meaningful for octads only.
const RANK: usize = memory.data(4096 * 2, 16);
// The winning block's columns (C): signed sum and, for t = 0 and 1, min σx and its row.
const WS: usize = memory.data(6 * 8, 16);
const WM: usize = memory.data(12 * 8, 16);
const WR: usize = memory.data(12, 16);
let sqReady = false;

function sqInit(): void {
  if (sqReady) return;
  golayInit();
  let rank: u32 = 0;
  for (let i: u32 = 0; i < 4096; i++) {
    if (popcnt(load<u32>(GOLAY + (<usize>i << 2))) != 8) continue;
    store<u16>(RANK + (<usize>i << 1), <u16>rank);
    rank++;
  }
  let n4: usize = 0;
  for (let w: u32 = 0; w < 64; w++) {
    const h = HEXACODE + w * 6;
    for (let k: u32 = 0; k < 3; k++) store<u8>(HQ + w * 4 + k, <u8>(16 * k + 4 * load<u8>(h + 2 * k) + load<u8>(h + 2 * k + 1)));
    let nz = 0;
    for (let j: u32 = 0; j < 6; j++) nz += <i32>(load<u8>(h + j) != 0);
    if (nz != 4) continue;
    const e = W4 + (n4++ << 3);
    let c: usize = 0;
    for (let j: u32 = 0; j < 6; j++) if (load<u8>(h + j) != 0) store<u8>(e + c++, <u8>(4 * j + load<u8>(h + j)));
    store<u8>(e + 4, <u8>w);
  }
  sqReady = true;
}

// @ts-ignore: decorator
@inline function yAt(i: i32): f64 { return load<f64>(Y + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }

function pairRank(i: i32, j: i32): u32 { return <u32>(i * 23 - (i * (i - 1)) / 2 + (j - i - 1)); }

/** Stores the best signed sum of a row set (Σ|y| = a, min |y| = am, n = parity of negatives) with an even
 * minus count at dst and with an odd one at dst + odd. */
// @ts-ignore: decorator
@inline function signed(dst: usize, odd: usize, a: f64, am: f64, n: i32): void {
  store<f64>(dst, n ? a - 2 * am : a);
  store<f64>(dst + odd, n ? a : a - 2 * am);
}

/** Column vectors of the current Y. */
function columns(): void {
  for (let j = 0; j < 6; j++) {
    const y0 = yAt(4 * j), y1 = yAt(4 * j + 1), y2 = yAt(4 * j + 2), y3 = yAt(4 * j + 3);
    const a0 = abs(y0), a1 = abs(y1), a2 = abs(y2), a3 = abs(y3);
    const n0 = <i32>(y0 < 0), n1 = <i32>(y1 < 0), n2 = <i32>(y2 < 0), n3 = <i32>(y3 < 0);
    for (let v = 0; v < 4; v++) {
      for (let p: u32 = 0; p < 2; p++) {
        const P = colPattern(<u32>v, p, 0); // row 0 is never in it
        const s1 = (P & 2) ? -y1 : y1, s2 = (P & 4) ? -y2 : y2, s3 = (P & 8) ? -y3 : y3;
        const sum = ((y0 + s1) + s2) + s3;
        const mn = min(min(y0, s1), min(s2, s3)), mx = max(max(y0, s1), max(s2, s3));
        const c = COLC + <usize>((4 * j + v) * 48) + (<usize>p << 3);
        store<f64>(c, sum); store<f64>(c, sum - 4 * mn, 16); store<f64>(c, 4 * mx - sum, 32);
      }
    }
    // p = 1 octads: row v alone, or the other three rows
    const b = COLB + (<usize>(16 * j) << 3);
    store<f64>(b, y0); store<f64>(b, y1, 32); store<f64>(b, y2, 64); store<f64>(b, y3, 96);
    signed(b + 8, 8, (a1 + a2) + a3, min(min(a1, a2), a3), n1 ^ n2 ^ n3);
    signed(b + 40, 8, (a0 + a2) + a3, min(min(a0, a2), a3), n0 ^ n2 ^ n3);
    signed(b + 72, 8, (a0 + a1) + a3, min(min(a0, a1), a3), n0 ^ n1 ^ n3);
    signed(b + 104, 8, (a0 + a1) + a2, min(min(a0, a1), a2), n0 ^ n1 ^ n2);
    // p = 0 octads, states t + 2q: the whole column (v = 0); two rows (v ≠ 0: t = 0 the rows other
    // than 0 and v, t = 1 rows 0 and v)
    const e = EV + (<usize>(16 * j) << 3);
    signed(e, 16, ((a0 + a1) + a2) + a3, min(min(a0, a1), min(a2, a3)), n0 ^ n1 ^ n2 ^ n3);
    signed(e + 32, 16, a2 + a3, min(a2, a3), n2 ^ n3);
    signed(e + 40, 16, a0 + a1, min(a0, a1), n0 ^ n1);
    signed(e + 64, 16, a1 + a3, min(a1, a3), n1 ^ n3);
    signed(e + 72, 16, a0 + a2, min(a0, a2), n0 ^ n2);
    signed(e + 96, 16, a1 + a2, min(a1, a2), n1 ^ n2);
    signed(e + 104, 16, a0 + a3, min(a0, a3), n0 ^ n3);
  }
}

/** Max-plus convolution of two column vectors (S, K₀, K₁) at a, b (f64 `stride` bytes apart) into the
 * pair vector g[τ + 2κ] at dst (f64 `stride` bytes apart). */
// @ts-ignore: decorator
@inline function pairOf(dst: usize, a: usize, b: usize, stride: usize): void {
  const s1 = load<f64>(a), k01 = load<f64>(a + stride), k11 = load<f64>(a + 2 * stride);
  const s2 = load<f64>(b), k02 = load<f64>(b + stride), k12 = load<f64>(b + 2 * stride);
  store<f64>(dst, abs(s1 + s2));
  store<f64>(dst + stride, abs(s1 - s2));
  store<f64>(dst + 2 * stride, max(max(k01 + s2, k11 - s2), max(s1 + k02, k12 - s1)));
  store<f64>(dst + 3 * stride, max(max(k01 - s2, k11 + s2), max(s1 + k12, k02 - s1)));
}

function pairs(): void {
  for (let k = 0; k < 3; k++) {
    for (let v1 = 0; v1 < 4; v1++) {
      for (let v2 = 0; v2 < 4; v2++) {
        const q = 16 * k + 4 * v1 + v2;
        const ca = 4 * (2 * k) + v1, cb = 4 * (2 * k + 1) + v2;
        pairOf(PAIRB + (<usize>q << 5), COLB + (<usize>ca << 5), COLB + (<usize>cb << 5), 8);
        const d = PAIRC + (<usize>q << 6), a = COLC + <usize>(ca * 48), b = COLC + <usize>(cb * 48);
        if (ASC_FEATURE_SIMD) {
          const s1 = v128.load(a), k01 = v128.load(a, 16), k11 = v128.load(a, 32);
          const s2 = v128.load(b), k02 = v128.load(b, 16), k12 = v128.load(b, 32);
          let g0 = f64x2.abs(f64x2.add(s1, s2)), g1 = f64x2.abs(f64x2.sub(s1, s2));
          let g2 = f64x2.pmax(f64x2.pmax(f64x2.add(k01, s2), f64x2.sub(k11, s2)), f64x2.pmax(f64x2.add(s1, k02), f64x2.sub(k12, s1)));
          let g3 = f64x2.pmax(f64x2.pmax(f64x2.sub(k01, s2), f64x2.add(k11, s2)), f64x2.pmax(f64x2.add(s1, k12), f64x2.sub(k02, s1)));
          if (k == 2) {
            const t0 = g0, t2 = g2;
            g0 = v128.shuffle<f64>(g0, g1, 0, 3); g1 = v128.shuffle<f64>(g1, t0, 0, 3);
            g2 = v128.shuffle<f64>(g2, g3, 0, 3); g3 = v128.shuffle<f64>(g3, t2, 0, 3);
          }
          v128.store(d, g0); v128.store(d, g1, 16); v128.store(d, g2, 32); v128.store(d, g3, 48);
        } else {
          pairOf(d, a, b, 16);
          pairOf(d + 8, a + 8, b + 8, 16);
          if (k == 2) {
            const g0 = load<f64>(d, 8), g2 = load<f64>(d, 40);
            store<f64>(d, load<f64>(d, 24), 8); store<f64>(d, g0, 24);
            store<f64>(d, load<f64>(d, 56), 40); store<f64>(d, g2, 56);
          }
        }
      }
    }
  }
  if (ASC_FEATURE_SIMD) {
    for (let q = 0; q < 48; q++) {
      const d = PAIRB2 + (<usize>q << 6), b0 = PAIRB + (<usize>q << 5), b1 = PAIRB + (<usize>(q < 16 ? q : q ^ 10) << 5);
      for (let st = 0; st < 4; st++) {
        store<f64>(d + (<usize>st << 4), load<f64>(b0 + (<usize>st << 3)));
        store<f64>(d + (<usize>st << 4), load<f64>(b1 + (<usize>st << 3)), 8);
      }
    }
  }
}

/** Best of three pair vectors g[τ + 2κ] (entries `step` f64 apart) ending at τ = pi with exactly one κ. */
// @ts-ignore: decorator
@inline function best3(a: usize, b: usize, c: usize, step: i32, pi: i32): f64 {
  const a0 = at(a, 0), a1 = at(a, step), a2 = at(a, 2 * step), a3 = at(a, 3 * step);
  const b0 = at(b, 0), b1 = at(b, step), b2 = at(b, 2 * step), b3 = at(b, 3 * step);
  const ab0 = max(a0 + b0, a1 + b1), ab1 = max(a0 + b1, a1 + b0);
  const ab2 = max(max(a0 + b2, a1 + b3), max(a2 + b0, a3 + b1));
  const ab3 = max(max(a0 + b3, a1 + b2), max(a2 + b1, a3 + b0));
  return max(max(ab0 + at(c, (2 + pi) * step), ab1 + at(c, (3 - pi) * step)),
    max(ab2 + at(c, pi * step), ab3 + at(c, (1 - pi) * step)));
}

/** best3 (target τ = 0) with f64 pairs as the two lanes (SIMD build): both codeword blocks (p = 0, 1) of
 * a word, or the p = 1 octad blocks of words w and w + 32. */
// @ts-ignore: decorator
@inline function codewordBlocks(a: usize, b: usize, c: usize): v128 {
  const a0 = v128.load(a), a1 = v128.load(a, 16), a2 = v128.load(a, 32), a3 = v128.load(a, 48);
  const b0 = v128.load(b), b1 = v128.load(b, 16), b2 = v128.load(b, 32), b3 = v128.load(b, 48);
  const ab0 = f64x2.pmax(f64x2.add(a0, b0), f64x2.add(a1, b1)), ab1 = f64x2.pmax(f64x2.add(a0, b1), f64x2.add(a1, b0));
  const ab2 = f64x2.pmax(f64x2.pmax(f64x2.add(a0, b2), f64x2.add(a1, b3)), f64x2.pmax(f64x2.add(a2, b0), f64x2.add(a3, b1)));
  const ab3 = f64x2.pmax(f64x2.pmax(f64x2.add(a0, b3), f64x2.add(a1, b2)), f64x2.pmax(f64x2.add(a2, b1), f64x2.add(a3, b0)));
  return f64x2.pmax(f64x2.pmax(f64x2.add(ab0, v128.load(c, 32)), f64x2.add(ab1, v128.load(c, 48))),
    f64x2.pmax(f64x2.add(ab2, v128.load(c)), f64x2.add(ab3, v128.load(c, 16))));
}

/** Best of four vectors over (ℤ/2)² (states t + 2q) ending at state 0. */
// @ts-ignore: decorator
@inline function best4(a: usize, b: usize, c: usize, d: usize): f64 {
  const a0 = at(a, 0), a1 = at(a, 1), a2 = at(a, 2), a3 = at(a, 3);
  const b0 = at(b, 0), b1 = at(b, 1), b2 = at(b, 2), b3 = at(b, 3);
  const ab0 = max(max(a0 + b0, a1 + b1), max(a2 + b2, a3 + b3));
  const ab1 = max(max(a0 + b1, a1 + b0), max(a2 + b3, a3 + b2));
  const ab2 = max(max(a0 + b2, a1 + b3), max(a2 + b0, a3 + b1));
  const ab3 = max(max(a0 + b3, a1 + b2), max(a2 + b1, a3 + b0));
  const c0 = at(c, 0), c1 = at(c, 1), c2 = at(c, 2), c3 = at(c, 3);
  const e0 = max(max(ab0 + c0, ab1 + c1), max(ab2 + c2, ab3 + c3));
  const e1 = max(max(ab0 + c1, ab1 + c0), max(ab2 + c3, ab3 + c2));
  const e2 = max(max(ab0 + c2, ab1 + c3), max(ab2 + c0, ab3 + c1));
  const e3 = max(max(ab0 + c3, ab1 + c2), max(ab2 + c1, ab3 + c0));
  return max(max(e0 + at(d, 0), e1 + at(d, 1)), max(e2 + at(d, 2), e3 + at(d, 3)));
}

/** (ℤ/2)² max-plus convolution of A = (lo, hi) with the vector at b, as two f64 pairs (SIMD build). */
// @ts-ignore: decorator
@inline function conv4(alo: v128, ahi: v128, b: usize, hi: bool): v128 {
  const blo = v128.load(b), bhi = v128.load(b, 16);
  const slo = v128.shuffle<f64>(blo, blo, 1, 0), shi = v128.shuffle<f64>(bhi, bhi, 1, 0);
  const a0 = v128.shuffle<f64>(alo, alo, 0, 0), a1 = v128.shuffle<f64>(alo, alo, 1, 1);
  const a2 = v128.shuffle<f64>(ahi, ahi, 0, 0), a3 = v128.shuffle<f64>(ahi, ahi, 1, 1);
  return hi
    ? f64x2.pmax(f64x2.pmax(f64x2.add(a0, bhi), f64x2.add(a1, shi)), f64x2.pmax(f64x2.add(a2, blo), f64x2.add(a3, slo)))
    : f64x2.pmax(f64x2.pmax(f64x2.add(a0, blo), f64x2.add(a1, slo)), f64x2.pmax(f64x2.add(a2, bhi), f64x2.add(a3, shi)));
}

/** best4 in the SIMD build: the same sums and maxima as two f64 lanes. */
// @ts-ignore: decorator
@inline function best4v(a: usize, b: usize, c: usize, d: usize): f64 {
  const alo = v128.load(a), ahi = v128.load(a, 16);
  const ablo = conv4(alo, ahi, b, false), abhi = conv4(alo, ahi, b, true);
  const elo = conv4(ablo, abhi, c, false), ehi = conv4(ablo, abhi, c, true);
  const m = f64x2.pmax(f64x2.add(elo, v128.load(d)), f64x2.add(ehi, v128.load(d, 16)));
  return max(f64x2.extract_lane(m, 0), f64x2.extract_lane(m, 1));
}

/** Index of the best octad of block w << 1 | p (first on ties), with its best even-signed ±2 pattern. */
function octadOfBlock(block: u32): u32 {
  let top: f64 = -Infinity, mask: u32 = 0, idx: u32 = 0;
  for (let t: u32 = 0; t < 32; t++) {
    const m = load<u32>(GOLAY + (<usize>(block << 5 | t) << 2));
    if (popcnt(m) != 8) continue;
    let a: f64 = 0, am: f64 = Infinity, n = 0;
    for (let i = 0; i < 24; i++) {
      if (((m >> i) & 1) == 0) continue;
      a += abs(yAt(i)); am = min(am, abs(yAt(i))); n ^= <i32>(yAt(i) < 0);
    }
    const score = 2 * a - (n ? 4 * am : 0);
    if (score > top) { top = score; mask = m; idx = block << 5 | t; }
  }
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
  return OFF_B + <u32>load<u16>(RANK + (<usize>idx << 1)) * 128 + (bits & 127);
}

/** Index of the best codeword and position of block w << 1 | p: first codeword, then first position on ties. */
function codewordOfBlock(block: u32): u32 {
  const h = HEXACODE + <usize>((block >> 1) * 6), p = block & 1;
  for (let j = 0; j < 6; j++) {
    const P = colPattern(load<u8>(h + <usize>j), p, 0);
    let s: f64 = 0, m0: f64 = Infinity, m1: f64 = Infinity, r0 = 0, r1 = 0;
    for (let r = 0; r < 4; r++) {
      const sy = ((P >> <u32>r) & 1) ? -yAt(4 * j + r) : yAt(4 * j + r);
      s += sy;
      if (sy < m0) { m0 = sy; r0 = r; }
      if (-sy < m1) { m1 = -sy; r1 = r; }
    }
    store<f64>(WS + (<usize>j << 3), s);
    store<f64>(WM + (<usize>(2 * j) << 3), m0); store<f64>(WM + (<usize>(2 * j + 1) << 3), m1);
    store<u8>(WR + <usize>(2 * j), <u8>r0); store<u8>(WR + <usize>(2 * j + 1), <u8>r1);
  }
  let top: f64 = -Infinity, bt: u32 = 0, bk: u32 = 0;
  for (let t: u32 = 0; t < 32; t++) {
    const t6 = t | ((p ^ (popcnt(t) & 1)) << 5);
    let s: f64 = 0, m: f64 = Infinity, k: u32 = 0;
    for (let j = 0; j < 6; j++) {
      const on = <i32>((t6 >> <u32>j) & 1);
      s += on ? -at(WS, j) : at(WS, j);
      const mj = at(WM, 2 * j + on);
      if (mj < m) { m = mj; k = <u32>(4 * j) + load<u8>(WR + <usize>(2 * j + on)); }
    }
    const score = s - 4 * m;
    if (score > top) { top = score; bt = t; bk = k; }
  }
  return OFF_C + (block << 5 | bt) * 24 + bk;
}

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
  columns();
  pairs();
  // B, p = 0: h = 0 (two whole columns), then the weight-4 words; block = w << 1 | p
  let shape = 0;
  let block: u32 = 0;
  for (let j1 = 0; j1 < 5; j1++) {
    const e1 = EV + (<usize>(4 * j1) << 5);
    for (let j2 = j1 + 1; j2 < 6; j2++) {
      const e2 = EV + (<usize>(4 * j2) << 5);
      const score = 2 * max(at(e1, 0) + at(e2, 0), at(e1, 2) + at(e2, 2));
      if (score > best) { best = score; shape = 1; block = 0; }
    }
  }
  for (let i = 0; i < 45; i++) {
    const e = W4 + (<usize>i << 3);
    const a = EV + (<usize>load<u8>(e) << 5), b = EV + (<usize>load<u8>(e, 1) << 5);
    const c = EV + (<usize>load<u8>(e, 2) << 5), d = EV + (<usize>load<u8>(e, 3) << 5);
    const score = 2 * (ASC_FEATURE_SIMD ? best4v(a, b, c, d) : best4(a, b, c, d));
    if (score > best) { best = score; shape = 1; block = <u32>load<u8>(e, 4) << 1; }
  }
  // B, p = 1 and C: three shared pair vectors per hexacode word
  for (let w: u32 = 0; w < 32; w++) {
    const q = HQ + (<usize>w << 2);
    let s0: f64, s1: f64;
    if (ASC_FEATURE_SIMD) {
      const r = codewordBlocks(PAIRB2 + (<usize>load<u8>(q) << 6), PAIRB2 + (<usize>load<u8>(q, 1) << 6), PAIRB2 + (<usize>load<u8>(q, 2) << 6));
      s0 = 2 * f64x2.extract_lane(r, 0); s1 = 2 * f64x2.extract_lane(r, 1);
    } else {
      const q2 = q + 128; // word w + 32
      s0 = 2 * best3(PAIRB + (<usize>load<u8>(q) << 5), PAIRB + (<usize>load<u8>(q, 1) << 5), PAIRB + (<usize>load<u8>(q, 2) << 5), 1, 0);
      s1 = 2 * best3(PAIRB + (<usize>load<u8>(q2) << 5), PAIRB + (<usize>load<u8>(q2, 1) << 5), PAIRB + (<usize>load<u8>(q2, 2) << 5), 1, 0);
    }
    if (s0 > best) { best = s0; shape = 1; block = w << 1 | 1; }
    if (s1 > best) { best = s1; shape = 1; block = (w + 32) << 1 | 1; }
  }
  for (let w: u32 = 0; w < 64; w++) {
    const q = HQ + (<usize>w << 2);
    const a = PAIRC + (<usize>load<u8>(q) << 6), b = PAIRC + (<usize>load<u8>(q, 1) << 6), c = PAIRC + (<usize>load<u8>(q, 2) << 6);
    let s0: f64, s1: f64;
    if (ASC_FEATURE_SIMD) {
      const r = codewordBlocks(a, b, c);
      s0 = f64x2.extract_lane(r, 0); s1 = f64x2.extract_lane(r, 1);
    } else {
      s0 = best3(a, b, c, 2, 0); s1 = best3(a + 8, b + 8, c + 8, 2, 0);
    }
    if (s0 > best) { best = s0; shape = 2; block = w << 1; }
    if (s1 > best) { best = s1; shape = 2; block = w << 1 | 1; }
  }
  if (shape == 2) return codewordOfBlock(block);
  if (shape == 1) return octadOfBlock(block);
  return pairRank(lo, hi) * 4 + <u32>(yAt(lo) < 0) + 2 * <u32>(yAt(hi) < 0);
}

/** `count` 24-vectors at x → index of the nearest unit-sphere codeword (u32) at out. */
export function leech_sq_encode(x: usize, count: i32, out: usize): void {
  sqInit();
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
