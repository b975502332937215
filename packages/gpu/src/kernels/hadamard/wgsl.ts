import { LINEAR_WORKGROUP } from '../../runtime/index.js';

/** Elements one workgroup transforms in workgroup memory (16 KiB: WebGPU's guaranteed minimum). */
export const TILE = 4096;
/** Invocations per workgroup in every Hadamard kernel. */
export const WORKGROUP = 256;

// Flags shared by the three kernels (Params.flags).
export const SIGNS_BEFORE = 1; // multiply by signs[g mod size] on load (forward RHT)
export const FINISH = 2; // last pass: multiply by scale and, with SIGNS_AFTER, by the signs
export const SIGNS_AFTER = 4; // multiply by signs[g mod size] on store (inverse RHT)

const PARAMS = /* wgsl */ `
struct Params { total: u32, size: u32, span: u32, flags: u32, scale: f32, k: u32 }
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
 * Butterfly stages h = 1 … span/2 (span ≤ TILE) of the natural-order FWHT on one TILE of x in workgroup
 * memory. Stages below TILE never cross an aligned TILE boundary, so tiles are independent; a tile past
 * the end of x is zero-padded and not written back.
 */
export const FWHT_TILE = /* wgsl */ `${PARAMS}
@group(0) @binding(0) var<storage, read_write> x: array<f32>;
var<workgroup> tile: array<f32, ${TILE}>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = linearWorkgroup(wid, nwg) * ${TILE}u;
  if (base >= p.total) { return; }
  for (var e = lid; e < ${TILE}u; e += ${WORKGROUP}u) {
    let g = base + e;
    var v = 0.0;
    if (g < p.total) {
      v = x[g];
      if ((p.flags & ${SIGNS_BEFORE}u) != 0u) { v = v * signs[g % p.size]; }
    }
    tile[e] = v;
  }
  workgroupBarrier();
  for (var h = 1u; h < p.span; h = h << 1u) {
    for (var q = lid; q < ${TILE / 2}u; q += ${WORKGROUP}u) {
      let i = ((q & ~(h - 1u)) << 1u) | (q & (h - 1u));
      let a = tile[i];
      let b = tile[i + h];
      tile[i] = a + b;
      tile[i + h] = a - b;
    }
    workgroupBarrier();
  }
  for (var e = lid; e < ${TILE}u; e += ${WORKGROUP}u) {
    let g = base + e;
    if (g < p.total) { x[g] = finish(tile[e], g); }
  }
}`;

/** One butterfly stage of stride `span` (≥ TILE) over all of x, one pair per invocation. */
export const FWHT_STAGE = /* wgsl */ `${PARAMS}
@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = linearWorkgroup(wid, nwg) * ${WORKGROUP}u + lid;
  if (q >= p.total / 2u) { return; }
  let h = p.span;
  let i = ((q / h) * 2u * h) + (q % h);
  let a = x[i];
  let b = x[i + h];
  x[i] = finish(a + b, i);
  x[i + h] = finish(a - b, i + h);
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
