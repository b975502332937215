import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';
import { MinHash, datasketchPermutations, linearPermutations, ophKeys, sketchWithDensified, type OnePermMinHash, type TokenHash } from '@kompakt/minhash';
import {
  acquireDevice, dispatch, maxItemsPerBinding, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer, uniformBuffer, type GpuOptions,
} from '../runtime/index.js';
import { MINHASH_CLASSIC32_WGSL, MINHASH_CLASSIC_WGSL, MINHASH_OPH_WGSL } from './minhash-wgsl.js';

/** Options of {@link sketchHashesGpu}: those of minhash `sketchTexts` that apply to hashed tokens. */
export interface SketchHashesOptions extends GpuOptions {
  /**
   * 'oph' (default): one-permutation hashing, as sketchTexts returns it (raw bins as the state, the
   * densified signature computed on the GPU too); 'classic': k permutations.
   */
  method?: 'oph' | 'classic';
  /** Signature length k, 1 … 65,536. Default 128. */
  numPerm?: number;
  /** Seed in [0, 2^32 − 1]. Default 1. */
  seed?: number;
  /** The token hash the hashes came from; recorded on the sketches so they only meet compatible ones. Default 'xxh32'. */
  hash?: TokenHash;
}

const KEYS = ['device', 'method', 'numPerm', 'seed', 'hash'] as const;

/**
 * Classic permutations in the kernel's words, cached per (k, seed, family): 'sha1' → datasketch's
 * (aLo, aHi, bLo, bHi) per permutation (vec4<u32>); 'xxh32' → the 32-bit family's (a, b) (vec2<u32>).
 */
const permCache = new Map<string, Uint32Array>();

function permutationWords(k: number, seed: number, hash: TokenHash): Uint32Array {
  const key = `${k}:${seed}:${hash}`;
  let words = permCache.get(key);
  if (!words) {
    if (hash === 'sha1') {
      const { a, b } = datasketchPermutations(k, seed);
      words = new Uint32Array(4 * k);
      for (let i = 0; i < k; i++) {
        words[4 * i] = Number(a[i] & 0xffffffffn);
        words[4 * i + 1] = Number(a[i] >> 32n);
        words[4 * i + 2] = Number(b[i] & 0xffffffffn);
        words[4 * i + 3] = Number(b[i] >> 32n);
      }
    } else {
      const { a, b } = linearPermutations(k, seed);
      words = new Uint32Array(2 * k);
      for (let i = 0; i < k; i++) [words[2 * i], words[2 * i + 1]] = [a[i], b[i]];
    }
    if (permCache.size >= 16) permCache.delete(permCache.keys().next().value!);
    permCache.set(key, words);
  }
  return words;
}

