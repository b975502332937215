// `npm run bench -- --gpu [name…]`: every @kompakt/gpu kernel on whatever WebGPU adapter exists, as GB/s
// and as a ratio to the CPU (native backend when it loads) in the same run, beside the adapter's
// device-to-device copy bandwidth and its host↔device transfer bandwidth, also measured in this run.
// Times are end to end per call (upload, kernels, download), as a user of the public API sees them.
import { existsSync } from 'node:fs';
import { availableBackends, narrow16, setBackend } from '@kompakt/core';
import { loadInternals } from './gpu-internals.mjs';
import { printTable } from './measure.mjs';

// Without a GPU, Dawn gets an adapter from Chromium's SwiftShader (the same ICD the test lanes use).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

const gpu = await import('@kompakt/gpu/node');
const { fwht, rht } = await import('@kompakt/hadamard');
const mx = await import('@kompakt/mx');

// Sizes that finish in minutes on SwiftShader (a CPU emulating the GPU). KOMPAKT_GPU_BENCH_SCALE=large
// (scripts/gpu-device-bench.sh sets it) sizes them for a real GPU: calls long beside launch overheads.
const LARGE = process.env.KOMPAKT_GPU_BENCH_SCALE === 'large';
const FLOATS = LARGE ? 1 << 26 : 1 << 20; // 256 MiB or 4 MiB of f32 per call
const MATRIX = LARGE ? 8192 : 2048; // matvec: MATRIX × MATRIX weights
const MIB = (FLOATS * 4) / (1 << 20);
/** Bytes quantize writes per value: its code and its share of the block's scale byte (blocks of 32). */
const MX_BYTES_PER_VALUE = { mxfp4: 17 / 32, 'mxfp8-e4m3': 33 / 32 };
const lattice = await import('@kompakt/lattice');
const minhash = await import('@kompakt/minhash');
const entropy = await import('@kompakt/entropy');

