// Fast Walsh-Hadamard transform of rows, in place (contract: docs/internals.md, "Hadamard").
//
// Every stage h (h = 1, 2, 4, ...) maps each pair (x[i], x[i + h]) to (x[i] + x[i + h],
// x[i] - x[i + h]); stages run in increasing h. Whatever the grouping of stages into memory
// passes, each stage computes exactly those sums from exactly the previous stage's values, so the
// SIMD build, the scalar build and a naive radix-2 loop all give bit-identical results.
//
// Speed comes from touching memory as little as possible:
//  - the first pass does five stages on 32 floats held in eight v128 (stages 1-2 inside a vector,
//    3-5 between vectors) and applies the input signs on the way in;
//  - further stages are merged three (radix-8) or two (radix-4) per pass;
//  - rows longer than 2^12 floats are cut recursively into eight parts, each transformed while it
//    sits in cache, before one radix-8 pass does the three stages that join them;
//  - the last pass applies `scale` and the output signs on the way out.
// The scalar build runs the same schedule one float at a time (its first five stages as a radix-4
// and a radix-8 pass), and short rows (< 16 floats) use a plain radix-2 loop in both builds.

// Rows up to 2^LEAF_LOG floats (16 KiB) are transformed in place in L1.
// @ts-ignore: decorator
@inline const LEAF_LOG: i32 = 12;

// What the pass doing the last stage applies to its output. Passes are specialised on it (and on
// input signs) through constant arguments of @inline bodies, so hot loops carry no branches.
// @ts-ignore: decorator
@inline const POST_NONE: i32 = 0;
// multiply by `scale`
// @ts-ignore: decorator
@inline const POST_SCALE: i32 = 1;
// multiply by `scale`, then by the output signs `q` (±1, so the order is immaterial)
// @ts-ignore: decorator
@inline const POST_SIGNS: i32 = 2;

// Input signs `s` and output signs `q` are indexed from the start `row` of the (sub-)row.
// @ts-ignore: decorator
@inline function post1(v: f32, at: usize, post: i32, scale: f32, q: usize, row: usize): f32 {
  if (post >= POST_SCALE) v *= scale;
  if (post == POST_SIGNS) v *= load<f32>(q + (at - row));
  return v;
}

// @ts-ignore: decorator
@inline function post4(v: v128, at: usize, post: i32, scale: v128, q: usize, row: usize): v128 {
  if (post >= POST_SCALE) v = f32x4.mul(v, scale);
  if (post == POST_SIGNS) v = f32x4.mul(v, v128.load(q + (at - row)));
  return v;
}

// ---- short rows: plain radix-2 -----------------------------------------------------------------

function shortRow(p: usize, log2m: i32, s: usize, post: i32, scale: f32, q: usize): void {
  const m = 1 << log2m;
  if (s) {
    for (let i = 0; i < m; i++) {
      const at = p + (<usize>i << 2);
      store<f32>(at, load<f32>(at) * load<f32>(s + (<usize>i << 2)));
    }
  }
  for (let h = 1; h < m; h <<= 1) {
    for (let i = 0; i < m; i += h << 1) {
      for (let j = i; j < i + h; j++) {
        const pa = p + (<usize>j << 2);
        const pb = pa + (<usize>h << 2);
        const a = load<f32>(pa);
        const b = load<f32>(pb);
        store<f32>(pa, a + b);
        store<f32>(pb, a - b);
      }
    }
  }
  if (post != POST_NONE) {
    for (let i = 0; i < m; i++) {
      const at = p + (<usize>i << 2);
      store<f32>(at, post1(load<f32>(at), at, post, scale, q, p));
    }
  }
}

// ---- SIMD first pass: stages 1-5 (or 1-4) in registers -----------------------------------------

// Stages h = 1 and h = 2 inside one vector x = (a, b, c, d): x·(1, -1, 1, -1) + (b, a, d, c) is
// (a + b, a - b, c + d, c - d), and y·(1, 1, -1, -1) + (y2, y3, y0, y1) is stage 2. -b + a is
// exactly a - b, so this matches the scalar butterflies bit for bit. The two sign vectors are
// static data loaded before each loop: V8 keeps a loaded value in a register, whereas it rebuilds
// an inline v128.const at every use. (A function, so that only the SIMD build holds the data.)
function quadSigns(): usize {
  return memory.data<f32>([1, -1, 1, -1, 1, 1, -1, -1]);
}

