import { availableBackends, setBackend } from '@kompakt/core';
import { dequantize, matvec, quantize } from '@kompakt/mx';
import { measure, printTable } from './measure.mjs';

const INPUT_BYTES = 64 << 20; // 64 MiB of f32 per quantize call
// Quantize calls: best of this many single calls for the baseline and every lane alike, so that on a
// shared machine neither side of a ratio gets more chances at an undisturbed call than the other.
const QUANTIZE_SAMPLES = 7;
const E2M1 = [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6];

// ---- the baselines: straightforward JS a user would write from the spec --------------------------

/** E2M1 round-to-nearest-even of a magnitude already divided by the scale (the decision table of the OCP/ml_dtypes rule). */
function e2m1Code(v) {
  const a = Math.abs(v);
  const m = a <= 0.25 ? 0 : a < 0.75 ? 1 : a <= 1.25 ? 2 : a < 1.75 ? 3 : a <= 2.5 ? 4 : a < 3.5 ? 5 : a <= 5 ? 6 : 7;
  return v < 0 || Object.is(v, -0) ? m | 8 : m;
}

function jsQuantizeMxfp4(x) {
  const blocks = x.length / 32;
  const codes = new Uint8Array(x.length / 2);
  const scales = new Uint8Array(blocks);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(x[b * 32 + i]));
    const se = amax === 0 ? -127 : Math.max(-127, Math.min(127, Math.floor(Math.log2(amax)) - 2));
    scales[b] = se + 127;
    const inv = 2 ** -se;
    for (let j = 0; j < 16; j++) {
      codes[b * 16 + j] = e2m1Code(x[b * 32 + 2 * j] * inv) | (e2m1Code(x[b * 32 + 2 * j + 1] * inv) << 4);
    }
  }
  return { codes, scales };
}

/** UE4M3 round-to-nearest-even of a positive scale, clamped to [2^-9, 448]. */
function ue4m3(v) {
  const c = Math.min(448, Math.max(2 ** -9, v));
  const e = Math.max(-6, Math.floor(Math.log2(c)));
  const q = 2 ** (e - 3);
  let m = Math.round(c / q); // ties: fix to even below
  if (Math.abs(c / q - Math.trunc(c / q) - 0.5) < 1e-12 && m % 2 === 1) m -= 1;
  return m * q;
}

function jsQuantizeNvfp4(x) {
  let amax = 0;
  for (let i = 0; i < x.length; i++) amax = Math.max(amax, Math.abs(x[i]));
  const sg = amax / (6 * 448) || 1;
  const blocks = x.length / 16;
  const codes = new Uint8Array(x.length / 2);
  const scales = new Float32Array(blocks); // the decoded scale: a baseline need not pack bytes
  for (let b = 0; b < blocks; b++) {
    let bamax = 0;
    for (let i = 0; i < 16; i++) bamax = Math.max(bamax, Math.abs(x[b * 16 + i]));
    const sb = bamax === 0 ? 0 : ue4m3(bamax / (6 * sg));
    scales[b] = sb;
    const inv = sb === 0 ? 0 : 1 / (sb * sg);
    for (let j = 0; j < 8; j++) codes[b * 8 + j] = e2m1Code(x[b * 16 + 2 * j] * inv) | (e2m1Code(x[b * 16 + 2 * j + 1] * inv) << 4);
  }
  return { codes, scales, sg };
}

function jsDequantizeMxfp4({ codes, scales }) {
  const out = new Float32Array(codes.length * 2);
  for (let b = 0; b < scales.length; b++) {
    const s = 2 ** (scales[b] - 127);
    for (let j = 0; j < 16; j++) {
      const byte = codes[b * 16 + j];
      out[b * 32 + 2 * j] = E2M1[byte & 15] * s;
      out[b * 32 + 2 * j + 1] = E2M1[byte >> 4] * s;
    }
  }
  return out;
}

function jsMatvecMxfp4({ codes, scales }, x, rows, n) {
  const y = new Float32Array(rows);
  const nb = n / 32;
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    for (let b = 0; b < nb; b++) {
      let part = 0;
      const base = (r * nb + b) * 16;
      for (let j = 0; j < 16; j++) {
        const byte = codes[base + j];
        part += E2M1[byte & 15] * x[b * 32 + 2 * j] + E2M1[byte >> 4] * x[b * 32 + 2 * j + 1];
      }
      acc += part * 2 ** (scales[r * nb + b] - 127);
    }
    y[r] = acc;
  }
  return y;
}

// ---- the suite -------------------------------------------------------------------------------

function lanesFor(run) {
  const backends = availableBackends();
  return [
    ...(backends.includes('wasm-scalar') ? [['wasm scalar', 'wasm-scalar']] : []),
    ...(backends.includes('wasm-simd') ? [['wasm SIMD', 'wasm-simd']] : []),
    ...(backends.includes('native') ? [['native, 1 thread', 'native', 1], ['native, all threads', 'native', 0]] : []),
  ].map(([label, backend, threads]) => [label, () => { setBackend(backend); return run(threads); }]);
}

