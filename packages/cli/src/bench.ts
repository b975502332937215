import { cpus } from 'node:os';
import { CliError, usage } from './errors.js';

/** One benchmark suite of test/bench (bundled into dist/bench.js at build time). */
interface Suite { name: string; run(): Promise<unknown[]> }

/**
 * Loads the suites. They are the repository's test/bench/*.mjs, bundled by tsup into dist/bench.js with
 * every package import left external: the @kompakt packages are dependencies, while the baselines the
 * suites compare against (zstd, pako, fflate, …) and the USE-lite weights are not, so a missing one is
 * reported by name instead of shipping them all with the CLI.
 */
async function loadSuites(): Promise<Suite[]> {
  return ((await withDependencies(() => import(new URL('./bench.js', import.meta.url).href))) as { suites: Suite[] }).suites;
}

/**
 * Runs `fn`, turning a missing package (an import of a baseline, or a suite resolving its data set)
 * into an error that names it.
 */
async function withDependencies<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'ERR_MODULE_NOT_FOUND' && err.code !== 'MODULE_NOT_FOUND') throw e;
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(err.message)?.[1] ?? err.message;
    throw new CliError('NOT_FOUND', `kompakt bench needs ${missing}, which the CLI does not install (a baseline or data set the suites measure with); install it next to @kompakt/cli, or run \`npm run bench\` in the kompakt repository`, { cause: e });
  }
}

export async function suiteNames(): Promise<string[]> {
  return (await loadSuites()).map((s) => s.name);
}

export interface BenchResult { node: string; cpus: number; cpu: string; suites: string[]; results: unknown[] }

/**
 * Runs the named suites (all when none), in the order of test/bench/suites.mjs. Their tables go to
 * `log` (stdout, or stderr under --json so stdout stays one JSON document).
 */
export async function runBench(names: string[], log: (line: string) => void): Promise<BenchResult> {
  const suites = await loadSuites();
  const unknown = names.filter((n) => !suites.some((s) => s.name === n));
  if (unknown.length) throw usage(`unknown suite ${unknown.join(', ')}; the suites are ${suites.map((s) => s.name).join(', ')}`);
  const chosen = suites.filter((s) => names.length === 0 || names.includes(s.name));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  log(`node ${process.version}, ${cpus().length} cores, ${cpu}`);
  const original = console.log;
  console.log = (...a: unknown[]) => log(a.map(String).join(' '));
  const results: unknown[] = [];
  try {
    for (const s of chosen) results.push(...(await withDependencies(() => s.run())));
  } finally {
    console.log = original;
  }
  return { node: process.version, cpus: cpus().length, cpu, suites: chosen.map((s) => s.name), results };
}