// @ts-ignore: decorator
@inline function quad(v: v128, odd: v128, high: v128): v128 {
  const t = f32x4.add(f32x4.mul(v, odd), v128.shuffle<f32>(v, v, 1, 0, 3, 2));
  return f32x4.add(f32x4.mul(t, high), v128.shuffle<f32>(t, t, 2, 3, 0, 1));
}

// @ts-ignore: decorator
@inline function loadQuad(at: usize, pre: bool, s: usize, row: usize, odd: v128, high: v128): v128 {
  let v = v128.load(at);
  if (pre) v = f32x4.mul(v, v128.load(s + (at - row)));
  return quad(v, odd, high);
}

// Stages 1-5 on each 32-float group of [p, p + bytes): stages 1-2 inside each of eight vectors,
// 3-5 between them.
// @ts-ignore: decorator
@inline function first32Body(p: usize, bytes: usize, pre: bool, s: usize, post: i32, scale: f32, q: usize, row: usize): void {
  const odd = v128.load(quadSigns());
  const high = v128.load(quadSigns(), 16);
  const sv = f32x4.splat(scale);
  for (let g = p, end = p + bytes; g < end; g += 128) {
    radix8(
      g, 16,
      loadQuad(g, pre, s, row, odd, high), loadQuad(g + 16, pre, s, row, odd, high),
      loadQuad(g + 32, pre, s, row, odd, high), loadQuad(g + 48, pre, s, row, odd, high),
      loadQuad(g + 64, pre, s, row, odd, high), loadQuad(g + 80, pre, s, row, odd, high),
      loadQuad(g + 96, pre, s, row, odd, high), loadQuad(g + 112, pre, s, row, odd, high),
      post, sv, q, row,
    );
  }
}

function first32(p: usize, bytes: usize, s: usize, post: i32, scale: f32, q: usize, row: usize): void {
  if (s) {
    if (post == POST_NONE) first32Body(p, bytes, true, s, POST_NONE, scale, q, row);
    else if (post == POST_SCALE) first32Body(p, bytes, true, s, POST_SCALE, scale, q, row);
    else first32Body(p, bytes, true, s, POST_SIGNS, scale, q, row);
  } else {
    if (post == POST_NONE) first32Body(p, bytes, false, s, POST_NONE, scale, q, row);
    else if (post == POST_SCALE) first32Body(p, bytes, false, s, POST_SCALE, scale, q, row);
    else first32Body(p, bytes, false, s, POST_SIGNS, scale, q, row);
  }
}

// Stages 1-4 of a 16-float row (a row of its own, so p is its start). Runs once per row; the
// branches on s and post are not in a loop.
function first16(p: usize, s: usize, post: i32, scale: f32, q: usize): void {
  const odd = v128.load(quadSigns());
  const high = v128.load(quadSigns(), 16);
  const pre = s != 0;
  const v0 = loadQuad(p, pre, s, p, odd, high);
  const v1 = loadQuad(p + 16, pre, s, p, odd, high);
  const v2 = loadQuad(p + 32, pre, s, p, odd, high);
  const v3 = loadQuad(p + 48, pre, s, p, odd, high);
  radix4(p, 16, v0, v1, v2, v3, post, f32x4.splat(scale), q, p);
}

// ---- radix-8 / radix-4 / radix-2 passes --------------------------------------------------------

