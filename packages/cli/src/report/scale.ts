/** A linear map from a data domain to pixels, with "nice" round tick values (1, 2, 5 × 10^k steps). */
export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks: number[];
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/**
 * A scale over [lo, hi] widened to whole ticks, mapped onto [from, to] pixels (to < from for a y axis).
 * A degenerate domain (lo = hi, or no finite values) is padded so the plot still has an extent.
 */
export function linearScale(lo: number, hi: number, from: number, to: number, tickCount = 5): Scale {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = [lo - Math.max(1, Math.abs(lo) * 0.1), hi + Math.max(1, Math.abs(hi) * 0.1)];
  const step = niceStep(hi - lo, tickCount);
  const a = Math.floor(lo / step) * step;
  const b = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; a + i * step <= b + step * 1e-9; i++) ticks.push(Number((a + i * step).toPrecision(12)));
  const s = ((v: number) => from + ((v - a) / (b - a)) * (to - from)) as Scale;
  s.domain = [a, b];
  s.ticks = ticks;
  return s;
}

/** Min and max of the finite numbers in `values` ([Infinity, -Infinity] when there are none). */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A tick label: integers as is, others with up to 3 significant digits. */
export function tickLabel(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}
