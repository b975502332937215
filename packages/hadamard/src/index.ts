/**
 * @kompakt/hadamard: fast Walsh–Hadamard and randomized Hadamard transforms for Float32Array,
 * f16 and bf16 data, batched, blockwise, for powers of two and k·2^m sizes.
 * @packageDocumentation
 */
export { fwht, ifwht } from './fwht.js';
export { rht, irht, rhtSigns, type RhtOptions } from './rht.js';
export type { TransformOptions } from './options.js';
export { supportedSizes, nearestSupportedSizes, isSupportedSize, MAX_SIZE } from './sizes.js';
export { hadamardMatrix } from './dense.js';
export { hadamardK, SUPPORTED_K, HADAMARD_K_CONSTRUCTION } from './matrices.js';
export { init } from './kernels.js';
export { setBackend, getBackend, availableBackends, KompaktError, type BackendName, type BackendRequest } from '@kompakt/core';
