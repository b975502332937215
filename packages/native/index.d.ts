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
}

/** The loaded addon, or `null` when no build for this platform exists or it failed to load. */
export declare const binding: KompaktNativeBinding | null;

/** Why {@link binding} is `null` (`null` when it loaded). */
export declare const loadError: unknown;
