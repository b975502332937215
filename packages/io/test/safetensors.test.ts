import { describe, expect, it } from 'vitest';
import { toBf16, toF16 } from '@kompakt/core';
import {
  SAFETENSORS_DTYPES, parseSafetensorsHeader, readSafetensors, safetensorsHeaderSize, writeSafetensors,
  type SafetensorsDtype, type SafetensorsInput,
} from '@kompakt/io';
import { expectError } from './helpers.js';

/** A file whose header is `json` (padded to 8) followed by `dataBytes` zero bytes. */
function file(json: string, dataBytes: number, lengthField?: number): Uint8Array {
  const h = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + h.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(lengthField ?? h.length), true);
  out.set(h, 8);
  return out;
}

const bits: Record<SafetensorsDtype, number> = {
  BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, F8_E4M3FNUZ: 8, F8_E5M2FNUZ: 8,
  I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, C64: 64, F64: 64, I64: 64, U64: 64,
};

describe('safetensors write', () => {
  // Byte-exact vectors from the reference implementation's own tests (huggingface/safetensors tensor.rs).
  it('matches the reference serializer byte for byte', () => {
    const data = new Float32Array([0, 1, 2, 3, 4, 5]);
    const out = writeSafetensors({ 'attn.0': { dtype: 'F32', shape: [1, 2, 3], data } });
    const expected = [
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34,
      44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116,
      115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ];
    expect([...out]).toEqual(expected);
    // "attn0" is one byte shorter: 7 spaces of padding keep the data 8-aligned.
    const out2 = writeSafetensors({ attn0: { dtype: 'F32', shape: [1, 1, 2, 3], data } });
    expect(out2[0]).toBe(72);
    expect([...out2.subarray(8 + 65, 8 + 72)]).toEqual([32, 32, 32, 32, 32, 32, 32]);
    expect([...writeSafetensors({})]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const withMeta = writeSafetensors({}, { metadata: { framework: 'pt' } });
    expect(new TextDecoder().decode(withMeta.subarray(8))).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });

  it('orders tensors by dtype (widest first) then name, so each is aligned', () => {
    const out = writeSafetensors({
      b: { dtype: 'U8', shape: [3], data: new Uint8Array(3) },
      a: { dtype: 'U8', shape: [1], data: new Uint8Array(1) },
      c: { dtype: 'F64', shape: [1], data: new Float64Array(1) },
      d: { dtype: 'BF16', shape: [1], data: new Uint16Array(1) },
      e: { dtype: 'F16', shape: [1], data: new Uint16Array(1) },
    });
    const st = readSafetensors(out);
    expect(st.names()).toEqual(['c', 'd', 'e', 'a', 'b']);
    for (const t of st.tensors) expect(t.start % (bits[t.dtype] / 8)).toBe(0);
  });

  it('rejects bad input', () => {
    expectError(() => writeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }), 'SHAPE_MISMATCH', /'?"w"'?: shape \[2, 2\] of F32 needs 16 bytes, data has 12/);
    expectError(() => writeSafetensors({ w: { dtype: 'F33' as never, shape: [1], data: new Float32Array(1) } }), 'INVALID_ARGUMENT', /unknown dtype "F33"/);
    expectError(() => writeSafetensors({ w: { dtype: 'F32', shape: [-1], data: new Float32Array(1) } }), 'INVALID_ARGUMENT', /non-negative/);
    expectError(() => writeSafetensors({ w: { dtype: 'F32', shape: [1], data: [1] as never } }), 'INVALID_TYPE', /typed array/);
    expectError(() => writeSafetensors({ __metadata__: { dtype: 'F32', shape: [1], data: new Float32Array(1) } }), 'INVALID_ARGUMENT', /reserved/);
    expectError(() => writeSafetensors({}, { metadata: { a: 1 as never } }), 'INVALID_ARGUMENT', /metadata "a" must be a string/);
    expectError(() => writeSafetensors({ w: { dtype: 'F4', shape: [3], data: new Uint8Array(2) } }), 'SHAPE_MISMATCH');
  });
});

