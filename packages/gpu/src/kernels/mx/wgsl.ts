import type { Rounding } from '@kompakt/mx';
import { LINEAR_WORKGROUP } from '../../runtime/index.js';
import { inputOf, type InputDtype } from '../dtype-wgsl.js';
import { EXACT_F32 } from '../exact-f32.js';
import { PHILOX } from '../philox-wgsl.js';
import { ELEMENT_RANDOM_WORD, isStochastic, magnitudeCodeOf } from './element-wgsl.js';

export const WORKGROUP = 64;

/**
 * Layout of the `consts` buffer every MX kernel reads (u32 words, built by consts.ts):
 * [0, 256) the block multiplier of each scale byte as f32 bits (e8m0 2^(b−127); ue4m3 fl(decode(b)·sg));
 * [256, 263) the seven E2M1 rounding thresholds; 263: fl(6·sg) (NVFP4); [264, 520) the element format's
 * value of each code as f32 bits (the first 2^bits used); [520, 797) rounding 'ggml' only: for each binade
 * e = −149 … 127 of amax, the f32 bits from which llama.cpp's ⌊f32(log2 amax)⌋ is e + 1 (consts.ts).
 */
export const CONSTS = { thresholds: 256, sixSg: 263, decode: 264, ggmlLog2: 520, length: 797 } as const;

/**
 * Params (the uniform, run.ts builds it) and helpers of every MX kernel. Besides the shape and format:
 * firstRow, the tensor row of the call's row 0 (random words); key0/key1, the seed's Philox key.
 */
export const COMMON = /* wgsl */ `
struct Params {
  rows: u32, n: u32, nb: u32, bs: u32, scaleFmt: u32, rule: u32, nibbleOrder: u32, total: u32, outDtype: u32, elemBits: u32,
  firstRow: u32, key0: u32, key1: u32,
}
${LINEAR_WORKGROUP}
${EXACT_F32}
fn byteOf(word: u32, i: u32) -> u32 { return (word >> (8u * (i & 3u))) & 0xffu; }
// Byte and bit offset of element i of block idx in an FP4 block of bs/2 bytes (pairs or ggml order).
fn nibbleAt(idx: u32, i: u32) -> vec2<u32> {
  let hb = p.bs / 2u;
  if (p.nibbleOrder == 1u) { return vec2<u32>(idx * hb + i % hb, (i / hb) * 4u); }
  return vec2<u32>(idx * hb + i / 2u, (i & 1u) * 4u);
}
`;

/**
 * What the kernels that read packed blocks (dequantize, matvec) share: bindings 0, 1, 3, 4 and
 * `codeAt(idx, i)`, the code of element i of block idx: a nibble (`fp4`, either order) or elemBits of
 * the block's LSB-first bit stream. Variants are chosen when the WGSL is built, not by a branch on a
 * uniform: SwiftShader runs both sides of such a branch (measured: 2.5× slower FP4 dequantize).
 */
function packed(fp4: boolean): string {
  const code = fp4 ? /* wgsl */ `
  let at = nibbleAt(idx, i);
  return (byteOf(codes[at.x >> 2u], at.x) >> at.y) & 0xfu;` : /* wgsl */ `
  let bit = idx * p.bs * p.elemBits + i * p.elemBits;
  let off = bit & 31u;
  var raw = codes[bit >> 5u] >> off;
  if (off + p.elemBits > 32u) { raw |= codes[(bit >> 5u) + 1u] << (32u - off); }
  return raw & ((1u << p.elemBits) - 1u);`;
  return /* wgsl */ `${COMMON}
@group(0) @binding(0) var<storage, read> codes: array<u32>;
@group(0) @binding(1) var<storage, read> scales: array<u32>;
@group(0) @binding(3) var<storage, read> consts: array<u32>;
@group(0) @binding(4) var<uniform> p: Params;
fn codeAt(idx: u32, i: u32) -> u32 {${code}
}
`;
}

