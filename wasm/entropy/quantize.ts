// Counts → frequencies summing to 2^precision (docs/internals.md, model_quantize_counts). Integer-only
// so that every backend agrees. Symbols too rare for one slot get exactly 1 (the minimum that keeps
// them encodable); all others share the rest in proportion to their counts by cumulative rounding,
// which keeps each within one slot of its ideal share. Taking the rare symbols' slots proportionally
// from everyone is what keeps the cost at a fraction of the KL floor instead of a fixed "leak".
import { ERR_MODEL, MAX_PRECISION, MAX_SYMBOLS } from "./status";

export function model_quantize_counts(counts: usize, nsym: i32, precision: u32, freqs: usize): i32 {
  if (precision < 1 || precision > MAX_PRECISION || nsym < 1 || nsym > MAX_SYMBOLS) return ERR_MODEL;
  let total: u64 = 0;
  let present: u32 = 0;
  for (let k = 0; k < nsym; k++) {
    const c = load<u32>(counts + (<usize>k << 2));
    total += c;
    present += u32(c != 0);
    store<u32>(freqs + (<usize>k << 2), 0);
  }
  const slots: u64 = <u64>1 << precision;
  if (total == 0 || total >= (<u64>1 << 32) || <u64>present > slots) return ERR_MODEL;
  // Find the small set; freqs doubles as its marker (1 = small), which is also a small symbol's final value.
  let small: u64 = 0;
  let largeTotal = total;
  for (;;) {
    const F = slots - small;
    const TL = largeTotal;
    let moved = false;
    for (let k = 0; k < nsym; k++) {
      const c = <u64>load<u32>(counts + (<usize>k << 2));
      if (c == 0 || load<u32>(freqs + (<usize>k << 2)) != 0) continue;
      if (c * F < TL) {
        store<u32>(freqs + (<usize>k << 2), 1);
        small++;
        largeTotal -= c;
        moved = true;
      }
    }
    if (!moved) break;
  }
  const F = slots - small;
  const TL = largeTotal;
  let C: u64 = 0;
  let prev: u64 = 0;
  for (let k = 0; k < nsym; k++) {
    const c = <u64>load<u32>(counts + (<usize>k << 2));
    if (c == 0 || load<u32>(freqs + (<usize>k << 2)) != 0) continue;
    C += c;
    const cum = (2 * C * F + TL) / (2 * TL);
    store<u32>(freqs + (<usize>k << 2), <u32>(cum - prev));
    prev = cum;
  }
  return 0;
}
