/**
 * @kompakt/lattice: lattice codebooks — nearest points of Zⁿ, Dₙ, Dₙ⁺, E8 and the Leech lattice,
 * QuIP#'s E8P 2/3/4-bit codes, spherical Leech quantization, generic lattices from a generator matrix
 * and a weight quantizer built on them.
 * @packageDocumentation
 */
export { nearestZn, nearestDn, nearestDnPlus, nearestE8, nearestLeech } from './nearest.js';
export { e8pEncode, e8pDecode, e8pRvqEncode, e8pRvqDecode, E8P_SCALE, E8P_RESIDUAL_SCALE } from './e8p.js';
export { leechSqEncode, leechSqDecode, LEECH_SQ_SIZE } from './leech-sq.js';
export { leechVoronoiEncode, leechVoronoiDecode, LEECH_VORONOI_SCALE } from './leech-voronoi.js';
export { quantize, dequantize, errorStats, CODEBOOKS, type Codebook, type QuantizeOptions, type Quantized, type ErrorStats } from './quantize.js';
export { Lattice, type LatticeDecodeMethod } from './generic.js';
export { init } from './kernels.js';
export { setBackend, getBackend, availableBackends, KompaktError, type BackendName, type BackendRequest } from '@kompakt/core';
