// The extended binary Golay code C24 in the MOG/hexacode form (Conway & Sloane, SPLAG ch. 11), with a
// table-free index (contract: docs/internals.md, "Lattice"). Coordinates are a 4×6 array, coordinate
// i = 4·col + row. An array is a codeword iff every column has the parity of the top row and the
// column "scores" (rows labelled 0, 1, ω, ω̄ over GF(4)) form a hexacode word. This form is what the
// Leech decoder (leech.ts) and the spherical index (leech_sq.ts) are built on: per column, the two
// patterns with a given score and parity are complements, so codewords factor over columns.

// GF(4) = {0, 1, ω, ω̄} coded 0, 1, 2, 3; addition is xor.
// @ts-ignore: decorator
@inline function gfMul(a: u32, b: u32): u32 {
  if (a == 0 || b == 0) return 0;
  return ((a - 1 + b - 1) % 3) + 1;
}

/** The 64 hexacode words (a, b, c, φ(1), φ(ω), φ(ω̄)), φ(x) = a·x² + b·x + c, word w = a | b<<2 | c<<4. */
export const HEXACODE: usize = memory.data(64 * 6);
/** Codeword masks (bit i = coordinate i) by index. */
export const GOLAY: usize = memory.data(4096 * 4, 16);
/** The 759 weight-8 codewords (octads), in increasing index order. */
export const OCTADS: usize = memory.data(759 * 4, 16);
let ready = false;

/** Column pattern (4 bits, bit r = row r) with score `v`, parity `p` and top bit `t`. */
// @ts-ignore: decorator
@inline export function colPattern(v: u32, p: u32, t: u32): u32 {
  // The pattern with top bit 0: for v = 0 none or all of rows 1..3; else row v alone (odd) or the other two (even).
  const base: u32 = v == 0 ? (p ? 0xe : 0) : p ? 1 << v : 0xe ^ (1 << v);
  return t ? ~base & 15 : base;
}

/**
 * Index → codeword mask. index = w << 6 | p << 5 | t, w the hexacode word, p the column parity, bits
 * 0..4 of t the top bits of columns 0..4 (column 5's top bit makes the top row's parity p).
 */
export function golayWord(index: u32): u32 {
  const w = index >> 6, p = (index >> 5) & 1;
  let t = index & 31;
  t |= (p ^ (popcnt(t) & 1)) << 5;
  let mask: u32 = 0;
  for (let j: u32 = 0; j < 6; j++) {
    mask |= colPattern(load<u8>(HEXACODE + w * 6 + j), p, (t >> j) & 1) << (4 * j);
  }
  return mask;
}

/** Fills the static tables once (kernels never allocate; this is static memory). */
export function golayInit(): void {
  if (ready) return;
  for (let w: u32 = 0; w < 64; w++) {
    const a = w & 3, b = (w >> 2) & 3, c = w >> 4;
    const p = HEXACODE + w * 6;
    store<u8>(p, a); store<u8>(p + 1, b); store<u8>(p + 2, c);
    store<u8>(p + 3, a ^ b ^ c);
    store<u8>(p + 4, gfMul(a, 3) ^ gfMul(b, 2) ^ c);
    store<u8>(p + 5, gfMul(a, 2) ^ gfMul(b, 3) ^ c);
  }
  let octads: u32 = 0;
  for (let i: u32 = 0; i < 4096; i++) {
    const m = golayWord(i);
    store<u32>(GOLAY + i * 4, m);
    if (popcnt(m) == 8) store<u32>(OCTADS + 4 * octads++, m);
  }
  ready = true;
}