/** Deterministic test data in [−1, 1). */
function floats(length, seed = 1) {
  const x = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

/**
 * The kernel registry. Each entry: `group` (the name `npm run bench -- --gpu <group>` selects), `name`,
 * `bytes` moved per call (inputs read + outputs written), `setup()` → `{ gpu: () => Promise, cpu: () => void,
 * check?: () => Promise<[gpuResult, cpuResult]> }` (check: for calls that work in place, on copies).
 * Part B's kernels (E8P, MinHash, rANS) append entries here.
 */
export const gpuKernels = [
  ...[4096, 1 << 16].map((n) => ({
    group: 'hadamard', name: `fwhtGpu f32, n = ${n}, ${MIB} MiB`, bytes: 8 * FLOATS,
    setup: () => {
      const x = floats(FLOATS);
      const opts = { n, normalize: false };
      // In place: the comparison runs both on copies of the same input.
      const check = async () => [await gpu.fwhtGpu(x.slice(), opts), fwht(x.slice(), opts)];
      return { gpu: () => gpu.fwhtGpu(x, opts), cpu: () => fwht(x, opts), check };
    },
  })),
  {
    group: 'hadamard', name: `rhtGpu f32, block 32 (before MXFP4), ${MIB} MiB`, bytes: 8 * FLOATS,
    setup: () => {
      const x = floats(FLOATS);
      const opts = { block: 32, seed: 1 };
      const check = async () => [await gpu.rhtGpu(x.slice(), opts), rht(x.slice(), opts)];
      return { gpu: () => gpu.rhtGpu(x, opts), cpu: () => rht(x, opts), check };
    },
  },
  ...['mxfp4', 'nvfp4'].map((format) => ({
    group: 'mx', name: `quantizeGpu ${format}, ${MIB} MiB f32`, bytes: FLOATS * (4 + 1 / 2 + (format === 'mxfp4' ? 1 / 32 : 1 / 16)),
    setup: () => {
      const x = floats(FLOATS);
      const opts = { format, n: 4096, ...(format === 'nvfp4' ? { tensorScale: 1 / 2688 } : {}) };
      return { gpu: () => gpu.quantizeGpu(x, opts), cpu: () => mx.quantize(x, opts) };
    },
  })),
  {
    group: 'mx', name: `dequantizeGpu mxfp4 → f32, ${MIB} MiB out`, bytes: FLOATS * (4 + 1 / 2 + 1 / 32),
    setup: () => {
      const q = mx.quantize(floats(FLOATS), { format: 'mxfp4', n: 4096 });
      return { gpu: () => gpu.dequantizeGpu(q, { format: 'mxfp4', n: 4096 }), cpu: () => mx.dequantize(q, { format: 'mxfp4', n: 4096 }) };
    },
  },
  {
    group: 'mx', name: `matvecGpu mxfp4, ${MATRIX} × ${MATRIX}`, bytes: MATRIX * MATRIX * (1 / 2 + 1 / 32) + MATRIX * 8,
    setup: () => {
      const q = mx.quantize(floats(MATRIX * MATRIX), { format: 'mxfp4', n: MATRIX });
      const x = floats(MATRIX, 2);
      return { gpu: () => gpu.matvecGpu(q, x, { format: 'mxfp4', n: MATRIX }), cpu: () => mx.matvec(q, x, { format: 'mxfp4', n: MATRIX }) };
    },
  },
  {
    // Weights uploaded once (the warm-up call): each product moves x and y only, as in token-by-token decoding.
    group: 'mx', name: `GpuMatrix.matvec mxfp4 (uploadMatrixGpu once), ${MATRIX} × ${MATRIX}`, bytes: MATRIX * MATRIX * (1 / 2 + 1 / 32) + MATRIX * 8,
    setup: () => {
      const opts = { format: 'mxfp4', n: MATRIX };
      const q = mx.quantize(floats(MATRIX * MATRIX), opts);
      const x = floats(MATRIX, 2);
      let resident;
      return { gpu: async () => (resident ??= await gpu.uploadMatrixGpu(q, opts)).matvec(x), cpu: () => mx.matvec(q, x, opts) };
    },
  },
  {
    // The fused product must beat dequantize-then-multiply; dequantizing alone is a lower bound on the latter.
    group: 'mx', name: `dequantizeGpu mxfp4, ${MATRIX} × ${MATRIX} (the first half of dequantize-then-multiply)`, bytes: MATRIX * MATRIX * (4 + 1 / 2 + 1 / 32),
    setup: () => {
      const q = mx.quantize(floats(MATRIX * MATRIX), { format: 'mxfp4', n: MATRIX });
      return { gpu: () => gpu.dequantizeGpu(q, { format: 'mxfp4', n: MATRIX }), cpu: () => mx.dequantize(q, { format: 'mxfp4', n: MATRIX }) };
    },
  },
  ...mxOptionKernels(),
  ...e8pKernels(),
  ...minhashKernels(),
  {
    group: 'rans', name: 'decompressTensorGpu f32 .kpk, 8 MiB (32 chunks of 256 KiB)', bytes: 2 * (8 << 20),
    setup: () => {
      const stream = entropy.compressTensor(new Uint8Array(floats(2 << 20).map((v) => v * v * v * 0.05).buffer), { dtype: 'f32' });
      return { gpu: () => gpu.decompressTensorGpu(stream), cpu: () => entropy.decompressTensor(stream) };
    },
  },
];

/**
 * Group 'mx-options': what the other MX options cost beside the mx group's rne FP4 calls — stochastic
 * rounding (one Philox block per four elements), the 8-bit format, a bf16 input (widened on the CPU),
 * and the fused matvec of an 8-bit format against dequantizing the same matrix.
 */
function mxOptionKernels() {
  const quantizeEntry = (label, opts, input = () => floats(FLOATS), inBytes = 4) => ({
    group: 'mx-options', name: `quantizeGpu ${label}, ${MIB} MiB f32`, bytes: FLOATS * (inBytes + MX_BYTES_PER_VALUE[opts.format]),
    setup: () => {
      const x = input();
      const all = { n: 4096, ...opts };
      return { gpu: () => gpu.quantizeGpu(x, all), cpu: () => mx.quantize(x, all) };
    },
  });
  const opts = { format: 'mxfp8-e4m3', n: MATRIX };
  let cached;
  const matrix = () => (cached ??= { q: mx.quantize(floats(MATRIX * MATRIX), opts), x: floats(MATRIX, 2) });
  return [
    quantizeEntry('mxfp4 stochastic', { format: 'mxfp4', rounding: 'stochastic', seed: 1 }),
    quantizeEntry('mxfp8-e4m3 rne', { format: 'mxfp8-e4m3' }),
    quantizeEntry('mxfp8-e4m3 stochastic', { format: 'mxfp8-e4m3', rounding: 'stochastic', seed: 1 }),
    quantizeEntry('mxfp4 from bf16 (the same values)', { format: 'mxfp4', dtype: 'bf16' }, () => narrow16(floats(FLOATS), 'bf16'), 2),
    {
      group: 'mx-options', name: `matvecGpu mxfp8-e4m3, ${MATRIX} × ${MATRIX}`, bytes: MATRIX * MATRIX * (1 + 1 / 32) + MATRIX * 8,
      setup: () => {
        const { q, x } = matrix();
        return { gpu: () => gpu.matvecGpu(q, x, opts), cpu: () => mx.matvec(q, x, opts) };
      },
    },
    {
      group: 'mx-options', name: `dequantizeGpu mxfp8-e4m3, ${MATRIX} × ${MATRIX} (the first half of dequantize-then-multiply)`, bytes: MATRIX * MATRIX * (4 + 1 + 1 / 32),
      setup: () => {
        const { q } = matrix();
        return { gpu: () => gpu.dequantizeGpu(q, opts), cpu: () => mx.dequantize(q, opts) };
      },
    },
  ];
}


/** E8P: a MATRIX × MATRIX matrix quantized by lattice `quantize` (2 bits/weight, one scale per row). */
function e8pKernels() {
  const rows = MATRIX, cols = MATRIX;
  let cached;
  const matrix = () => {
    if (!cached) {
      const q = lattice.quantize(floats(rows * cols, 3), { codebook: 'e8p', n: cols });
      cached = { q, codes: new Uint16Array(q.codes.buffer, q.codes.byteOffset, q.codes.length / 2), x: floats(cols, 4) };
    }
    return cached;
  };
  const dequantizeThenMultiply = () => {
    const { q, x } = matrix();
    const w = lattice.dequantize(q, { codebook: 'e8p', n: cols });
    const y = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let j = 0, o = r * cols; j < cols; j++) sum += w[o + j] * x[j];
      y[r] = sum;
    }
    return y;
  };
  return [
    {
      group: 'e8p', name: `e8pMatvecGpu ${rows} × ${cols} vs dequantize-then-multiply on the CPU`, bytes: (rows * cols) / 4 + 4 * (rows + cols + rows),
      setup: () => {
        const { q, codes, x } = matrix();
        return { gpu: () => gpu.e8pMatvecGpu(codes, x, { rows, cols, scales: q.scales }), cpu: dequantizeThenMultiply };
      },
    },
    {
      // Codes uploaded once (the warm-up call): each product moves x and y only.
      group: 'e8p', name: `GpuMatrix.matvec E8P (uploadE8pMatrixGpu once), ${rows} × ${cols}`, bytes: (rows * cols) / 4 + 4 * (rows + cols + rows),
      setup: () => {
        const { q, codes, x } = matrix();
        let resident;
        const run = async () => (resident ??= await gpu.uploadE8pMatrixGpu(codes, { rows, cols, scales: q.scales })).matvec(x);
        return { gpu: run, cpu: dequantizeThenMultiply };
      },
    },
    {
      // Decoding alone is the first half of dequantize-then-multiply on the GPU: the fused product must beat it.
      group: 'e8p', name: `e8pDecodeGpu ${rows} × ${cols} → f32 (the first half of dequantize-then-multiply)`, bytes: (rows * cols) / 4 + rows * cols * 4,
      setup: () => {
        const { codes } = matrix();
        return { gpu: () => gpu.e8pDecodeGpu(codes), cpu: () => lattice.e8pDecode(codes) };
      },
    },
  ];
}

