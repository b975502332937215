// `node test/bundlers/run.mjs` (run by `npm test`): builds test/bundlers/app.js, which imports every
// browser package, with Vite and with esbuild into a temp folder, loads each build in Chromium and
// checks its results against the same app run unbundled in Node (wasm backend) and a few known values.
// Skipped, and said so, where Chromium is missing; required under CI.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';
import { serve } from './serve.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ci = process.env.CI === 'true' || process.env.CI === '1';

if (!existsSync(chromium)) {
  if (ci) {
    console.error(`bundler test: Chromium not found at ${chromium}, and CI requires it`);
    process.exit(1);
  }
  console.log(`bundler test SKIPPED: Chromium not found at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  process.exit(0);
}

const out = mkdtempSync(join(tmpdir(), 'kompakt-bundlers-'));
const builds = {
  async esbuild(dir) {
    await esbuild({ entryPoints: [join(here, 'main.js')], bundle: true, format: 'esm', platform: 'browser', minify: true, outfile: join(dir, 'main.js'), logLevel: 'warning' });
    return `<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>`;
  },
  async vite(dir) {
    await vite({ root: here, configFile: false, logLevel: 'warn', build: { outDir: dir, emptyOutDir: true } });
    return null; // Vite writes its own index.html
  },
};

// The reference: the same app, unbundled, in Node on the wasm backend (what the browser runs).
process.env.KOMPAKT_BACKEND = 'wasm';
const { run } = await import('./app.js');
const expected = await run();
assert.equal(expected.hadamard.backend, 'wasm-simd');
assert.deepEqual(expected.hadamard.fwht, [10, -2, -4, 0]);
assert.equal(expected.mx.codes, '10,86,28,5f'); // torchao's published FP4 pack bytes
assert.equal(expected.entropy.exact, true);
assert.deepEqual(expected.io.bf16, [1, -2, 0.5, 3]);

const { chromium: pw } = await import('playwright');
const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
let failed = false;
try {
  for (const [name, buildInto] of Object.entries(builds)) {
    const dir = join(out, name);
    const t0 = performance.now();
    let server;
    try {
      server = await serve(dir, await buildInto(dir));
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(server.url);
      await page.waitForFunction(() => window.__kompakt !== undefined, null, { timeout: 30_000 });
      const got = await page.evaluate(() => window.__kompakt);
      if (!got.ok) throw new Error(got.error);
      assert.deepEqual(got.results, expected, `${name}: browser results differ from Node's`);
      assert.deepEqual(errors, []);
      console.log(`bundler ${name}: built and ran in Chromium, results equal Node's (${((performance.now() - t0) / 1e3).toFixed(1)} s)`);
    } catch (e) {
      failed = true;
      console.error(`bundler ${name}: FAILED\n${e.stack ?? e}`);
    } finally {
      await server?.close();
    }
  }
} finally {
  await browser.close();
  rmSync(out, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
