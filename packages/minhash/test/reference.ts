// Independent BigInt models of the kernels (docs/internals.md, "MinHash"): slow, obviously correct
// translations of the written contract, so a kernel change that breaks the ABI fails here.
import { datasketchPermutations, MERSENNE_61 } from '@kompakt/minhash';

const M64 = (1n << 64n) - 1n;

/** datasketch: min over tokens of ((a·h + b) mod 2^64) mod (2^61 − 1), low 32 bits. */
export function classicReference(hashes: Uint32Array, k: number, seed: number): Uint32Array {
  const { a, b } = datasketchPermutations(k, seed);
  const sig = new Uint32Array(k).fill(0xffffffff);
  for (let j = 0; j < k; j++) {
    for (const h of hashes) {
      const v = Number((((a[j] * BigInt(h) + b[j]) & M64) % MERSENNE_61) & 0xffffffffn);
      if (v < sig[j]) sig[j] = v;
    }
  }
  return sig;
}

function fmix64(x: bigint): bigint {
  x ^= x >> 33n;
  x = (x * 0xff51afd7ed558ccdn) & M64;
  x ^= x >> 33n;
  x = (x * 0xc4ceb9fe1a85ec53n) & M64;
  return x ^ (x >> 33n);
}

const reduce = (x: bigint, k: number) => Number((x * BigInt(k)) >> 32n);

export function ophReference(hashes: Uint32Array, k: number, seed: number): Uint32Array {
  const key = fmix64((BigInt(seed) + 0x9e3779b97f4a7c15n) & M64);
  const bins = new Uint32Array(k).fill(0xffffffff);
  for (const h of hashes) {
    const g = fmix64(BigInt(h) ^ key);
    const bin = reduce(g >> 32n, k);
    const v = Math.min(Number(g & 0xffffffffn), 0xfffffffe);
    if (v < bins[bin]) bins[bin] = v;
  }
  return bins;
}

/** Optimal densification from the snapshot (probes 1 … 4096, then a linear scan). */
export function densifyReference(bins: Uint32Array, seed: number): Uint32Array {
  const k = bins.length;
  const key = fmix64(BigInt(seed) ^ 0xd1b54a32d192ed03n);
  const out = bins.slice();
  if (bins.every((v) => v === 0xffffffff)) return out;
  for (let j = 0; j < k; j++) {
    if (bins[j] !== 0xffffffff) continue;
    let attempt = 1;
    let p = reduce(fmix64((key + ((BigInt(j) << 32n) | BigInt(attempt))) & M64) >> 32n, k);
    while (bins[p] === 0xffffffff) {
      if (attempt < 4096) p = reduce(fmix64((key + ((BigInt(j) << 32n) | BigInt(++attempt))) & M64) >> 32n, k);
      else p = (p + 1) % k;
    }
    out[j] = bins[p];
  }
  return out;
}
