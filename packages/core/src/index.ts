/**
 * @kompakt/core: the shared runtime of every Kompakt package: errors, backend selection, the wasm
 * runtime, 16-bit float conversions and the Philox counter-based PRNG.
 * @packageDocumentation
 */
export { KompaktError, isKompaktError, type KompaktErrorCode } from './errors.js';
export { checkInteger, checkBoolean, checkOptions, describe } from './check.js';
export {
  setBackend, getBackend, backendFor, availableBackends, nativeBinding, simdSupported, registerNativeLoader, wasmVariant,
  type BackendName, type BackendRequest, type NativeBinding, type NativeState,
} from './backend.js';
export { WasmModule, WasmArena, type WasmCoreExports, type WasmSources, type WasmVariant } from './wasm.js';
export {
  f32Bits, f32FromBits, f32BitsToF16, f16ToF32Bits, f32BitsToBf16, bf16ToF32Bits,
  toF16, fromF16, toBf16, fromBf16, widen16, narrow16, type Dtype16,
} from './dtype.js';
export { philox4x32, philoxFill, rademacher, seedToKey, type PhiloxKey } from './philox.js';
export { decodeBase64 } from './base64.js';