/** Non-decreasing CSR offsets inside `hashes`: document d is hashes[offsets[d] … offsets[d+1]). */
function checkCsr(offsets: unknown, hashes: unknown, fn: string): void {
  if (!(offsets instanceof Uint32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: offsets must be a Uint32Array, got ${describe(offsets)}`);
  if (!(hashes instanceof Uint32Array)) throw new KompaktError('INVALID_TYPE', `${fn}: hashes must be a Uint32Array, got ${describe(hashes)}`);
  if (offsets.length === 0) throw new KompaktError('SHAPE_MISMATCH', `${fn}: offsets needs documents + 1 entries, got none`);
  for (let d = 1; d < offsets.length; d++) {
    if (offsets[d] < offsets[d - 1]) throw new KompaktError('INVALID_ARGUMENT', `${fn}: offsets[${d}] = ${offsets[d]} is below offsets[${d - 1}] = ${offsets[d - 1]}`);
  }
  const last = offsets[offsets.length - 1];
  if (last > hashes.length) throw new KompaktError('SHAPE_MISMATCH', `${fn}: offsets end at ${last}, hashes has ${hashes.length} entries`);
}

/**
 * Splits documents [0, docs) into runs whose signatures and tokens each fit one storage binding.
 * A single document with more tokens than a binding holds throws TOO_LARGE (from storageBuffer).
 */
function documentRuns(offsets: Uint32Array, maxDocs: number, maxTokens: number): [number, number][] {
  const runs: [number, number][] = [];
  const docs = offsets.length - 1;
  for (let start = 0; start < docs;) {
    let end = start + 1;
    while (end < docs && end - start < maxDocs && offsets[end + 1] - offsets[start] <= maxTokens) end++;
    runs.push([start, end]);
    start = end;
  }
  return runs;
}

/**
 * Sketches a batch of already-hashed documents on the GPU: document d's u32 token hashes are
 * hashes[offsets[d] … offsets[d+1]) (CSR). Resolves to what minhash `sketchTexts` returns for the same
 * tokens: classic `MinHash` signatures (the permutation family of `hash`, bit-identical to
 * `new MinHash({ numPerm, seed, hash }).updateHashes(tokens)`) or `OnePermMinHash` sketches (raw bins
 * bit-identical to `OnePermMinHash.updateHashes`, and `hashvalues` already set to their densification,
 * bit-identical to the CPU's). One workgroup per document; classic costs O(tokens · k) per document,
 * OPH O(tokens + k) plus the probes of its empty bins.
 */
export async function sketchHashesGpu(offsets: Uint32Array, hashes: Uint32Array, options: SketchHashesOptions & { method: 'classic' }): Promise<MinHash[]>;
export async function sketchHashesGpu(offsets: Uint32Array, hashes: Uint32Array, options?: SketchHashesOptions): Promise<OnePermMinHash[]>;
export async function sketchHashesGpu(offsets: Uint32Array, hashes: Uint32Array, options?: SketchHashesOptions): Promise<(MinHash | OnePermMinHash)[]> {
  const fn = 'sketchHashesGpu';
  const o = checkOptions<SketchHashesOptions>(options, `${fn} options`, KEYS);
  const method = o.method ?? 'oph';
  if (method !== 'oph' && method !== 'classic') throw new KompaktError('INVALID_ARGUMENT', `${fn}: method must be 'oph' or 'classic', got ${describe(method)}`);
  const k = o.numPerm === undefined ? 128 : checkInteger(o.numPerm, `${fn}: numPerm`, 1, 1 << 16);
  const seed = o.seed === undefined ? 1 : checkInteger(o.seed, `${fn}: seed`, 0, 0xffffffff);
  const hash = o.hash ?? 'xxh32';
  if (hash !== 'xxh32' && hash !== 'sha1') throw new KompaktError('INVALID_ARGUMENT', `${fn}: hash must be 'xxh32' or 'sha1', got ${describe(hash)}`);
  checkCsr(offsets, hashes, fn);
  const device = await acquireDevice({ device: o.device });
  const params = { numPerm: k, seed, hash };
  const docs = offsets.length - 1;
  if (method === 'classic') {
    const rows = await classicRows(device, offsets, hashes, k, seed, hash);
    return Array.from({ length: docs }, (_, d) => new MinHash({ ...params, hashvalues: rows.subarray(d * k, (d + 1) * k) }));
  }
  // Row d: raw bins (the sketch's state), then their densified signature (handed over, not recomputed).
  const rows = await ophRows(device, offsets, hashes, k, seed);
  return Array.from({ length: docs }, (_, d) => sketchWithDensified(params, rows.subarray(2 * d * k, (2 * d + 1) * k), rows.subarray((2 * d + 1) * k, (2 * d + 2) * k)));
}

/**
 * Runs one kernel per run of documents; `bind` gives its bindings after offsets and hashes, with `out`
 * holding `rowWords` u32 per document. Returns docs × rowWords u32.
 */
async function sketchRuns(
  device: GPUDevice, offsets: Uint32Array, hashes: Uint32Array, rowWords: number, pipeline: GPUComputePipeline,
  bind: (docs: number) => { out: GPUBuffer; rest: GPUBuffer[] },
): Promise<Uint32Array> {
  const rows = new Uint32Array((offsets.length - 1) * rowWords);
  const parts: Promise<void>[] = [];
  for (const [start, end] of documentRuns(offsets, maxItemsPerBinding(device, 4 * rowWords), maxItemsPerBinding(device, 4))) {
    const first = offsets[start];
    const offsetBuffer = storageBuffer(device, offsets.subarray(start, end + 1).map((v) => v - first));
    const hashBuffer = storageBuffer(device, hashes.subarray(first, offsets[end]));
    const { out, rest } = bind(end - start);
    dispatch(device, pipeline, [offsetBuffer, hashBuffer, ...rest], [end - start]);
    const bytes = (end - start) * rowWords * 4;
    parts.push(readBuffer(device, out, bytes).then((b) => rows.set(new Uint32Array(b), start * rowWords)));
    releaseAfterBatch(device, offsetBuffer, hashBuffer, out);
  }
  await Promise.all(parts);
  return rows;
}

function classicRows(device: GPUDevice, offsets: Uint32Array, hashes: Uint32Array, k: number, seed: number, hash: TokenHash): Promise<Uint32Array> {
  const pipeline = hash === 'sha1'
    ? pipelineFor(device, 'minhash-classic', MINHASH_CLASSIC_WGSL)
    : pipelineFor(device, 'minhash-classic32', MINHASH_CLASSIC32_WGSL);
  const perms = storageBuffer(device, permutationWords(k, seed, hash));
  const rows = sketchRuns(device, offsets, hashes, k, pipeline, (docs) => {
    const out = storageBuffer(device, docs * k * 4);
    return { out, rest: [perms, out, uniformBuffer(device, Uint32Array.of(docs, k, 0, 0))] };
  });
  releaseAfterBatch(device, perms);
  return rows;
}

/** A u64 as the kernel's (low, high) u32 words. */
const words64 = (v: bigint): [number, number] => [Number(v & 0xffffffffn), Number(v >> 32n)];

/** Docs × 2k u32: each document's raw OPH bins, then their densified signature (wasm/minhash/mix.ts keys). */
function ophRows(device: GPUDevice, offsets: Uint32Array, hashes: Uint32Array, k: number, seed: number): Promise<Uint32Array> {
  const pipeline = pipelineFor(device, 'minhash-oph', MINHASH_OPH_WGSL);
  const keys = ophKeys(seed);
  const tokenKey = words64(keys.tokenKey);
  const probeKey = words64(keys.probeKey);
  return sketchRuns(device, offsets, hashes, 2 * k, pipeline, (docs) => {
    const out = storageBuffer(device, docs * 2 * k * 4); // the kernel sets the raw bins to EMPTY itself
    return { out, rest: [out, uniformBuffer(device, Uint32Array.of(docs, k, ...tokenKey, ...probeKey, 0, 0))] };
  });
}
