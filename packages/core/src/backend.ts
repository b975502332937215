import { KompaktError } from './errors.js';
import type { WasmVariant } from './wasm.js';

/** Where kernels run. See docs/internals.md. */
export type BackendName = 'native' | 'wasm-simd' | 'wasm-scalar';

/** What `setBackend` and `KOMPAKT_BACKEND` accept: a backend, `wasm` (the best wasm variant) or `auto`. */
export type BackendRequest = BackendName | 'wasm' | 'auto';

const REQUESTS: readonly BackendRequest[] = ['auto', 'native', 'wasm', 'wasm-simd', 'wasm-scalar'];

/** The native addon's exports, typed by each package for the functions it uses. */
export type NativeBinding = Record<string, unknown>;

/** What a native loader reports: the binding, or why there is none. */
export interface NativeState {
  binding: NativeBinding | null;
  error: unknown;
}

let nativeLoader: (() => NativeState) | null = null;
let native: NativeState | null = null;
let request: BackendRequest | null = null;
let resolved: BackendName | null = null;

// The smallest module that uses a v128 instruction; validating it tells whether SIMD128 is there.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Installed by the Node entry of @kompakt/core; browsers never have one. */
export function registerNativeLoader(loader: () => NativeState): void {
  nativeLoader = loader;
  native = null;
  resolved = null;
}

function loadNative(): NativeState {
  if (!native) {
    try {
      native = nativeLoader ? nativeLoader() : { binding: null, error: new Error('no native addon in this environment (browser build)') };
    } catch (error) {
      native = { binding: null, error };
    }
  }
  return native;
}

/** The native addon, or null when it is not built or not loadable here. */
export function nativeBinding<T extends NativeBinding = NativeBinding>(): T | null {
  return loadNative().binding as T | null;
}

export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

function readEnvRequest(): BackendRequest {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.KOMPAKT_BACKEND?.trim();
  if (!value) return 'auto';
  return parseRequest(value, 'KOMPAKT_BACKEND');
}

function parseRequest(value: unknown, source: string): BackendRequest {
  if (typeof value !== 'string' || !REQUESTS.includes(value as BackendRequest)) {
    throw new KompaktError('INVALID_ARGUMENT', `${source} must be one of ${REQUESTS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as BackendRequest;
}

/**
 * Forces a backend for every later call in this realm (`auto` restores the default choice and re-reads
 * `KOMPAKT_BACKEND`). Forcing one that is missing throws BACKEND_UNAVAILABLE now, never falls back.
 */
export function setBackend(name: BackendRequest): void {
  const parsed = parseRequest(name, 'setBackend()');
  request = parsed === 'auto' ? null : parsed;
  resolved = null;
  getBackend();
}

/** The backend calls run on now: the forced one, else native, else wasm SIMD, else wasm scalar. */
export function getBackend(): BackendName {
  if (resolved) return resolved;
  const wanted = request ?? readEnvRequest();
  const source = request ? 'setBackend()' : 'KOMPAKT_BACKEND';
  switch (wanted) {
    case 'native': {
      const state = loadNative();
      if (!state.binding) {
        throw new KompaktError('BACKEND_UNAVAILABLE', `${source}=native but the native addon is not available: ${errorText(state.error)}`, { cause: state.error });
      }
      return (resolved = 'native');
    }
    case 'wasm-simd':
      if (!simdSupported()) throw new KompaktError('BACKEND_UNAVAILABLE', `${source}=wasm-simd but this engine has no WebAssembly SIMD`);
      return (resolved = 'wasm-simd');
    case 'wasm-scalar':
      return (resolved = 'wasm-scalar');
    case 'wasm':
      return (resolved = simdSupported() ? 'wasm-simd' : 'wasm-scalar');
    default:
      return (resolved = loadNative().binding ? 'native' : simdSupported() ? 'wasm-simd' : 'wasm-scalar');
  }
}

/**
 * The backend for a package whose native kernels are `requires` (names of @kompakt/native exports).
 * An addon built before those kernels existed is skipped under `auto` (wasm runs instead) and is an
 * error when native was forced, so a version skew never fails a call that wasm can serve.
 */
export function backendFor(requires: readonly string[]): BackendName {
  const backend = getBackend();
  if (backend !== 'native') return backend;
  const missing = missingNative(requires);
  if (!missing) return backend;
  if ((request ?? readEnvRequest()) === 'native') {
    throw new KompaktError('BACKEND_UNAVAILABLE', `the loaded @kompakt/native has no ${missing} (an older build?): rebuild it, or select a wasm backend`);
  }
  return simdSupported() ? 'wasm-simd' : 'wasm-scalar';
}

function missingNative(requires: readonly string[]): string | undefined {
  const binding = loadNative().binding;
  return binding ? requires.find((name) => typeof binding[name] !== 'function') : requires[0];
}

/** Every backend that can run here (for a package needing the native kernels `requires`), best first. Test suites iterate over this. */
export function availableBackends(requires: readonly string[] = []): BackendName[] {
  const list: BackendName[] = [];
  if (loadNative().binding && !missingNative(requires)) list.push('native');
  if (simdSupported()) list.push('wasm-simd');
  list.push('wasm-scalar');
  return list;
}

/** The wasm variant behind a wasm backend. */
export function wasmVariant(backend: Exclude<BackendName, 'native'>): WasmVariant {
  return backend === 'wasm-simd' ? 'simd' : 'scalar';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
