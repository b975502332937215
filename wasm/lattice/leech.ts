// Exact maximum-likelihood (nearest point) decoder of the Leech lattice Λ24 (contract:
// docs/internals.md, "Lattice"; derivation: docs/lattice.md). Work is in the integer form L = √8·Λ24:
//   L = { x ∈ ℤ²⁴ : x ≡ m + 2c (mod 4) for m ∈ {0, 1} and a Golay codeword c, Σx ≡ 4m (mod 8) }.
// Writing x_i = r_i + 4k_i (r_i = m + 2c_i), Σx ≡ 4m (mod 8) is Σk ≡ m (mod 2) because every Golay
// weight is ≡ 0 (mod 4). So for each m and codeword the best point is a D24-like problem: per coordinate
// the nearest value of its residue class, plus a parity constraint on Σk. Over the MOG/hexacode form of
// the Golay code (golay.ts) the codewords factor over the 6 columns: for a hexacode word h and column
// parity p, column j picks one of two complementary patterns (top bit t_j), and the constraints are
// Σt_j ≡ p and Σk ≡ m. Each column contributes a 4-state cost vector over (t, q = k-parity) — per
// pattern the best values, or with q flipped the cheapest single change to the other k-parity — and
// the minimum over all codewords is a min-plus convolution over (ℤ/2)² of the six vectors. Columns
// are paired ((0,1), (2,3), (4,5)); each pair takes each of its 16 score pairs in exactly 4 hexacode
// words (the hexacode is MDS), so the pair convolutions are computed once and every one of the
// 2·2·64 (m, p, h) candidates costs two small convolutions.
//
// Layout: the four (m, p) problems run side by side as the four f32 lanes of every state value
// (lane L = 2m + p), one v128 in the SIMD build and a 4-step loop in the scalar build — the same f32
// operations in the same order, so both builds give bit-identical results. The target state (p, m)
// of lane L is folded into column 5 (its states are stored XOR-ed with L), so every candidate is
// min_s AB[s] + C[s]. Per-coordinate costs are computed in f64 and rounded once to f32; the sums
// and minima are f32. The winner is rebuilt by a backtracking pass. Ties keep the first candidate
// in (m, p, h) order; inside the winning coset the backtracking keeps the lowest predecessor state.

import { golayInit, colPattern, HEXACODE } from "./golay";

const SQRT8: f64 = 2.8284271247461903;
// Per coordinate i and residue r = 0..3 (index 4i + r): cost of the nearest value of the residue class
// and extra cost of the nearest value with the other k-parity (f32), k-parity of the nearest (i32 0/−1).
const D0: usize = memory.data(96 * 4, 16);
const DL: usize = memory.data(96 * 4, 16);
const KP: usize = memory.data(96 * 4, 16);
// COL[j][v][s][L]: column j with score v, state s = t | q << 1, lane L (6·4·4·4 f32).
const COL: usize = memory.data(384 * 4, 16);
// PAIR[k][v1 · 4 + v2][s][L] for column pairs k = 0, 1, 2 (3·16·4·4 f32).
const PAIR: usize = memory.data(768 * 4, 16);
const AB: usize = memory.data(64, 16);
const BEST: usize = memory.data(16, 16);
const BESTH: usize = memory.data(16, 16);
// Per lane, per row of the current column: the residue entries for pattern bit 0 and bit 1 (R0, R1:
// 4 rows × 4 lanes each, for D0, DL and KP), then the 16 pattern tables (PC, PL, PQ: 16 × 4 lanes).
const RD: usize = memory.data(6 * 64, 16);
const PC: usize = memory.data(256, 16);
const PL: usize = memory.data(256, 16);
const PQ: usize = memory.data(256, 16);
// Backtracking: per column the 4 states of the winner, the DP costs and the chosen predecessor.
const W: usize = memory.data(24 * 4, 16);
const DP: usize = memory.data(24 * 4, 16);
const BACK: usize = memory.data(24 * 4, 16);
const HALF_LO: usize = memory.data<f64>([0, 1]);
const HALF_HI: usize = memory.data<f64>([2, 3]);

