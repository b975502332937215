import { KompaktError, checkOptions, describe } from '@kompakt/core';
import { hashTokens } from './items.js';
import { parseHash, type TokenHash } from './params.js';
import { SHINGLE_KEYS, normalizeText, parseShingle, shingles, type ShingleOptions } from './shingle.js';

/** Options of shingleHashes(): the shingling and the token hash. */
export interface ShingleHashOptions extends ShingleOptions {
  /** Token hash; default 'xxh32'. */
  hash?: TokenHash;
}

const KEYS = [...SHINGLE_KEYS, 'hash'] as const;
const MASK64 = (1n << 64n) - 1n;
// Base of the rolling word polynomial (docs/internals.md, "MinHash").
const WORD_BASE = 0xd6e8feb86659fd93n;
const FMIX64_MULTIPLIERS = [0xff51afd7ed558ccdn, 0xc4ceb9fe1a85ec53n];

/** MurmurHash3's 64-bit finalizer: xor-shift 33 and multiply, twice, then a last xor-shift. */
function fmix64(x: bigint): bigint {
  for (const c of FMIX64_MULTIPLIERS) x = ((x ^ (x >> 33n)) * c) & MASK64;
  return x ^ (x >> 33n);
}

/** Token of a word shingle under xxh32: fmix64(Σ h_j·B^(m−j) + m) over its m word hashes, low 32 bits. */
function wordToken(words: Uint32Array): number {
  let h = 0n;
  for (const w of words) h = (h * WORD_BASE + BigInt(w)) & MASK64;
  return Number(fmix64((h + BigInt(words.length)) & MASK64) & 0xffffffffn);
}

/**
 * The token hashes sketchTexts() feeds to a document's sketch, in shingle order: for any text,
 * `sketchTexts([text], o)[0]` equals a sketch built with `updateHashes(shingleHashes(text, o))`.
 * Word shingles under 'xxh32' hash each word once (XXH32 of its UTF-8 bytes) and combine the n word
 * hashes of a shingle (see docs/minhash.md); 'sha1' (datasketch) and char shingles hash each
 * shingle's UTF-8 bytes, i.e. `updateBatch(shingles(text))`.
 */
export function shingleHashes(text: string, options?: ShingleHashOptions): Uint32Array {
  if (typeof text !== 'string') throw new KompaktError('INVALID_TYPE', `shingleHashes: text must be a string, got ${describe(text)}`);
  const o = checkOptions<ShingleHashOptions>(options, 'shingleHashes options', KEYS);
  const { shingle, ngram } = parseShingle(o, 'shingleHashes');
  const hash = parseHash(o.hash, 'shingleHashes', 'xxh32');
  if (shingle === 'char' || hash === 'sha1') return hashTokens(shingles(text, { shingle, ngram }), hash);
  const norm = normalizeText(text, 'word');
  if (norm === '') return new Uint32Array(0);
  const words = hashTokens(norm.split(' '), 'xxh32');
  const m = Math.min(ngram, words.length);
  return Uint32Array.from({ length: words.length - m + 1 }, (_, i) => wordToken(words.subarray(i, i + m)));
}
