/**
 * The .kpk container's building blocks, for Kompakt's other backends: `@kompakt/gpu`'s
 * decompressTensorGpu parses and verifies a stream with exactly these functions and decodes only the
 * table-driven rANS planes itself. Not a stable API; the format itself is docs/kpk-format.md.
 */
export {
  readHeader, hashOfHashes, DTYPES, ELEMENT_BYTES, FLAG_DELTA, FLAG_CONTEXT, MAX_PLANE_PRECISION, type Header, type ChunkEntry, type TensorDtype,
} from './container.js';
export { ByteReader } from './reader.js';
export { readPlane, readTable, RANS } from './plane.js';
export { mergeChunk, xxh32 } from './kernels.js';
