/**
 * Stable error codes. Code depends on these strings; never rename one, only add.
 */
export type KompaktErrorCode =
  | 'INVALID_ARGUMENT' // an option or argument has the wrong value (negative, non-integer, out of range)
  | 'INVALID_TYPE' // an argument has the wrong type (e.g. Float64Array where Float32Array is needed)
  | 'UNSUPPORTED_SIZE' // a transform or block size the library does not implement
  | 'SHAPE_MISMATCH' // lengths that must agree do not
  | 'BACKEND_UNAVAILABLE' // a forced backend (KOMPAKT_BACKEND / setBackend) cannot be loaded
  | 'TOO_LARGE' // the request exceeds a documented limit
  | 'CORRUPT' // a stream or file fails a structural check
  | 'TRUNCATED' // a stream or file ends early
  | 'CHECKSUM' // a checksum does not match
  | 'UNSUPPORTED_VERSION' // a format version newer than this reader
  | 'GPU_UNAVAILABLE' // no WebGPU adapter or device (no navigator.gpu, no `webgpu` package, or the request failed)
  | 'INTERNAL'; // a bug in Kompakt: please report it

/** The one error class Kompakt throws for bad input. `code` is stable; `message` names the culprit. */
export class KompaktError extends Error {
  readonly code: KompaktErrorCode;

  constructor(code: KompaktErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KompaktError';
    this.code = code;
  }
}

/** True when `e` is a KompaktError (optionally with the given code), across realms and bundles. */
export function isKompaktError(e: unknown, code?: KompaktErrorCode): e is KompaktError {
  if (!(e instanceof Error) || e.name !== 'KompaktError') return false;
  return code === undefined || (e as KompaktError).code === code;
}
