// 16-bit inputs and outputs on the GPU: f16 / bf16 values travel two to a u32 word (half the bytes of
// f32) and are converted on the bits exactly as @kompakt/core's widen16 / narrow16 convert them.
import { LINEAR_WORKGROUP } from '../runtime/index.js';
import { EXACT_F32 } from './exact-f32.js';

/** Element types kernels read: f32, or f16 / bf16 bits two to a u32 word (half the upload). */
export type InputDtype = 'f32' | 'f16' | 'bf16';

/**
 * Binding 0 of the kernels that read x, and `loadX(i)`: element i as f32 bits. 16-bit inputs are
 * widened on the bits exactly as @kompakt/core's widen16 (f16 subnormals normalized, NaN made quiet),
 * so the results equal the CPU's, which widens before it computes.
 */
export function inputOf(dtype: InputDtype): string {
  const binding = '@group(0) @binding(0) var<storage, read> x: array<u32>;';
  if (dtype === 'f32') return `${binding}\nfn loadX(i: u32) -> u32 { return x[i]; }`;
  const half = '(x[i >> 1u] >> ((i & 1u) * 16u)) & 0xffffu';
  if (dtype === 'bf16') return `${binding}\nfn loadX(i: u32) -> u32 { return (${half}) << 16u; }`;
  return /* wgsl */ `${binding}
fn loadX(i: u32) -> u32 {
  let h = ${half};
  let sign = (h & 0x8000u) << 16u;
  let e = (h >> 10u) & 0x1fu;
  let m = h & 0x3ffu;
  if (e == 0x1fu) { return sign | 0x7f800000u | select(0u, 0x400000u | (m << 13u), m != 0u); }
  if (e != 0u) { return sign | ((e + 112u) << 23u) | (m << 13u); }
  if (m == 0u) { return sign; }
  let top = 31u - countLeadingZeros(m); // a subnormal m·2^−24: its leading bit becomes the implicit one
  return sign | ((103u + top) << 23u) | (((m << (10u - top)) & 0x3ffu) << 13u);
}`;
}

/** out[i] = f32 bits of 16-bit element i: the GPU's widen16. */
export const widenWgsl = (dtype: 'f16' | 'bf16'): string => /* wgsl */ `
${LINEAR_WORKGROUP}
struct Count { n: u32 }
${inputOf(dtype)}
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> count: Count;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 256u + lid;
  if (i < count.n) { out[i] = loadX(i); }
}`;

/** out word w = f32 elements 2w and 2w + 1 rounded to 16 bits (nearest even; an odd last one pairs with 0): the GPU's narrow16. */
export const narrowWgsl = (dtype: 'f16' | 'bf16'): string => /* wgsl */ `
${LINEAR_WORKGROUP}
${EXACT_F32}
struct Count { n: u32 }
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<uniform> count: Count;
fn narrow(v: u32) -> u32 { return ${dtype === 'f16' ? 'f32ToF16Bits' : 'f32ToBf16Bits'}(v); }
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let w = linearWorkgroup(wid, nwg) * 256u + lid;
  let i = 2u * w;
  if (i >= count.n) { return; }
  var word = narrow(x[i]);
  if (i + 1u < count.n) { word |= narrow(x[i + 1u]) << 16u; }
  out[w] = word;
}`;
