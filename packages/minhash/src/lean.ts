import { KompaktError, describe } from '@kompakt/core';
import { MinHash } from './minhash.js';
import { MAX_PERM, type TokenHash } from './params.js';

/**
 * datasketch's LeanMinHash bytes (`LeanMinHash.serialize`, struct '<qi%dI'): i64 seed, i32 k, then
 * k u32 hash values, little-endian: 12 + 4k bytes. The only cross-language signature format datasketch
 * documents; it does not record the token hash, so readers must know it (datasketch: sha1).
 */
export function toLeanBytes(m: MinHash): Uint8Array {
  const out = new Uint8Array(12 + 4 * m.numPerm);
  const view = new DataView(out.buffer);
  view.setBigInt64(0, BigInt(m.seed), true);
  view.setInt32(8, m.numPerm, true);
  for (let i = 0; i < m.numPerm; i++) view.setUint32(12 + 4 * i, m.hashvalues[i], true);
  return out;
}

/** Reads LeanMinHash bytes back into a MinHash (which, unlike LeanMinHash, can be updated further). */
export function fromLeanBytes(bytes: Uint8Array, hash: TokenHash = 'sha1'): MinHash {
  if (!(bytes instanceof Uint8Array)) throw new KompaktError('INVALID_TYPE', `fromLeanBytes: expected a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length < 12) throw new KompaktError('TRUNCATED', `fromLeanBytes: ${bytes.length} bytes, the header alone is 12`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const seed = view.getBigInt64(0, true);
  const k = view.getInt32(8, true);
  if (k < 1 || k > MAX_PERM) throw new KompaktError('CORRUPT', `fromLeanBytes: num_perm ${k} is out of range`);
  if (bytes.length < 12 + 4 * k) throw new KompaktError('TRUNCATED', `fromLeanBytes: ${bytes.length} bytes, num_perm ${k} needs ${12 + 4 * k}`);
  if (bytes.length > 12 + 4 * k) throw new KompaktError('CORRUPT', `fromLeanBytes: ${bytes.length - 12 - 4 * k} bytes after the hash values`);
  if (seed < 0n || seed > 0xffffffffn) throw new KompaktError('INVALID_ARGUMENT', `fromLeanBytes: seed ${seed} is outside numpy RandomState's [0, 2^32 − 1]`);
  const hashvalues = new Uint32Array(k);
  for (let i = 0; i < k; i++) hashvalues[i] = view.getUint32(12 + 4 * i, true);
  return new MinHash({ numPerm: k, seed: Number(seed), hash, hashvalues });
}
