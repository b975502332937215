// Independent BigInt models of the kernels (docs/internals.md, "MinHash"): slow, obviously correct
// translations of the written contract, so a kernel change that breaks the ABI fails here.
import { datasketchPermutations, linearPermutations, MERSENNE_61, type TokenHash } from '@kompakt/minhash';

const M64 = (1n << 64n) - 1n;

/**
 * Classic MinHash, the minimum per permutation j over the tokens h. 'sha1' (datasketch):
 * ((a·h + b) mod 2^64) mod (2^61 − 1), low 32 bits; 'xxh32': (a·fmix32(h) + b) mod 2^32.
 */
export function classicReference(hashes: Uint32Array, k: number, seed: number, hash: TokenHash): Uint32Array {
  const sig = new Uint32Array(k).fill(0xffffffff);
  const { a, b } = hash === 'sha1' ? datasketchPermutations(k, seed) : linearPermutations(k, seed);
  for (let j = 0; j < k; j++) {
    const [aj, bj] = [BigInt(a[j]), BigInt(b[j])];
    for (const h of hashes) {
      const v = hash === 'sha1'
        ? Number((((aj * BigInt(h) + bj) & M64) % MERSENNE_61) & 0xffffffffn)
        : Number((aj * BigInt(fmix32(h)) + bj) & 0xffffffffn);
      if (v < sig[j]) sig[j] = v;
    }
  }
  return sig;
}

/** MurmurHash3's fmix32, in BigInt steps. */
export function fmix32(h: number): number {
  const M32 = 0xffffffffn;
  let x = BigInt(h);
  x ^= x >> 16n;
  x = (x * 0x85ebca6bn) & M32;
  x ^= x >> 13n;
  x = (x * 0xc2b2ae35n) & M32;
  return Number(x ^ (x >> 16n));
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

/** XXH32 (seed 0) of bytes, in plain JS: the checksum of saved indexes. */
export function xxh32(bytes: Uint8Array): number {
  const P = [0x9e3779b1, 0x85ebca77, 0xc2b2ae3d, 0x27d4eb2f, 0x165667b1];
  const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  const u32 = (i: number) => (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
  const round = (acc: number, lane: number) => Math.imul(rotl((acc + Math.imul(lane, P[1])) >>> 0, 13), P[0]) >>> 0;
  let i = 0;
  let h: number;
  if (bytes.length >= 16) {
    const v = [(P[0] + P[1]) >>> 0, P[1], 0, (0 - P[0]) >>> 0];
    for (; i + 16 <= bytes.length; i += 16) for (let l = 0; l < 4; l++) v[l] = round(v[l], u32(i + 4 * l));
    h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) >>> 0;
  } else h = P[4];
  h = (h + bytes.length) >>> 0;
  for (; i + 4 <= bytes.length; i += 4) h = Math.imul(rotl((h + Math.imul(u32(i), P[2])) >>> 0, 17), P[3]) >>> 0;
  for (; i < bytes.length; i++) h = Math.imul(rotl((h + Math.imul(bytes[i], P[4])) >>> 0, 11), P[0]) >>> 0;
  h = Math.imul(h ^ (h >>> 15), P[1]);
  h = Math.imul(h ^ (h >>> 13), P[2]);
  return (h ^ (h >>> 16)) >>> 0;
}
