import { describe, expect, it } from 'vitest';
import { toF16 } from '@kompakt/core';
import { ggmlType, parseGgufHeader, readGguf } from '@kompakt/io';
import { buildGguf, kvStr, kvU32, T, type KV } from './gguf-builder.js';
import { Bytes, expectError } from './helpers.js';

const f32bytes = (...v: number[]) => new Uint8Array(new Float32Array(v).buffer);

/** One of each metadata type, arrays included (the tokenizer tables real files carry). */
const allKinds: KV[] = [
  { key: 'u8', type: T.u8, write: (b) => b.u8(200) },
  { key: 'i8', type: T.i8, write: (b) => b.u8(-5) },
  { key: 'u16', type: T.u16, write: (b) => b.u16(60000) },
  { key: 'i16', type: T.i16, write: (b) => b.u16(-300 & 0xffff) },
  { key: 'u32', type: T.u32, write: (b) => b.u32(4e9) },
  { key: 'i32', type: T.i32, write: (b) => b.u32(-7 >>> 0) },
  { key: 'f32', type: T.f32, write: (b) => b.f32(0.25) },
  { key: 'bool', type: T.bool, write: (b) => b.u8(1) },
  kvStr('general.architecture', 'gpt-oss'),
  { key: 'u64', type: T.u64, write: (b) => b.u64(2n ** 64n - 1n) },
  { key: 'i64', type: T.i64, write: (b) => b.u64(2n ** 64n - 2n) },
  { key: 'f64', type: T.f64, write: (b) => b.raw(new Uint8Array(new Float64Array([Math.E]).buffer)) },
  { key: 'tokens', type: T.arr, write: (b) => b.u32(T.str).u64(3).str('<s>').str('héllo').str('') },
  { key: 'scores', type: T.arr, write: (b) => b.u32(T.f32).u64(2).f32(-1.5).f32(2) },
  { key: 'types', type: T.arr, write: (b) => b.u32(T.i32).u64(2).u32(1).u32(-1 >>> 0) },
  { key: 'flags', type: T.arr, write: (b) => b.u32(T.bool).u64(2).u8(0, 1) },
  { key: 'merges', type: T.arr, write: (b) => b.u32(T.u64).u64(1).u64(9) },
  { key: 'nested', type: T.arr, write: (b) => b.u32(T.arr).u64(2).u32(T.u8).u64(2).u8(1, 2).u32(T.str).u64(1).str('x') },
];

