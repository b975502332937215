/**
 * WGSL of the MinHash batch kernels (docs/internals.md, "MinHash"). WGSL has no 64-bit integers, so
 * u64 values are vec2<u32> (x = low word, y = high word) and products are built from 16-bit halves;
 * every step is exact, so signatures equal the wasm kernels' bit for bit.
 *
 * Documents are CSR: tokens of document d are hashes[offsets[d] … offsets[d+1]). One 64-wide
 * workgroup per document (grids past 65,535 groups fold into y); out is k u32 per document
 * (OPH: 2k, raw bins then densified signature).
 */
import { LINEAR_WORKGROUP } from '../runtime/index.js';

const U64 = /* wgsl */ `
/** Full 64-bit product of two u32. */
fn mulWide(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xFFFFu; let a1 = a >> 16u;
  let b0 = b & 0xFFFFu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0;
  let mid = (p00 >> 16u) + (p01 & 0xFFFFu) + (p10 & 0xFFFFu);
  return vec2<u32>((mid << 16u) | (p00 & 0xFFFFu), a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}

fn add64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let lo = a.x + b.x;
  return vec2<u32>(lo, a.y + b.y + select(0u, 1u, lo < a.x));
}

/** (a · b) mod 2^64. */
fn mul64(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  let p = mulWide(a.x, b.x);
  return vec2<u32>(p.x, p.y + a.x * b.y + a.y * b.x);
}
`;

const DOCUMENT = /* wgsl */ `
@group(0) @binding(0) var<storage, read> offsets: array<u32>;
@group(0) @binding(1) var<storage, read> hashes: array<u32>;
${LINEAR_WORKGROUP}`;

/**
 * A classic MinHash kernel: invocation lid handles permutations lid, lid + 64, …; for each it scans
 * the document's tokens for the minimum of `permuted(perms[i], h)`, which `family` defines (with
 * its helpers). params: x = documents, y = k.
 */
function classicWgsl(permType: string, family: string): string {
  return /* wgsl */ `
${DOCUMENT}
@group(0) @binding(2) var<storage, read> perms: array<${permType}>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;
@group(0) @binding(4) var<uniform> params: vec4<u32>;
${family}
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let d = linearWorkgroup(wg, groups);
  if (d >= params.x) { return; }
  let k = params.y;
  let start = offsets[d];
  let end = offsets[d + 1u];
  for (var i = lid; i < k; i += 64u) {
    let p = perms[i];
    var m = 0xFFFFFFFFu;
    for (var t = start; t < end; t++) {
      m = min(m, permuted(p, hashes[t]));
    }
    out[d * k + i] = m;
  }
}
`;
}

/**
 * Classic MinHash over datasketch's family ('sha1' sketches): ((a·h + b) mod 2^64) mod (2^61 − 1),
 * low 32 bits. perms[i] = (aLo, aHi, bLo, bHi).
 */
export const MINHASH_CLASSIC_WGSL = classicWgsl('vec4<u32>', /* wgsl */ `
${U64}
/** Low 32 bits of x mod (2^61 − 1): fold the top 3 bits onto the low 61, subtract p once if needed. */
fn modMersenne61Low(x: vec2<u32>) -> u32 {
  let top = x.y >> 29u;
  let lo = x.x + top;
  let hi = (x.y & 0x1FFFFFFFu) + select(0u, 1u, lo < top);
  let atLeastP = hi > 0x1FFFFFFFu || (hi == 0x1FFFFFFFu && lo == 0xFFFFFFFFu);
  // r − (2^61 − 1) has the low word of r + 1
  return select(lo, lo + 1u, atLeastP);
}

fn permuted(p: vec4<u32>, h: u32) -> u32 {
  let ah = mulWide(p.x, h);
  return modMersenne61Low(add64(vec2<u32>(ah.x, ah.y + p.y * h), p.zw));
}
`);

/**
 * Classic MinHash over the 32-bit family ('xxh32' sketches; docs/minhash.md): (a·fmix32(h) + b) mod
 * 2^32, plain u32 arithmetic. perms[i] = (a, b).
 */
