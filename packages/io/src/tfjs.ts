import { KompaktError, describe, f16ToF32Bits } from '@kompakt/core';
import { fail, q } from './errors.js';
import { elementCount } from './typed.js';

/**
 * TF.js weights manifests (the `weightsManifest` of a model.json): each group's shards are one
 * byte stream, sliced into weights in manifest order, little-endian. Decoding follows tfjs-core's
 * `decodeWeights`: float32/int32/bool as stored; quantized weights (`quantization.dtype` uint8 or
 * uint16 with `scale` and `min`, or float16) are dequantized to float32 (int32 originals rounded).
 * complex64 comes back as interleaved (re, im) float32 pairs; string weights are not supported.
 */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'complex64' | string;
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16' | string; scale?: number; min?: number; original_dtype?: string };
}

export interface TfjsWeightsGroup {
  paths: string[];
  weights: TfjsWeightSpec[];
}

export interface TfjsTensor {
  name: string;
  dtype: 'float32' | 'int32' | 'bool' | 'complex64';
  shape: number[];
  /** float32/complex64 → Float32Array, int32 → Int32Array, bool → Uint8Array; owned, aligned. */
  data: Float32Array | Int32Array | Uint8Array;
}

export interface TfjsOptions {
  /** What to call the model in error messages (e.g. the model.json path); default "tfjs model". */
  name?: string;
}

/** A model.json object, or its `weightsManifest` array. */
export type TfjsManifestInput = { weightsManifest: TfjsWeightsGroup[] } | TfjsWeightsGroup[];

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/**
 * Read every weight of a manifest, in manifest order. `load(path)` returns a shard's bytes (paths
 * exactly as the manifest writes them, relative to model.json). Checks that each group's weights
 * consume its shards exactly.
 */