// Three stages (strides hb, 2hb, 4hb bytes) on the eight vectors that belong at g + t·hb.
// @ts-ignore: decorator
@inline function radix8(
  g: usize, hb: usize, v0: v128, v1: v128, v2: v128, v3: v128, v4: v128, v5: v128, v6: v128, v7: v128,
  post: i32, sv: v128, q: usize, row: usize,
): void {
  const a0 = f32x4.add(v0, v1), a1 = f32x4.sub(v0, v1);
  const a2 = f32x4.add(v2, v3), a3 = f32x4.sub(v2, v3);
  const a4 = f32x4.add(v4, v5), a5 = f32x4.sub(v4, v5);
  const a6 = f32x4.add(v6, v7), a7 = f32x4.sub(v6, v7);
  const b0 = f32x4.add(a0, a2), b2 = f32x4.sub(a0, a2);
  const b1 = f32x4.add(a1, a3), b3 = f32x4.sub(a1, a3);
  const b4 = f32x4.add(a4, a6), b6 = f32x4.sub(a4, a6);
  const b5 = f32x4.add(a5, a7), b7 = f32x4.sub(a5, a7);
  v128.store(g, post4(f32x4.add(b0, b4), g, post, sv, q, row));
  v128.store(g + hb, post4(f32x4.add(b1, b5), g + hb, post, sv, q, row));
  v128.store(g + 2 * hb, post4(f32x4.add(b2, b6), g + 2 * hb, post, sv, q, row));
  v128.store(g + 3 * hb, post4(f32x4.add(b3, b7), g + 3 * hb, post, sv, q, row));
  v128.store(g + 4 * hb, post4(f32x4.sub(b0, b4), g + 4 * hb, post, sv, q, row));
  v128.store(g + 5 * hb, post4(f32x4.sub(b1, b5), g + 5 * hb, post, sv, q, row));
  v128.store(g + 6 * hb, post4(f32x4.sub(b2, b6), g + 6 * hb, post, sv, q, row));
  v128.store(g + 7 * hb, post4(f32x4.sub(b3, b7), g + 7 * hb, post, sv, q, row));
}

// Two stages (strides hb, 2hb bytes) on the four vectors that belong at g + t·hb.
// @ts-ignore: decorator
@inline function radix4(
  g: usize, hb: usize, v0: v128, v1: v128, v2: v128, v3: v128, post: i32, sv: v128, q: usize, row: usize,
): void {
  const a0 = f32x4.add(v0, v1), a1 = f32x4.sub(v0, v1);
  const a2 = f32x4.add(v2, v3), a3 = f32x4.sub(v2, v3);
  v128.store(g, post4(f32x4.add(a0, a2), g, post, sv, q, row));
  v128.store(g + hb, post4(f32x4.add(a1, a3), g + hb, post, sv, q, row));
  v128.store(g + 2 * hb, post4(f32x4.sub(a0, a2), g + 2 * hb, post, sv, q, row));
  v128.store(g + 3 * hb, post4(f32x4.sub(a1, a3), g + 3 * hb, post, sv, q, row));
}

// Stages with strides h, 2h, 4h (hb = 4h bytes) over [p, p + bytes).
// @ts-ignore: decorator
@inline function pass8Body(p: usize, bytes: usize, hb: usize, post: i32, scale: f32, q: usize, row: usize): void {
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(scale);
    for (let blk = p, end = p + bytes; blk < end; blk += hb << 3) {
      for (let g = blk, gEnd = blk + hb; g < gEnd; g += 16) {
        radix8(
          g, hb,
          v128.load(g), v128.load(g + hb), v128.load(g + 2 * hb), v128.load(g + 3 * hb),
          v128.load(g + 4 * hb), v128.load(g + 5 * hb), v128.load(g + 6 * hb), v128.load(g + 7 * hb),
          post, sv, q, row,
        );
      }
    }
  } else {
    for (let blk = p, end = p + bytes; blk < end; blk += hb << 3) {
      for (let g = blk, gEnd = blk + hb; g < gEnd; g += 4) {
        const v0 = load<f32>(g), v1 = load<f32>(g + hb);
        const v2 = load<f32>(g + 2 * hb), v3 = load<f32>(g + 3 * hb);
        const v4 = load<f32>(g + 4 * hb), v5 = load<f32>(g + 5 * hb);
        const v6 = load<f32>(g + 6 * hb), v7 = load<f32>(g + 7 * hb);
        const a0 = v0 + v1, a1 = v0 - v1, a2 = v2 + v3, a3 = v2 - v3;
        const a4 = v4 + v5, a5 = v4 - v5, a6 = v6 + v7, a7 = v6 - v7;
        const b0 = a0 + a2, b2 = a0 - a2, b1 = a1 + a3, b3 = a1 - a3;
        const b4 = a4 + a6, b6 = a4 - a6, b5 = a5 + a7, b7 = a5 - a7;
        store<f32>(g, post1(b0 + b4, g, post, scale, q, row));
        store<f32>(g + hb, post1(b1 + b5, g + hb, post, scale, q, row));
        store<f32>(g + 2 * hb, post1(b2 + b6, g + 2 * hb, post, scale, q, row));
        store<f32>(g + 3 * hb, post1(b3 + b7, g + 3 * hb, post, scale, q, row));
        store<f32>(g + 4 * hb, post1(b0 - b4, g + 4 * hb, post, scale, q, row));
        store<f32>(g + 5 * hb, post1(b1 - b5, g + 5 * hb, post, scale, q, row));
        store<f32>(g + 6 * hb, post1(b2 - b6, g + 6 * hb, post, scale, q, row));
        store<f32>(g + 7 * hb, post1(b3 - b7, g + 7 * hb, post, scale, q, row));
      }
    }
  }
}

