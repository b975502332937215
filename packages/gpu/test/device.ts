import { describe, inject } from 'vitest';
import { isKompaktError } from '@kompakt/core';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by vitest.config.ts under CI: a missing adapter fails the GPU suites instead of skipping them. */
    gpuRequired: boolean;
  }
}

const inNode = typeof process !== 'undefined' && process.versions?.node !== undefined && typeof window === 'undefined';

/**
 * The device both test lanes use: in Node through `@kompakt/gpu/node` (Dawn; SwiftShader when
 * VK_ICD_FILENAMES points at its ICD, as scripts/test.mjs arranges), in Chromium through navigator.gpu.
 * Null, with the reason printed, when there is no adapter; under CI that is an error instead.
 */
async function loadDevice(): Promise<GPUDevice | null> {
  // The Node entry imports Dawn's native addon; the variable keeps the browser bundle from resolving it.
  const entry = inNode ? '../src/node' : '../src/index';
  const { gpuDevice } = (await import(/* @vite-ignore */ entry)) as typeof import('../src/index');
  try {
    return await gpuDevice();
  } catch (e) {
    if (!isKompaktError(e, 'GPU_UNAVAILABLE')) throw e;
    if (inject('gpuRequired')) throw new Error(`GPU suites are required under CI, but: ${e.message}`);
    console.warn(`GPU suites SKIPPED (${inNode ? 'node' : 'browser'} lane): ${e.message}`);
    return null;
  }
}

/** The shared test device, or null (reason printed) where none exists outside CI. */
export const testDevice: GPUDevice | null = await loadDevice();

/** `describe` that runs only with a device (skipped, with the reason printed by loadDevice, otherwise). */
export const describeGpu: ReturnType<typeof describe.skipIf> = describe.skipIf(testDevice === null);
