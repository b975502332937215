// Philox4x32-10 (Salmon et al., SC'11, as in Random123) and the Rademacher sign stream built on it.
// The stream is part of the format (docs/internals.md, "Sign stream"): the same seed gives the same
// signs on every backend and in every release, so nothing here may change.

// @ts-ignore: decorator
@inline const M0: u64 = 0xd2511f53;
// @ts-ignore: decorator
@inline const M1: u64 = 0xcd9e8d57;
// @ts-ignore: decorator
@inline const W0: u32 = 0x9e3779b9;
// @ts-ignore: decorator
@inline const W1: u32 = 0xbb67ae85;

// The four output words of the block being expanded; static so no allocation is needed.
const block = memory.data(16, 16);

// Writes Philox4x32-10(counter = (c0, c1, c2, c3), key = (k0, k1)) as 4 u32 at `out`.
function philoxBlock(out: usize, c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    // mulhilo32 through one 64-bit product each; the high halves feed the xors.
    const p0 = M0 * <u64>c0;
    const p1 = M1 * <u64>c2;
    const n0 = <u32>(p1 >>> 32) ^ c1 ^ k0;
    const n2 = <u32>(p0 >>> 32) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = n0;
    c2 = n2;
    k0 += W0;
    k1 += W1;
  }
  store<u32>(out, c0);
  store<u32>(out, c1, 4);
  store<u32>(out, c2, 8);
  store<u32>(out, c3, 12);
}

/**
 * Writes `blocks` Philox4x32-10 blocks (4 u32 each) to `dst`; block b uses the 64-bit counter
 * (ctr_hi:ctr_lo) + b as words 0-1 and zeros as words 2-3, key (key0, key1).
 */
export function philox4x32_fill(dst: usize, blocks: u32, ctr_lo: u32, ctr_hi: u32, key0: u32, key1: u32): void {
  const start = (<u64>ctr_hi << 32) | <u64>ctr_lo;
  for (let b: u32 = 0; b < blocks; b++) {
    const c = start + <u64>b;
    philoxBlock(dst + (<usize>b << 4), <u32>c, <u32>(c >>> 32), 0, 0, key0, key1);
  }
}

/**
 * Writes `n` f32 Rademacher signs (±1) to `dst` for the 64-bit seed (key1:key0): sign i is bit
 * (i mod 32) of word ((i mod 128) / 32) of block i / 128, 1 meaning -1.
 */
export function rademacher_fill(dst: usize, n: u32, key0: u32, key1: u32): void {
  let base: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    // Lane l of step t tests bit 4t + l of a word, which is shifted right by 4 after each step.
    // Constants come from static memory: V8 keeps loaded values in registers but rebuilds an
    // inline v128.const at every use.
    const k = memory.data<u32>([1, 2, 4, 8, 0x80000000, 0x3f800000]);
    const lanes = v128.load(k);
    const signBit = v128.load32_splat(k, 16);
    const one = v128.load32_splat(k, 20);
    const zero = i32x4.splat(0);
    for (; base + 128 <= n; base += 128) {
      philoxBlock(block, base >>> 7, 0, 0, 0, key0, key1);
      let out = dst + (<usize>base << 2);
      for (let w: usize = 0; w < 4; w++) {
        let v = v128.load32_splat(block + (w << 2));
        for (let t = 0; t < 8; t++) {
          const clear = i32x4.eq(v128.and(v, lanes), zero);
          v128.store(out, v128.or(v128.andnot(signBit, clear), one));
          v = i32x4.shr_u(v, 4);
          out += 16;
        }
      }
    }
  }
  for (; base < n; base += 128) {
    philoxBlock(block, base >>> 7, 0, 0, 0, key0, key1);
    const count = min<u32>(n - base, 128);
    const out = dst + (<usize>base << 2);
    for (let j: u32 = 0; j < count; j++) {
      const bit = (load<u32>(block + (<usize>(j >>> 5) << 2)) >>> (j & 31)) & 1;
      // +1.0f with the sign bit set by the stream bit.
      store<u32>(out + (<usize>j << 2), 0x3f800000 | (bit << 31));
    }
  }
}