function pass8(p: usize, bytes: usize, hb: usize, post: i32, scale: f32, q: usize, row: usize): void {
  if (post == POST_NONE) pass8Body(p, bytes, hb, POST_NONE, scale, q, row);
  else if (post == POST_SCALE) pass8Body(p, bytes, hb, POST_SCALE, scale, q, row);
  else pass8Body(p, bytes, hb, POST_SIGNS, scale, q, row);
}

// Stages with strides h and 2h (hb = 4h bytes). The scalar build's first pass also applies the
// input signs `s` here (`pre`).
// @ts-ignore: decorator
@inline function pass4Body(p: usize, bytes: usize, hb: usize, pre: bool, s: usize, post: i32, scale: f32, q: usize, row: usize): void {
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(scale);
    for (let blk = p, end = p + bytes; blk < end; blk += hb << 2) {
      for (let g = blk, gEnd = blk + hb; g < gEnd; g += 16) {
        radix4(g, hb, v128.load(g), v128.load(g + hb), v128.load(g + 2 * hb), v128.load(g + 3 * hb), post, sv, q, row);
      }
    }
  } else {
    for (let blk = p, end = p + bytes; blk < end; blk += hb << 2) {
      for (let g = blk, gEnd = blk + hb; g < gEnd; g += 4) {
        let v0 = load<f32>(g), v1 = load<f32>(g + hb);
        let v2 = load<f32>(g + 2 * hb), v3 = load<f32>(g + 3 * hb);
        if (pre) {
          v0 *= load<f32>(s + (g - row));
          v1 *= load<f32>(s + (g + hb - row));
          v2 *= load<f32>(s + (g + 2 * hb - row));
          v3 *= load<f32>(s + (g + 3 * hb - row));
        }
        const a0 = v0 + v1, a1 = v0 - v1, a2 = v2 + v3, a3 = v2 - v3;
        store<f32>(g, post1(a0 + a2, g, post, scale, q, row));
        store<f32>(g + hb, post1(a1 + a3, g + hb, post, scale, q, row));
        store<f32>(g + 2 * hb, post1(a0 - a2, g + 2 * hb, post, scale, q, row));
        store<f32>(g + 3 * hb, post1(a1 - a3, g + 3 * hb, post, scale, q, row));
      }
    }
  }
}

function pass4(p: usize, bytes: usize, hb: usize, post: i32, scale: f32, q: usize, row: usize): void {
  if (post == POST_NONE) pass4Body(p, bytes, hb, false, 0, POST_NONE, scale, q, row);
  else if (post == POST_SCALE) pass4Body(p, bytes, hb, false, 0, POST_SCALE, scale, q, row);
  else pass4Body(p, bytes, hb, false, 0, POST_SIGNS, scale, q, row);
}

// The scalar build's first pass (stages 1-2), which is never the last one.
function pass4Signed(p: usize, bytes: usize, s: usize, row: usize): void {
  if (s) pass4Body(p, bytes, 4, true, s, POST_NONE, 1, 0, row);
  else pass4Body(p, bytes, 4, false, 0, POST_NONE, 1, 0, row);
}

// One stage with stride h (hb = 4h bytes).
// @ts-ignore: decorator
@inline function pass2Body(p: usize, bytes: usize, hb: usize, post: i32, scale: f32, q: usize, row: usize): void {
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(scale);
    for (let blk = p, end = p + bytes; blk < end; blk += hb << 1) {
      for (let g = blk, gEnd = blk + hb; g < gEnd; g += 16) {
        const v0 = v128.load(g), v1 = v128.load(g + hb);
        v128.store(g, post4(f32x4.add(v0, v1), g, post, sv, q, row));
        v128.store(g + hb, post4(f32x4.sub(v0, v1), g + hb, post, sv, q, row));
      }
    }
  } else {
    for (let blk = p, end = p + bytes; blk < end; blk += hb << 1) {
      for (let g = blk, gEnd = blk + hb; g < gEnd; g += 4) {
        const v0 = load<f32>(g), v1 = load<f32>(g + hb);
        store<f32>(g, post1(v0 + v1, g, post, scale, q, row));
        store<f32>(g + hb, post1(v0 - v1, g + hb, post, scale, q, row));
      }
    }
  }
}

