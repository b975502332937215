/**
 * The Node entry of @kompakt/core (the `node` export condition): everything in the default entry,
 * plus a loader for the optional native addon `@kompakt/native`. Browsers get the default entry,
 * which never mentions require, fs or import.meta.
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import { registerNativeLoader, type NativeBinding } from './backend.js';

export * from './index.js';

registerNativeLoader(() => {
  const loaded = createRequire(import.meta.url)('@kompakt/native') as { binding: NativeBinding | null; loadError: unknown };
  return { binding: loaded.binding, error: loaded.loadError };
});