/**
 * Start of the quantize kernels' per-block function `quantizeBlock(idx, local)`: block idx (the
 * workgroup's block `local`), its first column c0, its length len (a partial last block is shorter), the
 * index `base` of its first value in x, and amax (bits). Values are read with `valueAt(base, local, i)`
 * (blockReads). The kernel's code follows; it writes the block's codes and returns its scale byte.
 */
export const BLOCK_START = /* wgsl */ `
fn quantizeBlock(idx: u32, local: u32) -> u32 {
  let c0 = (idx % p.nb) * p.bs;
  let len = min(p.bs, p.n - c0);
  let base = (idx / p.nb) * p.n + c0;
  var amax = 0u;
  for (var i = 0u; i < len; i++) { amax = max(amax, valueAt(base, local, i) & 0x7fffffffu); }`;

/**
 * `valueAt(base, local, i)`: value i of a block as f32 bits. Staged (n a multiple of bs, so a workgroup's
 * blocks are one run of x), from workgroup memory that `stageBlocks` filled with neighbouring invocations
 * on neighbouring values: read straight from x, neighbouring invocations' values are bs·4 bytes apart
 * and a warp's every load touches 32 cache lines. The swizzle XORs bits 5–9 of a slot into bits 0–4, so
 * the lanes reading value i of their blocks (slots local·bs + i) hit 32 different banks. Otherwise (rows
 * that end in a partial block) straight from x.
 */
export function blockReads(staged: boolean): string {
  if (!staged) return 'fn valueAt(base: u32, local: u32, i: u32) -> u32 { return loadX(base + i); }';
  return /* wgsl */ `
var<workgroup> staging: array<u32, ${WORKGROUP * 32}>;
fn stagingSlot(k: u32) -> u32 { return k ^ ((k >> 5u) & 31u); }
fn valueAt(base: u32, local: u32, i: u32) -> u32 { return staging[stagingSlot(local * p.bs + i)]; }
fn stageBlocks(first: u32, lid: u32) {
  let count = min(${WORKGROUP}u, p.total - min(first, p.total)) * p.bs;
  for (var j = 0u; j < p.bs; j++) {
    let k = lid + j * ${WORKGROUP}u;
    if (k < count) { staging[stagingSlot(k)] = loadX(first * p.bs + k); }
  }
  workgroupBarrier();
}`;
}

/**
 * The quantize kernels' entry point: one invocation per block. The workgroup's scale bytes meet in
 * workgroup memory and go out as whole u32 words (WORKGROUP blocks fill WORKGROUP / 4 words), plain
 * stores instead of atomics on the output, so it need not start zeroed and can be reused.
 */
export const blockMain = (staged: boolean): string => /* wgsl */ `
var<workgroup> blockScales: array<u32, ${WORKGROUP}>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let first = linearWorkgroup(wid, nwg) * ${WORKGROUP}u;
  ${staged ? 'stageBlocks(first, lid);' : ''}
  var sb = 0u;
  if (first + lid < p.total) { sb = quantizeBlock(first + lid, lid); }
  blockScales[lid] = sb;
  workgroupBarrier();
  let b = 4u * lid;
  if (b < ${WORKGROUP}u && first + b < p.total) {
    scales[first / 4u + lid] = blockScales[b] | (blockScales[b + 1u] << 8u) | (blockScales[b + 2u] << 16u) | (blockScales[b + 3u] << 24u);
  }
}`;

/** The element format constants the scale rules need (docs/internals.md, "Format ids"). */
export interface ScaleElement {
  mbits: number;
  emax: number;
  /** f32 bits of the largest finite magnitude. */
  maxBits: number;
}

/**
 * WGSL: floorLog2, isPow2 and e8m0Exponent(amax bits) for an element format: the shared exponent under
 * rule 0 floor, 1 ceil, 2 even (torchao: half an element ulp added to the bits), 3 rceil (Triton/cuBLAS:
 * the exponent of fl(amax / max) rounded up, through the bits of the exact quotient); clamped to ±127.
 */
