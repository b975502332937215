import { afterAll, beforeAll, expect, it } from 'vitest';
import { quantize, setBackend } from '@kompakt/mx';
import { quantizeGpu } from '../src/index';
import { quantizeFp4 } from '../src/kernels/mx/wgsl';
import { pipelineFor } from '../src/runtime/index';
import { describeGpu, testDevice } from './device';
import { mismatches, withBindingLimit } from './helpers';
import { hardFloats, tieFloats } from './mx-data';

// The NVFP4 kernel trusts the hardware quotient away from the E2M1 thresholds (WGSL allows it 2.5 ulp of
// error). SwiftShader divides exactly, so this suite makes the division wrong on purpose: the kernel's
// source with every hardware quotient moved by `ulps`, compiled into the pipeline cache of a separate
// device view under the production key, so quantizeGpu runs it.
const DIVISION = 'y = bitcast<u32>(bitcast<f32>(a) / bitcast<f32>(s));';

/** Values at and a few ulps around the quotient ties of tieFloats, and hard cases. */
function nearTies(length: number, seed: number): Float32Array {
  const x = tieFloats(length, seed);
  const bits = new Uint32Array(x.buffer);
  for (let i = 0; i < bits.length; i++) if ((bits[i] & 0x7fffffff) !== 0 && (bits[i] & 0x7f800000) !== 0x7f800000) bits[i] += (i % 9) - 4;
  const hard = hardFloats(length, seed + 1);
  return Float32Array.from({ length: 2 * length }, (_, i) => (i < length ? x[i] : hard[i - length]));
}

describeGpu('NVFP4 quantize with an inexact hardware division', () => {
  const device = testDevice!;
  beforeAll(() => setBackend('wasm'));
  afterAll(() => setBackend('auto'));

  it.each([3, -3])('gives the wasm codes when every hardware quotient is off by %i ulp', async (ulps) => {
    const source = quantizeFp4('rne', 'f32', false, true);
    expect(source).toContain(DIVISION);
    const wrong = source.replace(DIVISION, `${DIVISION} if (y != 0u && y < F32_INF) { y = u32(i32(y) + ${ulps}); }`);
    const view = withBindingLimit(device, Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize));
    pipelineFor(view, 'mx-quantize-fp4-rne-f32-staged', wrong); // n = 1024: whole blocks, the staged kernel
    const n = 1024;
    const x = nearTies(4 * n, 5 + ulps);
    for (const opts of [{ tensorScale: 1 }, { tensorScale: 1 / 2688 }, { tensorScale: 3 / 7, rounding: 'away' }] as const) {
      const all = { format: 'nvfp4', n, ...opts } as const;
      const want = quantize(x, all);
      const got = await quantizeGpu(x, { ...all, device: view });
      expect(mismatches(got.codes, want.codes) + mismatches(got.scales, want.scales), JSON.stringify(opts)).toBe(0);
    }
  });
});
