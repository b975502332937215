import { fail, NeedMore } from './errors.js';

const utf8 = new TextDecoder('utf-8');

/**
 * A bounds-checked little-endian cursor. `bytes` may be only a prefix of a file of `total` bytes
 * (the Node readers parse headers from a prefix): reading past `total` is TRUNCATED, reading past
 * the prefix but inside the file throws NeedMore so the caller can fetch more and retry. Callers
 * check counts against `remaining()` before allocating, so a length field never sizes an allocation
 * larger than the file.
 */
export class ByteReader {
  pos = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly source: string,
    readonly total: number = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left in the whole file (not just the prefix). */
  remaining(): number {
    return this.total - this.pos;
  }

  /** Throws unless `n` more bytes exist; `what` names the field for the message. */
  need(n: number, what: string): void {
    if (n > this.total - this.pos) {
      fail('TRUNCATED', this.source, `${what} needs ${n} bytes at offset ${this.pos}, but the file ends at ${this.total}`);
    }
    if (this.pos + n > this.bytes.length) throw new NeedMore(this.pos + n);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A u64 that must fit a JS number (every count, length and offset does, or the file is bogus). */
  u64(what: string): number {
    this.need(8, what);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    if (hi > 0x1fffff) fail('CORRUPT', this.source, `${what} at offset ${this.pos} is ${this.view.getBigUint64(this.pos, true)}, beyond 2^53`);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  /** `n` bytes as a view into the input (no copy). */
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** `n` bytes decoded as UTF-8; invalid sequences become U+FFFD (names are labels, not code). */
  utf8(n: number, what: string): string {
    return utf8.decode(this.take(n, what));
  }
}