export function e8m0ExponentOf(e: ScaleElement): string {
  return /* wgsl */ `
fn floorLog2(a: u32) -> i32 {
  let field = a >> 23u;
  if (field != 0u) { return i32(field) - 127; }
  return 31 - i32(countLeadingZeros(a)) - 149;
}
fn isPow2(a: u32) -> bool {
  if ((a >> 23u) != 0u) { return (a & 0x7fffffu) == 0u; }
  return countOneBits(a) == 1u;
}
fn e8m0Exponent(amax: u32) -> i32 {
  if (amax == 0u) { return -127; }
  var se = floorLog2(amax) - ${e.emax};
  if (p.rule == 1u && !isPow2(amax)) { se += 1; }
  if (p.rule == 2u) { se = floorLog2(amax + ${1 << (22 - e.mbits)}u) - ${e.emax}; }
  if (p.rule == 3u) { se = i32(((divF32(amax, ${e.maxBits}u) + 0x7fffffu) & 0x7f800000u) >> 23u) - 127; }
  return clamp(se, -127, 127);
}`;
}

/** Bit distance (ulps) from a threshold within which the hardware quotient is not trusted: WGSL allows 2.5. */
const NEAR_ULPS = 16;

/**
 * `quotient(a, s, sb)` for the threshold roundings with a multiplier that is not a power of two: the
 * hardware quotient, which WGSL bounds to 2.5 ulp for a normal dividend and a divisor in [2^−126, 2^126],
 * lies on the same side of every threshold as the exact one unless it is within NEAR_ULPS of one; then,
 * and for a subnormal dividend or any other divisor (0, subnormal, huge, Inf), the exact long division.
 * Codes stay bit-exact; the ~150 integer operations of divF32 run only near a threshold.
 */
const THRESHOLD_QUOTIENT = /* wgsl */ `
fn quotient(a: u32, s: u32, sb: u32) -> u32 {
  let se = s >> 23u;
  var exact = (a != 0u && a < 0x00800000u) || se == 0u || se > 252u;
  var y = 0u;
  if (!exact) {
    y = bitcast<u32>(bitcast<f32>(a) / bitcast<f32>(s));
    for (var t = 0u; t < 7u; t++) {
      let th = consts[${CONSTS.thresholds}u + t];
      exact = exact || max(y, th) - min(y, th) <= ${NEAR_ULPS}u;
    }
  }
  // One call site: lanes that run in lockstep (and SwiftShader, which runs every branch) pay for it once.
  if (exact) { y = divF32(a, s); }
  return y;
}`;

/** FP4 quantize kernels: rne and away share one (thresholds in consts), ggml, stochastic and stochastic-3/4 have their own. */
export const fp4Variant = (r: Rounding): string => (r === 'away' ? 'rne' : r);

/**
 * One invocation per block: amax, scale byte (e8m0 rule, llama.cpp's for ggml, or NVFP4 ue4m3), bs/2
 * bytes of E2M1 codes. rne, away and ggml count the decision thresholds the exact quotient exceeds
 * (ggml drops the sign of a zero code, as llama.cpp); the stochastic roundings put fl(v / s) (times 0.75
 * for stochastic-3/4) on the E2M1 grid with element g = row·n + col's Philox word, as wasm's general path
 * (0/0, from an underflowed multiplier, is a signed zero). `ggmlExponent` is llama.cpp's ⌊f32(log2 amax)⌋ − 2:
 * the binade's exponent, one more from the binade's threshold in consts on.
 */
