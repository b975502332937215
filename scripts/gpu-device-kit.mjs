// `node scripts/gpu-device-kit.mjs`: packs into .device-kit/ (git-ignored) what `npm run bench -- --gpu`
// needs on a machine that has a GPU but no registry and maybe no Node (the H200 the `device` tool lends):
// this Node binary, Dawn (webgpu's linux-x64 dawn.node), the built @kompakt packages, the kernel-only
// internals prebundled (no esbuild there) and the Vulkan loader as a .deb. scripts/gpu-device-bench.sh
// runs the bench from it there. Build first (`npm run build`); the kit must stay under the device
// tool's 64 MiB, so the two large binaries travel gzipped.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleInternals } from '../test/bench/gpu-internals.mjs';

const root = new URL('..', import.meta.url).pathname;
const kit = join(root, '.device-kit');
const PACKAGES = ['core', 'hadamard', 'mx', 'lattice', 'minhash', 'entropy', 'gpu', 'native'];

rmSync(kit, { recursive: true, force: true });
const modules = join(kit, 'node_modules');

for (const name of PACKAGES) {
  const from = join(root, 'packages', name);
  const to = join(modules, '@kompakt', name);
  mkdirSync(to, { recursive: true });
  cpSync(join(from, 'package.json'), join(to, 'package.json'));
  if (name === 'native') {
    // Optional: without a built addon the CPU lane falls back to wasm (the bench names the backend).
    for (const f of readdirSync(from).filter((f) => f === 'index.cjs' || f.endsWith('.node'))) cpSync(join(from, f), join(to, f));
  } else {
    if (!existsSync(join(from, 'dist'))) throw new Error(`packages/${name}/dist is missing: run \`npm run build\` first`);
    cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true });
  }
}

const webgpu = join(root, 'node_modules', 'webgpu');
const webgpuTo = join(modules, 'webgpu');
mkdirSync(join(webgpuTo, 'dist', 'linux-x64'), { recursive: true });
for (const f of ['package.json', 'index.js', 'LICENSE.md']) cpSync(join(webgpu, f), join(webgpuTo, f));
writeFileSync(join(kit, 'dawn.node.gz'), gzipSync(readFileSync(join(webgpu, 'dist', 'linux-x64', 'dawn.node')), { level: 9 }));
writeFileSync(join(kit, 'node.gz'), gzipSync(readFileSync(process.execPath), { level: 9 }));
writeFileSync(join(kit, 'gpu-internals.mjs'), await bundleInternals());

// The Vulkan loader (Dawn's only system dependency besides the driver); the device image may lack it.
mkdirSync(join(kit, 'debs'));
try {
  execFileSync('apt-get', ['download', 'libvulkan1'], { cwd: join(kit, 'debs'), stdio: 'ignore' });
} catch {
  console.warn('apt-get download libvulkan1 failed: the kit has no Vulkan loader (fine where the device has one)');
}

const size = (dir) => readdirSync(dir).reduce((sum, f) => {
  const p = join(dir, f);
  return sum + (statSync(p).isDirectory() ? size(p) : statSync(p).size);
}, 0);
console.log(`.device-kit: ${(size(kit) / 2 ** 20).toFixed(1)} MiB (carry it: the device tool's limit is 64 MiB with the tree)`);
