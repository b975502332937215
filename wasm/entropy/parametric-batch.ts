// rANS coding of a batch where every symbol has its own quantized Gaussian / Laplace / logistic
// (a learned codec's latents: one mean and scale per element). The stream is rans8x16 exactly as in
// encode.ts/decode.ts; only the model changes per symbol. Each symbol's frequencies are those of
// model_quantize_parametric with its (mean, scale), so this path and a per-symbol table from
// gaussian()/laplace()/logistic() are interchangeable. That rule normalises globally (which symbols
// get the minimum frequency depends on every bin's mass), so the frequency of one symbol cannot be
// had from its two neighbouring CDF values: each step evaluates the whole support (O(nsym) CDFs, no
// 2^precision slot table). A symbol whose (mean, scale) equal its predecessor's reuses the table.
import { model_quantize_parametric } from "./parametric";
import { ERR_CAPACITY, ERR_CORRUPT, ERR_MODEL, ERR_SYMBOL, ERR_TRUNCATED, L, LANES, MAX_TABLE_PRECISION } from "./status";

/** Parameters of the frequency table currently in scratch (bit patterns; NaN never matches a valid scale). */
let cachedMean: u32 = 0;
let cachedScale: u32 = 0;
let cachedValid = false;

/**
 * Fills scratch (freqs u32[nsym], then counts u32[nsym]) for the f32 mean and scale at index i.
 * Returns 0 or ERR_MODEL.
 */
function tableFor(kind: i32, means: usize, scales: usize, i: i32, lo: i32, nsym: i32, s: u32, scratch: usize): i32 {
  const mean = load<u32>(means + (<usize>i << 2));
  const scale = load<u32>(scales + (<usize>i << 2));
  if (cachedValid && mean == cachedMean && scale == cachedScale) return 0;
  const rc = model_quantize_parametric(kind, <f64>reinterpret<f32>(mean), <f64>reinterpret<f32>(scale), lo, nsym, s, scratch, scratch + (<usize>nsym << 2));
  cachedValid = rc == 0;
  cachedMean = mean;
  cachedScale = scale;
  return rc;
}

/** Checks what both directions share: the stream is rans8x16, so precision ≤ 16 and nsym ≤ 2^precision. */
function badModel(kind: i32, nsym: i32, s: u32, n: i32): bool {
  return kind < 0 || kind > 2 || s < 1 || s > MAX_TABLE_PRECISION || nsym < 1 || nsym > (1 << s) || n < 0;
}

/**
 * Encodes the i32 values `syms[0 … n)`; symbol i is coded with the quantized `kind` distribution
 * (0 Gaussian, 1 Laplace, 2 logistic) of mean `means[i]` and scale `scales[i]` (f32) on the values
 * lo … lo + nsym − 1. Returns the stream length at `out` or a negative status. `cap` ≥ 32 + 2n;
 * `scratch`: 8·nsym bytes.
 */
export function rans_encode_parametric(
  kind: i32, syms: usize, means: usize, scales: usize, n: i32, lo: i32, nsym: i32, precision: u32, out: usize, cap: usize, scratch: usize,
): i32 {
  if (badModel(kind, nsym, precision, n)) return ERR_MODEL;
  if (cap < (<usize>LANES << 2) + (<usize>n << 1)) return ERR_CAPACITY;
  cachedValid = false;
  const shift = 32 - precision;
  for (let j = 0; j < LANES; j++) store<u32>(out + (<usize>j << 2), L);
  // Words go downwards from the end of out, so [wp, end) ends up in the decoder's reading order.
  let wp = out + cap;
  for (let i = n - 1; i >= 0; i--) {
    const k = load<i32>(syms + (<usize>i << 2)) - lo;
    if (k < 0 || k >= nsym) return ERR_SYMBOL;
    const rc = tableFor(kind, means, scales, i, lo, nsym, precision, scratch);
    if (rc < 0) return rc;
    let c: u32 = 0;
    for (let j = 0; j < k; j++) c += load<u32>(scratch + (<usize>j << 2));
    const f = load<u32>(scratch + (<usize>k << 2));
    const sp = out + (<usize>(i & (LANES - 1)) << 2);
    let x = load<u32>(sp);
    if ((x >>> shift) >= f) {
      wp -= 2;
      store<u16>(wp, <u16>x);
      x >>>= 16;
    }
    store<u32>(sp, ((x / f) << precision) + (x % f) + c);
  }
  const words = out + cap - wp;
  memory.copy(out + (<usize>LANES << 2), wp, words);
  return <i32>((<usize>LANES << 2) + words);
}

/**
 * Decodes n values into the i32 array `out` from the stream [src, src + len) made by
 * rans_encode_parametric with the same kind, means, scales, lo, nsym and precision. Returns 0 or a
 * negative status; reads nothing outside the stream and runs exactly n steps. `scratch`: 8·nsym + 32
 * bytes (tables, then the lane states).
 */
export function rans_decode_parametric(
  kind: i32, src: usize, len: usize, means: usize, scales: usize, n: i32, lo: i32, nsym: i32, precision: u32, out: usize, scratch: usize,
): i32 {
  if (badModel(kind, nsym, precision, n)) return ERR_MODEL;
  if (len < (<usize>LANES << 2)) return ERR_TRUNCATED;
  if (len & 1) return ERR_CORRUPT;
  cachedValid = false;
  const states = scratch + (<usize>nsym << 3);
  for (let j = 0; j < LANES; j++) {
    const x = load<u32>(src + (<usize>j << 2));
    if (x < L) return ERR_CORRUPT;
    store<u32>(states + (<usize>j << 2), x);
  }
  const mask: u32 = (1 << precision) - 1;
  const end = src + len;
  let rp = src + (<usize>LANES << 2);
  for (let i = 0; i < n; i++) {
    const rc = tableFor(kind, means, scales, i, lo, nsym, precision, scratch);
    if (rc < 0) return rc;
    const sp = states + (<usize>(i & (LANES - 1)) << 2);
    let x = load<u32>(sp);
    const slot = x & mask;
    // Frequencies sum to 2^precision > slot, so the scan stops inside the table.
    let k = 0;
    let c: u32 = 0;
    let f = load<u32>(scratch);
    while (c + f <= slot) {
      c += f;
      k++;
      f = load<u32>(scratch + (<usize>k << 2));
    }
    store<i32>(out + (<usize>i << 2), lo + k);
    x = f * (x >>> precision) + slot - c;
    if (x < L) {
      if (rp + 2 > end) return ERR_TRUNCATED;
      x = (x << 16) | <u32>load<u16>(rp);
      rp += 2;
    }
    store<u32>(sp, x);
  }
  if (rp != end) return ERR_CORRUPT;
  for (let j = 0; j < LANES; j++) if (load<u32>(states + (<usize>j << 2)) != L) return ERR_CORRUPT;
  return 0;
}