export function quantizeFp4(rounding: Rounding, dtype: InputDtype, pow2: boolean, staged: boolean): string {
  const stochastic = isStochastic(rounding);
  const random = stochastic ? ELEMENT_RANDOM_WORD : '0u';
  // |v| / s: an exponent shift when s is a power of two (e8m0: s = 2^(sb − 127), so k = 127 − sb); for
  // NVFP4's ue4m3 · tensorScale multipliers the integer long division, which the threshold roundings
  // mostly avoid (THRESHOLD_QUOTIENT).
  let quotient = 'fn quotient(a: u32, s: u32, sb: u32) -> u32 { return divF32(a, s); }';
  if (pow2) quotient = 'fn quotient(a: u32, s: u32, sb: u32) -> u32 { return scalePow2(a, 127 - i32(sb)); }';
  else if (!stochastic) quotient = THRESHOLD_QUOTIENT;
  const code = stochastic
    ? /* wgsl */ `
${magnitudeCodeOf({ mbits: 1, emin: 0, maxCode: 7, maxBits: 0x40c00000 }, rounding as 'stochastic')}
${quotient}
fn fp4Code(v: u32, s: u32, sb: u32, r: u32) -> u32 {
  var y = quotient(v & 0x7fffffffu, s, sb);
  if (y > F32_INF) { y = 0u; } // 0/0: a signed zero
  return magnitudeCode(${rounding === 'stochastic-3/4' ? 'threeQuarters(y)' : 'y'}, r) | ((v >> 31u) << 3u);
}`
    : /* wgsl */ `
${quotient}
// E2M1 code of the f32 bits v divided by the block multiplier s (bits; scale byte sb): thresholds on the exact quotient.
fn fp4Code(v: u32, s: u32, sb: u32, r: u32) -> u32 {
  let y = quotient(v & 0x7fffffffu, s, sb);
  var c = 0u;
  if (y <= F32_INF) { // a NaN quotient (0/0: an underflowed multiplier) encodes as a signed zero
    for (var t = 0u; t < 7u; t++) { c += select(0u, 1u, y > consts[${CONSTS.thresholds}u + t]); }
  }
  return ${rounding === 'ggml' ? 'select(c | ((v >> 31u) << 3u), 0u, c == 0u)' : 'c | ((v >> 31u) << 3u)'};
}`;
  return /* wgsl */ `${COMMON}
${stochastic ? PHILOX : ''}
${inputOf(dtype)}
@group(0) @binding(1) var<storage, read_write> codes: array<u32>;
@group(0) @binding(2) var<storage, read_write> scales: array<u32>;
@group(0) @binding(3) var<storage, read> consts: array<u32>;
@group(0) @binding(4) var<uniform> p: Params;
${blockReads(staged)}

${e8m0ExponentOf({ mbits: 1, emax: 2, maxBits: 0x40c00000 })}
fn ggmlExponent(amax: u32) -> i32 {
  if (amax == 0u) { return -127; }
  let e = floorLog2(amax);
  return clamp(e - 2 + select(0, 1, amax >= consts[${CONSTS.ggmlLog2}u + u32(e + 149)]), -127, 127);
}
// UE4M3 code of the quotient q = bamax / fl(6·sg), clamped to [2^-9, 448] first (ModelOpt).
fn ue4m3Code(quotient: u32) -> u32 {
  let q = max(min(quotient, 0x43e00000u), 0x3b000000u);
  if (q >= 0x3c800000u) { return ((q + 0x7ffffu + ((q >> 20u) & 1u)) >> 20u) - 0x3c0u; }
  let sig = (q & 0x7fffffu) | 0x800000u; // q·2^9 in [1, 8): round the significand half to even
  let s = 141u - (q >> 23u);
  let keep = sig >> s;
  let rem = sig & ((1u << s) - 1u);
  let halfway = 1u << (s - 1u);
  return keep + select(0u, 1u, rem > halfway || (rem == halfway && (keep & 1u) == 1u));
}
${code}

${BLOCK_START}
  var sb = 0u;
  var s = 0u;
  var empty = false; // NaN/Inf block or NVFP4 zero block: scale byte only, all codes 0
  if (amax >= F32_INF) {
    sb = select(0xffu, 0x7fu, p.scaleFmt == 1u);
    empty = true;
  } else if (p.scaleFmt == 1u) {
    empty = amax == 0u;
    if (!empty) { sb = ue4m3Code(divF32(amax, consts[${CONSTS.sixSg}u])); }
  } else {
    sb = u32(${rounding === 'ggml' ? 'ggmlExponent' : 'e8m0Exponent'}(amax) + 127);
  }
  s = consts[sb];
  let words = p.bs / 8u;
  ${stochastic ? 'var stream: RandomStream;' : ''}
  for (var w = 0u; w < words; w++) {
    var word = 0u;
    for (var j = 0u; j < 8u && !empty; j++) {
      // Nibble j of word w: byte w·4 + j/2 of the block, high nibble when j is odd.
      var i = w * 8u + j;
      if (p.nibbleOrder == 1u) { i = w * 4u + j / 2u + (j & 1u) * (p.bs / 2u); }
      if (i < len) { word |= fp4Code(valueAt(base, local, i), s, sb, ${random}) << (4u * j); }
    }
    codes[idx * words + w] = word;
  }
  return sb;
}
${blockMain(staged)}`;
}

