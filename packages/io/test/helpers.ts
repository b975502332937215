import { isKompaktError } from '@kompakt/core';

export { expectError } from '../../../test/helpers/errors';

/** Little-endian byte builder for hand-made files. */
export class Bytes {
  private parts: number[] = [];

  get length(): number {
    return this.parts.length;
  }

  u8(...v: number[]): this {
    this.parts.push(...v.map((x) => x & 0xff));
    return this;
  }

  u16(v: number): this {
    return this.raw(new Uint8Array(new Uint16Array([v]).buffer));
  }

  u32(v: number): this {
    return this.raw(new Uint8Array(new Uint32Array([v]).buffer));
  }

  u64(v: number | bigint): this {
    return this.raw(new Uint8Array(new BigUint64Array([BigInt(v)]).buffer));
  }

  f32(v: number): this {
    return this.raw(new Uint8Array(new Float32Array([v]).buffer));
  }

  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u64(b.length).raw(b);
  }

  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]);
    return this;
  }

  pad(multiple: number): this {
    while (this.parts.length % multiple) this.parts.push(0);
    return this;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export function b64(s: string): Uint8Array {
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Makes a KompaktError-or-success check for fuzzing: anything else thrown fails the property. */
export function onlyKompaktErrors(fn: () => unknown): boolean {
  try {
    fn();
  } catch (e) {
    if (!isKompaktError(e)) throw e;
  }
  return true;
}
