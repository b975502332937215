/** The typed arrays tensors come back as. 16-bit floats are Uint16Array bit patterns (JS has no f16 array on Node 20). */
export type TypedArray =
  | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

export type TypedArrayConstructor =
  | Uint8ArrayConstructor | Int8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor
  | Uint32ArrayConstructor | Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor
  | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

/**
 * `bytes` as a `Ctor` array: a zero-copy view when the offset is aligned to the element size, else
 * an aligned copy (typed arrays cannot start at an unaligned offset). Files store little-endian and
 * so do typed arrays on every platform JS runs on in practice (x86, ARM, wasm); big-endian hosts
 * are not supported.
 */
export function typedView(Ctor: TypedArrayConstructor, bytes: Uint8Array): TypedArray {
  const size = Ctor.BYTES_PER_ELEMENT;
  if (Ctor === Uint8Array) return bytes;
  const src = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  return new Ctor(src.buffer as ArrayBuffer, src.byteOffset, src.byteLength / size);
}

/** The bytes of any typed array, as a view (no copy). */
export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** ∏ shape, or -1 when a dimension is not a non-negative safe integer or the product passes 2^53. */
export function elementCount(shape: readonly unknown[]): number {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) return -1;
    if (d !== 0 && n > Number.MAX_SAFE_INTEGER / d) return -1;
    n *= d;
  }
  return n;
}
