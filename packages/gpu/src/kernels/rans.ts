import { KompaktError, checkOptions, describe } from '@kompakt/core';
import { decompressTensor, kpkInternals as kpk, type DecompressTensorOptions } from '@kompakt/entropy';
import {
  acquireDevice, dispatch, maxItemsPerBinding, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer, uniformBuffer, type GpuOptions,
} from '../runtime/index.js';
import { RANS_DECODE_WGSL, RANS_STATUS } from './rans-wgsl.js';

/** Options of {@link decompressTensorGpu}: decompressTensor's plus the device. */
export interface DecompressTensorGpuOptions extends DecompressTensorOptions, GpuOptions {}

/** One rANS-coded byte plane: decoded on the GPU into `into` (a view of its chunk's planes). */
interface RansJob {
  stream: Uint8Array;
  freqs: Uint32Array;
  precision: number;
  into: Uint8Array;
}

/** A chunk parsed on the CPU: raw, constant and wide-rANS planes already decoded, table-rANS planes as jobs. */
interface ParsedChunk {
  what: string;
  planes: Uint8Array;
  jobs: RansJob[];
  /** The first check that failed while parsing, thrown after the jobs before it are decoded (decompressTensor's order). */
  error: unknown;
}

type Reader = InstanceType<typeof kpk.ByteReader>;

/** Highest precision of the table-driven rans16x16 stream, the one the GPU decodes. */
const MAX_TABLE_PRECISION = 16;
const LANE_STATE_BYTES = 64; // 16 lane states

/**
 * Reads a rANS plane of precision ≤ 16 (the mode and precision bytes are already checked), making the
 * checks decompressTensor's rans_decode makes before decoding (model, stream length); the rest (lane
 * states, words, final states) run on the GPU.
 */
function ransJob(r: Reader, into: Uint8Array): RansJob {
  r.take(1); // mode
  const precision = r.u8();
  const freqs = kpk.readTable(r, precision);
  const stream = r.take(r.u32());
  let sum = 0;
  for (const f of freqs) sum += f;
  if (sum !== 2 ** precision) throw new KompaktError('CORRUPT', `${r.what}: invalid model (frequencies must sum to 2^precision)`);
  if (stream.length < LANE_STATE_BYTES) throw new KompaktError('TRUNCATED', `${r.what}: the stream ends early`);
  if (stream.length % 2 !== 0) throw new KompaktError('CORRUPT', `${r.what}: the stream is corrupt (odd length)`);
  return { stream, freqs, precision, into };
}

/**
 * Parses one chunk's planes (docs/kpk-format.md, "Chunks and planes") in order, stopping at the first
 * error. Table-rANS planes become GPU jobs; every other plane (raw, constant, the exact rANS of
 * precision 17 … 24, or a malformed one) goes through entropy's own readPlane, errors included.
 */
function parseChunk(stored: Uint8Array, what: string, length: number, planeCount: number, maxPrecision: number): ParsedChunk {
  const planes = new Uint8Array(length);
  const chunk: ParsedChunk = { what, planes, jobs: [], error: null };
  const count = length / planeCount;
  const r = new kpk.ByteReader(stored, what);
  try {
    for (let p = 0; p < planeCount; p++) {
      const into = planes.subarray(p * count, (p + 1) * count);
      const [mode, precision] = r.bytes.subarray(r.pos, Math.min(r.pos + 2, r.end));
      if (mode === kpk.RANS && precision >= 1 && precision <= MAX_TABLE_PRECISION) chunk.jobs.push(ransJob(r, into));
      else kpk.readPlane(r, into, { maxPrecision, context: null });
    }
    if (r.left !== 0) throw new KompaktError('CORRUPT', `${what}: ${r.left} bytes left over`);
  } catch (e) {
    chunk.error = e;
  }
  return chunk;
}

const align4 = (n: number): number => Math.ceil(n / 4) * 4;

/** Bytes of a job's cumulative frequencies (257 u32); its table entry and status are smaller. */
const CUM_BYTES = 257 * 4;

