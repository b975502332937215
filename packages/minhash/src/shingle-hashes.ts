import { KompaktError, checkOptions, describe } from '@kompakt/core';
import { hashTokens } from './items.js';
import { MASK64, fmix64 } from './mix64.js';
import { parseHash, type TokenHash } from './params.js';
import { SHINGLE_KEYS, normalizeText, parseShingle, shingles, type ShingleOptions } from './shingle.js';

/** Options of shingleHashes(): the shingling and the token hash. */
export interface ShingleHashOptions extends ShingleOptions {
  /** Token hash; default 'xxh32'. */
  hash?: TokenHash;
}

const KEYS = [...SHINGLE_KEYS, 'hash'] as const;
// Base of the rolling word polynomial and the word hash's constants (docs/internals.md, "MinHash").
const WORD_BASE = 0xd6e8feb86659fd93n;
const WORD_SEED = 0x9e3779b97f4a7c15n;
const WORD_MUL = 0xbf58476d1ce4e5b9n;
const encoder = new TextEncoder();

/** The word hash: s = len·SEED, s = (s ^ c)·MUL per 8-byte little-endian chunk c (last zero-padded), high 32 bits. */
function wordHash(word: string): bigint {
  const bytes = encoder.encode(word);
  let s = (BigInt(bytes.length) * WORD_SEED) & MASK64;
  for (let i = 0; i < bytes.length; i += 8) {
    let c = 0n;
    for (let j = Math.min(bytes.length, i + 8) - 1; j >= i; j--) c = (c << 8n) | BigInt(bytes[j]);
    s = ((s ^ c) * WORD_MUL) & MASK64;
  }
  return s >> 32n;
}

/** Token of a word shingle under xxh32: fmix64(Σ h_j·B^(m−j) + m) over its m word hashes, low 32 bits. */
function wordToken(words: bigint[]): number {
  let h = 0n;
  for (const w of words) h = (h * WORD_BASE + w) & MASK64;
  return Number(fmix64((h + BigInt(words.length)) & MASK64) & 0xffffffffn);
}

/**
 * The token hashes sketchTexts() feeds to a document's sketch, in shingle order: for any text,
 * `sketchTexts([text], o)[0]` equals a sketch built with `updateHashes(shingleHashes(text, o))`.
 * Word shingles under 'xxh32' hash each word once (the word hash of its UTF-8 bytes) and combine the n word
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
  const words = norm.split(' ').map(wordHash);
  const m = Math.min(ngram, words.length);
  return Uint32Array.from({ length: words.length - m + 1 }, (_, i) => wordToken(words.slice(i, i + m)));
}
