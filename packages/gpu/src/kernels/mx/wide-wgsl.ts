import { BLOCK_ENTRY, COMMON, e8m0ExponentOf, type ScaleElement } from './wgsl.js';

/** An FP6 / FP8 / INT8 element format as the encoder needs it (docs/internals.md, "Format ids"). */
export interface WideElement extends ScaleElement {
  /** Exponent of the smallest normal (1 − bias); 0 for int8, whose grid is i·2^-6. */
  emin: number;
  /** Code width in bits (6 or 8). */
  width: number;
  /** Largest finite magnitude code (saturation). */
  maxCode: number;
  /** Byte of every code of a NaN/Inf block: the format's NaN code, else 0. */
  nanFill: number;
  /** Two's complement codes (int8) instead of sign-magnitude. */
  twosComplement: boolean;
}

export const WIDE_ELEMENTS = {
  e2m3: { mbits: 3, emin: 0, emax: 2, width: 6, maxCode: 0x1f, maxBits: 0x40f00000, nanFill: 0, twosComplement: false },
  e3m2: { mbits: 2, emin: -2, emax: 4, width: 6, maxCode: 0x1f, maxBits: 0x41e00000, nanFill: 0, twosComplement: false },
  e4m3: { mbits: 3, emin: -6, emax: 8, width: 8, maxCode: 0x7e, maxBits: 0x43e00000, nanFill: 0x7f, twosComplement: false },
  e5m2: { mbits: 2, emin: -14, emax: 15, width: 8, maxCode: 0x7b, maxBits: 0x47600000, nanFill: 0x7e, twosComplement: false },
  int8: { mbits: 6, emin: 0, emax: 0, width: 8, maxCode: 0x7f, maxBits: 0x3ffe0000, nanFill: 0, twosComplement: true },
} as const satisfies Record<string, WideElement>;

/**
 * One invocation per e8m0-scaled block of an FP6/FP8/INT8 format (p.rule the scale rule), saturating
 * (block quantization always is), ties to even or (`away`) away from zero. Follows wasm's encodeElement
 * on the bits: y = fl(v·2^−se) exactly (roundToF32 of an exponent shift), its
 * significand cut at the format's grid step (the binade's, or the subnormal step below emin) with the
 * dropped part compared to half a step. Codes go out as the block's LSB-first bit stream, whole words
 * per invocation (bs·width is a multiple of 32). No consts binding: every constant is in the source.
 */
export function quantizeWide(e: WideElement, away: boolean): string {
  const signed = e.twosComplement ? '(0x100u - c) & 0xffu' : `c | ${1 << (e.width - 1)}u`;
  return /* wgsl */ `${COMMON}
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> codes: array<u32>;
@group(0) @binding(2) var<storage, read_write> scales: array<atomic<u32>>;
@group(0) @binding(3) var<uniform> p: Params;
${e8m0ExponentOf(e)}
// Code of the f32 bits v times 2^k (saturating at maxCode).
fn elementCode(v: u32, k: i32) -> u32 {
  let neg = (v >> 31u) != 0u;
  var a = v & 0x7fffffffu;
  var c = 0u;
  if (a != 0u) {
    let u = unpackF32(a);
    a = roundToF32(u32(u.x), u.y + k, false);
  }
  if (a != 0u) {
    let e = floorLog2(a);
    let sig = unpackF32(a).x;
    let qe = max(e, ${e.emin});
    let drop = u32(23 + qe - ${e.mbits} - e);
    if (drop <= 24u) { // past 24 the 24-bit significand is below half a step: magnitude code 0
      let keep = u32(sig) >> drop;
      let rem = u32(sig) & ((1u << drop) - 1u);
      let half = 1u << (drop - 1u);
      let up = rem > half || (rem == half && ${away ? 'true' : '(keep & 1u) == 1u'});
      c = min((u32(qe - ${e.emin}) << ${e.mbits}u) + keep + select(0u, 1u, up), ${e.maxCode}u);
    }
  }
  if (!neg) { return c; }
  return ${signed};
}

${BLOCK_ENTRY}
  let nanBlock = amax >= F32_INF;
  var sb = 0xffu;
  if (!nanBlock) { sb = u32(e8m0Exponent(amax) + 127); }
  atomicOr(&scales[idx >> 2u], sb << (8u * (idx & 3u)));
  let k = 127 - i32(sb);
  var word = 0u;
  var fill = 0u;
  var w = idx * ((p.bs * ${e.width}u) / 32u);
  for (var i = 0u; i < p.bs; i++) {
    var c = 0u; // the +0 code pads a partial block
    if (nanBlock) { c = ${e.nanFill}u; } else if (i < len) { c = elementCode(x[base + i], k); }
    word |= c << fill;
    fill += ${e.width}u;
    if (fill >= 32u) {
      codes[w] = word;
      w++;
      fill -= 32u;
      word = select(0u, c >> (${e.width}u - fill), fill > 0u);
    }
  }
}`;
}