describe('safetensors round trip', () => {
  it('every dtype, several shapes, metadata', () => {
    const shapes = [[], [0], [1], [7], [3, 5], [2, 0, 4], [2, 3, 4]];
    const tensors = new Map<string, SafetensorsInput>();
    let seed = 1;
    for (const dtype of SAFETENSORS_DTYPES) {
      for (const [k, shape] of shapes.entries()) {
        const n = shape.reduce((a, b) => a * b, 1);
        if ((n * bits[dtype]) % 8) continue; // F4/F6 need whole bytes
        const bytes = Uint8Array.from({ length: (n * bits[dtype]) / 8 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
        tensors.set(`${dtype.toLowerCase()}.${k}`, { dtype, shape, data: bytes });
      }
    }
    const metadata = { format: 'pt', 'ünïcode "key"': 'line\nbreak' };
    const st = readSafetensors(writeSafetensors(tensors, { metadata }), { name: 'rt.safetensors' });
    expect(st.metadata).toEqual(metadata);
    expect(st.tensors.length).toBe(tensors.size);
    for (const [name, t] of tensors) {
      const got = st.tensor(name);
      expect(got.dtype).toBe(t.dtype);
      expect(got.shape).toEqual(t.shape);
      expect(new Uint8Array(got.data.buffer, got.data.byteOffset, got.data.byteLength)).toEqual(t.data);
    }
  });

  it('returns the right typed arrays', () => {
    const st = readSafetensors(writeSafetensors({
      f32: { dtype: 'F32', shape: [2], data: new Float32Array([1.5, -2]) },
      f16: { dtype: 'F16', shape: [1], data: new Uint16Array([toF16(0.5)]) },
      bf16: { dtype: 'BF16', shape: [1], data: new Uint16Array([toBf16(3)]) },
      i64: { dtype: 'I64', shape: [1], data: new BigInt64Array([-5n]) },
      u64: { dtype: 'U64', shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) },
      c64: { dtype: 'C64', shape: [1], data: new Float32Array([1, -1]) },
      i8: { dtype: 'I8', shape: [1], data: new Int8Array([-3]) },
      bool: { dtype: 'BOOL', shape: [2], data: new Uint8Array([1, 0]) },
    }));
    expect(st.tensor('f32').data).toEqual(new Float32Array([1.5, -2]));
    expect(st.tensor('f16').data).toEqual(new Uint16Array([0x3800]));
    expect(st.tensor('bf16').data).toEqual(new Uint16Array([0x4040]));
    expect(st.tensor('i64').data).toEqual(new BigInt64Array([-5n]));
    expect(st.tensor('u64').data).toEqual(new BigUint64Array([2n ** 64n - 1n]));
    expect(st.tensor('c64').data).toEqual(new Float32Array([1, -1]));
    expect(st.tensor('i8').data).toEqual(new Int8Array([-3]));
    expect(st.tensor('bool').data).toEqual(new Uint8Array([1, 0]));
  });

  it('copies unaligned tensors and views aligned ones', () => {
    const f = writeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
    const shifted = new Uint8Array(f.length + 1).subarray(1);
    shifted.set(f);
    expect(readSafetensors(shifted).tensor('w').data).toEqual(new Float32Array([1, 2]));
    const aligned = readSafetensors(f).tensor('w').data;
    expect(aligned.buffer).toBe(f.buffer);
  });
});

describe('safetensors header validation', () => {
  const ok = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[2],"data_offsets":[8,10]}}';

  it('accepts tensors listed in any order, and the header split from the data', () => {
    const bytes = file(ok, 10);
    const st = readSafetensors(bytes);
    expect(st.names()).toEqual(['a', 'b']);
    const size = safetensorsHeaderSize(bytes.subarray(0, 8));
    const h = parseSafetensorsHeader(bytes.subarray(0, size), bytes.length);
    expect(h.tensors.map((t) => [t.name, t.start, t.end])).toEqual([['a', size, size + 8], ['b', size + 8, size + 10]]);
    expectError(() => parseSafetensorsHeader(bytes.subarray(0, 10), bytes.length), 'INVALID_ARGUMENT', /prefix has 10 bytes/);
  });

  it('bounds the header length', () => {
    expectError(() => readSafetensors(file('{}', 0, 100_000_001)), 'TOO_LARGE', /100000001 exceeds the 100000000-byte limit/);
    expectError(() => readSafetensors(file('{}', 0, 2 ** 53)), 'TOO_LARGE');
    expectError(() => readSafetensors(file('{}', 0, 1000)), 'TRUNCATED', /header needs 1008 bytes, the file has 10/);
    expectError(() => readSafetensors(new Uint8Array(5), { name: 'x.st' }), 'TRUNCATED', /^x.st: 5 bytes/);
  });

  it('rejects headers that are not a JSON object', () => {
    expectError(() => readSafetensors(file('{"a":', 0)), 'CORRUPT', /not valid JSON/);
    expectError(() => readSafetensors(file('[]', 0)), 'CORRUPT', /not a JSON object/);
    expectError(() => readSafetensors(file('null', 0)), 'CORRUPT', /not a JSON object/);
    const bad = file('{"\xff":1}', 0);
    bad[10] = 0xff;
    expectError(() => readSafetensors(bad), 'CORRUPT', /UTF-8/);
    expectError(() => readSafetensors(file('{"__metadata__":{"a":1}}', 0)), 'CORRUPT', /__metadata__ value for "a"/);
    expectError(() => readSafetensors(file('{"__metadata__":[]}', 0)), 'CORRUPT', /__metadata__ is not an object/);
  });

  it('rejects overlapping offsets, gaps and trailing bytes', () => {
    const overlap = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}';
    expectError(() => readSafetensors(file(overlap, 12), { name: 'm.safetensors' }), 'CORRUPT', /^m.safetensors: tensor "b" .*overlaps tensor "a"/);
    const gap = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}';
    expectError(() => readSafetensors(file(gap, 12)), 'CORRUPT', /bytes \[4, 8\) .* belong to no tensor \(before tensor "b"\)/);
    expectError(() => readSafetensors(file(ok, 11)), 'CORRUPT', /1 bytes after the last tensor/);
    expectError(() => readSafetensors(file(ok, 9)), 'TRUNCATED', /tensor "b" ends at byte 10 of the data section, which has 9/);
    const backwards = '{"a":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}';
    expectError(() => readSafetensors(file(backwards, 4)), 'CORRUPT', /end before they start/);
  });

  it('rejects dtype and shape mismatches', () => {
    const t = (dtype: string, shape: string, offsets = '[0,8]') => file(`{"w":{"dtype":"${dtype}","shape":${shape},"data_offsets":${offsets}}}`, 8);
    expectError(() => readSafetensors(t('F32', '[3]')), 'CORRUPT', /tensor "w": shape \[3\] of F32 needs 12 bytes, data_offsets \[0, 8\] give 8/);
    expectError(() => readSafetensors(t('F31', '[2]')), 'CORRUPT', /tensor "w": unknown dtype "F31"/);
    expectError(() => readSafetensors(t('F32', '[-2]')), 'CORRUPT', /non-negative integers/);
    expectError(() => readSafetensors(t('F32', '[1.5]')), 'CORRUPT', /non-negative integers/);
    expectError(() => readSafetensors(t('F32', '"2"')), 'CORRUPT', /shape is not an array/);
    expectError(() => readSafetensors(t('F32', '[2]', '[0]')), 'CORRUPT', /data_offsets must be/);
    expectError(() => readSafetensors(t('F32', '[4294967296, 4294967296]')), 'CORRUPT', /product below 2\^53/);
    expectError(() => readSafetensors(t('F4', '[3]', '[0,8]')), 'CORRUPT', /do not fill whole bytes/);
    expectError(() => readSafetensors(file('{"w":5}', 0)), 'CORRUPT', /entry is not an object/);
  });

  it('names missing tensors', () => {
    expectError(() => readSafetensors(file(ok, 10), { name: 'f.st' }).tensor('zz'), 'INVALID_ARGUMENT', /^f.st: no tensor "zz"/);
  });
});
