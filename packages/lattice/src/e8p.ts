import { KompaktError } from '@kompakt/core';
import { runItems } from './kernels.js';
import { checkCodes, checkPoints } from './options.js';

// QuIP#'s E8P codebook (2 bits/weight) and its residual (RVQ) 3- and 4-bit variants. Inputs are used as
// given: scale weights first so their RMS is E8P_SCALE[bits] (what `quantize` does).

/** RMS of the quantizer input QuIP# uses per variant (`opt_scale`): 1.03 (2- and 4-bit), 0.98 (3-bit). */
export const E8P_SCALE = { 2: 1.03, 3: 0.98, 4: 1.03 } as const;
/** Residual gain r of the RVQ variants: x̂ = q₁(x) + q₂(r·(x − q₁(x)))/r. */
export const E8P_RESIDUAL_SCALE = { 3: 2.04, 4: 3.45 } as const;

/** One u16 code per 8 values: the exact nearest of the 65,536 E8P codewords. NaN/±Inf read as 0. */
export function e8pEncode(x: Float32Array): Uint16Array {
  return runItems(checkPoints(x, 8, 'e8pEncode'), 8, Uint16Array, 1, (e, i, c, o) => e.e8p_encode(i, c, o), (b, x, o) => b.latticeE8pEncode(x, o)).out;
}

/** The 8 values of each code (every u16 is a valid code). */
export function e8pDecode(codes: Uint16Array): Float32Array {
  return runItems(checkCodes(codes, Uint16Array, 'e8pDecode'), 1, Float32Array, 8, (e, i, c, o) => e.e8p_decode(i, c, o), (b, x, o) => b.latticeE8pDecode(x, o)).out;
}

function e81bEncode(x: Float32Array): Uint8Array {
  return runItems(x, 8, Uint8Array, 1, (e, i, c, o) => e.e81b_encode(i, c, o), (b, x, o) => b.latticeE81bEncode(x, o)).out;
}

function e81bDecode(codes: Uint8Array): Float32Array {
  return runItems(codes, 1, Float32Array, 8, (e, i, c, o) => e.e81b_decode(i, c, o), (b, x, o) => b.latticeE81bDecode(x, o)).out;
}

/**
 * Two-stage E8P: 4 bits (code = e8p₁ << 16 | e8p₂) or 3 bits (code = e8p << 8 | e81b, the second stage
 * the 256-point 1-bit E8 codebook). One u32 per 8 values.
 */
export function e8pRvqEncode(x: Float32Array, bits: 3 | 4): Uint32Array {
  checkPoints(x, 8, 'e8pRvqEncode');
  const r = residualScale(bits, 'e8pRvqEncode');
  const c1 = e8pEncode(x);
  const q1 = e8pDecode(c1);
  const res = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) res[i] = (x[i] - q1[i]) * r;
  const out = new Uint32Array(c1.length);
  if (bits === 4) {
    const c2 = e8pEncode(res);
    for (let k = 0; k < out.length; k++) out[k] = ((c1[k] << 16) | c2[k]) >>> 0;
  } else {
    const c2 = e81bEncode(res);
    for (let k = 0; k < out.length; k++) out[k] = (c1[k] << 8) | c2[k];
  }
  return out;
}

/** Decodes `e8pRvqEncode` codes. 3-bit codes ≥ 2^24 throw INVALID_ARGUMENT. */
export function e8pRvqDecode(codes: Uint32Array, bits: 3 | 4): Float32Array {
  checkCodes(codes, Uint32Array, 'e8pRvqDecode');
  const r = residualScale(bits, 'e8pRvqDecode');
  const n = codes.length;
  const first = new Uint16Array(n);
  let out: Float32Array, second: Float32Array;
  if (bits === 4) {
    const c2 = new Uint16Array(n);
    for (let k = 0; k < n; k++) { first[k] = codes[k] >>> 16; c2[k] = codes[k] & 0xffff; }
    second = e8pDecode(c2);
  } else {
    const c2 = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      if (codes[k] >= 1 << 24) throw new KompaktError('INVALID_ARGUMENT', `e8pRvqDecode: 3-bit code ${codes[k]} at ${k} is ≥ 2^24`);
      first[k] = codes[k] >>> 8; c2[k] = codes[k] & 0xff;
    }
    second = e81bDecode(c2);
  }
  out = e8pDecode(first);
  for (let i = 0; i < out.length; i++) out[i] += second[i] / r;
  return out;
}

function residualScale(bits: unknown, fn: string): number {
  if (bits !== 3 && bits !== 4) throw new KompaktError('INVALID_ARGUMENT', `${fn}: bits must be 3 or 4, got ${String(bits)}`);
  return E8P_RESIDUAL_SCALE[bits];
}