/**
 * MinHash: documents of 200 hashed tokens (k = 128); the CPU lane sketches them one updateHashes call
 * each and reads `hashvalues`, so OPH is densified on both sides (the GPU returns raw bins and signature).
 */
function minhashKernels() {
  const batch = (docs) => {
    const offsets = Uint32Array.from({ length: docs + 1 }, (_, d) => d * 200);
    const hashes = Uint32Array.from({ length: docs * 200 }, (_, i) => Math.imul(i + 1, 2654435761) >>> 0);
    return { offsets, hashes };
  };
  return [['classic', 500, minhash.MinHash], ['oph', 10_000, minhash.OnePermMinHash]].map(([method, docs, Sketch]) => ({
    group: 'minhash', name: `sketchHashesGpu ${method}${method === 'oph' ? ' + densify' : ''}, ${docs} documents × 200 tokens, k = 128`,
    bytes: 4 * (docs + 1) + 4 * docs * 200 + 4 * docs * 128 * (method === 'oph' ? 2 : 1),
    setup: () => {
      const { offsets, hashes } = batch(docs);
      return {
        gpu: () => gpu.sketchHashesGpu(offsets, hashes, { method, numPerm: 128 }),
        cpu: () => {
          for (let d = 0; d < docs; d++) void new Sketch({ numPerm: 128 }).updateHashes(hashes.subarray(offsets[d], offsets[d + 1])).hashvalues;
        },
      };
    },
  }));
}