function table(title, bytes, memcpyNs, baselineLabel, baselineNs, lanes) {
  const rows = [['memcpy of the same bytes (physical reference)', fmt(memcpyNs), gbps(bytes, memcpyNs), '', '1.00×']];
  rows.push([baselineLabel, fmt(baselineNs), gbps(bytes, baselineNs), '1.0×', `${(memcpyNs / baselineNs).toFixed(2)}×`]);
  for (const [label, ns] of lanes) rows.push([label, fmt(ns), gbps(bytes, ns), `${(baselineNs / ns).toFixed(1)}×`, `${(memcpyNs / ns).toFixed(2)}×`]);
  console.log(`\n${title}`);
  printTable(['lane', 'time / call', 'GB/s', 'vs baseline', 'vs memcpy'], rows);
}

export const mx = {
  name: 'mx',
  async run() {
    const length = INPUT_BYTES / 4;
    // Gaussian-ish data with outliers, like weights: a sum of uniforms plus rare spikes.
    const x = Float32Array.from({ length }, (_, i) => {
      const u = ((Math.imul(i, 2654435761) >>> 0) / 2 ** 32) + ((Math.imul(i ^ 0x5bd1e995, 40503) >>> 0) / 2 ** 32) - 1;
      return i % 997 === 0 ? u * 40 : u;
    });
    const copy = new Float32Array(length);
    const memcpyNs = measure(() => copy.set(x), { samples: 5 });
    const results = [];
    const record = (kernel, lane, ns, baselineNs) => results.push({ suite: 'mx', kernel, lane, ns, bytes: INPUT_BYTES, vsBaseline: baselineNs / ns, vsMemcpy: memcpyNs / ns });

    for (const [format, jsQuantize] of [['mxfp4', jsQuantizeMxfp4], ['nvfp4', jsQuantizeNvfp4]]) {
      const base = measure(() => jsQuantize(x), { samples: QUANTIZE_SAMPLES, minMs: 1 });
      const lanes = lanesFor((threads) => quantize(x, { format, ...(threads === undefined ? {} : { threads }) }))
        .map(([label, fn]) => [label, measure(fn, { samples: QUANTIZE_SAMPLES, minMs: 1 })]);
      setBackend('auto');
      table(`quantize ${format} (rne, floor), 64 MiB f32`, INPUT_BYTES, memcpyNs, 'straightforward JS (baseline)', base, lanes);
      record(`quantize ${format}`, 'baseline', base, base);
      for (const [label, ns] of lanes) record(`quantize ${format}`, label, ns, base);
    }

    const q = quantize(x, { format: 'mxfp4' });
    const deqBase = measure(() => jsDequantizeMxfp4(q), { samples: 3, minMs: 1 });
    const deqLanes = lanesFor((threads) => dequantize(q, { format: 'mxfp4', ...(threads === undefined ? {} : { threads }) }))
      .map(([label, fn]) => [label, measure(fn, { samples: 5, minMs: 1 })]);
    setBackend('auto');
    table('dequantize mxfp4 → f32, 64 MiB of output', INPUT_BYTES, memcpyNs, 'straightforward JS (baseline)', deqBase, deqLanes);
    for (const [label, ns] of deqLanes) record('dequantize mxfp4', label, ns, deqBase);

    const rows = 4096;
    const n = 4096;
    const w = quantize(x.subarray(0, rows * n), { format: 'mxfp4' });
    const v = x.subarray(0, n);
    const mvBase = measure(() => jsMatvecMxfp4(w, v, rows, n), { samples: 3, minMs: 1 });
    const mvLanes = lanesFor((threads) => matvec(w, v, { format: 'mxfp4', rows, n, ...(threads === undefined ? {} : { threads }) }))
      .map(([label, fn]) => [label, measure(fn, { samples: 5, minMs: 20 })]);
    setBackend('auto');
    // The physical floor of a matvec is streaming the packed weights once: memcpy of those bytes.
    const packed = new Uint8Array(w.codes.length + w.scales.length);
    const packedCopy = new Uint8Array(packed.length);
    const mvMemcpy = measure(() => packedCopy.set(packed));
    table(`matvec mxfp4 ${rows}×${n} · f32 (GB/s = packed weight bytes streamed)`, packed.length, mvMemcpy, 'straightforward JS (baseline)', mvBase, mvLanes);
    for (const [label, ns] of mvLanes) record('matvec mxfp4 4096x4096', label, ns, mvBase);
    return results;
  },
};

function fmt(ns) {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`;
}

function gbps(bytes, ns) {
  return (bytes / ns).toFixed(2);
}
