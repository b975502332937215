import { KompaktError, describe } from '@kompakt/core';
import { HASH_KIND, type TokenHash } from './params.js';
import { hashItems } from './kernels.js';

/** A token: raw bytes, or a string hashed as its UTF-8 bytes (as datasketch users pass `s.encode('utf8')`). */
export type Token = Uint8Array | string;

const encoder = new TextEncoder();

/** Bytes an item may take in UTF-8: a UTF-16 unit never needs more than 3. */
function byteBound(item: Token): number {
  return typeof item === 'string' ? item.length * 3 : item.length;
}

export function checkToken(item: unknown, fn: string): Token {
  if (typeof item === 'string' || item instanceof Uint8Array) return item;
  throw new KompaktError('INVALID_TYPE', `${fn}: a token must be a string or a Uint8Array, got ${describe(item)}`);
}

/** Items back to back (UTF-8 for strings) in `bytes` (room for `bound`), with their n+1 offsets. */
function writeItems(items: readonly Token[], bound: number): { bytes: Uint8Array; offsets: Uint32Array } {
  const bytes = new Uint8Array(bound);
  const offsets = new Uint32Array(items.length + 1);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    offsets[i] = at;
    const item = items[i];
    if (typeof item === 'string') at += encoder.encodeInto(item, bytes.subarray(at)).written;
    else {
      bytes.set(item, at);
      at += item.length;
    }
  }
  offsets[items.length] = at;
  return { bytes: bytes.subarray(0, at), offsets };
}

// Items are hashed in batches of about this many bytes, so memory stays bounded for any input.
const BATCH_BYTES = 1 << 20;

/** Token hashes of `items` (u32 each), computed by the kernel in bounded batches. */
export function hashTokens(items: readonly Token[], hash: TokenHash): Uint32Array {
  const out = new Uint32Array(items.length);
  let start = 0;
  while (start < items.length) {
    let end = start;
    let bound = 0;
    while (end < items.length && (end === start || bound + byteBound(items[end]) <= BATCH_BYTES)) bound += byteBound(items[end++]);
    const { bytes, offsets } = writeItems(items.slice(start, end), bound);
    hashItems(bytes, offsets, HASH_KIND[hash], out.subarray(start, end));
    start = end;
  }
  return out;
}
