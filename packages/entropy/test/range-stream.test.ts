import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AdaptiveModel, categorical, decodeStream, encodeStream, isKompaktError, type CodingModel, type Model } from '@kompakt/entropy';
import { rng } from './backends.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Splits bytes into chunks of `size` (the last shorter). */
function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

async function decodeAll(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, model: Model | CodingModel): Promise<number[]> {
  const out: number[] = [];
  for await (const block of decodeStream(chunks, model)) out.push(...block);
  return out;
}

/** Resolves to the error code decodeStream ends with, or 'ok'; anything but a KompaktError fails the test. */
async function outcome(bytes: Uint8Array, model: Model | CodingModel): Promise<string> {
  try {
    await decodeAll([bytes], model);
    return 'ok';
  } catch (e) {
    if (!isKompaktError(e)) throw e;
    return e.code;
  }
}

const model = categorical([40, 20, 10, 5, 3, 1, 1]);

describe('framed range-coded streams', () => {
  it('round-trip any split of the input and any chunking of the bytes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 300 }), { maxLength: 8 }), fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 64 }), async (parts, blockSize, chunk) => {
        const bytes = concat(await collect(encodeStream(parts, model, { blockSize })));
        expect(await decodeAll(chunked(bytes, chunk), model)).toEqual(parts.flat());
      }),
      { numRuns: 100 },
    );
  });

  it('streams from async sources with an adaptive model carried across blocks', async () => {
    const next = rng(2);
    const data = Array.from({ length: 5 }, () => Uint16Array.from({ length: 7000 }, () => Math.floor(next() ** 3 * 1000)));
    async function* source() {
      for (const d of data) yield d;
    }
    const frames = await collect(encodeStream(source(), new AdaptiveModel(1000), { blockSize: 4096 }));
    expect(frames.length).toBe(1 + Math.ceil(35000 / 4096) + 1); // header, blocks, end marker
    async function* bytes() {
      for (const f of frames) yield* chunked(f, 1000);
    }
    expect(await decodeAll(bytes(), new AdaptiveModel(1000))).toEqual(data.flatMap((d) => Array.from(d)));
  });

  it('an empty source is a header and an end marker', async () => {
    const bytes = concat(await collect(encodeStream([], model)));
    expect(bytes.length).toBe(8 + 16);
    expect(await decodeAll([bytes], model)).toEqual([]);
  });

  it('detects every truncation (TRUNCATED), trailing bytes (CORRUPT) and every bit flip', async () => {
    const next = rng(6);
    const values = Array.from({ length: 400 }, () => Math.floor(next() ** 2 * 7));
    const bytes = concat(await collect(encodeStream([values], model, { blockSize: 150 })));
    for (let cut = 0; cut < bytes.length; cut++) expect(await outcome(bytes.subarray(0, cut), model)).toBe('TRUNCATED');
    expect(await outcome(concat([bytes, Uint8Array.of(0)]), model)).toBe('CORRUPT');
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const bad = bytes.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      expect(['CORRUPT', 'CHECKSUM', 'TRUNCATED', 'UNSUPPORTED_VERSION']).toContain(await outcome(bad, model));
    }
  });

  it('random bytes only ever end in a KompaktError', async () => {
    const header = Uint8Array.of(0x4b, 0x50, 0x52, 0x43, 1, 0, 0, 0);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect(await outcome(bytes, model)).not.toBe('ok');
        await outcome(concat([header, bytes]), model);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a block header that claims more than the format allows, before reading on', async () => {
    const header = Uint8Array.of(0x4b, 0x50, 0x52, 0x43, 1, 0, 0, 0);
    const huge = Uint8Array.of(0, 0, 0x20, 0, 6, 0, 0, 0); // 2^21 symbols
    expect(await outcome(concat([header, huge]), model)).toBe('CORRUPT');
    const long = Uint8Array.of(1, 0, 0, 0, 10, 0, 0, 0); // 1 symbol cannot take 10 bytes
    expect(await outcome(concat([header, long]), model)).toBe('CORRUPT');
    expect(await outcome(Uint8Array.of(0x4b, 0x50, 0x52, 0x43, 2, 0, 0, 0), model)).toBe('UNSUPPORTED_VERSION');
  });
});
