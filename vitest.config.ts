import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

// One suite, two lanes: `node` runs every package test in Node (against every backend that loads);
// `browser` runs the same files in Debian's Chromium through Playwright (wasm backends, plus WebGPU on
// SwiftShader for @kompakt/gpu). Under CI the GPU suites must find an adapter (packages/gpu/test/device.ts).
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ci = process.env.CI === 'true' || process.env.CI === '1';
// WebGPU on Chromium's software Vulkan (SwiftShader): runs the same WGSL as a real GPU, on any machine.
const webgpuFlags = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];
const include = ['packages/*/test/**/*.test.ts', 'test/smoke/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    provide: { gpuRequired: ci },
    projects: [
      { extends: true, test: { name: 'node', include, environment: 'node' } },
      {
        extends: true,
        test: {
          name: 'browser',
          include,
          exclude: ['**/*.node-only.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({
              launchOptions: {
                executablePath: chromium,
                args: ['--no-sandbox', ...webgpuFlags, '--disable-dev-shm-usage', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--no-first-run'],
              },
            }),
          },
        },
      },
    ],
  },
});
