import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy, type NpyDtype, type TypedArray } from '@kompakt/io';
import { b64, expectError } from './helpers.js';

/** Written by numpy 2.4 (np.save, or format.write_array with a forced version). */
const NUMPY = {
  f4_2x3: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBAAACAQAAAoEA=',
  f8_scalar: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAMQA==',
  u1_3: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAgM=',
  b1_2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAA==',
  i8_0x4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDQpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=',
  f2_4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPADAADj/ew==',
  be_i4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAB/////g==',
  be_f8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/+AAAAAAAAMACAAAAAAAA',
  v2_i2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8aTInLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAP7/AwD8/w==',
  v3_u4: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8dTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoHAAAACAAAAAkAAAA=',
  fortran: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
};

/** A .npy file with a hand-written header (padded like numpy) and `data` after it. */
function npy(header: string, data: ArrayLike<number> = [], version = 1): Uint8Array {
  const lengthSize = version === 1 ? 2 : 4;
  const padded = header + ' '.repeat(63 - ((8 + lengthSize + header.length) % 64)) + '\n';
  const out = new Uint8Array(8 + lengthSize + padded.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, padded.length, true);
  else v.setUint32(8, padded.length, true);
  out.set(new TextEncoder().encode(padded), 8 + lengthSize);
  out.set(Array.from(data), 8 + lengthSize + padded.length);
  return out;
}

describe('npy read (files written by numpy)', () => {
  it('reads every fixture', () => {
    const f4 = readNpy(b64(NUMPY.f4_2x3));
    expect(f4).toEqual({ dtype: 'float32', descr: '<f4', shape: [2, 3], data: new Float32Array([0, 1, 2, 3, 4, 5]) });
    expect(readNpy(b64(NUMPY.f8_scalar))).toMatchObject({ dtype: 'float64', shape: [], data: new Float64Array([3.5]) });
    expect(readNpy(b64(NUMPY.u1_3))).toMatchObject({ dtype: 'uint8', descr: '|u1', shape: [3], data: new Uint8Array([1, 2, 3]) });
    expect(readNpy(b64(NUMPY.b1_2))).toMatchObject({ dtype: 'bool', shape: [2], data: new Uint8Array([1, 0]) });
    expect(readNpy(b64(NUMPY.i8_0x4))).toMatchObject({ dtype: 'int64', shape: [0, 4], data: new BigInt64Array(0) });
    expect(readNpy(b64(NUMPY.f2_4))).toMatchObject({ dtype: 'float16', shape: [4], data: new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff]) });
    expect(readNpy(b64(NUMPY.v2_i2))).toMatchObject({ dtype: 'int16', shape: [2, 2], data: new Int16Array([1, -2, 3, -4]) });
    expect(readNpy(b64(NUMPY.v3_u4))).toMatchObject({ dtype: 'uint32', shape: [3], data: new Uint32Array([7, 8, 9]) });
  });

  it('byte-swaps big-endian data', () => {
    expect(readNpy(b64(NUMPY.be_i4))).toMatchObject({ dtype: 'int32', descr: '>i4', data: new Int32Array([1, -2]) });
    expect(readNpy(b64(NUMPY.be_f8))).toMatchObject({ dtype: 'float64', data: new Float64Array([1.5, -2.25]) });
  });

  it('rejects fortran order, naming the fix', () => {
    expectError(() => readNpy(b64(NUMPY.fortran), { name: 'w.npy' }), 'INVALID_ARGUMENT', /^w.npy: fortran_order True is not supported/);
  });
});

