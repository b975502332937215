/**
 * `@kompakt/native`: the optional Rust N-API addon of Kompakt. `@kompakt/core` loads it
 * automatically in Node; you rarely need to import it yourself.
 *
 * All functions are synchronous and work in place on the caller's typed arrays (zero-copy).
 * Bad arguments throw a `TypeError` (code `'INVALID_TYPE'`) or `RangeError`
 * (code `'INVALID_ARGUMENT'`) whose message names the argument.
 *
 * @packageDocumentation
 */

/** What the loaded addon reports about itself. */
export interface KompaktNativeInfo {
  /** Crate version, e.g. `'0.1.0'`. */
  version: string;
  /** The kernel set in use: hand-written AVX2 (+FMA, x86_64) or the portable Rust path. */
  simd: 'avx2' | 'scalar';
  /** Logical CPUs available to the process (what `threads = 0` uses). */
  threads: number;
}

/** `0` = IEEE binary16 (f16), `1` = bfloat16. */
export type KompaktDtype16 = 0 | 1;

/** MX element format id: 0 e2m1, 1 e2m3, 2 e3m2, 3 e4m3, 4 e5m2, 5 int8. */
export type KompaktMxFormat = 0 | 1 | 2 | 3 | 4 | 5;
/** Any MX format id, including the scale formats 6 (ue4m3) and 7 (e8m0). */
export type KompaktMxAnyFormat = KompaktMxFormat | 6 | 7;
/** Block-scale format id: 0 e8m0 (MX), 1 ue4m3 (NVFP4). */
export type KompaktMxScaleFormat = 0 | 1;
/** e8m0 scale rule id: 0 floor, 1 ceil, 2 even, 3 rceil, 4 ggml. */
export type KompaktMxScaleRule = 0 | 1 | 2 | 3 | 4;
/** Rounding id: 0 rne, 1 away, 2 stochastic, 3 stochastic-3/4, 4 ggml. */
export type KompaktMxRounding = 0 | 1 | 2 | 3 | 4;
/** FP4 nibble layout id: 0 pairs, 1 ggml. */
export type KompaktMxLayout = 0 | 1;

/** The addon's exports (see `docs/internals.md`, "Native addon"). */
export interface KompaktNativeBinding {
  /** Version, SIMD level and available threads. */
  info(): KompaktNativeInfo;

  /**
   * In-place `fwht_rows` on `rows` rows of `n = k << log2m` values: per row, optional `signs`
   * before (`signsAfter = false`), an unnormalized natural-order FWHT of each of the `k` contiguous
   * sub-rows, then (when `k > 1`) `y[c][j] = Σ_d hk[c·k + d] · x[d][j]`, then `scale`, then
   * optional `signs` after (`signsAfter = true`).
   *
   * @param x `rows · n` values, transformed in place; `x.length` must equal `rows · n`.
   * @param hk `k · k` row-major mixing matrix when `k > 1`; `null` when `k == 1`.
   * @param signs `n` multipliers (±1), or `null`.
   * @param threads `0` = all cores, `1` = the calling thread only; rows are split across threads
   *   (only when the call touches at least 256 KiB). Results do not depend on `threads`.
   */
  hadamardFwhtRows(
    x: Float32Array,
    rows: number,
    k: number,
    log2m: number,
    hk: Float32Array | null,
    signs: Float32Array | null,
    signsAfter: boolean,
    scale: number,
    threads: number,
  ): void;

  /**
   * {@link KompaktNativeBinding.hadamardFwhtRows} on 16-bit storage: each row is widened to f32,
   * transformed, and rounded back to nearest-even.
   */
  hadamardFwhtRows16(
    x: Uint16Array,
    dtype: KompaktDtype16,
    rows: number,
    k: number,
    log2m: number,
    hk: Float32Array | null,
    signs: Float32Array | null,
    signsAfter: boolean,
    scale: number,
    threads: number,
  ): void;

  /**
   * Philox4x32-10: fills `dst.length / 4` blocks (`dst.length` must be a multiple of 4); block `b`
   * is the output for counter `((ctrHi:ctrLo) + b as 64 bits, 0, 0)` and key `(key0, key1)`.
   * Words are uint32 (int32 values are accepted and taken modulo 2^32).
   */
  philox4x32Fill(dst: Uint32Array, ctrLo: number, ctrHi: number, key0: number, key1: number): void;