function pass2(p: usize, bytes: usize, hb: usize, post: i32, scale: f32, q: usize, row: usize): void {
  if (post == POST_NONE) pass2Body(p, bytes, hb, POST_NONE, scale, q, row);
  else if (post == POST_SCALE) pass2Body(p, bytes, hb, POST_SCALE, scale, q, row);
  else pass2Body(p, bytes, hb, POST_SIGNS, scale, q, row);
}

// ---- schedule ----------------------------------------------------------------------------------

// Full transform of 2^log2m floats at p (log2m >= 4) that fit in cache; `post` applies to the
// pass doing the last stage.
function inCache(p: usize, log2m: i32, s: usize, post: i32, scale: f32, q: usize, row: usize): void {
  const bytes = <usize>4 << log2m;
  if (ASC_FEATURE_SIMD) {
    if (log2m == 4) {
      first16(p, s, post, scale, q);
      return;
    }
    first32(p, bytes, s, log2m == 5 ? post : POST_NONE, scale, q, row);
  } else {
    pass4Signed(p, bytes, s, row);
    if (log2m == 4) {
      pass4(p, bytes, 16, post, scale, q, row);
      return;
    }
    pass8(p, bytes, 16, log2m == 5 ? post : POST_NONE, scale, q, row);
  }
  // Remaining stages, three per pass, except that four are done as two and two.
  let done = 5;
  while (done < log2m) {
    const left = log2m - done;
    const take = left == 4 ? 2 : min(left, 3);
    const hb = <usize>4 << done;
    const passPost = take == left ? post : POST_NONE;
    if (take == 3) pass8(p, bytes, hb, passPost, scale, q, row);
    else if (take == 2) pass4(p, bytes, hb, passPost, scale, q, row);
    else pass2(p, bytes, hb, passPost, scale, q, row);
    done += take;
  }
}

// Full transform of 2^log2m floats at p (log2m >= 4), part of the (sub-)row starting at `row`
// from which the input signs `s` and output signs `q` are indexed.
function transform(p: usize, log2m: i32, s: usize, post: i32, scale: f32, q: usize, row: usize): void {
  if (log2m <= LEAF_LOG) {
    inCache(p, log2m, s, post, scale, q, row);
    return;
  }
  const part = <usize>4 << (log2m - 3);
  for (let c: usize = 0; c < 8; c++) transform(p + c * part, log2m - 3, s, POST_NONE, 1, 0, row);
  pass8(p, part << 3, part, post, scale, q, row);
}

// ---- k > 1: mixing the sub-rows ----------------------------------------------------------------

// Columns are mixed a tile at a time so that the k input and k output tiles (2·k·2 KiB) stay in
// cache while every output sub-row reads every input sub-row.
// @ts-ignore: decorator
@inline const MIX_TILE: i32 = 512;