// @ts-ignore: decorator
@inline function f32at(base: usize, i: i32): f32 { return load<f32>(base + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setf32(base: usize, i: i32, v: f32): void { store<f32>(base + (<usize>i << 2), v); }

/** Per coordinate and residue (f64, rounded once to f32): D0, DL, KP. The SIMD build uses f64x2 (same IEEE ops). */
function coordinates(x: usize): void {
  if (ASC_FEATURE_SIMD) {
    const rlo = v128.load(HALF_LO), rhi = v128.load(HALF_HI);
    const q = f64x2.splat(0.25), four = f64x2.splat(4), one = f64x2.splat(1), two = f64x2.splat(2), half = f64x2.splat(0.5);
    for (let i = 0; i < 24; i++) {
      const y = f64x2.splat(<f64>load<f32>(x + (<usize>i << 2)) * SQRT8);
      // residues 0, 1 then 2, 3
      const tl = f64x2.mul(f64x2.sub(y, rlo), q), th = f64x2.mul(f64x2.sub(y, rhi), q);
      const kl = f64x2.nearest(tl), kh = f64x2.nearest(th);
      const k1l = v128.bitselect(f64x2.add(kl, one), f64x2.sub(kl, one), f64x2.ge(tl, kl));
      const k1h = v128.bitselect(f64x2.add(kh, one), f64x2.sub(kh, one), f64x2.ge(th, kh));
      const el = f64x2.sub(y, f64x2.add(rlo, f64x2.mul(four, kl))), eh = f64x2.sub(y, f64x2.add(rhi, f64x2.mul(four, kh)));
      const gl = f64x2.sub(y, f64x2.add(rlo, f64x2.mul(four, k1l))), gh = f64x2.sub(y, f64x2.add(rhi, f64x2.mul(four, k1h)));
      const d0l = f64x2.mul(el, el), d0h = f64x2.mul(eh, eh);
      const dll = f64x2.sub(f64x2.mul(gl, gl), d0l), dlh = f64x2.sub(f64x2.mul(gh, gh), d0h);
      const o = <usize>i << 4;
      v128.store(D0 + o, v128.shuffle<u32>(f32x4.demote_f64x2_zero(d0l), f32x4.demote_f64x2_zero(d0h), 0, 1, 4, 5));
      v128.store(DL + o, v128.shuffle<u32>(f32x4.demote_f64x2_zero(dll), f32x4.demote_f64x2_zero(dlh), 0, 1, 4, 5));
      const pl = f64x2.ne(f64x2.sub(kl, f64x2.mul(two, f64x2.floor(f64x2.mul(kl, half)))), f64x2.splat(0));
      const ph = f64x2.ne(f64x2.sub(kh, f64x2.mul(two, f64x2.floor(f64x2.mul(kh, half)))), f64x2.splat(0));
      v128.store(KP + o, v128.shuffle<u32>(pl, ph, 0, 2, 4, 6));
    }
  } else {
    for (let i = 0; i < 24; i++) {
      const y = <f64>load<f32>(x + (<usize>i << 2)) * SQRT8;
      for (let r = 0; r < 4; r++) {
        const t = (y - <f64>r) * 0.25;
        const k = nearest(t);
        const k1 = t >= k ? k + 1 : k - 1;
        const e = y - (<f64>r + 4 * k), g = y - (<f64>r + 4 * k1);
        const d0 = e * e;
        const j = i * 4 + r;
        setf32(D0, j, <f32>d0);
        setf32(DL, j, <f32>(g * g - d0));
        store<i32>(KP + (<usize>j << 2), k - 2 * Math.floor(k * 0.5) != 0 ? -1 : 0);
      }
    }
  }
}

/**
 * Column j: the 16 pattern tables over the 4 lanes. Lane L = 2m + p reads pattern P' as the actual
 * pattern P' ^ (p ? 0b1110 : 0) (colPattern(v, 1, t) = colPattern(v, 0, t) ^ 0b1110), so every lane
 * uses the same P' = colPattern(v, 0, t). cost = (row 0 + row 1) + (row 2 + row 3), the cheapest
 * single change to the other k-parity (min of the rows), the k-parity (xor).
 */
function columnTables(j: i32): void {
  // R_b[row][lane]: residue m + 2·(b ^ (p && row ≥ 1)) of row `row` of column j
  for (let r = 0; r < 4; r++) {
    const src = <usize>((j * 4 + r) << 4);
    for (let k = 0; k < 3; k++) {
      const tab = k == 0 ? D0 : k == 1 ? DL : KP;
      const dst = RD + <usize>(k * 128 + r * 16);
      if (ASC_FEATURE_SIMD) {
        const d = v128.load(tab + src);
        if (r == 0) {
          v128.store(dst, v128.shuffle<u32>(d, d, 0, 0, 1, 1));
          v128.store(dst + 64, v128.shuffle<u32>(d, d, 2, 2, 3, 3));
        } else {
          v128.store(dst, v128.shuffle<u32>(d, d, 0, 2, 1, 3));
          v128.store(dst + 64, v128.shuffle<u32>(d, d, 2, 0, 3, 1));
        }
      } else {
        for (let l = 0; l < 4; l++) {
          const m = l >> 1, p = l & 1;
          const flip = r > 0 ? p : 0;
          store<u32>(dst + (<usize>l << 2), load<u32>(tab + src + (<usize>(m + 2 * flip) << 2)));
          store<u32>(dst + 64 + (<usize>l << 2), load<u32>(tab + src + (<usize>(m + 2 * (1 ^ flip)) << 2)));
        }
      }
    }
  }
  for (let P = 0; P < 16; P++) {
    const o0 = RD + <usize>(((P & 1) * 4 + 0) * 16), o1 = RD + <usize>((((P >> 1) & 1) * 4 + 1) * 16);
    const o2 = RD + <usize>((((P >> 2) & 1) * 4 + 2) * 16), o3 = RD + <usize>((((P >> 3) & 1) * 4 + 3) * 16);
    const e = <usize>P << 4;
    if (ASC_FEATURE_SIMD) {
      v128.store(PC + e, f32x4.add(f32x4.add(v128.load(o0), v128.load(o1)), f32x4.add(v128.load(o2), v128.load(o3))));
      v128.store(PL + e, f32x4.min(f32x4.min(v128.load(o0, 128), v128.load(o1, 128)), f32x4.min(v128.load(o2, 128), v128.load(o3, 128))));
      v128.store(PQ + e, v128.xor(v128.xor(v128.load(o0, 256), v128.load(o1, 256)), v128.xor(v128.load(o2, 256), v128.load(o3, 256))));
    } else {
      for (let l: usize = 0; l < 16; l += 4) {
        store<f32>(PC + e + l, (load<f32>(o0 + l) + load<f32>(o1 + l)) + (load<f32>(o2 + l) + load<f32>(o3 + l)));
        store<f32>(PL + e + l, min(min(load<f32>(o0 + l, 128), load<f32>(o1 + l, 128)), min(load<f32>(o2 + l, 128), load<f32>(o3 + l, 128))));
        store<u32>(PQ + e + l, load<u32>(o0 + l, 256) ^ load<u32>(o1 + l, 256) ^ load<u32>(o2 + l, 256) ^ load<u32>(o3 + l, 256));
      }
    }
  }
  // COL[j][v][s]: state (t, q) of the pattern colPattern(v, 0, t): cost when q is its k-parity, else cost + dl
  for (let v: u32 = 0; v < 4; v++) {
    const o = COL + (<usize>(j * 16 + <i32>v * 4) << 4);
    for (let t: u32 = 0; t < 2; t++) {
      const e = <usize>colPattern(v, 0, t) << 4;
      const s0 = o + (<usize>t << 4), s1 = o + (<usize>(t | 2) << 4);
      if (ASC_FEATURE_SIMD) {
        const c = v128.load(PC + e), cd = f32x4.add(c, v128.load(PL + e)), qm = v128.load(PQ + e);
        v128.store(s0, v128.bitselect(cd, c, qm));
        v128.store(s1, v128.bitselect(c, cd, qm));
      } else {
        for (let l: usize = 0; l < 16; l += 4) {
          const c = load<f32>(PC + e + l), cd = c + load<f32>(PL + e + l), odd = load<u32>(PQ + e + l) != 0;
          store<f32>(s0 + l, odd ? cd : c);
          store<f32>(s1 + l, odd ? c : cd);
        }
      }
    }
    if (j == 5) {
      // fold each lane's target state into column 5: stored state s holds state s ^ L
      for (let l = 1; l < 4; l++) {
        for (let s = 0; s < 4; s++) {
          if ((s ^ l) < s) continue;
          const a = o + (<usize>s << 4) + (<usize>l << 2), b = o + (<usize>(s ^ l) << 4) + (<usize>l << 2);
          const ta = load<u32>(a); store<u32>(a, load<u32>(b)); store<u32>(b, ta);
        }
      }
    }
  }
}

/** min of two non-NaN f32 (costs are never −0): a select, cheaper than f32.min in the scalar build. */
// @ts-ignore: decorator
@inline function fmin(a: f32, b: f32): f32 { return select<f32>(a, b, a < b); }

/** out[s] = min over a of A[a] + B[a ^ s], per lane (A, B, out: 4 states × 4 lanes). */
// @ts-ignore: decorator
@inline function convolve(A: usize, B: usize, out: usize): void {
  if (ASC_FEATURE_SIMD) {
    const a0 = v128.load(A), a1 = v128.load(A, 16), a2 = v128.load(A, 32), a3 = v128.load(A, 48);
    const b0 = v128.load(B), b1 = v128.load(B, 16), b2 = v128.load(B, 32), b3 = v128.load(B, 48);
    v128.store(out, f32x4.min(f32x4.min(f32x4.add(a0, b0), f32x4.add(a1, b1)), f32x4.min(f32x4.add(a2, b2), f32x4.add(a3, b3))));
    v128.store(out, f32x4.min(f32x4.min(f32x4.add(a0, b1), f32x4.add(a1, b0)), f32x4.min(f32x4.add(a2, b3), f32x4.add(a3, b2))), 16);
    v128.store(out, f32x4.min(f32x4.min(f32x4.add(a0, b2), f32x4.add(a1, b3)), f32x4.min(f32x4.add(a2, b0), f32x4.add(a3, b1))), 32);
    v128.store(out, f32x4.min(f32x4.min(f32x4.add(a0, b3), f32x4.add(a1, b2)), f32x4.min(f32x4.add(a2, b1), f32x4.add(a3, b0))), 48);
  } else {
    for (let l = 0; l < 4; l++) {
      const a0 = f32at(A, l), a1 = f32at(A, 4 + l), a2 = f32at(A, 8 + l), a3 = f32at(A, 12 + l);
      const b0 = f32at(B, l), b1 = f32at(B, 4 + l), b2 = f32at(B, 8 + l), b3 = f32at(B, 12 + l);
      setf32(out, l, fmin(fmin(a0 + b0, a1 + b1), fmin(a2 + b2, a3 + b3)));
      setf32(out, 4 + l, fmin(fmin(a0 + b1, a1 + b0), fmin(a2 + b3, a3 + b2)));
      setf32(out, 8 + l, fmin(fmin(a0 + b2, a1 + b3), fmin(a2 + b0, a3 + b1)));
      setf32(out, 12 + l, fmin(fmin(a0 + b3, a1 + b2), fmin(a2 + b1, a3 + b0)));
    }
  }
}

/**
 * Hexacode word h's tables for both search variants: AB = P01 ⊗ P23 of its symbols (written), and the
 * address of its P45 table (returned).
 */
// @ts-ignore: decorator
@inline function hexacodeTables(h: u32): usize {
  const w = HEXACODE + h * 6;
  const s01 = <i32>load<u8>(w) * 4 + load<u8>(w + 1);
  const s23 = <i32>load<u8>(w + 2) * 4 + load<u8>(w + 3);
  const s45 = <i32>load<u8>(w + 4) * 4 + load<u8>(w + 5);
  convolve(PAIR + (<usize>(s01 * 4) << 4), PAIR + (<usize>(64 + s23 * 4) << 4), AB);
  return PAIR + (<usize>(128 + s45 * 4) << 4);
}

/** Nearest point of L to √8·x for one vector; writes x̂ = point/√8. */
function decodeOne(x: usize, out: usize): void {
  let finite: f32 = 0;
  for (let i = 0; i < 24; i++) finite += load<f32>(x + (<usize>i << 2)) * 0; // NaN iff a coordinate is NaN/±Inf
  if (finite != 0) {
    for (let i = 0; i < 24; i++) store<f32>(out + (<usize>i << 2), NaN);
    return;
  }
  coordinates(x);
  for (let j = 0; j < 6; j++) columnTables(j);
  for (let k = 0; k < 3; k++) {
    for (let v1 = 0; v1 < 4; v1++) for (let v2 = 0; v2 < 4; v2++) {
      convolve(COL + (<usize>(2 * k * 16 + v1 * 4) << 4), COL + (<usize>((2 * k + 1) * 16 + v2 * 4) << 4),
        PAIR + (<usize>(k * 64 + (v1 * 4 + v2) * 4) << 4));
    }
  }
  // every hexacode word: cost = min_s (P01 ⊗ P23)[s] + P45[s], per lane; keep the first minimum
  if (ASC_FEATURE_SIMD) {
    let best = f32x4.splat(Infinity), bh = i32x4.splat(0);
    for (let h: u32 = 0; h < 64; h++) {
      const C = hexacodeTables(h);
      const cost = f32x4.min(
        f32x4.min(f32x4.add(v128.load(AB), v128.load(C)), f32x4.add(v128.load(AB, 16), v128.load(C, 16))),
        f32x4.min(f32x4.add(v128.load(AB, 32), v128.load(C, 32)), f32x4.add(v128.load(AB, 48), v128.load(C, 48))));
      const lt = f32x4.lt(cost, best);
      best = v128.bitselect(cost, best, lt);
      bh = v128.bitselect(i32x4.splat(h), bh, lt);
    }
    v128.store(BEST, best);
    v128.store(BESTH, bh);
  } else {
    for (let l = 0; l < 4; l++) { setf32(BEST, l, Infinity); store<u32>(BESTH + (<usize>l << 2), 0); }
    for (let h: u32 = 0; h < 64; h++) {
      const C = hexacodeTables(h);
      for (let l = 0; l < 4; l++) {
        const cost = fmin(fmin(f32at(AB, l) + f32at(C, l), f32at(AB, 4 + l) + f32at(C, 4 + l)),
          fmin(f32at(AB, 8 + l) + f32at(C, 8 + l), f32at(AB, 12 + l) + f32at(C, 12 + l)));
        if (cost < f32at(BEST, l)) { setf32(BEST, l, cost); store<u32>(BESTH + (<usize>l << 2), h); }
      }
    }
  }
  let bl = 0;
  for (let l = 1; l < 4; l++) if (f32at(BEST, l) < f32at(BEST, bl)) bl = l;
  const bm = bl >> 1, bp = <u32>bl & 1, bh = load<u32>(BESTH + (<usize>bl << 2));
  // Rebuild: the winner's column states (column 5 un-XOR-ed), DP over the XOR state with backpointers.
  const w = HEXACODE + bh * 6;
  for (let j = 0; j < 6; j++) {
    const src = COL + (<usize>(j * 16 + <i32>load<u8>(w + j) * 4) << 4);
    const sx = j == 5 ? bl : 0;
    for (let s = 0; s < 4; s++) setf32(W, j * 4 + s, f32at(src, (s ^ sx) * 4 + bl));
  }
  for (let s = 0; s < 4; s++) setf32(DP, s, f32at(W, s));
  for (let j = 1; j < 6; j++) {
    for (let s = 0; s < 4; s++) {
      let bv: f32 = Infinity, ba = 0;
      for (let a = 0; a < 4; a++) {
        const c = f32at(DP, (j - 1) * 4 + a) + f32at(W, j * 4 + (s ^ a));
        if (c < bv) { bv = c; ba = a; }
      }
      setf32(DP, j * 4 + s, bv);
      store<u32>(BACK + (<usize>(j * 4 + s) << 2), ba);
    }
  }
  let s = <i32>bp | (bm << 1);
  for (let j = 5; j >= 0; j--) {
    const prev = j > 0 ? <i32>load<u32>(BACK + (<usize>(j * 4 + s) << 2)) : 0;
    const own = j > 0 ? s ^ prev : s;
    const t = <u32>own & 1, q = <u32>own >> 1;
    const P = colPattern(load<u8>(w + j), bp, t);
    let kq: u32 = 0, dl: f32 = Infinity, flip = -1;
    for (let r = 0; r < 4; r++) {
      const idx = (j * 4 + r) * 4 + bm + 2 * ((P >> r) & 1);
      kq ^= load<u32>(KP + (<usize>idx << 2)) & 1;
      if (f32at(DL, idx) < dl) { dl = f32at(DL, idx); flip = r; }
    }
    for (let r = 0; r < 4; r++) {
      // the nearest value of the residue class (or the other k-parity's nearest), as in coordinates()
      const res = <f64>(bm + 2 * ((P >> r) & 1));
      const y = <f64>load<f32>(x + (<usize>(j * 4 + r) << 2)) * SQRT8;
      const t = (y - res) * 0.25;
      let k = nearest(t);
      if (kq != q && r == flip) k = t >= k ? k + 1 : k - 1;
      store<f32>(out + (<usize>(j * 4 + r) << 2), <f32>((res + 4 * k) / SQRT8));
    }
    s = prev;
  }
}

/** `count` 24-vectors at x → nearest Λ24 points (min norm² 4) at out. */
export function nearest_leech(x: usize, count: i32, out: usize): void {
  golayInit();
  for (let v = 0; v < count; v++) decodeOne(x + <usize>(v * 96), out + <usize>(v * 96));
}