  /** Fills `dst` with the ±1 Rademacher sign stream of seed `(key1 << 32) | key0`. */
  rademacherFill(dst: Float32Array, key0: number, key1: number): void;

  /** binary16 → f32, exact (`src.length` must equal `dst.length`). */
  f16ToF32(src: Uint16Array, dst: Float32Array): void;
  /** f32 → binary16, round to nearest even; overflow → ±Inf; NaN stays a quiet NaN. */
  f32ToF16(src: Float32Array, dst: Uint16Array): void;
  /** bfloat16 → f32, exact. */
  bf16ToF32(src: Uint16Array, dst: Float32Array): void;
  /** f32 → bfloat16, round to nearest even; NaN stays a quiet NaN. */
  f32ToBf16(src: Float32Array, dst: Uint16Array): void;

  /** `max |v|` over the finite values of `x` (`0` when there are none). */
  mxAmax(x: Float32Array): number;

  /**
   * `mx_quantize` of `docs/internals.md` ("MX"): `rows` rows of `n` values, blocks of `bs` along
   * each row (the last block of a row zero-padded). Writes `codes` (`rows · ceil(n / bs) ·
   * blockBytes` bytes; blockBytes = bs/2 for FP4, 3·bs/4 for FP6, bs for 8-bit formats) and
   * `scales` (`rows · ceil(n / bs)` bytes); both lengths must match exactly.
   *
   * @param fmt element format: 0 e2m1, 1 e2m3, 2 e3m2, 3 e4m3, 4 e5m2, 5 int8.
   * @param bs block size (even for FP4, a multiple of 4 for FP6).
   * @param scaleFmt 0 e8m0; 1 ue4m3 (NVFP4: needs `fmt = 0` and a finite `tensorScale > 0`).
   * @param scaleRule e8m0 only: 0 floor, 1 ceil, 2 even, 3 rceil, 4 ggml.
   * @param rounding 0 rne, 1 away, 2 stochastic, 3 stochastic-3/4, 4 ggml.
   * @param layout FP4 nibble order: 0 pairs, 1 ggml (ignored for other formats).
   * @param tensorScale NVFP4 per-tensor scale `sg` (ignored with e8m0 scales).
   * @param key0 low 32 bits of the stochastic-rounding seed. @param key1 high 32 bits.
   * @param firstRow global index of the first row (random words use `(firstRow + row) · n + col`).
   * @param threads `0` = all cores; results do not depend on it.
   */
  mxQuantize(
    x: Float32Array,
    rows: number,
    n: number,
    fmt: KompaktMxFormat,
    bs: number,
    scaleFmt: KompaktMxScaleFormat,
    scaleRule: KompaktMxScaleRule,
    rounding: KompaktMxRounding,
    saturate: boolean | 0 | 1,
    layout: KompaktMxLayout,
    tensorScale: number,
    key0: number,
    key1: number,
    firstRow: number,
    codes: Uint8Array,
    scales: Uint8Array,
    threads: number,
  ): void;

  /**
   * `mx_dequantize`: codes + scales → `out` (`rows · n` values): a `Float32Array` for
   * `outDtype = 0`, a `Uint16Array` of f16 (`1`) or bf16 (`2`) bits (round to nearest even).
   * `rounding = 3` (stochastic-3/4) multiplies by 4/3. NaN-scale blocks decode to NaN.
   * @returns the index `row · ceil(n / bs) + block` of the first NaN-scale block, or `-1`.
   */
  mxDequantize(
    codes: Uint8Array,
    scales: Uint8Array,
    rows: number,
    n: number,
    fmt: KompaktMxFormat,
    bs: number,
    scaleFmt: KompaktMxScaleFormat,
    rounding: KompaktMxRounding,
    layout: KompaktMxLayout,
    tensorScale: number,
    out: Float32Array | Uint16Array,
    outDtype: 0 | 1 | 2,
    threads: number,
  ): number;

  /**
   * `mx_matvec`: `y[r] = Σ_j dequant(r, j) · x[j]` (f32 accumulation: per-block partial sums, then
   * the block scale). `x.length` must be `n`, `y.length` must be `rows`.
   */
  mxMatvec(
    codes: Uint8Array,
    scales: Uint8Array,
    rows: number,
    n: number,
    fmt: KompaktMxFormat,
    bs: number,
    scaleFmt: KompaktMxScaleFormat,
    layout: KompaktMxLayout,
    tensorScale: number,
    x: Float32Array,
    y: Float32Array,
    threads: number,
  ): void;

