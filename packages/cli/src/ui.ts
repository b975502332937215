import pc from 'picocolors';

const BAR = 24;

/**
 * A progress bar on stderr, only when stderr is a terminal (never in pipes, logs or --json runs). One
 * redrawn line is all the CLI needs, so no progress-bar dependency.
 */
export class Progress {
  private readonly on: boolean;
  private last = 0;
  private shown = false;
  constructor(private readonly label: string, json: boolean) {
    this.on = !json && process.stderr.isTTY === true;
  }
  update(done: number, total: number, what = ''): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 100 && done < total) return;
    this.last = now;
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * BAR);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`;
    const line = `${this.label} ${bar} ${String(Math.floor(100 * fraction)).padStart(3)}% ${what}`.slice(0, (process.stderr.columns ?? 80) - 1);
    process.stderr.write(`\r\x1b[2K${pc.dim(line)}`);
    this.shown = true;
  }
  done(): void {
    if (this.on && this.shown) process.stderr.write('\r\x1b[2K');
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
