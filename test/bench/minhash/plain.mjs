// Plain-JS MinHash, the baseline of throughput.mjs: what a careful pure-JS library can do (no
// BigInt in the hot loop). Classic uses the same 32-bit permutation family as the 'xxh32' kernels
// ((a·fmix32(h) + b) mod 2^32, Math.imul); OPH uses 32-bit mixes (not bit-identical to the kernel,
// same cost class). Token hashes are FNV-1a of each shingle string.
import { linearPermutations, shingles } from '@kompakt/minhash';

function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const TWO32 = 4294967296;

export function plainClassic(docs, k) {
  const { a, b } = linearPermutations(k, 1);
  return docs.map((doc) => {
    const mixed = shingles(doc).map((s) => fmix32(fnv1a(s)));
    const sig = new Uint32Array(k).fill(0xffffffff);
    for (let j = 0; j < k; j++) {
      let m = 0xffffffff;
      for (const y of mixed) {
        const v = (Math.imul(a[j], y) + b[j]) >>> 0;
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
