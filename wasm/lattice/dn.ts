// Nearest points of Zⁿ, Dₙ, Dₙ⁺ = Dₙ ∪ (Dₙ + ½) and E8 = D8⁺ (Conway & Sloane 1982), batched
// (contract: docs/internals.md, "Lattice"). Rounding is to nearest, ties to even. Dₙ: round every
// coordinate; when the sum is odd, re-round the coordinate farthest from an integer (the first one on
// ties) the other way (toward the input; up when it was exact). Dₙ⁺: decode x and x − ½ in Dₙ, keep
// the closer (the integer coset on ties). A vector with a NaN or ±Inf coordinate gives an all-NaN
// output vector; a zero coordinate is +0. Parities are taken in f32 (f − 2·floor(f/2)), so no float→int conversion can trap.

// Scratch for one vector of the half-integer coset (n ≤ 1024, checked on the JS side).
const TMP: usize = memory.data(1024 * 4, 16);

// @ts-ignore: decorator
@inline function finiteVec(x: usize, n: i32): bool {
  let acc: f32 = 0;
  for (let i = 0; i < n; i++) acc += load<f32>(x + (<usize>i << 2)) * 0;
  return acc == 0; // x·0 is NaN exactly when x is NaN or ±Inf
}

// @ts-ignore: decorator
@inline function nanVec(out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), NaN);
}

/** Nearest point of Dₙ + h·𝟙 to x, written to out; returns the squared distance. */
export function dnPoint(x: usize, n: i32, h: f32, out: usize): f32 {
  let odd: f32 = 0, dist: f32 = 0, worst: f32 = -1, wi = 0;
  for (let i = 0; i < n; i++) {
    const y = load<f32>(x + (<usize>i << 2)) - h;
    const f = nearest(y);
    const d = y - f;
    odd += f - 2 * floor(f * 0.5);
    dist += d * d;
    const ad = abs(d);
    if (ad > worst) { worst = ad; wi = i; }
    store<f32>(out + (<usize>i << 2), f);
  }
  if (odd - 2 * floor(odd * 0.5) != 0) {
    const p = out + (<usize>wi << 2);
    const f = load<f32>(p);
    store<f32>(p, load<f32>(x + (<usize>wi << 2)) - h >= f ? f + 1 : f - 1);
    dist += 1 - 2 * worst;
  }
  // adding h also turns −0 into +0, as in e8.ts
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), load<f32>(out + (<usize>i << 2)) + h);
  return dist;
}

/** Zⁿ: `count` vectors of `n` f32 at x → out. */
export function nearest_zn(x: usize, count: i32, n: i32, out: usize): void {
  for (let v = 0; v < count; v++) {
    const xv = x + (<usize>(v * n) << 2), ov = out + (<usize>(v * n) << 2);
    if (!finiteVec(xv, n)) { nanVec(ov, n); continue; }
    for (let i = 0; i < n; i++) store<f32>(ov + (<usize>i << 2), nearest(load<f32>(xv + (<usize>i << 2))) + 0);
  }
}

/** Dₙ: `count` vectors of `n` f32 at x → out. */
export function nearest_dn(x: usize, count: i32, n: i32, out: usize): void {
  for (let v = 0; v < count; v++) {
    const xv = x + (<usize>(v * n) << 2), ov = out + (<usize>(v * n) << 2);
    if (!finiteVec(xv, n)) { nanVec(ov, n); continue; }
    dnPoint(xv, n, 0, ov);
  }
}

/** Dₙ⁺ (n even; n = 8 is E8): `count` vectors of `n` f32 at x → out. */
export function nearest_dnplus(x: usize, count: i32, n: i32, out: usize): void {
  for (let v = 0; v < count; v++) {
    const xv = x + (<usize>(v * n) << 2), ov = out + (<usize>(v * n) << 2);
    if (!finiteVec(xv, n)) { nanVec(ov, n); continue; }
    const d0 = dnPoint(xv, n, 0, ov);
    const d1 = dnPoint(xv, n, 0.5, TMP);
    if (d1 < d0) memory.copy(ov, TMP, <usize>n << 2);
  }
}
