/**
 * WGSL of the rans16x16 decoder (docs/internals.md, "rANS stream"), one invocation per stream. The
 * sixteen lanes of a stream share one word cursor, so a stream is inherently sequential; the
 * parallelism is across streams: every rANS-coded byte plane of every .kpk chunk is one job.
 *
 * jobs[j] = (src, len, dst, n, model, bits, slots, 0): byte offsets of the stream in `streams` and
 * of the output in `out` (both multiples of 4), symbol count, offset of the model's 257 cumulative
 * frequencies c[0 … 256] in `cum` (c[256] = 2^bits), the precision `bits`, and the byte offset (a
 * multiple of 4) of the model's 2^bits-entry slot → symbol table in `slots`, one byte per slot: one
 * load finds a symbol where a search of `cum` would take eight dependent ones. The host has checked the model
 * and that len ≥ 64 and is even. status[j]: 0 ok, 1 truncated (a word was needed past the end),
 * 2 corrupt (a state out of range, words left over or a final state ≠ 2^16). Output bytes after an
 * error are unspecified, as in the wasm kernel.
 */
import { LINEAR_WORKGROUP } from '../runtime/index.js';

export const RANS_STATUS = { ok: 0, truncated: 1, corrupt: 2 } as const;

export const RANS_DECODE_WGSL = /* wgsl */ `
struct Job { src: u32, len: u32, dst: u32, n: u32, model: u32, bits: u32, slots: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> streams: array<u32>;
@group(0) @binding(1) var<storage, read> jobs: array<Job>;
@group(0) @binding(2) var<storage, read> cum: array<u32>;
@group(0) @binding(3) var<storage, read> slots: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<u32>;
@group(0) @binding(5) var<storage, read_write> status: array<u32>;
@group(0) @binding(6) var<uniform> params: vec4<u32>;

const L = 65536u;
${LINEAR_WORKGROUP}

/** The symbol whose slot range c[k] ≤ slot < c[k + 1] holds \`slot\`. */
fn symbolOf(job: Job, slot: u32) -> u32 {
  let at = job.slots + slot;
  return (slots[at >> 2u] >> ((at & 3u) * 8u)) & 0xFFu;
}

fn decode(job: Job) -> u32 {
  var x: array<u32, 16>;
  let base = job.src >> 2u;
  for (var j = 0u; j < 16u; j++) {
    x[j] = streams[base + j];
    if (x[j] < L) { return ${RANS_STATUS.corrupt}u; }
  }
  var rp = job.src + 64u;
  let end = job.src + job.len;
  let s = job.bits;
  let mask = (1u << s) - 1u;
  var packed = 0u;
  for (var i = 0u; i < job.n; i++) {
    let j = i & 15u;
    var xs = x[j];
    let slot = xs & mask;
    let k = symbolOf(job, slot);
    let c = cum[job.model + k];
    xs = (cum[job.model + k + 1u] - c) * (xs >> s) + slot - c;
    if (xs < L) {
      if (rp + 2u > end) { return ${RANS_STATUS.truncated}u; }
      xs = (xs << 16u) | ((streams[rp >> 2u] >> ((rp & 2u) * 8u)) & 0xFFFFu);
      rp += 2u;
    }
    x[j] = xs;
    packed |= k << ((i & 3u) * 8u);
    if ((i & 3u) == 3u || i + 1u == job.n) {
      out[(job.dst >> 2u) + (i >> 2u)] = packed;
      packed = 0u;
    }
  }
  if (rp != end) { return ${RANS_STATUS.corrupt}u; }
  for (var j = 0u; j < 16u; j++) {
    if (x[j] != L) { return ${RANS_STATUS.corrupt}u; }
  }
  return ${RANS_STATUS.ok}u;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let j = linearWorkgroup(wg, groups) * 64u + lid;
  if (j >= params.x) { return; }
  status[j] = decode(jobs[j]);
}
`;
