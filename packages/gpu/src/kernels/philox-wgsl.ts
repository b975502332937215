/**
 * WGSL: the random word of element g for stochastic rounding, the stream wasm/mx/random.ts draws
 * (docs/internals.md, "Random words"): word g mod 4 of Philox4x32-10(counter = (⌊g/4⌋ mod 2^32,
 * ⌊g/2^34⌋, 0, 0), key = the seed's (key0, key1)). WGSL has no u64: g is a vec2<u32> (low, high word)
 * and Philox's 32 × 32 → 64-bit products are `mulHi` (EXACT_F32, from 16-bit halves) and the
 * wrapping u32 product. Needs EXACT_F32. `philoxBlock(counter, key)` is one Philox4x32-10 block of the
 * counter (c.x, c.y, 0, 0) (Salmon et al.; wasm/core/philox.ts); `randomWord(stream, g, key)` the word of
 * element g = (low, high), `stream` keeping the last block (elements come in runs of four);
 * `elementIndex(row, n, col)` is row·n + col as (low, high).
 */
export const PHILOX = /* wgsl */ `
fn philoxBlock(counter: vec2<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = vec4<u32>(counter, 0u, 0u);
  var k = key;
  for (var round = 0u; round < 10u; round++) {
    c = vec4<u32>(mulHi(0xcd9e8d57u, c.z) ^ c.y ^ k.x, 0xcd9e8d57u * c.z, mulHi(0xd2511f53u, c.x) ^ c.w ^ k.y, 0xd2511f53u * c.x);
    k += vec2<u32>(0x9e3779b9u, 0xbb67ae85u);
  }
  return c;
}

struct RandomStream { words: vec4<u32>, counter: vec2<u32>, ready: bool }

fn randomWord(stream: ptr<function, RandomStream>, g: vec2<u32>, key: vec2<u32>) -> u32 {
  let counter = vec2<u32>((g.x >> 2u) | (g.y << 30u), g.y >> 2u);
  if (!(*stream).ready || any((*stream).counter != counter)) {
    (*stream).words = philoxBlock(counter, key);
    (*stream).counter = counter;
    (*stream).ready = true;
  }
  return (*stream).words[g.x & 3u];
}

fn elementIndex(row: u32, n: u32, col: u32) -> vec2<u32> {
  let low = row * n + col;
  return vec2<u32>(low, mulHi(row, n) + select(0u, 1u, low < row * n));
}
`;
