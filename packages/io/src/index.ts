/**
 * @kompakt/io: tensor file I/O in pure TypeScript, for browsers and Node: safetensors (read with
 * random access, write), NumPy .npy (read, write), GGUF (read) and TF.js weights manifests.
 * File-handle readers for files larger than memory live in `@kompakt/io/node`.
 * @packageDocumentation
 */
export { SAFETENSORS_DTYPES, type SafetensorsDtype } from './safetensors/dtypes.js';
export {
  readSafetensors, parseSafetensorsHeader, safetensorsHeaderSize, toTypedArray, Safetensors, SAFETENSORS_MAX_HEADER,
  type SafetensorsHeader, type SafetensorsTensorInfo, type SafetensorsTensor, type ReadOptions,
} from './safetensors/read.js';
export { writeSafetensors, type SafetensorsInput, type WriteSafetensorsOptions } from './safetensors/write.js';
export { readNpy, writeNpy, type NpyArray, type NpyDtype, type WriteNpyOptions } from './npy.js';
export {
  readGguf, parseGgufHeader, Gguf,
  type GgufHeader, type GgufTensorInfo, type GgufTensor, type GgufValue, type GgufValueType,
} from './gguf/read.js';
export { ggmlType, type GgmlType } from './gguf/types.js';
export {
  readTfjsWeights, loadTfjsWeights,
  type TfjsWeightSpec, type TfjsWeightsGroup, type TfjsTensor, type TfjsOptions, type TfjsManifestInput,
} from './tfjs.js';
export type { TypedArray } from './typed.js';
