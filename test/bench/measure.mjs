/**
 * Best-of-N wall time of `fn` in ns per call. Each sample runs long enough (≥ minMs) to swamp timer
 * resolution; the best sample is the least disturbed by other processes on a shared 2-core machine.
 */
export function measure(fn, { samples = 7, minMs = 40 } = {}) {
  fn(); // warm-up: compile, instantiate, fault in pages
  let best = Infinity;
  for (let s = 0; s < samples; s++) {
    let reps = 0;
    const t0 = process.hrtime.bigint();
    let elapsed = 0n;
    do {
      fn();
      reps++;
      elapsed = process.hrtime.bigint() - t0;
    } while (elapsed < BigInt(minMs * 1e6));
    best = Math.min(best, Number(elapsed) / reps);
  }
  return best;
}

/** Prints a Markdown table (readable in a terminal, pasteable into docs/benchmarks.md). */
export function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}
