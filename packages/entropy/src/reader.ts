import { KompaktError } from '@kompakt/core';

/** Bounds-checked little-endian reads: every length is checked before use, past the end is TRUNCATED. */
export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
  readonly what: string;

  constructor(bytes: Uint8Array, what: string, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.what = what;
  }

  get left(): number {
    return this.end - this.pos;
  }

  take(n: number): Uint8Array {
    if (n > this.left) throw new KompaktError('TRUNCATED', `${this.what}: needs ${n} more bytes at offset ${this.pos}, has ${this.left}`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u8(): number {
    return this.take(1)[0];
  }

  u32(): number {
    const b = this.take(4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }
}

/** Little-endian writes into a growing list of parts. */
export class ByteWriter {
  readonly parts: Uint8Array[] = [];
  length = 0;

  bytes(b: Uint8Array): void {
    this.parts.push(b);
    this.length += b.length;
  }

  u8(v: number): void {
    this.bytes(Uint8Array.of(v));
  }

  u32(v: number): void {
    this.bytes(Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24));
  }

  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}
