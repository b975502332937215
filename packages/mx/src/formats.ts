/**
 * Format tables: the ids, sizes and limits fixed by docs/internals.md ("MX"). Everything the TS layer
 * and the kernels must agree on lives here.
 */

/** Element formats: one value per code. */
export type ElementFormat = 'e2m1' | 'e2m3' | 'e3m2' | 'e4m3' | 'e5m2' | 'int8' | 'ue4m3' | 'e8m0';

/** Block formats of `quantize` / `dequantize`. */
export type BlockFormat = 'mxfp4' | 'mxfp6-e2m3' | 'mxfp6-e3m2' | 'mxfp8-e4m3' | 'mxfp8-e5m2' | 'mxint8' | 'nvfp4';

/** How the shared E8M0 exponent is chosen from the block's amax (MX formats only). */
export type ScaleRule = 'floor' | 'ceil' | 'even' | 'rceil';

/** Element rounding. */
export type Rounding = 'rne' | 'away' | 'stochastic' | 'stochastic-3/4' | 'ggml';

/** FP4 nibble order inside a block. */
export type NibbleLayout = 'pairs' | 'ggml';

export interface ElementInfo {
  id: number;
  bits: number;
  /** Largest finite magnitude. */
  max: number;
  /** Exponent of the largest normal (OCP "emax_elem"). */
  emax: number;
  mbits: number;
}

export const ELEMENTS: Readonly<Record<ElementFormat, ElementInfo>> = {
  e2m1: { id: 0, bits: 4, max: 6, emax: 2, mbits: 1 },
  e2m3: { id: 1, bits: 6, max: 7.5, emax: 2, mbits: 3 },
  e3m2: { id: 2, bits: 6, max: 28, emax: 4, mbits: 2 },
  e4m3: { id: 3, bits: 8, max: 448, emax: 8, mbits: 3 },
  e5m2: { id: 4, bits: 8, max: 57344, emax: 15, mbits: 2 },
  int8: { id: 5, bits: 8, max: 127 / 64, emax: 0, mbits: 6 },
  ue4m3: { id: 6, bits: 8, max: 448, emax: 8, mbits: 3 },
  e8m0: { id: 7, bits: 8, max: 2 ** 127, emax: 127, mbits: 0 },
};

export const ELEMENT_FORMATS = Object.keys(ELEMENTS) as ElementFormat[];

export interface BlockInfo {
  element: ElementFormat;
  /** Elements per block. */
  bs: number;
  /** Bytes of codes per block. */
  blockBytes: number;
  /** 0 = e8m0, 1 = ue4m3. */
  scaleFmt: 0 | 1;
}

export const BLOCKS: Readonly<Record<BlockFormat, BlockInfo>> = {
  mxfp4: { element: 'e2m1', bs: 32, blockBytes: 16, scaleFmt: 0 },
  'mxfp6-e2m3': { element: 'e2m3', bs: 32, blockBytes: 24, scaleFmt: 0 },
  'mxfp6-e3m2': { element: 'e3m2', bs: 32, blockBytes: 24, scaleFmt: 0 },
  'mxfp8-e4m3': { element: 'e4m3', bs: 32, blockBytes: 32, scaleFmt: 0 },
  'mxfp8-e5m2': { element: 'e5m2', bs: 32, blockBytes: 32, scaleFmt: 0 },
  mxint8: { element: 'int8', bs: 32, blockBytes: 32, scaleFmt: 0 },
  nvfp4: { element: 'e2m1', bs: 16, blockBytes: 8, scaleFmt: 1 },
};

export const BLOCK_FORMATS = Object.keys(BLOCKS) as BlockFormat[];

export const SCALE_RULES: readonly ScaleRule[] = ['floor', 'ceil', 'even', 'rceil'];
/** Kernel ids; 4 = ggml (implied by rounding 'ggml', not a user-facing rule). */
export const SCALE_RULE_IDS: Readonly<Record<ScaleRule | 'ggml', number>> = { floor: 0, ceil: 1, even: 2, rceil: 3, ggml: 4 };

export const ROUNDINGS: readonly Rounding[] = ['rne', 'away', 'stochastic', 'stochastic-3/4', 'ggml'];
export const ROUNDING_IDS: Readonly<Record<Rounding, number>> = { rne: 0, away: 1, stochastic: 2, 'stochastic-3/4': 3, ggml: 4 };

export const LAYOUTS: readonly NibbleLayout[] = ['pairs', 'ggml'];
export const LAYOUT_IDS: Readonly<Record<NibbleLayout, number>> = { pairs: 0, ggml: 1 };

/** Output element type of the dequantizing kernels. */
export type OutDtype = 'f32' | 'f16' | 'bf16';
export const OUT_DTYPE_IDS: Readonly<Record<OutDtype, number>> = { f32: 0, f16: 1, bf16: 2 };

/** The scale byte that marks a NaN block. */
export function nanScaleByte(scaleFmt: 0 | 1): number {
  return scaleFmt === 0 ? 0xff : 0x7f;
}

/** Whether a scale byte is a NaN (or, for ue4m3, an invalid sign-set) scale. */
export function isNaNScale(byte: number, scaleFmt: 0 | 1): boolean {
  return scaleFmt === 0 ? byte === 0xff : (byte & 0x7f) === 0x7f;
}

/** Whether a ue4m3 scale byte has its (always-zero) sign bit set and is not a NaN code. */
export function isNegativeUe4m3(byte: number): boolean {
  return byte >= 0x80 && byte !== 0xff;
}

/** Decodes one scale byte to its value (e8m0: 2^(b−127), 0xFF NaN; ue4m3: E4M3 value, 0x7F NaN). */
export function decodeScale(byte: number, scaleFmt: 0 | 1): number {
  if (scaleFmt === 0) return byte === 0xff ? NaN : 2 ** (byte - 127);
  const b = byte & 0x7f;
  if (b === 0x7f || byte >= 0x80) return NaN;
  const e = b >> 3;
  const m = b & 7;
  return e === 0 ? m * 2 ** -9 : (1 + m / 8) * 2 ** (e - 7);
}
