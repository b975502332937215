import { defineConfig, type Options } from 'tsup';

/**
 * The build every library package shares: ESM + CJS + .d.ts, tree-shakable, platform-neutral so the
 * default entry stays browser-safe. Dependencies stay external (tsup's default for `dependencies`).
 */
export function libraryConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    target: 'es2022',
    platform: 'neutral',
    ...overrides,
  });
}