describe('gguf read', () => {
  it('reads every metadata value type', () => {
    for (const version of [2, 3]) {
      const g = readGguf(buildGguf({ version, kvs: allKinds }));
      expect(g.version).toBe(version);
      expect(Object.fromEntries(g.metadata)).toEqual({
        u8: 200, i8: -5, u16: 60000, i16: -300, u32: 4e9, i32: -7, f32: 0.25, bool: true, 'general.architecture': 'gpt-oss',
        u64: 2n ** 64n - 1n, i64: -2n, f64: Math.E, tokens: ['<s>', 'héllo', ''], scores: new Float32Array([-1.5, 2]),
        types: new Int32Array([1, -1]), flags: [false, true], merges: new BigUint64Array([9n]), nested: [new Uint8Array([1, 2]), ['x']],
      });
      expect(g.metadataTypes.get('tokens')).toBe('array<string>');
      expect(g.metadataTypes.get('nested')).toBe('array<array>');
      expect(g.metadataTypes.get('u64')).toBe('uint64');
      expect(g.tensors).toEqual([]);
    }
  });

  it('lists and reads F32, F16 and MXFP4 tensors as raw bytes', () => {
    const f16 = new Uint8Array(new Uint16Array([toF16(1), toF16(-2), toF16(0.5), toF16(3)]).buffer);
    const mxfp4 = Uint8Array.from({ length: 2 * 3 * 17 }, (_, i) => (i * 37) & 0xff); // 3 rows × 64 = 2 blocks per row
    const bytes = buildGguf({
      kvs: [kvStr('general.name', 'tiny')],
      tensors: [
        { name: 'w.f32', dims: [3], type: 0, data: f32bytes(1, 2, 3) },
        { name: 'w.f16', dims: [2, 2], type: 1, data: f16 },
        { name: 'blk.0.ffn_down_exps.weight', dims: [64, 3], type: 39, data: mxfp4 },
      ],
    });
    const g = readGguf(bytes, { name: 'tiny.gguf' });
    expect(g.names()).toEqual(['w.f32', 'w.f16', 'blk.0.ffn_down_exps.weight']);
    expect(g.alignment).toBe(32);
    expect(g.dataStart % 32).toBe(0);
    const a = g.tensor('w.f32');
    expect(a).toMatchObject({ type: 'F32', typeId: 0, dims: [3], shape: [3] });
    expect(new Float32Array(a.data.slice().buffer)).toEqual(new Float32Array([1, 2, 3]));
    expect(g.tensor('w.f16')).toMatchObject({ type: 'F16', dims: [2, 2], data: f16 });
    const m = g.tensor('blk.0.ffn_down_exps.weight');
    expect(m).toMatchObject({ type: 'MXFP4', typeId: 39, dims: [64, 3], shape: [3, 64], data: mxfp4 });
    expect(m.end - m.start).toBe(102);
    expect(ggmlType(39)).toEqual({ id: 39, name: 'MXFP4', blockSize: 32, blockBytes: 17 });
    expectError(() => g.tensor('nope'), 'INVALID_ARGUMENT', /^tiny.gguf: no tensor "nope"/);
  });

  it('honours general.alignment', () => {
    const bytes = buildGguf({
      alignment: 64,
      kvs: [kvU32('general.alignment', 64)],
      tensors: [{ name: 'a', dims: [1], type: 0, data: f32bytes(5) }, { name: 'b', dims: [1], type: 0, data: f32bytes(6) }],
    });
    const g = readGguf(bytes);
    expect(g.alignment).toBe(64);
    expect(g.tensors.map((t) => t.start - g.dataStart)).toEqual([0, 64]);
    expect(g.tensor('b').data).toEqual(f32bytes(6));
    expectError(() => readGguf(buildGguf({ kvs: [kvU32('general.alignment', 48)] })), 'CORRUPT', /power of two, got 48/);
    expectError(() => readGguf(buildGguf({ kvs: [kvStr('general.alignment', '32')] })), 'CORRUPT', /uint32 power of two/);
  });

  it('parses a header from a prefix and says how much more it needs', () => {
    const bytes = buildGguf({ kvs: allKinds, tensors: [{ name: 'a', dims: [4], type: 0, data: f32bytes(1, 2, 3, 4) }] });
    const partial = parseGgufHeader(bytes.subarray(0, 40), bytes.length);
    expect('needed' in partial && partial.needed > 40).toBe(true);
    let n = 16;
    let h = parseGgufHeader(bytes.subarray(0, n), bytes.length);
    while ('needed' in h) h = parseGgufHeader(bytes.subarray(0, (n = h.needed)), bytes.length);
    expect(h.tensors[0]).toMatchObject({ name: 'a', type: 'F32' });
    expect(n).toBeLessThan(bytes.length);
  });
});