  /**
   * Encodes each value of `x` to one code per byte of `out` (`out.length === x.length`); any format
   * id 0–7 (6 ue4m3, 7 e8m0 as ml_dtypes `float8_e8m0fnu`). Element `i` uses random word `i`.
   */
  mxEncodeElements(
    x: Float32Array,
    fmt: KompaktMxAnyFormat,
    rounding: KompaktMxRounding,
    saturate: boolean | 0 | 1,
    key0: number,
    key1: number,
    out: Uint8Array,
  ): void;

  /** Decodes one code per byte (exact); `out.length === codes.length`. */
  mxDecodeElements(codes: Uint8Array, fmt: KompaktMxAnyFormat, out: Float32Array): void;

  // Entropy (docs/internals.md, "Entropy"): the wasm kernels on typed arrays. i32 results are ≥ 0 on
  // success or a code: -1 capacity, -2 symbol, -3 model, -4 truncated, -5 corrupt (never thrown).

  /**
   * `rans_encode` ("rans8x16"): `n = syms.length` symbols (width from the array type) with the model
   * `freqs` (`nsym = freqs.length`, summing to 2^precision; nsym ≤ 256 for a Uint8Array).
   * @returns the stream length written to `out`, or a negative code (`-1` when
   * `out.length < 32 + 2n`, checked before any write).
   */
  ransEncode(syms: Uint8Array | Uint16Array, freqs: Uint32Array, precision: number, out: Uint8Array): number;

  /**
   * `rans_decode`: decodes `out.length` symbols from the whole of `src`.
   * @returns 0, or a negative code; `out` is unspecified after an error.
   */
  ransDecode(src: Uint8Array, freqs: Uint32Array, precision: number, out: Uint8Array | Uint16Array): number;

  /** `model_quantize_counts`: `freqs.length` must equal `counts.length`. @returns 0 or -3. */
  modelQuantizeCounts(counts: Uint32Array, precision: number, freqs: Uint32Array): number;

  /**
   * `model_quantize_parametric`: 0 Gaussian, 1 Laplace, 2 logistic on the values
   * `lo … lo + freqs.length − 1` (`lo` an int32). @returns 0 or -3.
   */
  modelQuantizeParametric(
    kind: 0 | 1 | 2,
    loc: number,
    scale: number,
    lo: number,
    precision: number,
    freqs: Uint32Array,
  ): number;

  /** `hist_u8`: `counts` (length 256) is set to the byte histogram of `src`. */
  histU8(src: Uint8Array, counts: Uint32Array): void;

  /** `xor_bytes`: `dst[i] = a[i] ^ b[i]`; equal lengths, `dst` may be `a` or `b`. */
  xorBytes(dst: Uint8Array, a: Uint8Array, b: Uint8Array): void;

  /**
   * `tensor_split`: `count` elements (dtype 0 u8, 1 f16, 2 bf16, 3 f32; little-endian bytes) into
   * byte planes, plane `p` at `dst[p·count …]`. Without `count`, it is `src.length / bytes`.
   */
  tensorSplit(src: Uint8Array, count: number, dtype: 0 | 1 | 2 | 3, dst: Uint8Array): void;
  tensorSplit(src: Uint8Array, dtype: 0 | 1 | 2 | 3, dst: Uint8Array): void;

  /** `tensor_merge`: the exact inverse of `tensorSplit`. */
  tensorMerge(src: Uint8Array, count: number, dtype: 0 | 1 | 2 | 3, dst: Uint8Array): void;
  tensorMerge(src: Uint8Array, dtype: 0 | 1 | 2 | 3, dst: Uint8Array): void;

  /** XXH32 of `src` with `seed` (a uint32), as a uint32. */
  xxh32(src: Uint8Array, seed: number): number;

  // Lattice (docs/internals.md, "Lattice"): the wasm kernels on typed arrays, bit-identical to them.
  // `threads`: 0 or omitted = all cores; vectors are split across threads only for large batches,
  // and results never depend on it. Input and output may share memory (the input is copied first).
  // Lengths must match exactly (RangeError otherwise).

