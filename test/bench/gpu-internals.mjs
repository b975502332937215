// The @kompakt/gpu internals the kernel-only lanes drive (runtime, encoders, MX constants), bundled from
// the TypeScript sources with esbuild so the published API stays as it is. A machine without esbuild
// (the device machine) imports a bundle made beforehand: KOMPAKT_GPU_INTERNALS names it
// (scripts/gpu-device-kit.mjs writes one).
import { pathToFileURL } from 'node:url';

const ENTRY = `export * from './packages/gpu/src/runtime/index.ts';
export { encodeTransform } from './packages/gpu/src/kernels/hadamard/fwht.ts';
export { encodeQuantize, encodeDequantize, encodeMatvec } from './packages/gpu/src/kernels/mx/run.ts';
export { mxConsts } from './packages/gpu/src/kernels/mx/consts.ts';`;

/** The internals as one ES module's source text. */
export async function bundleInternals() {
  const { build } = await import('esbuild');
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: new URL('../../', import.meta.url).pathname, loader: 'ts' },
    bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error',
  });
  return out.outputFiles[0].text;
}

/** The internals module: the prebuilt bundle KOMPAKT_GPU_INTERNALS names, else bundled now. */
export async function loadInternals() {
  const prebuilt = process.env.KOMPAKT_GPU_INTERNALS;
  if (prebuilt) return import(pathToFileURL(prebuilt).href);
  return import(`data:text/javascript;base64,${Buffer.from(await bundleInternals()).toString('base64')}`);
}
