import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  shims: true, // import.meta.url in the CJS build of the Node entry
  target: 'es2022',
  platform: 'neutral',
  external: ['node:module'],
});