  /** `nearest_zn`: ℤⁿ, every `n`-vector of `x` (1 ≤ n ≤ 1024); `out.length === x.length`. */
  latticeNearestZn(x: Float32Array, n: number, out: Float32Array, threads?: number): void;
  /** `nearest_dn`: Dₙ (2 ≤ n ≤ 1024). */
  latticeNearestDn(x: Float32Array, n: number, out: Float32Array, threads?: number): void;
  /** `nearest_dnplus`: Dₙ ∪ (Dₙ + ½), n even in [2, 1024]. */
  latticeNearestDnPlus(x: Float32Array, n: number, out: Float32Array, threads?: number): void;
  /** `nearest_e8`: nearest E8 point of each 8-vector (NaN/±Inf coordinate → all-NaN vector). */
  latticeNearestE8(x: Float32Array, out: Float32Array, threads?: number): void;
  /** `nearest_leech`: exact nearest Λ24 point (min norm² 4) of each 24-vector. */
  latticeNearestLeech(x: Float32Array, out: Float32Array, threads?: number): void;
  /** `e8p_encode`: one u16 E8P code per 8 values (`codes.length === x.length / 8`). */
  latticeE8pEncode(x: Float32Array, codes: Uint16Array, threads?: number): void;
  /** `e8p_decode`: 8 values per code (`out.length === 8 · codes.length`). */
  latticeE8pDecode(codes: Uint16Array, out: Float32Array, threads?: number): void;
  /** `e81b_encode`: index of the nearest entry of the 256-point 1-bit E8 codebook, per 8 values. */
  latticeE81bEncode(x: Float32Array, codes: Uint8Array, threads?: number): void;
  /** `e81b_decode`: 8 values per code. */
  latticeE81bDecode(codes: Uint8Array, out: Float32Array, threads?: number): void;
  /** `leech_sq_encode`: index < 196,560 of the nearest unit-norm Λ24 minimal vector, per 24 values. */
  latticeLeechSqEncode(x: Float32Array, out: Uint32Array, threads?: number): void;
  /**
   * `leech_sq_decode`: 24 unit-norm values per index (`out.length === 24 · idx.length`).
   * @returns −1, or the position of the first index ≥ 196,560 (such entries are written as NaN).
   */
  latticeLeechSqDecode(idx: Uint32Array, out: Float32Array, threads?: number): number;
  /** MinHash `hash_items`: item `i` = `bytes[offsets[i] … offsets[i+1])`, hashed with `kind` (0 xxh32, 1 sha1_32) into `out[i]`. @returns 0 or −1. */
  minhashHashItems(bytes: Uint8Array, offsets: Uint32Array, kind: number, out: Uint32Array): number;
  /** MinHash `minhash_update`: folds token hashes into `sig` (k = `sig.length`; `perm` in the kernel layout, 4·k words). @returns 0 or −1. */
  minhashUpdate(hashes: Uint32Array, perm: Uint32Array, sig: Uint32Array): number;
  /** MinHash `minhash_update32`: the 32-bit family (`perm`: a u32[k], b u32[k]); `hashes` is not modified. @returns 0 or −1. */
  minhashUpdate32(hashes: Uint32Array, perm: Uint32Array, sig: Uint32Array): number;
  /** MinHash `oph_update`: folds token hashes into raw OPH bins (k = `bins.length`). @returns 0 or −1. */
  minhashOphUpdate(hashes: Uint32Array, seedLo: number, seedHi: number, bins: Uint32Array): number;
  /** MinHash `oph_densify`: rows of `k` raw bins → densified rows in `out` (threads: 0 = all cores). @returns 0 or −1. */
  minhashOphDensify(bins: Uint32Array, k: number, seedLo: number, seedHi: number, out: Uint32Array, threads: number): number;
  /**
   * MinHash `sketch_texts` over `offsets.length − 1` UTF-8 documents (not modified), documents split
   * across threads (0 = all cores): row `d` of `out` (k values) and `counts[d]`; method 0 classic
   * (datasketch family), 1 OPH, 2 classic (32-bit family). @returns 0 or −1.
   */
  minhashSketchTexts(
    text: Uint8Array, offsets: Uint32Array, gram: number, n: number, kind: number, method: number, k: number,
    perm: Uint32Array | null, seedLo: number, seedHi: number, out: Uint32Array, counts: Uint32Array, threads: number,
  ): number;
}

/** The loaded addon, or `null` when no build for this platform exists or it failed to load. */
export declare const binding: KompaktNativeBinding | null;

/** Why {@link binding} is `null` (`null` when it loaded). */
export declare const loadError: unknown;
