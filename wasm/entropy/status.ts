// Kernel return codes (docs/internals.md, "Entropy"): ≥ 0 is success, the TS layer maps the rest to
// KompaktError codes. Kernels report instead of trapping, so a bad stream can never abort the module.

export const ERR_CAPACITY: i32 = -1;
export const ERR_SYMBOL: i32 = -2;
export const ERR_MODEL: i32 = -3;
export const ERR_TRUNCATED: i32 = -4;
export const ERR_CORRUPT: i32 = -5;

/** Lanes of the interleaved coder; the stream format fixes it. */
export const LANES: i32 = 16;
/** Lower bound of a lane state: states live in [L, 2^32) and renormalise by 16-bit words. */
export const L: u32 = 1 << 16;
/** Precision limit of the table-driven rans16x16 stream; 17 … MAX_PRECISION use the exact rans16x32 path. */
export const MAX_TABLE_PRECISION: u32 = 16;
export const MAX_PRECISION: u32 = 24;
export const MAX_SYMBOLS: i32 = 1 << 16;

/** Checks a frequency table: precision in range, nsym in range, sum exactly 2^precision. */
export function checkModel(freqs: usize, nsym: i32, precision: u32): bool {
  if (precision < 1 || precision > MAX_PRECISION || nsym < 1 || nsym > MAX_SYMBOLS) return false;
  let sum: u64 = 0;
  for (let k = 0; k < nsym; k++) sum += <u64>load<u32>(freqs + (<usize>k << 2));
  return sum == (<u64>1 << precision);
}
