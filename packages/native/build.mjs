// Builds the Rust addon in ../../native and writes kompakt.<platform-arch-abi>.node next to this
// file (via `napi build --release --platform`). Without cargo (or with KOMPAKT_SKIP_NATIVE=1) it
// skips with one line and exits 0: the wasm backends work without the addon. A failed build exits
// non-zero.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const crate = join(here, '..', '..', 'native');
const skip = 'native: cargo not found, skipping the native addon (wasm backends still work)';

if (process.env.KOMPAKT_SKIP_NATIVE === '1') {
  console.log(skip);
  process.exit(0);
}

const probe = spawnSync('cargo', ['--version'], { stdio: 'ignore', shell: process.platform === 'win32' });
if (probe.error || probe.status !== 0) {
  console.log(skip);
  process.exit(0);
}

let napiCli;
try {
  const pkgJson = createRequire(import.meta.url).resolve('@napi-rs/cli/package.json');
  const { bin } = createRequire(import.meta.url)(pkgJson);
  napiCli = join(dirname(pkgJson), typeof bin === 'string' ? bin : bin.napi);
} catch {
  console.error('native: @napi-rs/cli is not installed (run npm install at the repository root)');
  process.exit(1);
}

const args = [
  napiCli,
  'build',
  '--release',
  '--platform',
  '--manifest-path', join(crate, 'Cargo.toml'),
  '--package-json-path', join(here, 'package.json'),
  '--output-dir', here,
  '--no-js',
];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: here });
if (run.error) {
  console.error(`native: could not run napi build: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
