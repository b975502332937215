// Runs the `kompakt` command the way a user does (the committed bin, not the npm link, so the tour
// works even where the link is missing) and times it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/cli/bin/kompakt.js', import.meta.url));

/** `kompakt ...args --json` in `cwd`: its JSON result and wall time; throws with its stderr on failure. */
export function kompakt(args, cwd) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { cwd, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`kompakt ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  return { result: JSON.parse(r.stdout), ms };
}

export function mib(bytes) {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