/** Splits jobs into runs whose streams, outputs, models and slot tables each fit one storage binding. */
function jobRuns(jobs: RansJob[], maxBytes: number): RansJob[][] {
  const runs: RansJob[][] = [];
  let run: RansJob[] = [];
  let totals = [0, 0, 0, 0];
  for (const job of jobs) {
    const sizes = [align4(job.stream.length), align4(job.into.length), CUM_BYTES, align4(2 ** job.precision)];
    if (run.length > 0 && sizes.some((size, i) => totals[i] + size > maxBytes)) {
      runs.push(run);
      run = [];
      totals = [0, 0, 0, 0];
    }
    run.push(job);
    totals = totals.map((t, i) => t + sizes[i]);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Decodes a run of jobs with one dispatch (one invocation per stream) into their `into` views;
 * resolves to the per-job status (RANS_STATUS).
 */
async function decodeRun(device: GPUDevice, jobs: RansJob[]): Promise<Uint32Array> {
  const table = new Uint32Array(jobs.length * 8);
  const cum = new Uint32Array(jobs.length * 257);
  let streamBytes = 0;
  let outBytes = 0;
  let slotBytes = 0;
  jobs.forEach((job, j) => {
    table.set([streamBytes, job.stream.length, outBytes, job.into.length, j * 257, job.precision, slotBytes, 0], j * 8);
    streamBytes += align4(job.stream.length);
    outBytes += align4(job.into.length);
    slotBytes += align4(2 ** job.precision);
  });
  const streams = new Uint8Array(streamBytes);
  const slots = new Uint8Array(slotBytes);
  jobs.forEach((job, j) => {
    streams.set(job.stream, table[j * 8]);
    let c = 0;
    for (let k = 0; k < 256; k++) {
      cum[j * 257 + k] = c;
      slots.fill(k, table[j * 8 + 6] + c, table[j * 8 + 6] + c + job.freqs[k]);
      c += job.freqs[k];
    }
    cum[j * 257 + 256] = c;
  });
  const inputs = [streams, table, cum, slots].map((data) => storageBuffer(device, data));
  const buffers = [...inputs, storageBuffer(device, outBytes), storageBuffer(device, jobs.length * 4)];
  const pipeline = pipelineFor(device, 'rans-decode', RANS_DECODE_WGSL);
  dispatch(device, pipeline, [...buffers, uniformBuffer(device, Uint32Array.of(jobs.length, 0, 0, 0))], [Math.ceil(jobs.length / 64)]);
  const reads = Promise.all([readBuffer(device, buffers[4], outBytes), readBuffer(device, buffers[5], jobs.length * 4)]);
  releaseAfterBatch(device, ...buffers);
  const [out, status] = await reads;
  const bytes = new Uint8Array(out);
  jobs.forEach((job, j) => job.into.set(bytes.subarray(table[j * 8 + 2], table[j * 8 + 2] + job.into.length)));
  return new Uint32Array(status);
}

function throwStatus(status: number, what: string): void {
  if (status === RANS_STATUS.truncated) throw new KompaktError('TRUNCATED', `${what}: the stream ends early`);
  if (status === RANS_STATUS.corrupt) throw new KompaktError('CORRUPT', `${what}: the stream is corrupt (its final state does not check out)`);
  if (status !== RANS_STATUS.ok) throw new KompaktError('INTERNAL', `${what}: unexpected GPU decoder status ${status}`);
}

/**
 * The GPU twin of entropy `decompressTensor`: the same bytes for the same stream, and a KompaktError
 * with the same code for a damaged one. The container is parsed and every checksum verified on the
 * CPU with @kompakt/entropy's own functions; every table-rANS byte plane (precision ≤ 16, all rANS
 * planes of a default stream) of every chunk is decoded on the GPU, one invocation per plane (a .kpk
 * stream of N chunks gives up to N × planes parallel jobs, all in one dispatch); the other planes go
 * through entropy's readPlane, and planes are merged (and XORed with the base) on the CPU. Streams
 * with context modelling (the context flag) are decoded by decompressTensor. Holds every chunk's planes
 * until the dispatch returns: about twice the tensor's size in host memory.
 */
export async function decompressTensorGpu(stream: Uint8Array, options?: DecompressTensorGpuOptions): Promise<Uint8Array> {
  const fn = 'decompressTensorGpu';
  if (!(stream instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: stream must be a Uint8Array, got ${describe(stream)}`);
  const o = checkOptions<DecompressTensorGpuOptions>(options, `${fn} options`, ['base', 'device']);
  const { header, body } = kpk.readHeader(stream);
  // Context-modelled planes (the context flag) depend on the chunk's exponent plane: the CPU decodes them.
  if (header.flags & kpk.FLAG_CONTEXT) return decompressTensor(stream, { base: o.base });
  const base = checkBase(o.base, header, fn);
  const planeCount = kpk.ELEMENT_BYTES[header.dtype];
  const chunkSize = 2 ** header.log2Chunk;

  // Parse chunk after chunk until the first failure: chunks before it still decode, so the error
  // thrown is the one decompressTensor meets first.
  const chunks: ParsedChunk[] = [];
  let pos = body;
  for (const [i, entry] of header.chunks.entries()) {
    const what = `${fn}: chunk ${i}`;
    const stored = stream.subarray(pos, pos + entry.stored);
    pos += entry.stored;
    if (kpk.xxh32(stored) !== entry.storedHash) {
      chunks.push({ what, planes: new Uint8Array(0), jobs: [], error: new KompaktError('CHECKSUM', `${what}: checksum mismatch`) });
      break;
    }
    const chunk = parseChunk(stored, what, Math.min(chunkSize, header.length - i * chunkSize), planeCount, kpk.MAX_PLANE_PRECISION);
    chunks.push(chunk);
    if (chunk.error) break;
  }

  const jobs = chunks.flatMap((c) => c.jobs);
  const status = new Uint32Array(jobs.length);
  if (jobs.length > 0) {
    const device = await acquireDevice({ device: o.device });
    const runs = jobRuns(jobs, maxItemsPerBinding(device, 1));
    const results = await Promise.all(runs.map((run) => decodeRun(device, run)));
    let at = 0;
    for (const r of results) {
      status.set(r, at);
      at += r.length;
    }
  }

  const out = new Uint8Array(header.length);
  const rawHashes: number[] = [];
  let job = 0;
  for (const [i, chunk] of chunks.entries()) {
    for (let j = 0; j < chunk.jobs.length; j++) throwStatus(status[job++], chunk.what);
    if (chunk.error) throw chunk.error;
    const at = i * chunkSize;
    const target = out.subarray(at, at + chunk.planes.length);
    const rawHash = kpk.mergeChunk(chunk.planes, base ? base.subarray(at, at + target.length) : null, kpk.DTYPES.indexOf(header.dtype), planeCount, target);
    if (rawHash !== header.chunks[i].rawHash) throw new KompaktError('CHECKSUM', `${chunk.what}: decoded bytes do not match their checksum`);
    rawHashes.push(rawHash);
  }
  if (kpk.hashOfHashes(rawHashes) !== header.contentHash) throw new KompaktError('CHECKSUM', `${fn}: payload checksum mismatch`);
  return out;
}

/** decompressTensor's base rules: required exactly for delta streams, same length, matching chunk checksums. */
function checkBase(value: unknown, header: ReturnType<typeof kpk.readHeader>['header'], fn: string): Uint8Array | null {
  const delta = (header.flags & kpk.FLAG_DELTA) !== 0;
  if (value !== undefined && !(value instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `${fn}: base must be a Uint8Array, got ${describe(value)}`);
  const base = value ?? null;
  if (delta !== (base !== null)) {
    throw new KompaktError('INVALID_ARGUMENT', delta ? `${fn}: the stream is a delta; pass the base tensor as options.base` : `${fn}: the stream is not a delta, but a base was given`);
  }
  if (!base) return null;
  if (base.length !== header.length) throw new KompaktError('SHAPE_MISMATCH', `${fn}: base has ${base.length} bytes, the stream holds ${header.length}`);
  const chunkSize = 2 ** header.log2Chunk;
  const hashes = header.chunks.map((_, i) => kpk.xxh32(base.subarray(i * chunkSize, (i + 1) * chunkSize)));
  if (kpk.hashOfHashes(hashes) !== header.baseHash) throw new KompaktError('CHECKSUM', `${fn}: the base is not the one the stream was made against`);
  return base;
}
