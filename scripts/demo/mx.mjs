// `npm start`, part 2: the real USE-lite weight matrices in MXFP4, NVFP4 and MXFP8, with and without
// a blockwise randomized Hadamard rotation first: signal-to-quantization-noise ratio per format.
import { dequantize, errorStats, quantize } from '@kompakt/mx';

const FORMATS = [
  ['mxfp4', '4.25 bits/value, e2m1 + e8m0 per 32'],
  ['nvfp4', '4.5  bits/value, e2m1 + ue4m3 per 16 + f32'],
  ['mxfp6-e2m3', '6.25 bits/value, e2m3 + e8m0 per 32'],
  ['mxfp8-e4m3', '8.25 bits/value, e4m3 + e8m0 per 32'],
];

/** SQNR (dB) of every 2-D f32 weight matrix, quantized along its last axis, pooled over the model. */
export function mxDemo(tensors) {
  const weights = tensors.filter((t) => t.dtype === 'float32' && t.shape.length === 2 && t.shape[1] % 32 === 0);
  const values = weights.reduce((s, t) => s + t.data.length, 0);
  console.log(`\n## MX and NVFP4 on the real weights`);
  console.log(`${weights.length} weight matrices, ${(values / 1e6).toFixed(2)} M values, quantized along the last axis`);
  console.log(`(hadamard: a randomized Hadamard rotation over each block before quantizing, undone after)\n`);
  console.log(`${'format'.padEnd(12)}${'size'.padEnd(46)}${'SQNR'.padStart(9)}${'+ hadamard'.padStart(12)}${'ms'.padStart(8)}`);
  for (const [format, size] of FORMATS) {
    const row = [];
    let ms = 0;
    for (const hadamard of [false, true]) {
      let signal = 0;
      let noise = 0;
      const t0 = performance.now();
      for (const t of weights) {
        const opts = { format, n: t.shape[1], ...(hadamard ? { hadamard: { seed: 1 } } : {}) };
        const q = quantize(t.data, opts);
        const y = dequantize(q, opts);
        const { mse } = errorStats(t.data, y, { n: t.shape[1] });
        noise += mse * t.data.length;
        for (const v of t.data) signal += v * v;
      }
      if (!hadamard) ms = performance.now() - t0;
      row.push(`${(10 * Math.log10(signal / noise)).toFixed(2)} dB`);
    }
    console.log(`${format.padEnd(12)}${size.padEnd(46)}${row[0].padStart(9)}${row[1].padStart(12)}${ms.toFixed(0).padStart(8)}`);
  }
  console.log(`\nSQNR = 10·log10(Σx² / Σ(x − dequantize(quantize(x)))²), higher is better; ms = quantize + dequantize of all matrices.`);
}
