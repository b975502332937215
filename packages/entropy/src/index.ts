/**
 * @kompakt/entropy: entropy coding for ML data. Interleaved rANS with static models (categorical,
 * quantized Gaussian/Laplace/logistic) and a lossless byte-plane tensor codec writing `.kpk` streams.
 * Kernels run in WebAssembly (SIMD128 or scalar, identical bytes) or, when built, the native addon.
 * @packageDocumentation
 */
export { categorical, gaussian, laplace, logistic, modelFromFrequencies, type Model, type ParametricOptions, type PrecisionOptions } from './model.js';
export { encode, decode, decodeIndices, type Symbols } from './rans.js';
export { encodeParametric, decodeParametric, type ParametricBatchOptions } from './parametric-batch.js';
export { compressTensor, decompressTensor, type CompressTensorOptions, type DecompressTensorOptions } from './tensor.js';
export type { TensorDtype } from './container.js';
export { xxh32, init } from './kernels.js';
export { toCodingModel, type CodingModel } from './coding-model.js';
export { AdaptiveModel, type AdaptiveModelOptions } from './adaptive-model.js';
export { RangeEncoder, RangeDecoder, rangeEncode, rangeDecode } from './range-coder.js';
export { AdaptiveBinaryEncoder, AdaptiveBinaryDecoder, type BinaryCoderOptions } from './binary-coder.js';
export { encodeStream, decodeStream, type StreamOptions } from './range-stream.js';
export { getBackend, setBackend, availableBackends, KompaktError, isKompaktError, type BackendName, type BackendRequest, type KompaktErrorCode } from '@kompakt/core';
/** @internal The .kpk container's parsing and merging steps, for @kompakt/gpu (not a stable API). */
export * as kpkInternals from './internals.js';
