// The app the bundler test builds: it imports every browser package the way an application does and
// computes a small result with each. The same module runs unbundled in Node for the reference results.
import { narrow16, toBf16, widen16 } from '@kompakt/core';
import { compressTensor, decompressTensor } from '@kompakt/entropy';
import { fwht, getBackend, irht, rht } from '@kompakt/hadamard';
import { readNpy, readSafetensors, writeNpy, writeSafetensors } from '@kompakt/io';
import { dequantize as latticeDequantize, nearestE8, quantize as latticeQuantize } from '@kompakt/lattice';
import { sketchTexts } from '@kompakt/minhash';
import { quantize } from '@kompakt/mx';

/** Deterministic N(0, 0.02)-like values (sum of four LCG uniforms). */
function weights(n, seed) {
  let s = seed >>> 0;
  const u = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Float32Array.from({ length: n }, () => (u() + u() + u() + u() - 2) * 0.035);
}

const sqnrDb = (x, y) => 10 * Math.log10(x.reduce((a, v) => a + v * v, 0) / x.reduce((a, v, i) => a + (v - y[i]) ** 2, 0));

export async function run() {
  const w = weights(4096, 1);
  const rotated = rht(w.slice(), { n: 256, seed: 3 });
  const back = irht(rotated.slice(), { n: 256, seed: 3 });
  const mx = quantize(Float32Array.of(0, 0.5, 4, -0, -0, 1, -6, 3), { format: 'mxfp4', n: 8 });
  const bytes = new Uint8Array(w.buffer);
  const packed = compressTensor(bytes, { dtype: 'f32' });
  const unpacked = decompressTensor(packed);
  const lq = latticeQuantize(w, { codebook: 'e8p', n: 256 });
  const [a, b] = sketchTexts(['the quick brown fox jumps over the lazy dog today', 'the quick brown fox jumps over the lazy cat today'], { method: 'classic', numPerm: 128 });
  const st = readSafetensors(writeSafetensors({ w: { dtype: 'BF16', shape: [2, 2], data: narrow16(Float32Array.of(1, -2, 0.5, 3), 'bf16') } }));
  const npy = readNpy(writeNpy(w.subarray(0, 6), { shape: [2, 3] }));
  return {
    core: { bf16One: toBf16(1), widened: Array.from(widen16(narrow16(Float32Array.of(1.5, -2), 'bf16'), 'bf16')) },
    hadamard: {
      backend: getBackend(),
      fwht: Array.from(fwht(Float32Array.of(1, 2, 3, 4), { normalize: false })),
      rotatedHead: Array.from(rotated.subarray(0, 4)),
      roundTripMaxError: back.reduce((m, v, i) => Math.max(m, Math.abs(v - w[i])), 0),
    },
    mx: { codes: Array.from(mx.codes.subarray(0, 4), (c) => c.toString(16)).join(','), scale: mx.scales[0] },
    entropy: { packedBytes: packed.length, ratio: packed.length / bytes.length, exact: unpacked.length === bytes.length && unpacked.every((v, i) => v === bytes[i]) },
    lattice: { nearestE8: Array.from(nearestE8(Float32Array.of(0.9, 0.1, -1.2, 0.4, 0.6, 0, 2.1, -0.3))), codes: lq.codes.length, sqnrDb: sqnrDb(w, latticeDequantize(lq, { codebook: 'e8p', n: 256 })) },
    minhash: { jaccard: a.jaccard(b) },
    io: { names: st.names(), bf16: Array.from(widen16(st.tensor('w').data, 'bf16')), npyShape: npy.shape, npyFirst: npy.data[0] },
  };
}
