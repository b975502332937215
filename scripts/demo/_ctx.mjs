import { narrow16 } from '@kompakt/core';
import { readModel } from './tfjs.mjs';
const t = (await readModel()).filter((x) => x.dtype === 'float32');
const f32 = new Float32Array(t.reduce((n, x) => n + x.data.length, 0));
t.reduce((at, x) => (f32.set(x.data, at), at + x.data.length), 0);
function planesOf(bytes, E) {
  const n = bytes.length / E; const P = [];
  for (let p = 0; p < E; p++) P.push(new Uint8Array(n));
  for (let i = 0; i < n; i++) {
    if (E === 4) { const w = bytes[4*i] | bytes[4*i+1] << 8 | bytes[4*i+2] << 16 | bytes[4*i+3] << 24;
      P[0][i] = w & 255; P[1][i] = (w >>> 8) & 255; P[2][i] = ((w >>> 16) & 0x7f) | ((w >>> 31) << 7); P[3][i] = (w >>> 23) & 255; }
    else { const h = bytes[2*i] | bytes[2*i+1] << 8; P[0][i] = (h & 0x7f) | ((h >> 15) << 7); P[1][i] = (h >> 7) & 255; }
  }
  return P;
}
const H = (c, n) => { let b = 0; for (const v of c) if (v) b -= v * Math.log2(v / n); return b; };
function condBits(sym, ctx, n) { // sum over contexts of H(sym|ctx=c)*n_c, plus count of used contexts
  const tab = new Map(); 
  for (let i = 0; i < n; i++) { const c = ctx(i); let a = tab.get(c); if (!a) tab.set(c, a = new Float64Array(256)); a[sym[i]]++; }
  let bits = 0; let used = 0;
  for (const a of tab.values()) { const m = a.reduce((x, y) => x + y, 0); bits += H(a, m); used++; }
  return [bits, used];
}
for (const [label, E, bytes] of [['f32', 4, new Uint8Array(f32.buffer)], ['bf16', 2, new Uint8Array(narrow16(f32, 'bf16').buffer)]]) {
  const C = 1 << 18; const tot = {};
  const add = (k, v) => (tot[k] = (tot[k] || 0) + v);
  for (let at = 0; at < bytes.length; at += C) {
    const P = planesOf(bytes.subarray(at, Math.min(at + C, bytes.length)), E); const n = P[0].length; const ex = P[E - 1];
    for (let p = 0; p < E; p++) {
      const c = new Float64Array(256); for (const v of P[p]) c[v]++;
      add(`p${p} o0`, H(c, n));
      add(`p${p} prev-same`, condBits(P[p], (i) => i ? P[p][i - 1] : 256, n)[0]);
      if (p !== E - 1) add(`p${p} |exp`, condBits(P[p], (i) => ex[i], n)[0]);
      if (p === E - 1) add(`p${p} |prev2`, condBits(P[p], (i) => i > 1 ? (P[p][i - 1] << 8 | P[p][i-2]) : 65536, n)[0]);
      if (p === E - 1) add(`p${p} |prev>>1`, condBits(P[p], (i) => i ? P[p][i - 1]  : 256, n)[1]);
    }
  }
  console.log(label, bytes.length);
  for (const [k, v] of Object.entries(tot)) console.log(k.padEnd(16), (v / 8 / bytes.length * E).toFixed(4), 'of plane, ', (v / 8 / bytes.length).toFixed(4), 'of total');
}