/**
 * Kernel-only lanes: the package's internal kernel encoders (gpu-internals.mjs) run K times on buffers already on the device, in one submission,
 * timed to completion: the figure the issue's targets compare with device-to-device copy bandwidth.
 * Output buffers are allocated per repetition (as the public calls do), inside the timing.
 */
// Repetitions per timed submission: enough on a real GPU that recording and the submission's round trip
// (measured alone and subtracted) stay small beside the kernels.
const REPEATS = LARGE ? 16 : 4;
/** The rest of an FP4 MxGeometry (kernels/mx/run.ts): floor rule, pairs layout, rne. */
const FP4_RNE = { rule: 0, layout: 0, bits: 4, element: 'e2m1', rounding: 'rne', key: [0, 0] };

/**
 * Kernel-only entries: `setup(k, device)` → `run()` records one repetition into outputs allocated once
 * (allocation and Dawn's lazy zeroing of new buffers stay out of the timing); `bytes` as in gpuKernels.
 */
export const residentKernels = [
  ...[4096, 1 << 16].map((n) => ({
    group: 'hadamard', name: `fwht n = ${n}, ${MIB} MiB`, bytes: 8 * FLOATS,
    setup: (k, device) => {
      const x = k.storageBuffer(device, floats(FLOATS));
      const t = { size: n, k: 1, log2m: Math.log2(n), hk: null, signs: null, signsAfter: false, scale: 1 / Math.sqrt(n) };
      return { run: () => k.encodeTransform(device, x, FLOATS, t), release: [x] };
    },
  })),
  ...[
    { group: 'mx', label: 'mxfp4', g: { bs: 32, scaleFmt: 0, ...FP4_RNE } },
    { group: 'mx', label: 'nvfp4', g: { bs: 16, scaleFmt: 1, ...FP4_RNE } },
    // Rows of 4088 end in a partial block, so the kernels read x directly instead of staging whole blocks
    // through workgroup memory: the A/B of that choice on the adapter at hand (nearly the same bytes).
    { group: 'mx', label: 'mxfp4', g: { bs: 32, scaleFmt: 0, ...FP4_RNE }, n: 4088 },
    { group: 'mx', label: 'nvfp4', g: { bs: 16, scaleFmt: 1, ...FP4_RNE }, n: 4088 },
    { group: 'mx-options', label: 'mxfp4 stochastic', g: { bs: 32, scaleFmt: 0, ...FP4_RNE, rounding: 'stochastic', key: [1, 0] } },
    { group: 'mx-options', label: 'mxfp8-e4m3', g: { bs: 32, scaleFmt: 0, ...FP4_RNE, bits: 8, element: 'e4m3' } },
  ].map(({ group, label, g, n = 4096 }) => {
    const rows = Math.floor(FLOATS / n);
    const blocks = rows * Math.ceil(n / g.bs);
    return {
      group, name: `quantize ${label}, ${MIB} MiB f32${n % g.bs ? `, rows of ${n} (not staged)` : ''}`,
      bytes: rows * n * 4 + blocks * (g.bs * g.bits / 8 + 1),
      setup: (k, device) => {
        const x = k.storageBuffer(device, floats(rows * n));
        const consts = k.storageBuffer(device, k.mxConsts(g.scaleFmt, 1 / 2688, g.rounding, g.element, g.bits));
        const into = { codes: k.storageBuffer(device, (blocks * g.bs * g.bits) / 8), scales: k.storageBuffer(device, blocks) };
        return { run: () => k.encodeQuantize(device, x, rows, { n, ...g }, consts, 0, 'f32', into), release: [x, consts, into.codes, into.scales] };
      },
    };
  }),
  ...[['mx', 'mxfp4', 'e2m1', 4], ['mx-options', 'mxfp8-e4m3', 'e4m3', 8]].flatMap(([group, format, element, bits]) => ['matvec', 'dequantize'].map((op) => ({
    group, name: `${op} ${format}, ${MATRIX} × ${MATRIX}`, bytes: MATRIX * MATRIX * ((op === 'matvec' ? 0 : 4) + bits / 8 + 1 / 32) + MATRIX * 8,
    setup: (k, device) => {
      const q = mx.quantize(floats(MATRIX * MATRIX), { format, n: MATRIX });
      const codes = k.storageBuffer(device, q.codes);
      const scales = k.storageBuffer(device, q.scales);
      const x = k.storageBuffer(device, floats(MATRIX, 2));
      const consts = k.storageBuffer(device, k.mxConsts(0, 1, 'rne', element, bits));
      const g = { n: MATRIX, bs: 32, scaleFmt: 0, ...FP4_RNE, element, bits };
      const out = k.storageBuffer(device, (op === 'matvec' ? MATRIX : MATRIX * MATRIX) * 4);
      const run = op === 'matvec'
        ? () => k.encodeMatvec(device, codes, scales, x, MATRIX, g, consts, out)
        : () => k.encodeDequantize(device, codes, scales, MATRIX, g, consts, 'f32', out);
      return { run, release: [codes, scales, x, consts, out] };
    },
  }))),
];

