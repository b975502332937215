/**
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw: "Parallel random numbers: as easy as 1, 2, 3", SC'11),
 * the counter-based generator of Random123, cuRAND, PyTorch and JAX. Counter-based means any element
 * of the stream is computed directly from (seed, index): the wasm, native and JS backends produce the
 * same bits however the work is split. Checked against Random123's known-answer vectors.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32s, without BigInt (16-bit limbs stay exact in doubles). */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + Math.floor(lh / 0x10000) + Math.floor(hl / 0x10000) + Math.floor(mid / 0x10000)) >>> 0;
}

/** One Philox4x32-10 block: 4 counter words and 2 key words in, 4 random words out (into `out`). */
export function philox4x32(
  c0: number, c1: number, c2: number, c3: number, key0: number, key1: number, out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let k0 = key0 >>> 0;
  let k1 = key1 >>> 0;
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ k0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ k1) >>> 0;
    x3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
  return out;
}

/** A 64-bit seed split into Philox's two key words. */
export interface PhiloxKey {
  key0: number;
  key1: number;
}

/**
 * Splits a seed into Philox key words. Accepts a non-negative safe integer or a bigint below 2^64;
 * anything else throws a RangeError/TypeError (callers turn that into a KompaktError with context).
 */
export function seedToKey(seed: number | bigint): PhiloxKey {
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) throw new RangeError(`seed must be in [0, 2^64), got ${seed}n`);
    return { key0: Number(seed & 0xffffffffn), key1: Number(seed >> 32n) };
  }
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`seed must be a non-negative safe integer or a bigint, got ${String(seed)}`);
  }
  return { key0: seed % 0x100000000, key1: Math.floor(seed / 0x100000000) };
}

/**
 * Fills `dst` (length a multiple of 4) with consecutive Philox blocks for counters
 * (lo + b, hi + carry, 0, 0), b = 0, 1, …: the layout of the wasm and native `philox4x32_fill`.
 */
export function philoxFill(dst: Uint32Array, key: PhiloxKey, counterLo = 0, counterHi = 0): Uint32Array {
  const block = new Uint32Array(4);
  for (let b = 0; b * 4 < dst.length; b++) {
    const lo = counterLo + b;
    philox4x32(lo >>> 0, (counterHi + Math.floor(lo / 0x100000000)) >>> 0, 0, 0, key.key0, key.key1, block);
    dst.set(block.subarray(0, Math.min(4, dst.length - b * 4)), b * 4);
  }
  return dst;
}

/**
 * The Kompakt sign stream (see docs/formats/sign-stream.md): sign i is bit (i mod 128) of Philox block
 * floor(i / 128), LSB first within each 32-bit word; a set bit means −1. Writes ±1 into `out`.
 */
export function rademacher(key: PhiloxKey, out: Float32Array): Float32Array {
  const block = new Uint32Array(4);
  for (let base = 0; base < out.length; base += 128) {
    const b = base / 128;
    philox4x32(b >>> 0, Math.floor(b / 0x100000000), 0, 0, key.key0, key.key1, block);
    const end = Math.min(out.length, base + 128);
    for (let i = base; i < end; i++) {
      const j = i - base;
      out[i] = (block[j >>> 5] >>> (j & 31)) & 1 ? -1 : 1;
    }
  }
  return out;
}
