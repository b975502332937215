import { narrow16 } from '@kompakt/core';
import { compressTensor, decompressTensor } from '@kompakt/entropy';
import { readModel } from './tfjs.mjs';
const t = (await readModel()).filter((x) => x.dtype === 'float32');
const f32 = new Float32Array(t.reduce((n, x) => n + x.data.length, 0));
t.reduce((at, x) => (f32.set(x.data, at), at + x.data.length), 0);
const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
for (const [label, dtype, bytes] of [['f32', 'f32', new Uint8Array(f32.buffer)], ['bf16', 'bf16', new Uint8Array(narrow16(f32, 'bf16').buffer)]]) {
  for (const opts of [{}, { context: true }]) {
    let t0 = performance.now();
    const c = compressTensor(bytes, { dtype, ...opts });
    const t1 = performance.now();
    const d = decompressTensor(c);
    const t2 = performance.now();
    console.log(label, JSON.stringify(opts), (c.length / bytes.length).toFixed(5), 'enc', (bytes.length / 1e3 / (t1 - t0)).toFixed(0), 'dec', (bytes.length / 1e3 / (t2 - t1)).toFixed(0), same(d, bytes));
  }
}
