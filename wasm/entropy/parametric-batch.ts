// rANS coding of a batch where every symbol has its own quantized Gaussian / Laplace / logistic
// (a learned codec's latents: one mean and scale per element). The stream is rans16x16 exactly as in
// encode.ts/decode.ts; only the model changes per symbol. Each symbol's frequencies are those of
// model_quantize_parametric with its (mean, scale), so this path and a per-symbol table from
// gaussian()/laplace()/logistic() are interchangeable. That rule normalises globally (which symbols
// get the minimum frequency depends on every bin's mass), so the frequency of one symbol cannot be
// had from its two neighbouring CDF values: each step evaluates the whole support (O(nsym) CDFs, no
// 2^precision slot table). Tables are cached per call, keyed by the (mean, scale) bits, so latents
// whose parameters repeat (a hyperprior's scale table with means subtracted, say) pay for each
// distinct pair once.
import { model_quantize_parametric } from "./parametric";
import { ERR_CAPACITY, ERR_CORRUPT, ERR_MODEL, ERR_SYMBOL, ERR_TRUNCATED, L, LANES, MAX_TABLE_PRECISION } from "./status";

/** Cache slot: u32 mean bits, u32 scale bits, u32 filled flag, u32 turn bit (first way of a bucket), then u32 cum[nsym + 1] (cum[k] = Σ_{j<k} f[j]). */
const SLOT_HEADER: usize = 16;

function slotBytes(nsym: i32): usize {
  return SLOT_HEADER + ((((<usize>nsym + 1) << 2) + 15) & ~<usize>15);
}

// @ts-ignore: decorator
@inline function hit(slot: usize, mean: u32, scale: u32): bool {
  return load<u32>(slot, 8) != 0 && load<u32>(slot) == mean && load<u32>(slot, 4) == scale;
}

/** Cache budget: about 512 KiB of tables, at most 1024 slots (512 two-way buckets). */
const CACHE_BYTES: usize = 512 << 10;
const MAX_SLOTS: usize = 1024;
/** The decoder's lane states at the start of scratch. */
const STATES_BYTES: usize = <usize>LANES << 2;

/** Slots for nsym values and n symbols: a power of two, no more than the budget or 2n need. */
function slotCount(nsym: i32, n: i32): usize {
  let slots: usize = 1;
  const bytes = slotBytes(nsym);
  while (slots < MAX_SLOTS && (slots << 1) * bytes <= CACHE_BYTES && slots < (<usize>n << 1)) slots <<= 1;
  return slots;
}

/**
 * Scratch bytes both kernels need for `nsym` values and `n` symbols: 64 (decoder lane states),
 * 8·nsym (frequencies and counts of the table being built), then the cache slots. 0 for bad sizes.
 */
export function parametric_scratch_bytes(nsym: i32, n: i32): i32 {
  if (nsym < 1 || nsym > (1 << 16) || n < 0) return 0;
  return <i32>(STATES_BYTES + (((<usize>nsym << 3) + 15) & ~<usize>15) + slotCount(nsym, n) * slotBytes(nsym));
}

/** The cache of the running call (set by clearCache, like the write cursor in encode.ts). */
let cache: usize = 0;
let slots: usize = 1;

/** Empties every slot; a call's kind, support and precision are fixed, so (mean, scale) is the key. */
function clearCache(scratch: usize, nsym: i32, n: i32): void {
  cache = scratch + STATES_BYTES + (((<usize>nsym << 3) + 15) & ~<usize>15);
  slots = slotCount(nsym, n);
  const bytes = slotBytes(nsym);
  for (let j: usize = 0; j < slots; j++) store<u64>(cache + j * bytes, 0, 8);
}

/**
 * The cumulative table (cum[0 … nsym]) of the model of value i: cached, or built into its slot.
 * Returns 0 when model_quantize_parametric rejects the parameters.
 */
function tableFor(kind: i32, means: usize, scales: usize, i: i32, lo: i32, nsym: i32, s: u32, scratch: usize): usize {
  const mean = load<u32>(means + (<usize>i << 2));
  const scale = load<u32>(scales + (<usize>i << 2));
  // Two-way buckets (slots 2b and 2b + 1; one slot alone when the budget allows only one) picked by the hash's top bits; a miss fills an empty way,
  // else the way the bucket's turn bit (in slot 2b's pad word) names, then flips it.
  const h = (mean * 0x85EBCA6B) ^ (scale * 0x9E3779B1);
  const bytes = slotBytes(nsym);
  const ways = slots >>> 1;
  const first = cache + <usize>((<u64>(h * 0xC2B2AE35) * <u64>ways) >>> 32) * (bytes << 1);
  let slot = first;
  if (hit(slot, mean, scale)) return slot + SLOT_HEADER;
  if (ways > 0 && hit(slot + bytes, mean, scale)) return slot + bytes + SLOT_HEADER;
  if (ways > 0 && load<u32>(first, 8) != 0) {
    const turn = load<u32>(first, 12);
    if (turn != 0 || load<u32>(first + bytes, 8) == 0) slot = first + bytes;
    store<u32>(first, turn ^ 1, 12);
  }
  const cum = slot + SLOT_HEADER;
  const freqs = scratch + STATES_BYTES;
  if (model_quantize_parametric(kind, <f64>reinterpret<f32>(mean), <f64>reinterpret<f32>(scale), lo, nsym, s, freqs, freqs + (<usize>nsym << 2)) < 0) return 0;
  let c: u32 = 0;
  for (let k = 0; k < nsym; k++) {
    store<u32>(cum + (<usize>k << 2), c);
    c += load<u32>(freqs + (<usize>k << 2));
  }
  store<u32>(cum + (<usize>nsym << 2), c);
  store<u32>(slot, mean);
  store<u32>(slot, scale, 4);
  store<u32>(slot, 1, 8);
  return cum;
}

