// SHA-1 (FIPS 180-4), reduced to what MinHash needs: datasketch's default token hash `sha1_hash32`
// is the first 4 digest bytes read little-endian. SHA-1 is slow next to xxh32 (one 80-round block
// per ≤ 55-byte token) and is here only for bit-exact compatibility with datasketch signatures.

// @ts-ignore: decorator
@inline function bswap32(x: u32): u32 {
  return (rotl<u32>(x, 8) & 0x00FF00FF) | (rotr<u32>(x, 8) & 0xFF00FF00);
}

// The 80-word message schedule lives in a static segment: kernels never allocate.
const W: usize = memory.data(320);
// The padded final block(s) are assembled here (at most two blocks).
const TAIL: usize = memory.data(128);

// The chaining state h0..h4 (globals, so `block` needs no out-parameters).
let h0: u32 = 0;
let h1: u32 = 0;
let h2: u32 = 0;
let h3: u32 = 0;
let h4: u32 = 0;

/** Compresses the 64-byte block at `p` into h0..h4. */
function block(p: usize): void {
  for (let t: usize = 0; t < 16; t++) store<u32>(W + (t << 2), bswap32(load<u32>(p + (t << 2))));
  for (let t: usize = 16; t < 80; t++) {
    const x = load<u32>(W + ((t - 3) << 2)) ^ load<u32>(W + ((t - 8) << 2)) ^ load<u32>(W + ((t - 14) << 2)) ^ load<u32>(W + ((t - 16) << 2));
    store<u32>(W + (t << 2), rotl<u32>(x, 1));
  }
  let a = h0, b = h1, c = h2, d = h3, e = h4;
  for (let t: usize = 0; t < 80; t++) {
    let f: u32, k: u32;
    if (t < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
    else if (t < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
    else if (t < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
    else { f = b ^ c ^ d; k = 0xCA62C1D6; }
    const tmp = rotl<u32>(a, 5) + f + e + k + load<u32>(W + (t << 2));
    e = d; d = c; c = rotl<u32>(b, 30); b = a; a = tmp;
  }
  h0 += a; h1 += b; h2 += c; h3 += d; h4 += e;
}

/** The first 4 bytes of SHA-1(bytes at `ptr`, `len`) as a little-endian u32 (datasketch `sha1_hash32`). */
export function sha1_32(ptr: usize, len: usize): u32 {
  h0 = 0x67452301; h1 = 0xEFCDAB89; h2 = 0x98BADCFE; h3 = 0x10325476; h4 = 0xC3D2E1F0;
  let p = ptr;
  const end = ptr + len;
  while (end - p >= 64) { block(p); p += 64; }
  const rest = end - p;
  memory.fill(TAIL, 0, 128);
  memory.copy(TAIL, p, rest);
  store<u8>(TAIL + rest, 0x80);
  const blocks: usize = rest < 56 ? 1 : 2;
  const bits = <u64>len << 3;
  const lenAt = TAIL + (blocks << 6) - 8;
  store<u32>(lenAt, bswap32(<u32>(bits >>> 32)));
  store<u32>(lenAt + 4, bswap32(<u32>bits));
  block(TAIL);
  if (blocks == 2) block(TAIL + 64);
  // Digest bytes 0..3 are h0 big-endian; read little-endian that is bswap(h0).
  return bswap32(h0);
}
