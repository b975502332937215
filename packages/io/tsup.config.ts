import { defineConfig } from 'tsup';

// Two entries: the default one runs anywhere (no fs, no Buffer); `@kompakt/io/node` adds the
// file-handle readers and imports node:fs, so browser bundles never see it.
export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['@kompakt/core', /^node:/],
});
