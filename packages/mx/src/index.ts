/**
 * @kompakt/mx: Microscaling (OCP MX v1.0) and NVFP4 block formats — quantize, dequantize, element
 * codecs for FP4/FP6/FP8/INT8/E8M0/UE4M3, llama.cpp and gpt-oss layouts, fused matvec, error stats.
 * @packageDocumentation
 */
export { quantize, dequantize, type Quantized, type DequantizeOptions } from './quantize.js';
export type { QuantizeOptions, HadamardOption } from './options.js';
export { encodeElements, decodeElements, encodeElement, decodeElement, elementMax, type EncodeElementOptions, type ElementRounding } from './elements.js';
export {
  toGgmlBlocks, fromGgmlBlocks, convertLayout, GGML_MXFP4_BLOCK_BYTES, GGML_NVFP4_BLOCK_BYTES, type GgmlFormat, type FromGgmlOptions,
} from './layouts.js';
export { decodeGptOss, type GptOssOptions } from './gptoss.js';
export { dot, matvec, type FusedOptions } from './fused.js';
export { errorStats, type ErrorStats, type ErrorStatsOptions } from './stats.js';
export {
  BLOCK_FORMATS, ELEMENT_FORMATS, SCALE_RULES, ROUNDINGS,
  type BlockFormat, type ElementFormat, type ScaleRule, type Rounding, type NibbleLayout, type OutDtype,
} from './formats.js';
export { init } from './kernels.js';
export { setBackend, getBackend, availableBackends, KompaktError, type BackendName, type BackendRequest } from '@kompakt/core';