/**
 * The dequantize kernels' bindings and entry point around a format's `value(g)` (f32 bits of element g,
 * row-major over rows × n): f32 out (outDtype 0: one value per invocation) or f16 / bf16 bits (1 / 2:
 * two values per invocation, one u32 word), rounded to nearest even. The `three4` variant (stochastic-3/4)
 * multiplies every value by f32(4/3) = 0xaaaaab · 2^-23 first (`fourThirds`: the 48-bit product of the
 * significands, ≥ 2^46, kept as its top 31 bits and a sticky bit, rounded once like wasm's f32 product;
 * the sign kept, 0, Inf and NaN passed through).
 */
function dequantizeKernel(value: string, fp4: boolean, three4: boolean): string {
  return /* wgsl */ `${packed(fp4)}
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
${value}
fn fourThirds(v: u32) -> u32 {
  let a = v & 0x7fffffffu;
  if (a == 0u || a >= F32_INF) { return v; }
  let u = unpackF32(a);
  let sig = u32(u.x);
  let low = sig * 0xaaaaabu;
  let top = (mulHi(sig, 0xaaaaabu) << 15u) | (low >> 17u);
  return roundToF32(top, u.y - 6, (low & 0x1ffffu) != 0u) | (v & 0x80000000u);
}
fn element(g: u32) -> u32 { return ${three4 ? 'fourThirds(value(g))' : 'value(g)'}; }
fn narrow(bits: u32) -> u32 {
  if (p.outDtype == 1u) { return f32ToF16Bits(bits); }
  return f32ToBf16Bits(bits);
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * ${WORKGROUP}u + lid;
  if (i >= p.total) { return; }
  if (p.outDtype == 0u) {
    out[i] = element(i);
    return;
  }
  let count = p.rows * p.n;
  var word = narrow(element(2u * i));
  if (2u * i + 1u < count) { word |= narrow(element(2u * i + 1u)) << 16u; }
  out[i] = word;
}`;
}

/** FP4: decode(code)·s exactly (s an e8m0 power of two or NVFP4's fl(decode(sb)·sg)); NaN scale bytes give the quiet NaN. */
const FP4_VALUE = /* wgsl */ `
// E2M1 magnitudes in halves: 0, 0.5, 1, 1.5, 2, 3, 4, 6.
const HALF_STEPS = array<u32, 8>(0u, 1u, 2u, 3u, 4u, 6u, 8u, 12u);
fn value(g: u32) -> u32 {
  let col = g % p.n;
  let idx = (g / p.n) * p.nb + col / p.bs;
  let s = consts[byteOf(scales[idx >> 2u], idx)];
  if (s > F32_INF) { return F32_QNAN; }
  let code = codeAt(idx, col % p.bs);
  return mulHalfSteps(s, HALF_STEPS[code & 7u]) | ((code >> 3u) << 31u);
}`;

