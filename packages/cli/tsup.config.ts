import { defineConfig } from 'tsup';

// One executable entry, ESM for Node. Dependencies stay external (tsup's default for `dependencies`).
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  banner: { js: '#!/usr/bin/env node' },
});