async function residentTable(device, filters, copyGBs) {
  const k = await loadInternals();
  const done = k.storageBuffer(device, 4);
  const rows = [];
  const results = [];
  // Reading 4 bytes submits the batch and waits for it: its cost alone is taken off every timing.
  const roundTripNs = await measureAsync(() => k.readBuffer(device, done, 4), 5);
  for (const entry of residentKernels) {
    if (filters.length && !filters.includes(entry.group)) continue;
    const { run, release } = entry.setup(k, device);
    const totalNs = await measureAsync(async () => {
      for (let i = 0; i < REPEATS; i++) run();
      await k.readBuffer(device, done, 4);
    }, 2);
    const ns = Math.max(totalNs - roundTripNs, 1) / REPEATS;
    release.forEach((b) => b.destroy());
    const gbs = entry.bytes / ns;
    rows.push([entry.name, `${(ns / 1e6).toFixed(2)} ms`, gbs.toPrecision(3), `${((100 * gbs) / copyGBs).toPrecision(3)} %`]);
    results.push({ suite: 'gpu', lane: 'kernel only', kernel: entry.name, gpuNs: ns, gbps: gbs, ofCopy: gbs / copyGBs });
  }
  done.destroy();
  console.log(`kernel only: ${REPEATS} repetitions per submission; the submission's round trip (${(roundTripNs / 1e3).toFixed(0)} µs) is subtracted`);
  printTable(['kernel only (resident buffers, one submission)', 'per call', 'GB/s', 'of d2d copy'], rows);
  return results;
}

/**
 * Whether one more GPU call gave the CPU's result, so a run on new hardware also checks the kernels:
 * 'bit-exact', 'DIFFERS (…)' for integer results (MX codes and scales, bytes, decoded values), or the
 * largest difference relative to max |CPU| for float results; '—' where there is nothing to compare
 * (in-place transforms hand back the same array, CPU lanes that return nothing).
 */
function agreement(got, want) {
  if (got === want || got == null || want == null) return '—';
  if (got.codes && got.scales && want.codes && want.scales) {
    const bad = differing(got.codes, want.codes) + differing(got.scales, want.scales);
    return bad === 0 && got.tensorScale === want.tensorScale ? 'bit-exact' : `DIFFERS (${bad} bytes)`;
  }
  if (!ArrayBuffer.isView(got) || !ArrayBuffer.isView(want) || got.length !== want.length) return '—';
  const bad = differing(got, want);
  if (bad === 0) return 'bit-exact';
  if (!(got instanceof Float32Array)) return `DIFFERS (${bad} of ${want.length})`;
  let diff = 0;
  let peak = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    peak = Math.max(peak, Math.abs(want[i]));
  }
  return `rel. diff ${(diff / (peak || 1)).toExponential(1)}`;
}

/** Positions where two equal-length arrays differ (NaNs equal to NaNs). */
function differing(a, b) {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
  return count;
}

/** Best-of-`samples` wall time in ns of an async call (after one warm-up call: pipeline compilation). */
async function measureAsync(fn, samples = 5) {
  await fn();
  let best = Infinity;
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
  }
  return best;
}

function measureSync(fn, samples = 5) {
  fn();
  let best = Infinity;
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
  }
  return best;
}

const BUFFER = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, STORAGE: 0x80 };

