// Raw text in, signatures out: the hot path of sketchTexts() and dedup(). One call covers a batch of
// documents so the JS ↔ wasm crossing and the arena set-up are paid once per batch, not per doc.
import { HASH_SHA1, HASH_XXH32 } from "./hash";
import { GRAM_CHAR, GRAM_WORD, MAX_NGRAM, shingleHashes } from "./shingle";
import { minhash_update } from "./permute";
import { minhash_update32 } from "./permute32";
import { densifyRow, oph_update } from "./oph";
import { probeKey } from "./mix";

export const METHOD_CLASSIC: i32 = 0;
export const METHOD_OPH: i32 = 1;
export const METHOD_CLASSIC32: i32 = 2;
export const METHOD_OPH_DENSE: i32 = 3;

/**
 * Sketches `ndocs` UTF-8 documents: doc d is bytes [offsets[d], offsets[d+1]) of `text`. Each is first
 * normalized in place (ASCII lowercase, separator runs → one space; non-ASCII documents must arrive
 * fully normalized), so `text` is clobbered.
 * Row d of `out` (u32[k]) gets the classic signature (method 0: the Mersenne family, `perm` as in
 * minhash_update; method 2: the 32-bit family, `perm` as in minhash_update32; k a multiple of 8) or
 * the raw OPH bins (method 1; `perm` unused) or the densified OPH signature (method 3: the raw bins
 * are built in scratch and densified straight into the row). `counts[d]` gets the number of
 * shingles (0: empty document, its row stays all 0xFFFFFFFF). `scratch` holds u32 per byte of the
 * longest document, plus 2, plus k. Returns 0, or -1 for a bad gram, n, hash kind, method or k.
 */
export function sketch_texts(
  text: usize, offsets: usize, ndocs: u32, gram: i32, n: u32, kind: i32, method: i32,
  k: u32, perm: usize, seedLo: u32, seedHi: u32, scratch: usize, out: usize, counts: usize,
): i32 {
  if (gram != GRAM_WORD && gram != GRAM_CHAR) return -1;
  if (n < 1 || n > <u32>MAX_NGRAM) return -1;
  if (kind != HASH_XXH32 && kind != HASH_SHA1) return -1;
  if (method < METHOD_CLASSIC || method > METHOD_OPH_DENSE) return -1;
  const classic = method == METHOD_CLASSIC || method == METHOD_CLASSIC32;
  if (k == 0 || (classic && (k & 7) != 0)) return -1;
  const rowBytes = <usize>k << 2;
  const probes = probeKey(seedLo, seedHi);
  for (let d: usize = 0; d < <usize>ndocs; d++) {
    const start = load<u32>(offsets + (d << 2));
    const end = load<u32>(offsets + (d << 2) + 4);
    const count = shingleHashes(text + start, end - start, gram, n, kind, scratch);
    store<u32>(counts + (d << 2), count);
    const row = out + d * rowBytes;
    // The raw bins of method 3 go after the document's hashes (scratch: len + 2 u32, then k).
    const bins = method == METHOD_OPH_DENSE ? scratch + ((<usize>(end - start) + 2) << 2) : row;
    memory.fill(bins, 0xFF, rowBytes); // 0xFFFFFFFF: the classic start value and OPH's EMPTY
    if (method == METHOD_CLASSIC) minhash_update(scratch, count, perm, k, row);
    else if (method == METHOD_CLASSIC32) minhash_update32(scratch, count, perm, k, row);
    else oph_update(scratch, count, k, seedLo, seedHi, bins);
    if (method == METHOD_OPH_DENSE) densifyRow(bins, row, k, probes);
  }
  return 0;
}
