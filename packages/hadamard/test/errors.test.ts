import { describe, expect, it } from 'vitest';
import { fwht, hadamardMatrix, ifwht, nearestSupportedSizes, rht, supportedSizes } from '@kompakt/hadamard';
import { expectError } from '../../../test/helpers/errors';

describe('bad input', () => {
  it('rejects unsupported sizes and names the nearest supported ones', () => {
    expectError(() => fwht(new Float32Array(6)), 'UNSUPPORTED_SIZE', /n = 6 .*nearest supported: 4 or 8/);
    expectError(() => fwht(new Float32Array(148 * 128)), 'UNSUPPORTED_SIZE', /18944 .*nearest supported: 18432 or 19968/);
    expectError(() => fwht(new Float32Array(64), { block: 24 }), 'SHAPE_MISMATCH', /block = 24 does not divide n = 64/);
    expectError(() => fwht(new Float32Array(72), { block: 6 }), 'UNSUPPORTED_SIZE', /block = 6 .*nearest supported: 4 or 8/);
    expect(nearestSupportedSizes(100)).toEqual({ below: 96, above: 104 });
    expect(supportedSizes(48)).toEqual([1, 2, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48]);
  });

  it('rejects a length that is not a multiple of n', () => {
    expectError(() => fwht(new Float32Array(100), { n: 64 }), 'SHAPE_MISMATCH', /x.length = 100 is not a multiple of n = 64/);
  });

  it('rejects wrong array types', () => {
    expectError(() => fwht(new Float64Array(8) as never), 'INVALID_TYPE', /Float64Array\(8\)/);
    expectError(() => fwht([1, 2, 3, 4] as never), 'INVALID_TYPE', /Array\(4\)/);
    expectError(() => fwht(new Uint16Array(8)), 'INVALID_ARGUMENT', /needs dtype: 'f16' or 'bf16'/);
    expectError(() => fwht(new Float32Array(8), { dtype: 'bf16' }), 'INVALID_ARGUMENT', /needs a Uint16Array/);
  });

  it('rejects negative, fractional and unknown options', () => {
    expectError(() => fwht(new Float32Array(8), { n: -8 }), 'INVALID_ARGUMENT', /n must be in \[1/);
    expectError(() => fwht(new Float32Array(8), { n: 2.5 }), 'INVALID_ARGUMENT', /n must be an integer, got 2.5/);
    expectError(() => fwht(new Float32Array(8), { block: 0 }), 'INVALID_ARGUMENT', /block must be in \[1/);
    expectError(() => fwht(new Float32Array(8), { threads: -1 }), 'INVALID_ARGUMENT', /threads/);
    expectError(() => fwht(new Float32Array(8), { normalize: 1 as never }), 'INVALID_ARGUMENT', /normalize must be a boolean/);
    expectError(() => fwht(new Float32Array(8), { size: 8 } as never), 'INVALID_ARGUMENT', /unknown option 'size'/);
    expectError(() => ifwht(new Float32Array(8), 8 as never), 'INVALID_ARGUMENT', /options object/);
    expectError(() => hadamardMatrix(8192), 'TOO_LARGE', /8192/);
  });

  it('checks rht seeds and signs', () => {
    const x = new Float32Array(8);
    expectError(() => rht(x, {}), 'INVALID_ARGUMENT', /exactly one of seed or signs \(got neither\)/);
    expectError(() => rht(x, { seed: 1, signs: new Float32Array(8).fill(1) }), 'INVALID_ARGUMENT', /got both/);
    expectError(() => rht(x, { seed: -1 }), 'INVALID_ARGUMENT', /seed/);
    expectError(() => rht(x, { seed: 2n ** 64n }), 'INVALID_ARGUMENT', /seed/);
    expectError(() => rht(x, { signs: new Float32Array(4).fill(1) }), 'SHAPE_MISMATCH', /signs has 4 entries, the transform size is 8/);
    expectError(() => rht(x, { signs: [1, 1, 1, 0, 1, 1, 1, 1] }), 'INVALID_ARGUMENT', /signs\[3\] = 0/);
    expectError(() => rht(x, { signs: 'abc' as never }), 'INVALID_TYPE', /signs/);
  });

  it('leaves the input untouched when it throws', () => {
    const x = Float32Array.of(1, 2, 3, 4, 5, 6);
    expect(() => fwht(x)).toThrow();
    expect(Array.from(x)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