export const MINHASH_CLASSIC32_WGSL = classicWgsl('vec2<u32>', /* wgsl */ `
fn fmix32(v: u32) -> u32 {
  var x = v;
  x ^= x >> 16u;
  x *= 0x85EBCA6Bu;
  x ^= x >> 13u;
  x *= 0xC2B2AE35u;
  return x ^ (x >> 16u);
}

fn permuted(p: vec2<u32>, h: u32) -> u32 {
  return p.x * fmix32(h) + p.y;
}
`);

/**
 * One-permutation hashing, raw bins then their densification, in one workgroup per document.
 * Document d's row of out is 2k u32: its raw bins, then its densified signature.
 *
 * Bins: g = fmix64(h ^ T), bin = (hi32(g) · k) >> 32, value min(lo32(g), 0xFFFFFFFE); the
 * document's invocations set its k raw bins to EMPTY (0xFFFFFFFF), then share them through atomicMin.
 *
 * Densification (wasm/minhash/oph.ts `densifyRow`, bit for bit), after a storage barrier: invocation
 * lid fills empty bins lid, lid + 64, … with the first non-empty raw bin on the bin's probe sequence
 * (probe a = ((hi32(fmix64(Q + (j << 32 | a))) · k) >> 32 for a = 1 … MAX_PROBES, then a linear scan
 * from the last probe). It reads only raw bins, the snapshot the CPU reads, never a bin densified in
 * the same pass. A document without tokens has no non-empty bin and keeps all EMPTY. Atomics throughout
 * (raw and densified halves share the buffer), relaxed: the barrier orders them.
 */
export const MINHASH_OPH_WGSL = /* wgsl */ `
${DOCUMENT}
struct OphParams { docs: u32, k: u32, tokenKey: vec2<u32>, probeKey: vec2<u32> }
@group(0) @binding(2) var<storage, read_write> out: array<atomic<u32>>;
@group(0) @binding(3) var<uniform> params: OphParams;
${U64}
const EMPTY = 0xFFFFFFFFu;
const MAX_PROBES = 4096u;

fn fmix64(v: vec2<u32>) -> vec2<u32> {
  var x = v;
  x.x ^= x.y >> 1u; // x ^= x >> 33
  x = mul64(x, vec2<u32>(0xED558CCDu, 0xFF51AFD7u));
  x.x ^= x.y >> 1u;
  x = mul64(x, vec2<u32>(0x1A85EC53u, 0xC4CEB9FEu));
  x.x ^= x.y >> 1u;
  return x;
}

/** Probe number attempt of empty bin j: reduce(hi32(fmix64(Q + (j << 32 | attempt))), k). */
fn probe(j: u32, attempt: u32, k: u32) -> u32 {
  return mulWide(fmix64(add64(params.probeKey, vec2<u32>(attempt, j))).y, k).y;
}

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let d = linearWorkgroup(wg, groups);
  if (d >= params.docs) { return; }
  let k = params.k;
  let raw = 2u * d * k;
  let start = offsets[d];
  let end = offsets[d + 1u];
  for (var j = lid; j < k; j += 64u) {
    atomicStore(&out[raw + j], EMPTY);
  }
  storageBarrier();
  for (var t = start + lid; t < end; t += 64u) {
    let g = fmix64(vec2<u32>(hashes[t] ^ params.tokenKey.x, params.tokenKey.y));
    let bin = mulWide(g.y, k).y;
    atomicMin(&out[raw + bin], min(g.x, EMPTY - 1u));
  }
  storageBarrier();
  for (var j = lid; j < k; j += 64u) {
    var value = atomicLoad(&out[raw + j]);
    // Every token fills a bin, so a document with tokens has a non-empty bin for the probes to find.
    if (value == EMPTY && end > start) {
      var attempt = 1u;
      var p = probe(j, attempt, k);
      value = atomicLoad(&out[raw + p]);
      while (value == EMPTY) {
        if (attempt < MAX_PROBES) {
          attempt++;
          p = probe(j, attempt, k);
        } else {
          p = select(p + 1u, 0u, p + 1u == k);
        }
        value = atomicLoad(&out[raw + p]);
      }
    }
    atomicStore(&out[raw + k + j], value);
  }
}
`;
