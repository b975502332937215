// The 1-bit E8 codebook of QuIP#'s 3-bit RVQ (second stage), in QuIP#'s order (`get_e81bgrid`): the E8
// points of norm² ≤ 2 — the integer ones (the origin and 112 roots), then the 128 half-integer roots,
// each in lexicographic order with coordinate 0 most significant (the origin is entry 56) — followed
// by +2e₀ … +2e₇ and −2e₀ … −2e₆ (−2e₇ is left out so the count is 256). Encoding is an exhaustive
// search (256 × 8); ties go to the lower index.

const PTS: usize = memory.data(256 * 32, 16);
const N2: usize = memory.data(256 * 4, 16);
let ready = false;

function put(k: i32, i: i32, v: f32): void { store<f32>(PTS + (<usize>k << 5) + (<usize>i << 2), v); }

export function e81bInit(): void {
  if (ready) return;
  let k = 0;
  // the origin and the roots ±e_i ± e_j: every vector of {−1, 0, 1}^8 in lexicographic order, kept when
  // it has no or two nonzeros
  for (let t = 0; t < 6561; t++) {
    let r = t, nz = 0;
    for (let i = 7; i >= 0; i--) { nz += <i32>(r % 3 != 1); r /= 3; }
    if (nz != 0 && nz != 2) continue;
    r = t;
    for (let i = 7; i >= 0; i--) { put(k, i, <f32>(r % 3 - 1)); r /= 3; }
    k++;
  }
  // half-integer roots: an even number of minus signs; bit 7 − i of m set means coordinate i is +½, so m
  // counts in lexicographic order
  for (let m = 0; m < 256; m++) {
    if ((popcnt(~m & 255) & 1) != 0) continue;
    for (let i = 0; i < 8; i++) put(k, i, ((m >> (7 - i)) & 1) ? 0.5 : -0.5);
    k++;
  }
  for (let i = 0; i < 8; i++) { put(k, i, 2); k++; }
  for (let i = 0; i < 7; i++) { put(k, i, -2); k++; }
  for (let a = 0; a < 256; a++) {
    let n: f32 = 0;
    for (let i = 0; i < 8; i++) { const v = load<f32>(PTS + (<usize>a << 5) + (<usize>i << 2)); n += v * v; }
    store<f32>(N2 + (<usize>a << 2), n);
  }
  ready = true;
}

/** `count` 8-vectors at x → nearest entry index (u8) at codes. Non-finite coordinates are read as 0. */
export function e81b_encode(x: usize, count: i32, codes: usize): void {
  e81bInit();
  for (let v = 0; v < count; v++) {
    const xv = x + (<usize>v << 5);
    let best: f32 = -Infinity, ba = 0;
    for (let a = 0; a < 256; a++) {
      const e = PTS + (<usize>a << 5);
      let dot: f32 = 0;
      for (let i = 0; i < 8; i++) {
        let xi = load<f32>(xv + (<usize>i << 2));
        if (xi - xi != 0) xi = 0;
        dot += xi * load<f32>(e + (<usize>i << 2));
      }
      const score = dot * 2 - load<f32>(N2 + (<usize>a << 2));
      if (score > best) { best = score; ba = a; }
    }
    store<u8>(codes + <usize>v, <u8>ba);
  }
}

/** `count` indices (u8) → 8·count f32 at out. */
export function e81b_decode(codes: usize, count: i32, out: usize): void {
  e81bInit();
  for (let v = 0; v < count; v++) memory.copy(out + (<usize>v << 5), PTS + (<usize>load<u8>(codes + <usize>v) << 5), 32);
}
