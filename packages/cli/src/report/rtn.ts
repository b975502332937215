// Scalar round-to-nearest: the baseline the vector quantizers of the report are judged against
// (as in the QuIP# and GPTQ papers). Asymmetric min–max over groups of RTN_GROUP values of a row,
// 2^b evenly spaced levels, an f16 step and an f16 minimum per group (+32/RTN_GROUP bits per weight).
import { irht, isSupportedSize, rht } from '@kompakt/hadamard';
import { largestPow2Divisor } from '../quantize.js';

export const RTN_BITS = [2, 3, 4] as const;
export type RtnName = `int${(typeof RTN_BITS)[number]}-rtn`;
export const RTN_GROUP = 128;

/** The group length used on rows of `n` values: RTN_GROUP when it divides n, else the whole row. */
export function rtnGroup(n: number): number {
  return n % RTN_GROUP === 0 ? RTN_GROUP : n;
}

/**
 * Quantizes and reconstructs rows of `n` values with `bits`-bit RTN; with `hadamard`, the rows are
 * rotated first (rht over the row, or its largest power-of-two block, as the lattice formats do) and
 * rotated back after.
 */
export function rtnRows(x: Float32Array, n: number, bits: number, hadamard: { seed: number } | null): { y: Float32Array; bitsPerWeight: number } {
  const block = isSupportedSize(n) ? n : largestPow2Divisor(n);
  const rotate = hadamard !== null && block >= 2;
  const y = rotate ? rht(x.slice(), { n, block, seed: hadamard.seed }) : x.slice();
  const g = rtnGroup(n);
  const top = 2 ** bits - 1;
  for (let s = 0; s < y.length; s += g) {
    let lo = Infinity, hi = -Infinity;
    for (let i = s; i < s + g; i++) {
      lo = Math.min(lo, y[i]);
      hi = Math.max(hi, y[i]);
    }
    const step = (hi - lo) / top;
    for (let i = s; i < s + g; i++) y[i] = step > 0 ? lo + Math.round((y[i] - lo) / step) * step : lo;
  }
  if (rotate) irht(y, { n, block, seed: hadamard.seed });
  return { y, bitsPerWeight: bits + 32 / g };
}
