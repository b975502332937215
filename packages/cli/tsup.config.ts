import { defineConfig } from 'tsup';

// Two builds into dist/, each cleaning only its own files (they run in parallel).
// The executable entry, ESM for Node; dependencies stay external (tsup's default for `dependencies`).
// dist/bench.js: the repository's benchmark suites (test/bench) for `kompakt bench`, with every package
// import left external (see src/bench.ts for why).
export default defineConfig([
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: ['cli.js', 'cli.js.map'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    entry: { bench: '../../test/bench/suites.mjs' },
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: ['bench.js'],
    target: 'node20',
    platform: 'node',
    external: [/^[^./]/],
  },
]);
