import { SingleBar } from 'cli-progress';
import pc from 'picocolors';

/**
 * A progress bar on stderr (cli-progress), only when stderr is a terminal: never in pipes, logs or
 * --json runs. `update(done, total, what)` may be called as often as the work likes; the bar
 * throttles its own redraws.
 */
export class Progress {
  private readonly bar: SingleBar | null;
  private started = false;
  constructor(label: string, json: boolean) {
    this.bar = !json && process.stderr.isTTY === true
      ? new SingleBar({
        stream: process.stderr,
        format: pc.dim(`${label} {bar} {percentage}% {what}`),
        barCompleteChar: '█',
        barIncompleteChar: '░',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        fps: 10,
      })
      : null;
  }
  update(done: number, total: number, what = ''): void {
    if (!this.bar) return;
    if (!this.started) {
      this.bar.start(total, done, { what });
      this.started = true;
    } else {
      this.bar.setTotal(total);
      this.bar.update(done, { what });
    }
  }
  done(): void {
    if (this.bar && this.started) this.bar.stop();
  }
}

export function mb(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return '-';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e5 || a < 1e-3 ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

/** A plain left/right aligned table. `right` marks right-aligned columns. */
export function table(header: string[], rows: string[][], right: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[], color?: (s: string) => string) => r.map((c, i) => {
    const s = right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]);
    return color ? color(s) : s;
  }).join('  ').trimEnd();
  return [fmt(header, pc.bold), ...rows.map((r) => fmt(r))].join('\n');
}

/** Prints a JSON value on stdout (one document, newline-terminated). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`);
}