// y[c][j] = Σ_d hk[c·k + d] · x[d][j], summed in increasing d, then scale and output signs.
function mix(row: usize, k: i32, m: i32, hk: usize, scratch: usize, post: i32, scale: f32, q: usize): void {
  const mb = <usize>m << 2;
  const tile = min(m, MIX_TILE);
  for (let j0 = 0; j0 < m; j0 += tile) {
    const jEnd = j0 + tile;
    for (let c = 0; c < k; c++) {
      const hrow = hk + (<usize>(c * k) << 2);
      const out = scratch + <usize>c * mb;
      let j = j0;
      if (ASC_FEATURE_SIMD) {
        for (; j + 16 <= jEnd; j += 16) {
          const xp = row + (<usize>j << 2);
          let h = f32x4.splat(load<f32>(hrow));
          let a0 = f32x4.mul(h, v128.load(xp));
          let a1 = f32x4.mul(h, v128.load(xp, 16));
          let a2 = f32x4.mul(h, v128.load(xp, 32));
          let a3 = f32x4.mul(h, v128.load(xp, 48));
          for (let d = 1; d < k; d++) {
            const xd = xp + <usize>d * mb;
            h = f32x4.splat(load<f32>(hrow + (<usize>d << 2)));
            a0 = f32x4.add(a0, f32x4.mul(h, v128.load(xd)));
            a1 = f32x4.add(a1, f32x4.mul(h, v128.load(xd, 16)));
            a2 = f32x4.add(a2, f32x4.mul(h, v128.load(xd, 32)));
            a3 = f32x4.add(a3, f32x4.mul(h, v128.load(xd, 48)));
          }
          const o = out + (<usize>j << 2);
          v128.store(o, a0);
          v128.store(o, a1, 16);
          v128.store(o, a2, 32);
          v128.store(o, a3, 48);
        }
        for (; j + 4 <= jEnd; j += 4) {
          const xp = row + (<usize>j << 2);
          let a = f32x4.mul(f32x4.splat(load<f32>(hrow)), v128.load(xp));
          for (let d = 1; d < k; d++) {
            a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(hrow + (<usize>d << 2))), v128.load(xp + <usize>d * mb)));
          }
          v128.store(out + (<usize>j << 2), a);
        }
      }
      for (; j < jEnd; j++) {
        const xp = row + (<usize>j << 2);
        let a = load<f32>(hrow) * load<f32>(xp);
        for (let d = 1; d < k; d++) a += load<f32>(hrow + (<usize>d << 2)) * load<f32>(xp + <usize>d * mb);
        store<f32>(out + (<usize>j << 2), a);
      }
    }
    // The tile's inputs are consumed: copy the outputs back, applying scale and output signs.
    for (let c = 0; c < k; c++) {
      const base = <usize>c * mb;
      const dst = row + base + (<usize>j0 << 2);
      const src = scratch + base + (<usize>j0 << 2);
      const count = <usize>(jEnd - j0);
      if (post == POST_NONE) copyPost(dst, src, count, POST_NONE, scale, q, row);
      else if (post == POST_SCALE) copyPost(dst, src, count, POST_SCALE, scale, q, row);
      else copyPost(dst, src, count, POST_SIGNS, scale, q, row);
    }
  }
}

// dst[i] = post(src[i]) for `count` floats; `dst` lies in the row at `row`.
// @ts-ignore: decorator
@inline function copyPost(dst: usize, src: usize, count: usize, post: i32, scale: f32, q: usize, row: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(scale);
    for (; i + 4 <= count; i += 4) {
      const at = dst + (i << 2);
      v128.store(at, post4(v128.load(src + (i << 2)), at, post, sv, q, row));
    }
  }
  for (; i < count; i++) {
    const at = dst + (i << 2);
    store<f32>(at, post1(load<f32>(src + (i << 2)), at, post, scale, q, row));
  }
}

// ---- entry -------------------------------------------------------------------------------------

/**
 * Transforms `rows` rows of n = k·2^log2m f32 at `x` in place by (H_k ⊗ H_{2^log2m}), with
 * optional ±1 `signs` (n f32) applied before (signs_after = 0) or after (1) and every output
 * multiplied by `scale`. `hk`: k·k f32 row-major, `scratch`: n f32; both 0 when k = 1.
 */
export function fwht_rows(
  x: usize, rows: i32, k: i32, log2m: i32, hk: usize, signs: usize, signs_after: i32, scale: f32,
  scratch: usize,
): void {
  const subBytes = <usize>4 << log2m;
  const rowBytes = subBytes * <usize>k;
  const pre: usize = signs_after ? 0 : signs;
  const q: usize = signs_after ? signs : 0;
  const post = q ? POST_SIGNS : scale != 1 ? POST_SCALE : POST_NONE;
  // With k = 1 the sub-row transform is the whole transform and finishes the output itself.
  const single = k == 1;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * rowBytes;
    for (let c = 0; c < k; c++) {
      const sub = row + <usize>c * subBytes;
      const s: usize = pre ? pre + <usize>c * subBytes : 0;
      const subPost = single ? post : POST_NONE;
      if (log2m < 4) shortRow(sub, log2m, s, subPost, scale, q);
      else transform(sub, log2m, s, subPost, scale, q, sub);
    }
    if (!single) mix(row, k, 1 << log2m, hk, scratch, post, scale, q);
  }
}
