// Byte-level helpers of the tensor codec: byte planes (ZipNN-style), XOR delta and histograms.
// f32 and bf16 planes rotate the sign bit out of the exponent byte so that one plane holds the pure
// exponent: it is the only plane with low entropy, and the sign bit would double its alphabet.

const U8: i32 = 0;
const F16: i32 = 1;
const BF16: i32 = 2;
const F32: i32 = 3;

/** Splits `count` elements of `dtype` at `src` into byte planes at `dst` (plane p at dst + p·count). */
export function tensor_split(src: usize, count: usize, dtype: i32, dst: usize): void {
  if (dtype == U8) {
    memory.copy(dst, src, count);
  } else if (dtype == F32) {
    for (let i: usize = 0; i < count; i++) {
      const w = load<u32>(src + (i << 2));
      store<u8>(dst + i, <u8>w);
      store<u8>(dst + count + i, <u8>(w >>> 8));
      store<u8>(dst + 2 * count + i, <u8>(((w >>> 16) & 0x7F) | ((w >>> 31) << 7)));
      store<u8>(dst + 3 * count + i, <u8>(w >>> 23));
    }
  } else {
    const bf = dtype == BF16;
    for (let i: usize = 0; i < count; i++) {
      const h = <u32>load<u16>(src + (i << 1));
      store<u8>(dst + i, <u8>(bf ? (h & 0x7F) | ((h >>> 15) << 7) : h));
      store<u8>(dst + count + i, <u8>(bf ? h >>> 7 : h >>> 8));
    }
  }
}

/** Inverse of tensor_split. */
export function tensor_merge(src: usize, count: usize, dtype: i32, dst: usize): void {
  if (dtype == U8) {
    memory.copy(dst, src, count);
  } else if (dtype == F32) {
    for (let i: usize = 0; i < count; i++) {
      const b2 = <u32>load<u8>(src + 2 * count + i);
      const w = <u32>load<u8>(src + i) | (<u32>load<u8>(src + count + i) << 8) | ((b2 & 0x7F) << 16) |
        (<u32>load<u8>(src + 3 * count + i) << 23) | ((b2 >>> 7) << 31);
      store<u32>(dst + (i << 2), w);
    }
  } else {
    const bf = dtype == BF16;
    for (let i: usize = 0; i < count; i++) {
      const lo = <u32>load<u8>(src + i);
      const hi = <u32>load<u8>(src + count + i);
      store<u16>(dst + (i << 1), <u16>(bf ? (lo & 0x7F) | (hi << 7) | ((lo >>> 7) << 15) : lo | (hi << 8)));
    }
  }
}

/** dst[i] = a[i] ^ b[i]; dst may alias a or b. */
export function xor_bytes(dst: usize, a: usize, b: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.xor(v128.load(a + i), v128.load(b + i)));
  }
  for (; i + 8 <= n; i += 8) store<u64>(dst + i, load<u64>(a + i) ^ load<u64>(b + i));
  for (; i < n; i++) store<u8>(dst + i, load<u8>(a + i) ^ load<u8>(b + i));
}

/**
 * Byte histogram into counts (u32[256], overwritten). Four sub-histograms break the store-to-load
 * dependency when neighbouring bytes repeat, which is the common case in exponent planes.
 */
export function hist_u8(src: usize, n: usize, counts: usize): void {
  const sub = memory.data(4 << 10, 16);
  memory.fill(sub, 0, 4 << 10);
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const w = load<u32>(src + i);
    const p0 = sub + ((w & 0xFF) << 2);
    const p1 = sub + 1024 + (((w >>> 8) & 0xFF) << 2);
    const p2 = sub + 2048 + (((w >>> 16) & 0xFF) << 2);
    const p3 = sub + 3072 + ((w >>> 24) << 2);
    store<u32>(p0, load<u32>(p0) + 1);
    store<u32>(p1, load<u32>(p1) + 1);
    store<u32>(p2, load<u32>(p2) + 1);
    store<u32>(p3, load<u32>(p3) + 1);
  }
  for (; i < n; i++) {
    const p = sub + (<usize>load<u8>(src + i) << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
  for (let k: usize = 0; k < 256; k++) {
    const o = k << 2;
    store<u32>(counts + o, load<u32>(sub + o) + load<u32>(sub + 1024 + o) + load<u32>(sub + 2048 + o) + load<u32>(sub + 3072 + o));
  }
}