/**
 * FP6, FP8 and INT8 (e8m0 scales): the code is read from the block's LSB-first bit stream (elemBits per
 * element; FP8/INT8 one byte each), looked up in the decode table and multiplied by 2^(b−127), rounded
 * once to f32 (subnormals kept, overflow to Inf). NaN scale bytes give the quiet NaN, NaN codes keep
 * their signed NaN, Inf codes (e5m2) stay infinite.
 */
const WIDE_VALUE = /* wgsl */ `
fn value(g: u32) -> u32 {
  let col = g % p.n;
  let idx = (g / p.n) * p.nb + col / p.bs;
  let sb = byteOf(scales[idx >> 2u], idx);
  if (sb == 0xffu) { return F32_QNAN; }
  let d = consts[${CONSTS.decode}u + codeAt(idx, col % p.bs)];
  let sign = d & 0x80000000u;
  let a = d & 0x7fffffffu;
  if (a >= F32_INF || a == 0u) { return d; }
  let u = unpackF32(a);
  return roundToF32(u32(u.x), u.y + i32(sb) - 127, false) | sign;
}`;

/** The dequantize kernel of FP4 (`fp4`) or the bit-stream formats, with stochastic-3/4's factor or without. */
export const dequantizeWgsl = (fp4: boolean, three4: boolean): string => dequantizeKernel(fp4 ? FP4_VALUE : WIDE_VALUE, fp4, three4);

/**
 * One workgroup per row, every format: y[r] = Σ_blocks partial·s, the partial summed as the wasm kernel
 * does (decode(code_j)·x_j of a block into accumulator j mod 4, then (a0 + a2) + (a1 + a3)); the blocks'
 * terms are summed in a tree across the workgroup instead of left to right (docs/gpu.md: tolerance).
 */
export const matvecWgsl = (fp4: boolean): string => /* wgsl */ `${packed(fp4)}
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(5) var<storage, read_write> y: array<f32>;
var<workgroup> sums: array<f32, ${WORKGROUP}>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = linearWorkgroup(wid, nwg);
  if (row >= p.rows) { return; }
  var acc = 0.0;
  for (var b = lid; b < p.nb; b += ${WORKGROUP}u) {
    let idx = row * p.nb + b;
    let s = bitcast<f32>(consts[byteOf(scales[idx >> 2u], idx)]);
    let c0 = b * p.bs;
    let len = min(p.bs, p.n - c0);
    var a = vec4<f32>(0.0);
    for (var j = 0u; j < len; j++) {
      a[j & 3u] += bitcast<f32>(consts[${CONSTS.decode}u + codeAt(idx, j)]) * x[c0 + j];
    }
    acc += ((a.x + a.z) + (a.y + a.w)) * s;
  }
  sums[lid] = acc;
  workgroupBarrier();
  for (var span = ${WORKGROUP / 2}u; span > 0u; span >>= 1u) {
    if (lid < span) { sums[lid] += sums[lid + span]; }
    workgroupBarrier();
  }
  if (lid == 0u) { y[row] = sums[0]; }
}`;

/** Max |v| over the finite values (as bits; 0 when none) into result[0], for NVFP4's default tensor scale. */
export const amaxWgsl = (dtype: InputDtype): string => /* wgsl */ `
${LINEAR_WORKGROUP}
struct Count { n: u32 }
${inputOf(dtype)}
@group(0) @binding(1) var<storage, read_write> result: array<atomic<u32>>;
@group(0) @binding(2) var<uniform> count: Count;
var<workgroup> best: atomic<u32>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 256u + lid;
  var m = 0u;
  if (i < count.n) {
    let a = loadX(i) & 0x7fffffffu;
    if (a < 0x7f800000u) { m = a; }
  }
  atomicMax(&best, m);
  workgroupBarrier();
  if (lid == 0u) { atomicMax(&result[0], atomicLoad(&best)); }
}`;
