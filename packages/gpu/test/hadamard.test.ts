import { afterAll, beforeAll, expect, it } from 'vitest';
import { narrow16, widen16 } from '@kompakt/core';
import { fwht, ifwht, irht, rht, setBackend, supportedSizes } from '@kompakt/hadamard';
import { fwhtGpu, ifwhtGpu, irhtGpu, rhtGpu } from '../src/index';
import { describeGpu, testDevice } from './device';
import { expectRejects, mismatches, randomFloats, relativeError, withBindingLimit } from './helpers';

const oddFactor = (n: number): number => (n % 2 === 0 ? oddFactor(n / 2) : n);
// docs/gpu.md: |gpu − wasm| ≤ 4e-7·(log2 n + k + 4)·max|wasm|. Both sides round once per butterfly
// stage (in different stage groupings) and the dense k-sum is summed in the same order.
const tolerance = (n: number): number => 4e-7 * (Math.log2(n) + (oddFactor(n) === 1 ? 1 : n / 2 ** Math.round(Math.log2(n / oddFactor(n)) ) ) + 4);

describeGpu('Hadamard on the GPU against the wasm path', () => {
  const device = testDevice!;
  beforeAll(() => setBackend('wasm'));
  afterAll(() => setBackend('auto'));

  // Every supported size up to 2^13 (two rows each, all in one batch), then sizes whose 2^m part
  // exceeds one workgroup tile, so the global butterfly passes run too (2^17: two of them).
  const small = supportedSizes(2 ** 13);
  const large = [2 ** 14, 2 ** 16, 2 ** 17, 12 * 2 ** 13, 20 * 2 ** 12];

  it.each([
    ['fwht', fwhtGpu, fwht],
    ['ifwht', ifwhtGpu, ifwht],
  ] as const)('%s matches for every supported size ≤ 2^13 and for multi-pass sizes', async (_name, gpuFn, cpuFn) => {
    const cases = [...small.map((n) => ({ n, rows: 2 })), ...large.map((n) => ({ n, rows: 1 }))];
    const inputs = cases.map(({ n, rows }, i) => randomFloats(n * rows, 100 + i));
    const outs = await Promise.all(inputs.map((x, i) => gpuFn(x.slice(), { n: cases[i].n })));
    cases.forEach(({ n }, i) => {
      const want = cpuFn(inputs[i].slice(), { n });
      expect(relativeError(outs[i], want), `n = ${n}`).toBeLessThanOrEqual(tolerance(n));
    });
  });

  it('rht uses the same sign stream as the CPU (seed) and irht inverts it', async () => {
    for (const [n, block] of [[96, 96], [4096, 32], [2 ** 14, 2 ** 14], [160, 20]] as const) {
      const x = randomFloats(n * 2, n);
      const got = await rhtGpu(x.slice(), { n, block, seed: 7n });
      const want = rht(x.slice(), { n, block, seed: 7n });
      expect(relativeError(got, want), `n = ${n}, block = ${block}`).toBeLessThanOrEqual(tolerance(block));
      const back = await irhtGpu(got, { n, block, seed: 7n });
      expect(relativeError(back, irht(want, { n, block, seed: 7n }))).toBeLessThanOrEqual(tolerance(block));
      expect(relativeError(back, x)).toBeLessThanOrEqual(2 * tolerance(block));
    }
  });

  it('takes explicit signs, normalize: false and a user-supplied device', async () => {
    const signs = Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? -1 : 1));
    const x = randomFloats(64, 3);
    const got = await rhtGpu(x.slice(), { block: 16, signs, normalize: false, device });
    expect(relativeError(got, rht(x.slice(), { block: 16, signs, normalize: false }))).toBeLessThanOrEqual(tolerance(16));
    const inv = await ifwhtGpu(x.slice(), { n: 16, normalize: false, device });
    expect(relativeError(inv, ifwht(x.slice(), { n: 16, normalize: false }))).toBeLessThanOrEqual(tolerance(16));
  });

  it.each(['f16', 'bf16'] as const)('transforms %s bits in place: the f32 result within tolerance, rounded once like the CPU', async (dtype) => {
    const ulps = dtype === 'f16' ? 10 : 7; // significand bits: one 16-bit step at v is 2^(⌊log2 |v|⌋ − ulps)
    for (const [n, block, seed] of [[1024, 1024, undefined], [96, 32, 5n]] as const) {
      const bits = narrow16(randomFloats(3 * n, n), dtype);
      const opts = seed === undefined ? { n, dtype } : { n, block, seed, dtype };
      const gpuFn = seed === undefined ? fwhtGpu : rhtGpu;
      const cpuFn = seed === undefined ? fwht : rht;
      const got = await gpuFn(bits.slice(), opts as never);
      expect(got).toBeInstanceOf(Uint16Array);
      const want = widen16(cpuFn(bits.slice(), opts as never), dtype);
      const exact = cpuFn(widen16(bits, dtype), { ...opts, dtype: undefined } as never); // the f32 transform both round
      const peak = exact.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      widen16(got, dtype).forEach((v, i) => {
        const step = 2 ** (Math.floor(Math.log2(Math.abs(exact[i]))) - ulps);
        expect(Math.abs(v - want[i]), `n = ${n}, i = ${i}`).toBeLessThanOrEqual(tolerance(block) * peak + step);
      });
    }
  });

  it.each(['f16', 'bf16'] as const)('moves %s bits as 16 bits: the same bits as narrowing the f32 GPU transform, split or odd-length', async (dtype) => {
    const cases = [
      { x: randomFloats(3 * 1024, 21), opts: { n: 1024 }, fn: fwhtGpu },
      { x: randomFloats(5, 22), opts: { n: 1 }, fn: fwhtGpu }, // odd length: the last 16-bit word is half used
      { x: randomFloats(10 * 1024, 23), opts: { n: 1024, device: withBindingLimit(device, 3 * 1024 * 4) }, fn: ifwhtGpu },
      { x: randomFloats(4 * 96, 24), opts: { n: 96, block: 32, seed: 9n }, fn: irhtGpu },
    ];
    for (const { x, opts, fn } of cases) {
      const bits = narrow16(x, dtype);
      const got = await fn(bits.slice(), { ...opts, dtype } as never);
      const viaF32 = narrow16(await fn(widen16(bits, dtype), opts as never), dtype);
      expect(mismatches(got, viaF32), JSON.stringify({ n: opts.n, length: x.length })).toBe(0);
    }
  });

  it('splits inputs larger than one storage binding into whole-block chunks', async () => {
    const small = withBindingLimit(device, 3 * 1024 * 4); // three blocks of 1024 per binding
    const x = randomFloats(10 * 1024, 9);
    const got = await fwhtGpu(x.slice(), { n: 1024, device: small });
    expect(relativeError(got, fwht(x.slice(), { n: 1024 }))).toBeLessThanOrEqual(tolerance(1024));
    await expectRejects(fwhtGpu(randomFloats(4096, 1), { device: small }), 'TOO_LARGE', /binding limit/);
  });

  it('returns empty input unchanged and rejects what the CPU rejects, with the same codes', async () => {
    const empty = new Float32Array(0);
    expect(await fwhtGpu(empty)).toBe(empty);
    await expectRejects(fwhtGpu(new Float32Array(18), { n: 18 }), 'UNSUPPORTED_SIZE', /^fwhtGpu: .*18/);
    await expectRejects(fwhtGpu(new Float32Array(30), { n: 16 }), 'SHAPE_MISMATCH', /multiple of n = 16/);
    await expectRejects(fwhtGpu(new Float32Array(32), { n: 16, block: 3 }), 'SHAPE_MISMATCH');
    await expectRejects(fwhtGpu(new Float32Array(32), { bogus: 1 } as never), 'INVALID_ARGUMENT', /unknown option 'bogus'/);
    await expectRejects(rhtGpu(new Float32Array(16), { seed: 1, signs: new Float32Array(16) }), 'INVALID_ARGUMENT', /exactly one of seed or signs/);
    await expectRejects(rhtGpu(new Float32Array(16), { signs: new Float32Array(16) }), 'INVALID_ARGUMENT', /signs\[0\] = 0/);
    await expectRejects(fwhtGpu(new Uint16Array(16)), 'INVALID_ARGUMENT', /^fwhtGpu: fwht: a Uint16Array input needs dtype/);
    await expectRejects(fwhtGpu(new Float32Array(16), { dtype: 'bf16' }), 'INVALID_ARGUMENT', /needs a Uint16Array/);
    await expectRejects(fwhtGpu(new Float64Array(16) as never), 'INVALID_TYPE', /x must be a Float32Array/);
    await expectRejects(fwhtGpu(new Float32Array(16), { device: 3 as never }), 'INVALID_TYPE', /GPUDevice/);
  });
});
