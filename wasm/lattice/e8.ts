// Nearest E8 point (E8 = D8 ∪ (D8 + ½), min norm² 2), specialised for n = 8: same rule and same
// results as nearest_dnplus(x, count, 8, out) in dn.ts, but branch-light and, in the SIMD build, on
// two v128 per vector. Both cosets are decoded at once: the D8 distance after the parity fix is
// Σd² + odd·(1 − 2·max|d|), so the winner is known before any coordinate is re-rounded.

// @ts-ignore: decorator
@inline function parity(f: f32): f32 { return f - 2 * floor(f * 0.5); }

/** One coset h ∈ {0, ½}: returns the squared distance after the parity fix, writes the point to out. */
// @ts-ignore: decorator
@inline function coset(x: usize, h: f32, out: usize): f32 {
  if (ASC_FEATURE_SIMD) {
    const hv = f32x4.splat(h);
    const ylo = f32x4.sub(v128.load(x), hv), yhi = f32x4.sub(v128.load(x, 16), hv);
    const flo = f32x4.nearest(ylo), fhi = f32x4.nearest(yhi);
    const dlo = f32x4.sub(ylo, flo), dhi = f32x4.sub(yhi, fhi);
    const alo = f32x4.abs(dlo), ahi = f32x4.abs(dhi);
    // parity of Σf, the sum of squares and max|d| by horizontal reductions
    const two = f32x4.splat(2), half = f32x4.splat(0.5);
    const plo = f32x4.sub(flo, f32x4.mul(two, f32x4.floor(f32x4.mul(flo, half))));
    const phi = f32x4.sub(fhi, f32x4.mul(two, f32x4.floor(f32x4.mul(fhi, half))));
    let ps = f32x4.add(plo, phi);
    ps = f32x4.add(ps, v128.shuffle<f32>(ps, ps, 2, 3, 0, 1));
    ps = f32x4.add(ps, v128.shuffle<f32>(ps, ps, 1, 0, 3, 2));
    let sq = f32x4.add(f32x4.mul(dlo, dlo), f32x4.mul(dhi, dhi));
    sq = f32x4.add(sq, v128.shuffle<f32>(sq, sq, 2, 3, 0, 1));
    sq = f32x4.add(sq, v128.shuffle<f32>(sq, sq, 1, 0, 3, 2));
    let mx = f32x4.max(alo, ahi);
    mx = f32x4.max(mx, v128.shuffle<f32>(mx, mx, 2, 3, 0, 1));
    mx = f32x4.max(mx, v128.shuffle<f32>(mx, mx, 1, 0, 3, 2));
    const worst = f32x4.extract_lane(mx, 0);
    let dist = f32x4.extract_lane(sq, 0);
    v128.store(out, f32x4.add(flo, hv));
    v128.store(out, f32x4.add(fhi, hv), 16);
    if (parity(f32x4.extract_lane(ps, 0)) != 0) {
      // the first lane holding max|d| (the same choice as the scalar loop)
      const bits = i32x4.bitmask(f32x4.eq(alo, mx)) | (i32x4.bitmask(f32x4.eq(ahi, mx)) << 4);
      const wi = <usize>(ctz(bits) & 7); // bits is 0 only for NaN input, whose output is replaced
      const p = out + (wi << 2);
      const f = load<f32>(p) - h;
      store<f32>(p, (load<f32>(x + (wi << 2)) - h >= f ? f + 1 : f - 1) + h);
      dist += 1 - 2 * worst;
    }
    return dist;
  } else {
    let odd: f32 = 0, dist: f32 = 0, worst: f32 = -1, wi = 0;
    for (let i = 0; i < 8; i++) {
      const y = load<f32>(x + (<usize>i << 2)) - h;
      const f = nearest(y);
      const d = y - f;
      odd += parity(f);
      dist += d * d;
      const ad = abs(d);
      if (ad > worst) { worst = ad; wi = i; }
      store<f32>(out + (<usize>i << 2), f + h);
    }
    if (parity(odd) != 0) {
      const p = out + (<usize>wi << 2);
      const f = load<f32>(p) - h;
      store<f32>(p, (load<f32>(x + (<usize>wi << 2)) - h >= f ? f + 1 : f - 1) + h);
      dist += 1 - 2 * worst;
    }
    return dist;
  }
}

const ALT: usize = memory.data(32, 16);

/** `count` 8-vectors at x (16-byte aligned) → nearest E8 points at out. */
export function nearest_e8(x: usize, count: i32, out: usize): void {
  for (let v = 0; v < count; v++) {
    const xv = x + (<usize>v << 5), ov = out + (<usize>v << 5);
    const d0 = coset(xv, 0, ov);
    const d1 = coset(xv, 0.5, ALT);
    // d0 is NaN exactly when a coordinate is NaN or ±Inf (its d is NaN)
    if (d0 != d0) {
      for (let i = 0; i < 8; i++) store<f32>(ov + (<usize>i << 2), NaN);
    } else if (d1 < d0) {
      memory.copy(ov, ALT, 32);
    }
  }
}
