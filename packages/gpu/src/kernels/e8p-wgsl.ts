/**
 * WGSL of the E8P kernels (docs/internals.md, "E8P tables"). Both shaders share the code → 8 weights
 * step and read the 8 KiB pattern table from storage, small enough to stay cached. A copy in workgroup
 * memory would cost a barrier per workgroup; on SwiftShader that made the matvec 5× slower.
 *
 * The table is ABS (256 patterns × 8 f32, two vec4 per pattern), taken from the CPU decoder, so the
 * GPU cannot drift from it. Every decoded value is an odd multiple of ¼ below 4: exact in f32.
 */
import { LINEAR_WORKGROUP } from '../runtime/index.js';

/**
 * Applies the sign bits and the ±¼ shift of `code` to its pattern (lo = coordinates 0–3, hi = 4–7).
 * Coordinate i takes bit SIGN_BIT[i] = [0,4,1,5,2,6,3,7][i] of f = s ^ parity(s).
 */
const APPLY_SIGNS = /* wgsl */ `
struct Octet { lo: vec4<f32>, hi: vec4<f32> }

fn e8pApply(code: u32, absLo: vec4<f32>, absHi: vec4<f32>) -> Octet {
  let s = code & 0xFFu;
  let p = countOneBits(s) & 1u;
  let f = s ^ p;
  let shift = vec4<f32>(select(0.25, -0.25, p == 1u));
  let negLo = (vec4<u32>(f, f >> 4u, f >> 1u, f >> 5u) & vec4<u32>(1u)) == vec4<u32>(1u);
  let negHi = (vec4<u32>(f >> 2u, f >> 6u, f >> 3u, f >> 7u) & vec4<u32>(1u)) == vec4<u32>(1u);
  return Octet(select(absLo, -absLo, negLo) + shift, select(absHi, -absHi, negHi) + shift);
}

/** Code g of a u16 array read as u32 words (little-endian: the even code is the low half). */
fn codeAt(g: u32) -> u32 {
  return (codes[g >> 1u] >> ((g & 1u) * 16u)) & 0xFFFFu;
}
`;

/** Decode: one invocation per code, 8 f32 out (two vec4). params.x = code count. */
export const E8P_DECODE_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> patterns: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> codes: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: vec4<u32>;
${LINEAR_WORKGROUP}
${APPLY_SIGNS}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wg, groups) * 64u + lid;
  if (i >= params.x) { return; }
  let code = codeAt(i);
  let a = code >> 8u;
  let w = e8pApply(code, patterns[2u * a], patterns[2u * a + 1u]);
  out[2u * i] = w.lo;
  out[2u * i + 1u] = w.hi;
}
`;

/** Rows per 64-invocation matvec workgroup; each row gets 64 / MATVEC_ROWS invocations. */
export const MATVEC_ROWS = 4;

/**
 * y = W·x with W's rows E8P-coded: each workgroup takes MATVEC_ROWS rows, 16 invocations per row
 * (neighbours read neighbouring code words). Invocation t of a row accumulates
 * scale(group) · ⟨decode(code), x[8c … 8c+8)⟩ over the codes c ≡ t (mod 16) in f32; after the one
 * barrier the row's first invocation sums its 16 partials in order. One barrier per four rows: on
 * SwiftShader, where barriers are dear, this ran 1.5–2× faster than one row per workgroup.
 * params: x = rows, y = codes per row, z = codes per scale group.
 */
export const E8P_MATVEC_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> patterns: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> codes: array<u32>;
@group(0) @binding(2) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> scales: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<uniform> params: vec4<u32>;
${LINEAR_WORKGROUP}
${APPLY_SIGNS}
var<workgroup> partial: array<f32, 64>;
const ROWS = ${MATVEC_ROWS}u;
const LANES = ${64 / MATVEC_ROWS}u;

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let lane = lid % LANES;
  let row = linearWorkgroup(wg, groups) * ROWS + lid / LANES;
  let perRow = params.y;
  var acc = 0.0;
  if (row < params.x) {
    let first = row * perRow;
    for (var c = lane; c < perRow; c += LANES) {
      let g = first + c;
      let code = codeAt(g);
      let a = code >> 8u;
      let w = e8pApply(code, patterns[2u * a], patterns[2u * a + 1u]);
      acc += (dot(w.lo, x[2u * c]) + dot(w.hi, x[2u * c + 1u])) * scales[g / params.z];
    }
  }
  partial[lid] = acc;
  workgroupBarrier();
  if (lane == 0u && row < params.x) {
    var sum = 0.0;
    for (var t = lid; t < lid + LANES; t++) { sum += partial[t]; }
    y[row] = sum;
  }
}
`;
