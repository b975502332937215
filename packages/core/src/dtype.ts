/**
 * f32 ↔ f16 ↔ bf16 conversions in plain JS, bit-exact with the wasm and native kernels.
 *
 * Narrowing rounds to nearest, ties to even (what IEEE 754, PyTorch and NumPy do). Overflow becomes
 * ±Inf, Inf stays Inf, NaN stays NaN with its sign, its top payload bits and the quiet bit set (what
 * x86 F16C and ARM do). Widening is exact. 16-bit values travel as raw bit patterns in numbers or
 * Uint16Arrays, because JS has no 16-bit float type on Node 20.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The raw bits of `x` rounded to f32. */
export function f32Bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

/** The f32 whose raw bits are `bits`. */
export function f32FromBits(bits: number): number {
  u32[0] = bits;
  return f32[0];
}

/** f32 bits → f16 bits, round to nearest even. */
export function f32BitsToF16(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  if (abs >= 0x7f800000) {
    return abs === 0x7f800000 ? sign | 0x7c00 : sign | 0x7e00 | ((abs >>> 13) & 0x3ff);
  }
  if (abs >= 0x477ff000) return sign | 0x7c00; // ≥ 65520 rounds past 65504, the largest finite f16
  if (abs >= 0x38800000) {
    // Normal: rebias the exponent (127 → 15) and round the 13 dropped mantissa bits to even.
    return sign | ((abs - 0x38000000 + 0xfff + ((abs >>> 13) & 1)) >>> 13);
  }
  if (abs <= 0x33000000) return sign; // ≤ 2^-25: half of the smallest subnormal ties to even zero
  // Subnormal: the result counts units of 2^-24; the mantissa with its hidden bit is shifted down.
  const e = abs >>> 23;
  const m = (abs & 0x7fffff) | 0x800000;
  const shift = 126 - e;
  const half = 1 << (shift - 1);
  const rem = m & ((half << 1) - 1);
  let r = m >>> shift;
  if (rem > half || (rem === half && (r & 1) === 1)) r++;
  return sign | r;
}

/** f16 bits → f32 bits (exact; NaN keeps its payload and becomes quiet). */
export function f16ToF32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const man = h & 0x3ff;
  if (exp === 0x1f) return (sign | 0x7f800000 | (man !== 0 ? 0x400000 | (man << 13) : 0)) >>> 0;
  if (exp !== 0) return (sign | ((exp + 112) << 23) | (man << 13)) >>> 0;
  if (man === 0) return sign >>> 0;
  // Subnormal: normalise the mantissa; the exponent drops by one per shift.
  let e = 113;
  let m = man;
  while ((m & 0x400) === 0) {
    m <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((m & 0x3ff) << 13)) >>> 0;
}

/** f32 bits → bf16 bits, round to nearest even. */
export function f32BitsToBf16(x: number): number {
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** bf16 bits → f32 bits (exact). */
export function bf16ToF32Bits(h: number): number {
  return (h << 16) >>> 0;
}

/** `x` rounded to f16, as raw bits. */
export function toF16(x: number): number {
  return f32BitsToF16(f32Bits(x));
}

/** The value of the f16 with raw bits `h`. */
export function fromF16(h: number): number {
  return f32FromBits(f16ToF32Bits(h));
}

/** `x` rounded to bf16, as raw bits. (Goes through f32 first, like every bf16 cast in ML frameworks.) */
export function toBf16(x: number): number {
  return f32BitsToBf16(f32Bits(x));
}

/** The value of the bf16 with raw bits `h`. */
export function fromBf16(h: number): number {
  return f32FromBits(bf16ToF32Bits(h));
}

/** The 16-bit storage types. */
export type Dtype16 = 'f16' | 'bf16';

/** Widens a Uint16Array of f16 or bf16 bits into `out` (allocated when omitted). */
export function widen16(src: Uint16Array, dtype: Dtype16, out = new Float32Array(src.length)): Float32Array {
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  const convert = dtype === 'f16' ? f16ToF32Bits : bf16ToF32Bits;
  for (let i = 0; i < src.length; i++) bits[i] = convert(src[i]);
  return out;
}

/** Narrows a Float32Array into f16 or bf16 bits in `out` (allocated when omitted), round to nearest even. */
export function narrow16(src: Float32Array, dtype: Dtype16, out = new Uint16Array(src.length)): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const convert = dtype === 'f16' ? f32BitsToF16 : f32BitsToBf16;
  for (let i = 0; i < src.length; i++) out[i] = convert(bits[i]);
  return out;
}
