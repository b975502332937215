import { PHILOX } from '../philox-wgsl.js';
import { ELEMENT_RANDOM_WORD, isStochastic, magnitudeCodeOf, type ElementGrid, type GridRounding } from './element-wgsl.js';
import { inputOf, type InputDtype } from '../dtype-wgsl.js';
import { BLOCK_START, COMMON, blockMain, blockReads, e8m0ExponentOf, type ScaleElement } from './wgsl.js';

/** An FP6 / FP8 / INT8 element format as the encoder needs it (docs/internals.md, "Format ids"). */
export interface WideElement extends ElementGrid, ScaleElement {
  /** Code width in bits (6 or 8). */
  width: number;
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
 * (block quantization always is), with `rounding` (rne, away, stochastic, stochastic-3/4). Follows wasm's
 * encodeElement on the bits: y = fl(v·2^−se) exactly (scalePow2: an exponent shift), fl(y·0.75) for
 * stochastic-3/4, then the grid code of element-wgsl.ts; element g = row·n + col draws Philox word g.
 * Codes go out as the block's LSB-first bit stream, whole words per invocation (bs·width is a multiple
 * of 32). No consts binding: every constant is in the source.
 */
export function quantizeWide(e: WideElement, rounding: GridRounding, dtype: InputDtype, staged: boolean): string {
  const signed = e.twosComplement ? '(0x100u - c) & 0xffu' : `c | ${1 << (e.width - 1)}u`;
  const stochastic = isStochastic(rounding);
  return /* wgsl */ `${COMMON}
${stochastic ? PHILOX : ''}
${inputOf(dtype)}
@group(0) @binding(1) var<storage, read_write> codes: array<u32>;
@group(0) @binding(2) var<storage, read_write> scales: array<u32>;
@group(0) @binding(3) var<uniform> p: Params;
${blockReads(staged)}
${e8m0ExponentOf(e)}
${magnitudeCodeOf(e, rounding)}
// Code of the f32 bits v times 2^k, r the element's random word.
fn elementCode(v: u32, k: i32, r: u32) -> u32 {
  let a = scalePow2(v & 0x7fffffffu, k);
  let c = magnitudeCode(${rounding === 'stochastic-3/4' ? 'threeQuarters(a)' : 'a'}, r);
  if ((v >> 31u) == 0u) { return c; }
  return ${signed};
}

${BLOCK_START}
  let nanBlock = amax >= F32_INF;
  var sb = 0xffu;
  if (!nanBlock) { sb = u32(e8m0Exponent(amax) + 127); }
  let k = 127 - i32(sb);
  var word = 0u;
  var fill = 0u;
  var w = idx * ((p.bs * ${e.width}u) / 32u);
  ${stochastic ? 'var stream: RandomStream;' : ''}
  for (var i = 0u; i < p.bs; i++) {
    var c = 0u; // the +0 code pads a partial block
    if (nanBlock) {
      c = ${e.nanFill}u;
    } else if (i < len) {
      c = elementCode(valueAt(base, local, i), k, ${stochastic ? ELEMENT_RANDOM_WORD : '0u'});
    }
    word |= c << fill;
    fill += ${e.width}u;
    if (fill >= 32u) {
      codes[w] = word;
      w++;
      fill -= 32u;
      word = select(0u, c >> (${e.width}u - fill), fill > 0u);
    }
  }
  return sb;
}
${blockMain(staged)}`;
}
