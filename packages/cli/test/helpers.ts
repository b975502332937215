// Shared by the CLI's end-to-end tests: run the built command, parse its --json, make test weights.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The bin npm links (it imports ../dist/cli.js; build first: `npm run build -w @kompakt/cli`). */
export const CLI = fileURLToPath(new URL('../bin/kompakt.js', import.meta.url));
export const DIST = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface Run { code: number; stdout: string; stderr: string }

export function kompakt(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function json(r: Run): any {
  return JSON.parse(r.stdout);
}

/** Deterministic Gaussian-ish values (sum of uniforms from an LCG). */
export function gaussian(n: number, seed: number, std = 0.02): Float32Array {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (u() + u() + u() + u() - 2) * std * Math.sqrt(3);
  return out;
}