/** The adapter's physical references, measured here: device-to-device copy, and upload + download of the same bytes. */
async function references(device, bytes) {
  const a = device.createBuffer({ size: bytes, usage: BUFFER.STORAGE | BUFFER.COPY_SRC | BUFFER.COPY_DST });
  const b = device.createBuffer({ size: bytes, usage: BUFFER.STORAGE | BUFFER.COPY_SRC | BUFFER.COPY_DST });
  const read = device.createBuffer({ size: bytes, usage: BUFFER.MAP_READ | BUFFER.COPY_DST });
  const host = floats(bytes / 4);
  const copies = 8;
  const submitCopies = async (count) => {
    const enc = device.createCommandEncoder();
    for (let i = 0; i < count; i++) enc.copyBufferToBuffer(i % 2 ? b : a, 0, i % 2 ? a : b, 0, bytes);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  // The empty submission's round trip is taken off, as for the kernel-only lanes.
  const emptyNs = await measureAsync(() => submitCopies(0));
  const copyNs = Math.max((await measureAsync(() => submitCopies(copies))) - emptyNs, 1);
  const roundTripNs = await measureAsync(async () => {
    device.queue.writeBuffer(a, 0, host);
    const enc = device.createCommandEncoder();
    enc.copyBufferToBuffer(a, 0, read, 0, bytes);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(1);
    read.unmap();
  });
  for (const buf of [a, b, read]) buf.destroy();
  // A copy reads and writes every byte: 2·bytes per copy, the convention of the kernels' `bytes`.
  return { copyGBs: (2 * bytes * copies) / (copyNs / copies) / copies, roundTripGBs: (2 * bytes) / roundTripNs };
}

export const gpuSuite = {
  name: 'gpu',
  async run(filters = []) {
    let device;
    try {
      device = await gpu.gpuDevice();
    } catch (e) {
      console.log(`\n@kompakt/gpu: no WebGPU adapter, nothing measured (${e.message})`);
      return [];
    }
    const info = device.adapterInfo ?? {};
    const adapter = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') || 'unknown adapter';
    if (LARGE && /swiftshader/i.test(adapter)) {
      // A GPU machine whose driver Dawn did not find falls back to the CPU: hours at these sizes, and no GPU figures.
      console.log(`\n@kompakt/gpu: the adapter is ${adapter} (no GPU driver found), not measuring the large sizes on it`);
      return [];
    }
    const cpuBackend = availableBackends().includes('native') ? 'native' : availableBackends()[0];
    setBackend(cpuBackend);
    const ref = await references(device, FLOATS * 4);
    console.log(`\n@kompakt/gpu on ${adapter}; CPU lane: ${cpuBackend} backend`);
    console.log(`device-to-device copy: ${ref.copyGBs.toFixed(1)} GB/s; upload + download round trip: ${ref.roundTripGBs.toFixed(1)} GB/s (${MIB} MiB, read + write bytes)`);
    const table = [];
    const results = [{ suite: 'gpu', adapter, kernel: 'device copy', gbps: ref.copyGBs }, { suite: 'gpu', adapter, kernel: 'host round trip', gbps: ref.roundTripGBs }];
    for (const k of gpuKernels) {
      if (filters.length && !filters.includes(k.group)) continue;
      const { gpu: runGpu, cpu, check } = k.setup();
      const gpuNs = await measureAsync(runGpu, 2);
      const cpuNs = measureSync(cpu, 3);
      const gbs = k.bytes / gpuNs;
      const agrees = agreement(...(check ? await check() : [await runGpu(), cpu()]));
      table.push([k.name, `${(gpuNs / 1e6).toFixed(2)} ms`, gbs.toPrecision(3), `${((100 * gbs) / ref.copyGBs).toPrecision(3)} %`, `${(cpuNs / 1e6).toFixed(2)} ms`, `${(cpuNs / gpuNs).toPrecision(3)}×`, agrees]);
      results.push({ suite: 'gpu', adapter, kernel: k.name, gpuNs, cpuNs, gbps: gbs, ofCopy: gbs / ref.copyGBs, cpuBackend, agrees });
    }
    setBackend('auto');
    printTable(['kernel (end to end: upload, kernels, download)', 'GPU', 'GB/s', 'of d2d copy', `CPU (${cpuBackend})`, 'CPU time / GPU time', 'GPU vs CPU'], table);
    console.log('');
    results.push(...(await residentTable(device, filters, ref.copyGBs)));
    return results;
  },
};
