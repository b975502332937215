import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readGguf, readNpy, readSafetensors, readTfjsWeights, writeNpy, writeSafetensors } from '@kompakt/io';
import { buildGguf, kvStr, kvU32, T } from './gguf-builder.js';
import { onlyKompaktErrors } from './helpers.js';

// Every malformed input must end in a KompaktError: never a RangeError from a typed array, a
// TypeError, a hang or an allocation sized by a corrupt length field.

const safetensors = writeSafetensors({
  a: { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
  b: { dtype: 'BF16', shape: [3], data: new Uint16Array(3) },
  c: { dtype: 'U8', shape: [], data: new Uint8Array(1) },
}, { metadata: { k: 'v' } });
const npy = writeNpy(new Int16Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
const gguf = buildGguf({
  kvs: [kvStr('general.architecture', 'llama'), kvU32('general.alignment', 32),
    { key: 'toks', type: T.arr, write: (b) => b.u32(T.str).u64(2).str('a').str('bc') },
    { key: 'sc', type: T.arr, write: (b) => b.u32(T.f32).u64(2).f32(1).f32(2) }],
  tensors: [
    { name: 'f', dims: [2, 2], type: 0, data: new Uint8Array(16) },
    { name: 'h', dims: [4], type: 1, data: new Uint8Array(8) },
    { name: 'm', dims: [32], type: 39, data: new Uint8Array(17) },
  ],
});
const tfjsBytes = new Uint8Array(20);
const tfjs = (bytes: Uint8Array, manifest: unknown = [{ paths: ['s'], weights: [{ name: 'w', shape: [2, 2], dtype: 'float32' }, { name: 'i', shape: [1], dtype: 'int32' }] }]) =>
  readTfjsWeights(manifest as never, () => bytes);

/** Each reader reads everything it can (header and every tensor); `needed`: the shortest valid prefix. */
const ggufEnd = Math.max(...readGguf(gguf).tensors.map((t) => t.end)); // the padding after the last tensor is optional
const readers: [string, Uint8Array, (b: Uint8Array) => unknown, number][] = [
  ['safetensors', safetensors, (b) => { const s = readSafetensors(b); for (const n of s.names()) s.tensor(n); }, safetensors.length],
  ['npy', npy, (b) => readNpy(b), npy.length],
  ['gguf', gguf, (b) => { const g = readGguf(b); for (const n of g.names()) g.tensor(n); }, ggufEnd],
  ['tfjs', tfjsBytes, (b) => tfjs(b), tfjsBytes.length],
];

describe.each(readers)('%s: malformed input is always a KompaktError', (_, valid, read, needed) => {
  it('reads the valid file', () => {
    expect(() => read(valid)).not.toThrow();
  });

  it('every truncation', () => {
    for (let n = 0; n < needed; n++) {
      let threw = false;
      try {
        read(valid.subarray(0, n));
      } catch (e) {
        threw = onlyKompaktErrors(() => { throw e; });
      }
      expect(threw, `truncated at ${n}`).toBe(true);
    }
  });

  it('every single bit flip', () => {
    for (let i = 0; i < valid.length * 8; i++) {
      const b = valid.slice();
      b[i >> 3] ^= 1 << (i & 7);
      onlyKompaktErrors(() => read(b));
    }
  });

  it('random byte edits', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
      const b = valid.slice();
      for (const [at, v] of edits) b[at] = v;
      return onlyKompaktErrors(() => read(b));
    }), { numRuns: 500 });
  });

  it('random bytes, with and without a valid prefix', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(valid.length), (tail, keep) => {
      const b = new Uint8Array(keep + tail.length);
      b.set(valid.subarray(0, keep));
      b.set(tail, keep);
      return onlyKompaktErrors(() => read(b));
    }), { numRuns: 1000 });
  });
});

describe('header-level fuzzing', () => {
  it('safetensors: random JSON headers', () => {
    const header = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(
      fc.record({ dtype: fc.constantFrom('F32', 'U8', 'BF16', 'F4', 'X'), shape: fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 }), data_offsets: fc.array(fc.integer({ min: -1, max: 40 }), { maxLength: 3 }) }),
      fc.jsonValue({ maxDepth: 2 }),
    ), { maxKeys: 4 });
    fc.assert(fc.property(header, fc.nat(48), (h, dataBytes) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const b = new Uint8Array(8 + json.length + dataBytes);
      new DataView(b.buffer).setUint32(0, json.length, true);
      b.set(json, 8);
      return onlyKompaktErrors(() => { const s = readSafetensors(b); for (const n of s.names()) s.tensor(n); });
    }), { numRuns: 2000 });
  });

  it('npy: random header text', () => {
    const text = fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("{'descr': '<f4', 'fortran_order': False, 'shape': (", "{'descr': '", "{'shape': ((1,),)", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,2,3,), }"));
    fc.assert(fc.property(text, fc.uint8Array({ maxLength: 32 }), (h, data) => {
      const enc = new TextEncoder().encode(h);
      const b = new Uint8Array(10 + enc.length + data.length);
      b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, enc.length & 0xff, enc.length >> 8]);
      b.set(enc, 10);
      b.set(data, 10 + enc.length);
      return onlyKompaktErrors(() => readNpy(b));
    }), { numRuns: 2000 });
  });

  it('tfjs: random manifests', () => {
    const w = fc.record({ name: fc.string(), shape: fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }), dtype: fc.constantFrom('float32', 'int32', 'bool', 'complex64', 'string'),
      quantization: fc.option(fc.record({ dtype: fc.constantFrom('uint8', 'uint16', 'float16', 'x'), scale: fc.double(), min: fc.double() }), { nil: undefined }) });
    fc.assert(fc.property(fc.array(w, { maxLength: 4 }), fc.nat(64), (weights, n) => onlyKompaktErrors(() => tfjs(new Uint8Array(n), [{ paths: ['s'], weights }]))), { numRuns: 1000 });
  });
});