describe('gguf validation', () => {
  const tensor = { name: 't', dims: [4], type: 0, data: f32bytes(1, 2, 3, 4) };

  it('rejects bad magic and versions', () => {
    expectError(() => readGguf(new Bytes().raw([0x47, 0x47, 0x4a, 0x54]).u32(3).bytes()), 'CORRUPT', /not a GGUF file/);
    expectError(() => readGguf(buildGguf({ version: 1 })), 'UNSUPPORTED_VERSION', /version 1 \(this reader knows 2 and 3\)/);
    expectError(() => readGguf(buildGguf({ version: 4 })), 'UNSUPPORTED_VERSION');
    expectError(() => readGguf(buildGguf({ version: 0x03000000 })), 'UNSUPPORTED_VERSION', /big-endian/);
    expectError(() => readGguf(new Uint8Array(3), { name: 'x.gguf' }), 'TRUNCATED', /^x.gguf: the magic needs 4 bytes/);
  });

  it('checks counts and lengths against the file size before allocating', () => {
    const hdr = (tensors: number | bigint, kvs: number | bigint) => new Bytes().raw([0x47, 0x47, 0x55, 0x46]).u32(3).u64(tensors).u64(kvs);
    expectError(() => readGguf(hdr(0, 1e12).bytes()), 'TRUNCATED', /1000000000000 metadata entries cannot fit/);
    expectError(() => readGguf(hdr(1e12, 0).bytes()), 'TRUNCATED', /tensor infos cannot fit/);
    expectError(() => readGguf(hdr(0, 2n ** 63n).bytes()), 'CORRUPT', /beyond 2\^53/);
    expectError(() => readGguf(hdr(0, 1).u64(1e9).raw(new Uint8Array(8)).bytes()), 'TRUNCATED', /metadata key 0 needs 1000000000 bytes/);
    expectError(() => readGguf(hdr(0, 1).str('k').u32(T.arr).u32(T.u32).u64(1e9).bytes()), 'TRUNCATED', /metadata "k": 1000000000 elements of uint32 cannot fit/);
    expectError(() => readGguf(hdr(0, 1).str('k').u32(T.arr).u32(T.str).u64(1e9).bytes()), 'TRUNCATED', /elements of string cannot fit/);
  });

  it('rejects bad metadata', () => {
    expectError(() => readGguf(buildGguf({ kvs: [{ key: 'k', type: 13, write: () => {} }] })), 'CORRUPT', /metadata "k" has unknown value type 13/);
    expectError(() => readGguf(buildGguf({ kvs: [{ key: 'k', type: T.arr, write: (b) => b.u32(99).u64(0) }] })), 'CORRUPT', /unknown element type 99/);
    expectError(() => readGguf(buildGguf({ kvs: [kvStr('k', 'a'), kvStr('k', 'b')] })), 'CORRUPT', /metadata key "k" appears twice/);
    const deep: KV = { key: 'deep', type: T.arr, write: (b) => { for (let i = 0; i < 9; i++) b.u32(T.arr).u64(1); b.u32(T.u8).u64(0); } };
    expectError(() => readGguf(buildGguf({ kvs: [deep] })), 'CORRUPT', /nests arrays more than 8 deep/);
  });

  it('rejects bad tensor infos', () => {
    expectError(() => readGguf(buildGguf({ tensors: [{ ...tensor, type: 4 }] })), 'CORRUPT', /tensor "t" has unknown ggml type 4/);
    expectError(() => readGguf(buildGguf({ tensors: [{ ...tensor, dims: [1, 1, 1, 1, 4] }] })), 'CORRUPT', /5 dimensions, ggml allows at most 4/);
    expectError(() => readGguf(buildGguf({ tensors: [{ ...tensor, type: 39, dims: [16] }] })), 'CORRUPT', /row length 16 is not a multiple of the MXFP4 block size 32/);
    expectError(() => readGguf(buildGguf({ tensors: [tensor, tensor] })), 'CORRUPT', /tensor "t" appears twice/);
    expectError(() => readGguf(buildGguf({ tensors: [{ ...tensor, offset: 4 }] })), 'CORRUPT', /offset 4 is not a multiple of the alignment 32/);
    expectError(() => readGguf(buildGguf({ tensors: [{ ...tensor, dims: [4, 2 ** 30, 2 ** 30] }] })), 'CORRUPT', /more than 2\^53|too large/);
    const overlapping = buildGguf({ tensors: [{ ...tensor, dims: [16] , data: new Uint8Array(64) }, { ...tensor, name: 'u', offset: 32 }] });
    expectError(() => readGguf(overlapping), 'CORRUPT', /tensor "u" overlaps tensor "t"/);
    const cut = buildGguf({ tensors: [tensor] });
    expectError(() => readGguf(cut.subarray(0, cut.length - 32 + 8)), 'TRUNCATED', /tensor "t" ends at byte \d+, the file has/);
  });
});
