// Plain-JS MinHash, the baseline of throughput.mjs: what a careful pure-JS library can do (no
// BigInt in the hot loop). Classic uses the same u64-wrapping permutations as the wasm kernel via
// 32-bit limbs; OPH uses 32-bit mixes (not bit-identical to the kernel, same cost class).
import { datasketchPermutations, shingles } from '@kompakt/minhash';

function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const TWO32 = 4294967296;

export function plainClassic(docs, k) {
  const { a, b } = datasketchPermutations(k, 1);
  const aLo = Array.from(a, (x) => Number(x & 0xffffffffn));
  const aHi = Array.from(a, (x) => Number(x >> 32n));
  const bLo = Array.from(b, (x) => Number(x & 0xffffffffn));
  const bHi = Array.from(b, (x) => Number(x >> 32n));
  return docs.map((doc) => {
    const hashes = shingles(doc).map(fnv1a);
    const sig = new Uint32Array(k).fill(0xffffffff);
    for (let j = 0; j < k; j++) {
      let m = 0xffffffff;
      for (const h of hashes) {
        const p0 = aLo[j] * (h & 0xffff);
        const p1 = aLo[j] * (h >>> 16);
        const t = p0 + (p1 % 65536) * 65536;
        const tHi = Math.floor(t / TWO32);
        let xlo = t - tHi * TWO32 + bLo[j];
        const c = xlo >= TWO32 ? 1 : 0;
        xlo -= c * TWO32;
        const xhi = (tHi + Math.floor(p1 / 65536) + (Math.imul(aHi[j], h) >>> 0) + bHi[j] + c) >>> 0;
        let rlo = xlo + (xhi >>> 29);
        const c2 = rlo >= TWO32 ? 1 : 0;
        rlo -= c2 * TWO32;
        const rhi = (xhi & 0x1fffffff) + c2;
        const v = (rlo + ((rhi + (rlo === TWO32 - 1 ? 1 : 0)) >>> 29)) >>> 0;
        if (v < m) m = v;
      }
      sig[j] = m;
    }
    return sig;
  });
}

function fmix32(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function plainOph(docs, k) {
  return docs.map((doc) => {
    const bins = new Uint32Array(k).fill(0xffffffff);
    for (const s of shingles(doc)) {
      const h = fnv1a(s);
      const bin = Math.floor((fmix32(h ^ 0x9e3779b9) * k) / TWO32);
      const v = Math.min(fmix32(h ^ 0x7f4a7c15), 0xfffffffe);
      if (v < bins[bin]) bins[bin] = v;
    }
    const out = bins.slice();
    for (let j = 0; j < k; j++) {
      if (bins[j] !== 0xffffffff) continue;
      for (let t = 1; ; t++) {
        const p = Math.floor((fmix32(Math.imul(j + 1, 0x9e3779b1) ^ t) * k) / TWO32);
        if (bins[p] !== 0xffffffff) {
          out[j] = bins[p];
          break;
        }
        if (t > 1 << 16) break; // an empty document
      }
    }
    return out;
  });
}