export function readTfjsWeights(manifest: TfjsManifestInput, load: (path: string) => Uint8Array, opts?: TfjsOptions): TfjsTensor[] {
  const source = opts?.name ?? 'tfjs model';
  const groups = groupsOf(manifest, source);
  const out: TfjsTensor[] = [];
  for (const g of groups) {
    const shards = g.paths.map((p) => {
      const bytes = load(p);
      if (!(bytes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${source}: loader returned ${describe(bytes)} for ${q(p)}, not a Uint8Array`);
      return bytes;
    });
    out.push(...decodeGroup(g, shards, source));
  }
  return out;
}

/** The same, with an async loader (fetch in browsers): shards of a group are loaded in parallel. */
export async function loadTfjsWeights(
  manifest: TfjsManifestInput,
  load: (path: string) => Uint8Array | Promise<Uint8Array>,
  opts?: TfjsOptions,
): Promise<TfjsTensor[]> {
  const source = opts?.name ?? 'tfjs model';
  const loaded = new Map<string, Uint8Array>();
  for (const g of groupsOf(manifest, source)) {
    const shards = await Promise.all(g.paths.map((p) => load(p)));
    g.paths.forEach((p, i) => loaded.set(p, shards[i]));
  }
  return readTfjsWeights(manifest, (p) => loaded.get(p)!, opts);
}

function groupsOf(manifest: TfjsManifestInput, source: string): TfjsWeightsGroup[] {
  const groups = Array.isArray(manifest) ? manifest : (manifest as { weightsManifest?: unknown })?.weightsManifest;
  if (!Array.isArray(groups)) fail('CORRUPT', source, 'no weightsManifest array');
  for (const [i, g] of (groups as unknown[]).entries()) {
    const { paths, weights } = (g ?? {}) as Partial<TfjsWeightsGroup>;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string') || !Array.isArray(weights)) {
      fail('CORRUPT', source, `weightsManifest[${i}] needs paths (strings) and weights (an array)`);
    }
  }
  return groups as TfjsWeightsGroup[];
}

/** Reads consecutive byte ranges across a group's shards without concatenating them. */
class ShardStream {
  private shard = 0;
  private at = 0;
  readonly total: number;
  consumed = 0;

  constructor(private readonly shards: Uint8Array[]) {
    this.total = shards.reduce((s, b) => s + b.length, 0);
  }

  /** The next `n` bytes, copied into a fresh (aligned) buffer; the caller checked `n` fits. */
  take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let filled = 0; filled < n; ) {
      const src = this.shards[this.shard];
      const k = Math.min(n - filled, src.length - this.at);
      out.set(src.subarray(this.at, this.at + k), filled);
      filled += k;
      this.at += k;
      if (this.at === src.length) {
        this.shard++;
        this.at = 0;
      }
    }
    this.consumed += n;
    return out;
  }
}

function decodeGroup(g: TfjsWeightsGroup, shards: Uint8Array[], source: string): TfjsTensor[] {
  const stream = new ShardStream(shards.filter((s) => s.length > 0));
  const out: TfjsTensor[] = [];
  for (const w of g.weights) {
    const name = typeof w?.name === 'string' ? w.name : String(w?.name);
    const where = `weight ${q(name)}`;
    const n = Array.isArray(w?.shape) ? elementCount(w.shape) : -1;
    if (n < 0) fail('CORRUPT', source, `${where}: shape must be a list of non-negative integers`);
    const { dtype } = w;
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool' && dtype !== 'complex64') {
      fail('CORRUPT', source, `${where}: dtype ${q(String(dtype))} is not supported (float32, int32, bool, complex64)`);
    }
    const qz = w.quantization;
    if (qz !== undefined) checkQuantization(qz, dtype, where, source);
    const size = n * BYTES[qz ? qz.dtype : dtype];
    if (size > stream.total - stream.consumed) {
      fail('TRUNCATED', source, `${where} needs bytes [${stream.consumed}, ${stream.consumed + size}) of group [${g.paths.join(', ')}], which has ${stream.total}`);
    }
    const bytes = stream.take(size);
    out.push({ name, dtype, shape: w.shape.slice(), data: qz ? dequantize(bytes, n, qz, dtype) : view(bytes, dtype) });
  }
  if (stream.consumed !== stream.total) {
    fail('CORRUPT', source, `group [${g.paths.join(', ')}]: the weights use ${stream.consumed} of its ${stream.total} shard bytes`);
  }
  return out;
}

function checkQuantization(qz: NonNullable<TfjsWeightSpec['quantization']>, dtype: string, where: string, source: string): void {
  if (qz.dtype === 'uint8' || qz.dtype === 'uint16') {
    if (!Number.isFinite(qz.scale) || !Number.isFinite(qz.min)) fail('CORRUPT', source, `${where}: ${qz.dtype} quantization needs finite scale and min`);
    if (dtype !== 'float32' && dtype !== 'int32') fail('CORRUPT', source, `${where}: ${qz.dtype} quantization of a ${dtype} weight`);
  } else if (qz.dtype === 'float16') {
    if (dtype !== 'float32') fail('CORRUPT', source, `${where}: float16 quantization of a ${dtype} weight`);
  } else {
    fail('CORRUPT', source, `${where}: unknown quantization dtype ${q(String(qz.dtype))}`);
  }
}

function view(bytes: Uint8Array, dtype: string): TfjsTensor['data'] {
  if (dtype === 'int32') return new Int32Array(bytes.buffer);
  if (dtype === 'bool') return bytes;
  return new Float32Array(bytes.buffer); // float32, complex64 (interleaved pairs)
}

/** tfjs-core's rule: value = q·scale + min (rounded for int32 originals); float16 widened exactly. */
function dequantize(bytes: Uint8Array, n: number, qz: NonNullable<TfjsWeightSpec['quantization']>, dtype: string): TfjsTensor['data'] {
  const codes = qz.dtype === 'uint8' ? bytes : new Uint16Array(bytes.buffer);
  if (qz.dtype === 'float16') {
    const bits = new Uint32Array(n);
    for (let i = 0; i < n; i++) bits[i] = f16ToF32Bits(codes[i]);
    return new Float32Array(bits.buffer);
  }
  const out = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  const { scale, min } = qz as { scale: number; min: number };
  for (let i = 0; i < n; i++) out[i] = dtype === 'int32' ? Math.round(codes[i] * scale + min) : codes[i] * scale + min;
  return out;
}