describe('npy write', () => {
  it('writes what numpy writes, byte for byte', () => {
    expect(writeNpy(new Float32Array([0, 1, 2, 3, 4, 5]), { shape: [2, 3] })).toEqual(b64(NUMPY.f4_2x3));
    expect(writeNpy(new Float64Array([3.5]), { shape: [] })).toEqual(b64(NUMPY.f8_scalar));
    expect(writeNpy(new Uint8Array([1, 2, 3]))).toEqual(b64(NUMPY.u1_3));
    expect(writeNpy(new Uint8Array([1, 0]), { dtype: 'bool' })).toEqual(b64(NUMPY.b1_2));
    expect(writeNpy(new BigInt64Array(0), { shape: [0, 4] })).toEqual(b64(NUMPY.i8_0x4));
    expect(writeNpy(new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff]), { dtype: 'float16' })).toEqual(b64(NUMPY.f2_4));
  });

  it('round-trips every dtype and shape', () => {
    const cases: [NpyDtype, TypedArray][] = [
      ['bool', new Uint8Array([1, 0, 1, 1, 0, 0])], ['int8', new Int8Array([-128, 127, 0, 1, 2, 3])],
      ['uint8', new Uint8Array([0, 255, 1, 2, 3, 4])], ['int16', new Int16Array([-32768, 32767, 0, 1, 2, 3])],
      ['uint16', new Uint16Array([0, 65535, 1, 2, 3, 4])], ['int32', new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0, 1, 2, 3])],
      ['uint32', new Uint32Array([0, 2 ** 32 - 1, 1, 2, 3, 4])], ['int64', new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 0n, 1n, 2n, 3n])],
      ['uint64', new BigUint64Array([0n, 2n ** 64n - 1n, 1n, 2n, 3n, 4n])], ['float16', new Uint16Array([0x3c00, 0x7c00, 0xfc00, 0x7e00, 1, 0x8000])],
      ['float32', new Float32Array([1.5, -0, Infinity, NaN, 1e-45, 3])], ['float64', new Float64Array([Math.PI, -0, -Infinity, NaN, 5e-324, 3])],
    ];
    for (const [dtype, data] of cases) {
      for (const shape of [[6], [2, 3], [3, 1, 2], [1, 1, 1, 6]]) {
        const back = readNpy(writeNpy(data, { dtype, shape }));
        expect(back.dtype).toBe(dtype);
        expect(back.shape).toEqual(shape);
        expect(back.data).toEqual(data);
      }
    }
    expect(readNpy(writeNpy(new Float32Array([7]), { shape: [] }))).toMatchObject({ shape: [], data: new Float32Array([7]) });
    expect(readNpy(writeNpy(new Float32Array(0), { shape: [3, 0] }))).toMatchObject({ shape: [3, 0] });
  });

  it('rejects bad arguments', () => {
    expectError(() => writeNpy(new Float32Array(6), { shape: [4] }), 'SHAPE_MISMATCH', /shape \(4\) holds 4 elements, data has 6/);
    expectError(() => writeNpy(new Float32Array(1), { dtype: 'float16' }), 'INVALID_TYPE', /'float16' needs a Uint16Array/);
    expectError(() => writeNpy(new Float32Array(1), { dtype: 'complex' as never }), 'INVALID_ARGUMENT', /unknown dtype/);
    expectError(() => writeNpy([1] as never), 'INVALID_TYPE', /typed array/);
    expectError(() => writeNpy(new Float32Array(1), { shape: [-1] }), 'INVALID_ARGUMENT', /non-negative/);
  });
});

describe('npy header validation', () => {
  const good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  it('accepts header variants numpy accepts', () => {
    expect(readNpy(npy('{"shape": (2,), "descr": "<f4", "fortran_order": False}', [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40])).data).toEqual(new Float32Array([1, 2]));
    expect(readNpy(npy("{'descr': '<i2', 'fortran_order': False, 'shape': (2L, 1L), }", [1, 0, 2, 0])).shape).toEqual([2, 1]);
    expect(readNpy(npy(good, new Array(8).fill(0), 2)).shape).toEqual([2]);
  });

  it('rejects bad headers with a clear code', () => {
    expectError(() => readNpy(npy(good, new Array(7).fill(0))), 'TRUNCATED', /needs 8 data bytes, the file has 7/);
    expectError(() => readNpy(npy(good, new Array(9).fill(0))), 'CORRUPT', /1 bytes after the data/);
    expectError(() => readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }")), 'CORRUPT', /\(n\) where a tuple needs \(n,\)/);
    expectError(() => readNpy(npy("{'descr': '<f4', 'shape': (2,), }")), 'CORRUPT', /keys are \{descr,shape\}/);
    expectError(() => readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}")), 'CORRUPT');
    expectError(() => readNpy(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }")), 'INVALID_ARGUMENT', /dtype "<c8" is not supported/);
    expectError(() => readNpy(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }")), 'INVALID_ARGUMENT', /structured dtypes/);
    expectError(() => readNpy(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }")), 'CORRUPT');
    expectError(() => readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }")), 'CORRUPT', /non-negative integer/);
    expectError(() => readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }")), 'CORRUPT', /2\^53/);
    expectError(() => readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk")), 'CORRUPT', /text after the dict/);
    expectError(() => readNpy(npy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }")), 'CORRUPT', /repeats key/);
  });

  it('rejects bad preambles', () => {
    const f = npy(good, new Array(8).fill(0));
    expectError(() => readNpy(f.subarray(0, 9)), 'TRUNCATED', /shorter than the 10-byte preamble/);
    expectError(() => readNpy(Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x5a, 1, 0, 0, 0)), 'CORRUPT', /magic/);
    const v4 = f.slice();
    v4[6] = 4;
    expectError(() => readNpy(v4), 'UNSUPPORTED_VERSION', /4\.0/);
    const long = f.slice();
    long[8] = 0xff;
    long[9] = 0xff;
    expectError(() => readNpy(long), 'TOO_LARGE', /65535 bytes exceeds 10000/);
    const past = f.slice();
    past[9] = 0x10; // 4096 + 64 bytes of header, past the end
    expectError(() => readNpy(past), 'TRUNCATED', /header needs/);
  });
});
