import type { Rounding } from '@kompakt/mx';

/** An element format's grid as wasm's roundMagnitude sees it (docs/internals.md, "Element encoding"). */
export interface ElementGrid {
  mbits: number;
  /** Exponent of the smallest normal (1 − bias); 0 for int8, whose grid is i·2^-6. */
  emin: number;
  /** Largest finite magnitude code (saturation). */
  maxCode: number;
  /** f32 bits of the largest finite magnitude. */
  maxBits: number;
}

/** The roundings the grid encoder runs (FP4's rne, away and ggml also run through decision thresholds). */
export type GridRounding = Exclude<Rounding, 'ggml'>;

/**
 * WGSL expression: the random word of element i of block idx in a quantize kernel (BLOCK_START's names,
 * a `stream: RandomStream` declared in it; PHILOX included), element g = (firstRow + row)·n + c0 + i.
 */
export const ELEMENT_RANDOM_WORD = 'randomWord(&stream, elementIndex(p.firstRow + idx / p.nb, p.n, c0 + i), vec2<u32>(p.key0, p.key1))';

/** Roundings that draw a random word per element. */
export const isStochastic = (r: Rounding): boolean => r === 'stochastic' || r === 'stochastic-3/4';

/**
 * WGSL `magnitudeCode(a, r)`: the saturated magnitude code of the non-negative f32 bits `a` (Inf gives
 * the largest code) on `e`'s grid, as wasm's encodeElement: the significand cut at the grid step (the
 * binade's, or the subnormal step below emin), the dropped part `rem` of `drop` bits deciding. rne and
 * away compare rem with half a step; stochastic rounds up iff rem/2^drop ≥ 1 − r/2^32 for the element's
 * random word r, and as rne above the format's max: `stochasticUp` decides it exactly without a 64-bit
 * product, as rem · 2^(32 − drop) ≥ 2^32 − r for drop ≤ 32 (rem < 2^drop: no overflow) and as
 * ⌊rem / 2^(drop − 32)⌋ ≥ 2^32 − r above (the right side is an integer); r = 0 never rounds up.
 * `threeQuarters(a)` is stochastic-3/4's fl(a · 0.75), one rounding. Needs EXACT_F32 and floorLog2.
 */
export function magnitudeCodeOf(e: ElementGrid, rounding: GridRounding): string {
  const tie = rounding === 'away' ? 'true' : '(keep & 1u) == 1u';
  const up = isStochastic(rounding) ? `select(nearestUp, stochasticUp(rem, drop, r), a <= ${e.maxBits}u)` : 'nearestUp';
  return /* wgsl */ `
fn stochasticUp(rem: u32, drop: u32, r: u32) -> bool {
  if (r == 0u || drop >= 56u) { return false; }
  if (drop <= 32u) { return (rem << (32u - drop)) >= 0u - r; }
  return (rem >> (drop - 32u)) >= 0u - r;
}
fn threeQuarters(a: u32) -> u32 {
  if (a == 0u || a >= F32_INF) { return a; }
  let u = unpackF32(a);
  return roundToF32(u32(u.x) * 3u, u.y - 2, false);
}
fn magnitudeCode(a: u32, r: u32) -> u32 {
  if (a == 0u) { return 0u; }
  if (a >= F32_INF) { return ${e.maxCode}u; }
  let e = floorLog2(a);
  let sig = u32(unpackF32(a).x);
  let qe = max(e, ${e.emin});
  let drop = u32(23 + qe - ${e.mbits} - e); // ≥ 17
  var keep = 0u;
  var rem = sig;
  if (drop < 32u) {
    keep = sig >> drop;
    rem = sig & ((1u << drop) - 1u);
  }
  let half = 1u << min(drop - 1u, 31u);
  let nearestUp = rem > half || (rem == half && ${tie});
  let up = ${up};
  return min((u32(qe - ${e.emin}) << ${e.mbits}u) + keep + select(0u, 1u, up), ${e.maxCode}u);
}`;
}
