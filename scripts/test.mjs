// `npm test`: every test lane, after `npm run build`.
//  0. TypeScript over every package's sources and tests (tsconfig.json; vitest does not type-check).
//  1. Rust unit tests of the native addon (when cargo is installed).
//  2. vitest `node` lane: every package suite against every backend that loads (native required
//     when cargo is installed, so a broken addon fails instead of silently shrinking the matrix).
//  3. vitest `browser` lane in Debian's Chromium (wasm backends; WebGPU on SwiftShader). Skipped, and
//     said so, where Chromium is missing; required under CI.
//  4. test/bundlers: the browser packages bundled by Vite and esbuild, run in Chromium.
//  The @kompakt/gpu suites need a WebGPU adapter in both lanes: under CI a missing one fails them,
//  elsewhere they skip and print why (packages/gpu/test/device.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasCargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0 && process.env.KOMPAKT_SKIP_NATIVE !== '1';
const hasChromium = existsSync(chromium);
const ci = process.env.CI === 'true' || process.env.CI === '1';
// @kompakt/gpu's Node suites run on Dawn; without a GPU, Chromium's SwiftShader Vulkan ICD gives them an adapter.
const swiftshaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
const gpuEnv = !process.env.VK_ICD_FILENAMES && existsSync(swiftshaderIcd) ? { VK_ICD_FILENAMES: swiftshaderIcd } : {};

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// Every lane runs even when an earlier one failed (`failed ||= run()` would skip the rest).
let failed = run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0;
if (!hasCargo) console.log('native: cargo not found, skipping the Rust unit tests and the native backend lane');
else if (run('cargo', ['test', '--release', '--quiet', '--manifest-path', 'native/Cargo.toml']) !== 0) failed = true;

const projects = ['--project', 'node'];
if (hasChromium) projects.push('--project', 'browser');
else if (ci) {
  console.error(`browser lane: Chromium not found at ${chromium}, and CI requires it`);
  process.exit(1);
}

const report = join(mkdtempSync(join(tmpdir(), 'kompakt-test-')), 'vitest.json');
if (run('npx', ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { ...gpuEnv, ...(hasCargo ? { KOMPAKT_REQUIRE_NATIVE: '1' } : {}) }) !== 0) {
  failed = true;
}

// Bundlers: every browser package built by Vite and esbuild, run in Chromium (test/bundlers/run.mjs
// skips itself without Chromium and fails under CI).
if (run(process.execPath, ['test/bundlers/run.mjs']) !== 0) failed = true;

if (!hasChromium) console.log(`\nbrowser lane SKIPPED: Chromium not found at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
}
process.exit(failed ? 1 : 0);