/** Checks what both directions share: the stream is rans16x16, so precision ≤ 16 and nsym ≤ 2^precision. */
function badModel(kind: i32, nsym: i32, s: u32, n: i32): bool {
  return kind < 0 || kind > 2 || s < 1 || s > MAX_TABLE_PRECISION || nsym < 1 || nsym > (1 << s) || n < 0;
}

/**
 * Encodes the i32 values `syms[0 … n)`; symbol i is coded with the quantized `kind` distribution
 * (0 Gaussian, 1 Laplace, 2 logistic) of mean `means[i]` and scale `scales[i]` (f32) on the values
 * lo … lo + nsym − 1. Returns the stream length at `out` or a negative status. `cap` ≥ 64 + 2n;
 * `scratch`: parametric_scratch_bytes(nsym, n) bytes.
 */
export function rans_encode_parametric(
  kind: i32, syms: usize, means: usize, scales: usize, n: i32, lo: i32, nsym: i32, precision: u32, out: usize, cap: usize, scratch: usize,
): i32 {
  if (badModel(kind, nsym, precision, n)) return ERR_MODEL;
  if (cap < (<usize>LANES << 2) + (<usize>n << 1)) return ERR_CAPACITY;
  clearCache(scratch, nsym, n);
  const shift = 32 - precision;
  for (let j = 0; j < LANES; j++) store<u32>(out + (<usize>j << 2), L);
  // Words go downwards from the end of out, so [wp, end) ends up in the decoder's reading order.
  let wp = out + cap;
  for (let i = n - 1; i >= 0; i--) {
    const k = load<i32>(syms + (<usize>i << 2)) - lo;
    if (k < 0 || k >= nsym) return ERR_SYMBOL;
    const cum = tableFor(kind, means, scales, i, lo, nsym, precision, scratch);
    if (cum == 0) return ERR_MODEL;
    const c = load<u32>(cum + (<usize>k << 2));
    const f = load<u32>(cum + (<usize>k << 2), 4) - c;
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
 * negative status; reads nothing outside the stream and runs exactly n steps. `scratch`:
 * parametric_scratch_bytes(nsym, n) bytes, 16-byte aligned.
 */
export function rans_decode_parametric(
  kind: i32, src: usize, len: usize, means: usize, scales: usize, n: i32, lo: i32, nsym: i32, precision: u32, out: usize, scratch: usize,
): i32 {
  if (badModel(kind, nsym, precision, n)) return ERR_MODEL;
  if (len < (<usize>LANES << 2)) return ERR_TRUNCATED;
  if (len & 1) return ERR_CORRUPT;
  clearCache(scratch, nsym, n);
  const states = scratch;
  for (let j = 0; j < LANES; j++) {
    const x = load<u32>(src + (<usize>j << 2));
    if (x < L) return ERR_CORRUPT;
    store<u32>(states + (<usize>j << 2), x);
  }
  const mask: u32 = (1 << precision) - 1;
  const end = src + len;
  let rp = src + (<usize>LANES << 2);
  for (let i = 0; i < n; i++) {
    const cum = tableFor(kind, means, scales, i, lo, nsym, precision, scratch);
    if (cum == 0) return ERR_MODEL;
    const sp = states + (<usize>(i & (LANES - 1)) << 2);
    let x = load<u32>(sp);
    const slot = x & mask;
    // Binary search for cum[k] ≤ slot < cum[k + 1]; cum[0] = 0 and cum[nsym] = 2^precision > slot.
    let k = 0;
    let hi = nsym;
    while (hi - k > 1) {
      const mid = (k + hi) >>> 1;
      if (load<u32>(cum + (<usize>mid << 2)) <= slot) k = mid;
      else hi = mid;
    }
    const c = load<u32>(cum + (<usize>k << 2));
    const f = load<u32>(cum + (<usize>k << 2), 4) - c;
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
