import { LINEAR_WORKGROUP } from '../../runtime/index.js';

/** Elements one workgroup transforms in workgroup memory (16 KiB: WebGPU's guaranteed minimum): 16 per invocation. */
export const TILE = 4096;
/** Invocations per workgroup in every Hadamard kernel. */
export const WORKGROUP = 256;

// Flags shared by the three kernels (Params.flags).
export const SIGNS_BEFORE = 1; // multiply by signs[g mod size] on load (forward RHT)
export const FINISH = 2; // last pass: multiply by scale and, with SIGNS_AFTER, by the signs
export const SIGNS_AFTER = 4; // multiply by signs[g mod size] on store (inverse RHT)

const PARAMS = /* wgsl */ `
struct Params { total: u32, size: u32, span: u32, flags: u32, scale: f32, k: u32, bits: u32 }
@group(0) @binding(2) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> signs: array<f32>;
${LINEAR_WORKGROUP}
fn finish(v: f32, g: u32) -> f32 {
  var r = v;
  if ((p.flags & ${FINISH}u) != 0u) {
    r = r * p.scale;
    if ((p.flags & ${SIGNS_AFTER}u) != 0u) { r = r * signs[g % p.size]; }
  }
  return r;
}
`;

/**
 * Butterfly stages h = 1 … span/2 (span ≤ TILE) of the natural-order FWHT on one TILE of x. Each
 * invocation holds 16 values in registers and runs up to four stages on them (radix 16), exchanging
 * through workgroup memory between rounds: ⌈log2 span / 4⌉ rounds, one barrier between two. In round
 * s0 (0, 4, 8) invocation t holds the 16 positions whose bits s0…s0+3 vary and whose other bits spell t.
 * Every butterfly is the same a ± b, in the same stage order, as a radix-2 pass. Stages below TILE
 * never cross an aligned TILE boundary, so tiles are independent; a tile past the end of x is
 * zero-padded and not written back.
 */
export const FWHT_TILE = /* wgsl */ `${PARAMS}
@group(0) @binding(0) var<storage, read_write> x: array<f32>;
var<workgroup> tile: array<f32, ${TILE}>;
fn slot(t: u32, e: u32, s0: u32) -> u32 {
  return (t & ((1u << s0) - 1u)) | (e << s0) | ((t >> s0) << (s0 + 4u));
}
// Where position i lives in workgroup memory: bits 5–8 XORed into bits 0–3 and bit 8 into bit 4, so the
// 32 lanes of a warp hit 32 different banks (of 32) in every pattern below; unswizzled, round 0's
// stride-16 pattern hits 2 banks (a 16-way conflict) and round 4's 16 (2-way). A bijection on [0, TILE).
fn swizzle(i: u32) -> u32 { return i ^ ((i >> 5u) & 15u) ^ ((i >> 4u) & 16u); }
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = linearWorkgroup(wid, nwg) * ${TILE}u;
  if (base >= p.total) { return; }
  // Round 0 holds 16 consecutive positions per invocation: read so, a warp's loads would be 64 bytes
  // apart. The tile comes in with neighbouring invocations on neighbouring positions instead, and is
  // dealt out through workgroup memory.
  for (var e = 0u; e < 16u; e++) {
    let i = lid + e * ${WORKGROUP}u;
    let g = base + i;
    var a = 0.0;
    if (g < p.total) {
      a = x[g];
      if ((p.flags & ${SIGNS_BEFORE}u) != 0u) { a = a * signs[g % p.size]; }
    }
    tile[swizzle(i)] = a;
  }
  workgroupBarrier();
  var v: array<f32, 16>;
  for (var e = 0u; e < 16u; e++) { v[e] = tile[swizzle(slot(lid, e, 0u))]; }
  var s0 = 0u;
  loop {
    for (var h = 1u; h < 16u && (h << s0) < p.span; h = h << 1u) {
      for (var e = 0u; e < 16u; e++) {
        if ((e & h) == 0u) {
          let a = v[e];
          let b = v[e + h];
          v[e] = a + b;
          v[e + h] = a - b;
        }
      }
    }
    if ((16u << s0) >= p.span) { break; }
    for (var e = 0u; e < 16u; e++) { tile[swizzle(slot(lid, e, s0))] = v[e]; }
    workgroupBarrier();
    s0 += 4u;
    // Each invocation reads back only positions it writes next, so one barrier per exchange suffices.
    for (var e = 0u; e < 16u; e++) { v[e] = tile[swizzle(slot(lid, e, s0))]; }
  }
  for (var e = 0u; e < 16u; e++) {
    let g = base + slot(lid, e, s0);
    if (g < p.total) { x[g] = finish(v[e], g); }
  }
}`;

/**
 * Up to four butterfly stages of stride span, 2·span, … (span ≥ TILE) over all of x, `bits` of them
 * per pass: each invocation holds the 2^bits values whose index bits log2(span)… vary (radix 16 at most).
 */
export const FWHT_STAGE = /* wgsl */ `${PARAMS}
@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = linearWorkgroup(wid, nwg) * ${WORKGROUP}u + lid;
  let count = 1u << p.bits;
  if (q >= p.total >> p.bits) { return; }
  let first = (q & (p.span - 1u)) | ((q & ~(p.span - 1u)) << p.bits);
  var v: array<f32, 16>;
  for (var e = 0u; e < count; e++) { v[e] = x[first + e * p.span]; }
  for (var h = 1u; h < count; h = h << 1u) {
    for (var e = 0u; e < count; e++) {
      if ((e & h) == 0u) {
        let a = v[e];
        let b = v[e + h];
        v[e] = a + b;
        v[e + h] = a - b;
      }
    }
  }
  for (var e = 0u; e < count; e++) {
    let g = first + e * p.span;
    x[g] = finish(v[e], g);
  }
}`;

/**
 * The k > 1 step: y[c][j] = Σ_d hk[c·k + d] · x[d][j] over each row of `size` = k·m (m = span), summed
 * in increasing d as the wasm kernel does, then finished (scale, output signs).
 */
export const HADAMARD_MIX = /* wgsl */ `${PARAMS}
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read> hk: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = linearWorkgroup(wid, nwg) * ${WORKGROUP}u + lid;
  if (g >= p.total) { return; }
  let m = p.span;
  let e = g % p.size;
  let c = e / m;
  let base = g - e + (e % m);
  var acc = hk[c * p.k] * x[base];
  for (var d = 1u; d < p.k; d++) { acc += hk[c * p.k + d] * x[base + d * m]; }
  y[g] = finish(acc, g);
}`;
