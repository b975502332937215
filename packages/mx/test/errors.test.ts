import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  convertLayout, decodeElement, decodeElements, decodeGptOss, dequantize, dot, encodeElements, errorStats, fromGgmlBlocks, matvec,
  quantize, setBackend, toGgmlBlocks,
} from '@kompakt/mx';
import { testBackends } from './backends';
import { expectError } from '../../../test/helpers/errors';

const x64 = new Float32Array(64).fill(1);

describe.each(testBackends())('bad input on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('rejects missing or unknown formats, rules, roundings, layouts and options', () => {
    expectError(() => quantize(x64, undefined as never), 'INVALID_ARGUMENT', /options with a format are required/);
    expectError(() => quantize(x64, {} as never), 'INVALID_ARGUMENT', /format is required/);
    expectError(() => quantize(x64, { format: 'mxfp5' as never }), 'INVALID_ARGUMENT', /format must be one of .*'mxfp4'/);
    expectError(() => quantize(x64, { format: 'mxfp4', scaleRule: 'round' as never }), 'INVALID_ARGUMENT', /scaleRule must be one of/);
    expectError(() => quantize(x64, { format: 'mxfp4', rounding: 'nearest' as never }), 'INVALID_ARGUMENT', /rounding must be one of/);
    expectError(() => quantize(x64, { format: 'mxfp4', layout: 'split' as never }), 'INVALID_ARGUMENT', /layout must be/);
    expectError(() => quantize(x64, { format: 'mxfp4', blocksize: 32 } as never), 'INVALID_ARGUMENT', /unknown option 'blocksize'/);
    expectError(() => quantize(x64, { format: 'mxfp4', threads: -1 }), 'INVALID_ARGUMENT', /threads must be in/);
  });

  it('rejects contradictory combinations, naming them', () => {
    expectError(() => quantize(x64, { format: 'mxfp4', rounding: 'ggml', scaleRule: 'floor' }), 'INVALID_ARGUMENT', /'ggml' contradicts scaleRule 'floor'/);
    expectError(() => quantize(x64, { format: 'mxfp8-e4m3', rounding: 'ggml' }), 'INVALID_ARGUMENT', /'ggml' .*only for format 'mxfp4', got 'mxfp8-e4m3'/);
    expectError(() => quantize(x64, { format: 'nvfp4', scaleRule: 'rceil' }), 'INVALID_ARGUMENT', /scaleRule 'rceil' contradicts format 'nvfp4'/);
    expectError(() => quantize(x64, { format: 'mxfp8-e5m2', layout: 'ggml' }), 'INVALID_ARGUMENT', /layout 'ggml' .*FP4 formats.*'mxfp8-e5m2'/);
    expectError(() => quantize(x64, { format: 'mxfp4', rounding: 'stochastic' }), 'INVALID_ARGUMENT', /'stochastic' needs a seed/);
    expectError(() => quantize(x64, { format: 'mxfp4', rounding: 'stochastic-3/4', seed: -1 }), 'INVALID_ARGUMENT', /seed/);
    expectError(() => quantize(x64, { format: 'mxfp4', tensorScale: 2 }), 'INVALID_ARGUMENT', /tensorScale is only for format 'nvfp4'/);
    expectError(() => quantize(x64, { format: 'nvfp4', tensorScale: 0 }), 'INVALID_ARGUMENT', /positive finite/);
    expectError(() => quantize(x64, { format: 'mxfp4', hadamard: { block: 24, seed: 1 } }), 'SHAPE_MISMATCH', /hadamard.block = 24 does not divide n = 64/);
    expectError(() => quantize(x64, { format: 'mxfp4', hadamard: { block: 6 } }), 'UNSUPPORTED_SIZE', /hadamard.block = 6/);
    expectError(() => quantize(new Float32Array(40), { format: 'mxfp4', hadamard: true }), 'SHAPE_MISMATCH', /does not divide n = 40/);
  });

  it('rejects wrong types and shapes', () => {
    expectError(() => quantize(new Float64Array(64) as never, { format: 'mxfp4' }), 'INVALID_TYPE', /Float64Array\(64\)/);
    expectError(() => quantize([1, 2] as never, { format: 'mxfp4' }), 'INVALID_TYPE', /Array\(2\)/);
    expectError(() => quantize(new Uint16Array(64), { format: 'mxfp4' }), 'INVALID_ARGUMENT', /needs dtype: 'f16' or 'bf16'/);
    expectError(() => quantize(x64, { format: 'mxfp4', dtype: 'bf16' }), 'INVALID_ARGUMENT', /needs a Uint16Array/);
    expectError(() => quantize(x64, { format: 'mxfp4', n: 48 }), 'SHAPE_MISMATCH', /x.length = 64 is not a multiple of n = 48/);
    expectError(() => quantize(x64, { format: 'mxfp4', n: 0 }), 'INVALID_ARGUMENT', /n must be in \[1/);
    expectError(() => dequantize(null as never, { format: 'mxfp4' }), 'INVALID_TYPE', /q must be an object/);
    expectError(() => dequantize({ codes: [1] as never, scales: new Uint8Array(1) }, { format: 'mxfp4' }), 'INVALID_TYPE', /q.codes must be a Uint8Array/);
    expectError(() => dequantize({ codes: new Uint8Array(16), scales: new Int8Array(1) as never }, { format: 'mxfp4' }), 'INVALID_TYPE', /q.scales must be a Uint8Array/);
    const q = quantize(x64, { format: 'mxfp4' });
    expectError(() => dequantize(q, { format: 'nvfp4' }), 'INVALID_ARGUMENT', /quantized as 'mxfp4', options say 'nvfp4'/);
    expectError(() => dequantize(q, { format: 'mxfp4', layout: 'ggml' }), 'INVALID_ARGUMENT', /layout 'pairs', options say 'ggml'/);
    expectError(() => dequantize(q, { format: 'mxfp4', outDtype: 'f64' as never }), 'INVALID_ARGUMENT', /outDtype/);
    expectError(() => matvec(q, new Float32Array(63), { format: 'mxfp4', n: 64 }), 'SHAPE_MISMATCH', /x has 63 values, the rows have n = 64/);
    expectError(() => dot(q, new Float32Array(64), { format: 'mxfp4', rows: 2 }), 'INVALID_ARGUMENT', /rows must be 1/);
    expectError(() => errorStats(x64, new Float32Array(63)), 'SHAPE_MISMATCH', /x has 64 values, y has 63/);
  });

  it('rejects truncated codes and scales, naming the lengths', () => {
    const q = quantize(new Float32Array(96), { format: 'mxfp4', n: 96 }); // 3 blocks: 48 code bytes
    expectError(() => dequantize({ codes: q.codes.subarray(0, 47), scales: q.scales }, { format: 'mxfp4', n: 96 }), 'TRUNCATED', /q.codes has 47 bytes, 1 rows × 3 blocks × 16 bytes need 48/);
    expectError(() => dequantize({ codes: q.codes, scales: q.scales.subarray(0, 2) }, { format: 'mxfp4', n: 96 }), 'TRUNCATED', /q.scales has 2 bytes, 1 rows × 3 blocks need 3/);
    expectError(() => dequantize({ codes: q.codes, scales: q.scales }, { format: 'mxfp4', n: 96, rows: 2 }), 'TRUNCATED', /q.scales has 3 bytes, 2 rows/);
    expectError(() => matvec({ codes: q.codes.subarray(0, 40), scales: q.scales }, new Float32Array(96), { format: 'mxfp4' }), 'TRUNCATED', /q.codes has 40 bytes/);
    expectError(() => decodeGptOss(new Uint8Array(31), new Uint8Array(2)), 'TRUNCATED', /blocks has 31 bytes, 2 scales need 32/);
    expectError(() => fromGgmlBlocks(new Uint8Array(33), { format: 'mxfp4', n: 32, rows: 2 }), 'TRUNCATED', /33 bytes, 2 rows of 1 mxfp4 blocks need 34/);
    expectError(() => convertLayout(new Uint8Array(15), { from: 'pairs', to: 'ggml', format: 'mxfp4' }), 'TRUNCATED', /15 bytes/);
    const n = quantize(new Float32Array(32), { format: 'nvfp4' });
    expectError(() => dequantize({ codes: n.codes, scales: n.scales }, { format: 'nvfp4' }), 'INVALID_ARGUMENT', /nvfp4 needs a positive finite tensorScale/);
  });

  it('refuses NaN scale bytes unless allowNaN, naming the block', () => {
    const q = quantize(new Float32Array(96).fill(1), { format: 'mxfp8-e4m3', n: 32 });
    q.scales[2] = 0xff;
    expectError(() => dequantize(q, { format: 'mxfp8-e4m3' }), 'CORRUPT', /block 2 \(row 2, block 0\) has the NaN scale byte 0xff/);
    expectError(() => matvec(q, new Float32Array(32), { format: 'mxfp8-e4m3' }), 'CORRUPT', /block 2/);
    expectError(() => decodeGptOss(new Uint8Array(32), Uint8Array.of(127, 255)), 'CORRUPT', /block 1/);
    const v = quantize(new Float32Array(48).fill(1), { format: 'nvfp4' });
    for (const bad of [0x7f, 0xff]) {
      v.scales[1] = bad;
      expectError(() => dequantize(v, { format: 'nvfp4' }), 'CORRUPT', /block 1 .*NaN scale/);
    }
    v.scales[1] = 0x90;
    expectError(() => dequantize(v, { format: 'nvfp4', allowNaN: true }), 'CORRUPT', /0x90 with the sign bit set/);
  });

  it('checks the element API', () => {
    expectError(() => encodeElements('fp4' as never, x64), 'INVALID_ARGUMENT', /format must be one of/);
    expectError(() => encodeElements('e2m1', x64, { rounding: 'stochastic' }), 'INVALID_ARGUMENT', /needs a seed/);
    expectError(() => encodeElements('e2m1', x64, { rounding: 'stochastic-3/4' as never }), 'INVALID_ARGUMENT', /rounding must be one of/);
    expectError(() => encodeElements('e8m0', x64, { rounding: 'away' }), 'INVALID_ARGUMENT', /'e8m0' is encoded with rounding 'rne' only/);
    expectError(() => encodeElements('e2m1', x64, { saturate: 1 as never }), 'INVALID_ARGUMENT', /saturate must be a boolean/);
    expectError(() => decodeElements('e2m1', Uint8Array.of(1, 16)), 'INVALID_ARGUMENT', /codes\[1\] = 0x10 is not a 4-bit e2m1 code/);
    expectError(() => decodeElements('e3m2', Uint8Array.of(64)), 'INVALID_ARGUMENT', /6-bit/);
    expectError(() => decodeElements('ue4m3', Uint8Array.of(0x80)), 'INVALID_ARGUMENT', /0x80/);
    expectError(() => decodeElements('e4m3', [1] as never), 'INVALID_TYPE', /Uint8Array/);
    expectError(() => decodeElement('e4m3', 256), 'INVALID_ARGUMENT', /\[0, 255\]/);
  });

  it('checks the layout helpers', () => {
    const q = quantize(x64, { format: 'mxfp8-e4m3' });
    expectError(() => toGgmlBlocks(q, { format: 'mxfp8-e4m3' as never }), 'INVALID_ARGUMENT', /'mxfp4' or 'nvfp4'/);
    expectError(() => fromGgmlBlocks(new Uint8Array(17), { format: 'mxfp4' } as never), 'INVALID_ARGUMENT', /n .*required/);
    expectError(() => convertLayout(new Uint8Array(16), { from: 'pairs', to: 'halves' as never, format: 'mxfp4' }), 'INVALID_ARGUMENT', /to must be 'pairs' or 'ggml'/);
  });
});
