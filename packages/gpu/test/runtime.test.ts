import { expect, it } from 'vitest';
import { isKompaktError } from '@kompakt/core';
import {
  LINEAR_WORKGROUP, MAX_WORKGROUPS_PER_DIM, acquireDevice, dispatch, maxItemsPerBinding, pipelineFor, readBuffer, releaseAfterBatch, storageBuffer,
  uniformBuffer, workgroupGrid,
} from '../src/runtime/index';
import { describeGpu, testDevice } from './device';
import { withQueueSubmit } from './helpers';

// y[i] = x[i] * factor + i, one invocation per element, over a grid that may be 2D.
const AFFINE = /* wgsl */ `
${LINEAR_WORKGROUP}
struct Params { count: u32, factor: f32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = linearWorkgroup(wid, nwg) * 64u + lid;
  if (i < p.count) { y[i] = x[i] * p.factor + f32(i); }
}`;

function affine(device: GPUDevice, x: Float32Array, factor: number): Promise<ArrayBuffer> {
  const pipeline = pipelineFor(device, 'test-affine', AFFINE);
  const params = new ArrayBuffer(8);
  new Uint32Array(params, 0, 1)[0] = x.length;
  new Float32Array(params, 4, 1)[0] = factor;
  const xb = storageBuffer(device, x);
  const yb = storageBuffer(device, x.byteLength);
  dispatch(device, pipeline, [xb, yb, uniformBuffer(device, new Uint8Array(params))], [Math.ceil(x.length / 64)]);
  const out = readBuffer(device, yb, x.byteLength);
  releaseAfterBatch(device, xb, yb);
  return out;
}

const expected = (x: Float32Array, factor: number) => x.map((v, i) => Math.fround(Math.fround(v * factor) + i));

it('folds 1D grids beyond 65535 workgroups into 2D', () => {
  expect(workgroupGrid(10)).toEqual([10, 1, 1]);
  expect(workgroupGrid(MAX_WORKGROUPS_PER_DIM)).toEqual([65535, 1, 1]);
  const [x, y] = workgroupGrid(70_000);
  expect(x * y).toBeGreaterThanOrEqual(70_000);
  expect(x).toBeLessThanOrEqual(65535);
  expect(() => workgroupGrid(65536 * 65536)).toThrow(/exceeds/);
});

it('rejects a device that is not a GPUDevice', async () => {
  const e = await acquireDevice({ device: {} as GPUDevice }).catch((err: unknown) => err);
  expect(isKompaktError(e, 'INVALID_TYPE')).toBe(true);
});

describeGpu('runtime on the test device', () => {
  const device = testDevice!;

  it('hands back the user-supplied device and caches the automatic one', async () => {
    expect(await acquireDevice({ device })).toBe(device);
    expect(await acquireDevice()).toBe(await acquireDevice());
  });

  it('caches pipelines per device and key', () => {
    expect(pipelineFor(device, 'test-affine', AFFINE)).toBe(pipelineFor(device, 'test-affine', AFFINE));
  });

  it('runs a kernel and reads its result back', async () => {
    const x = Float32Array.from({ length: 1000 }, (_, i) => i * 0.5 - 7);
    expect(new Float32Array(await affine(device, x, 3))).toEqual(expected(x, 3));
  });

  it('batches many small calls started together into one submission, each with its own result', async () => {
    let submits = 0;
    const counted = withQueueSubmit(device, () => submits++);
    const inputs = Array.from({ length: 20 }, (_, c) => Float32Array.from({ length: 5 + c }, (_, i) => c - i));
    const outs = await Promise.all(inputs.map((x, c) => affine(counted, x, c)));
    outs.forEach((out, c) => expect(new Float32Array(out)).toEqual(expected(inputs[c], c)));
    expect(submits).toBe(1);
    await affine(counted, inputs[0], 1);
    expect(submits).toBe(2);
  });

  it('runs a grid folded into 2D (more than 65535 workgroups)', async () => {
    const x = Float32Array.from({ length: 64 * 65_600 }, (_, i) => (i % 97) - 48);
    const out = new Float32Array(await affine(device, x, -2));
    const want = expected(x, -2);
    // One count instead of toEqual: a 4M-element deep compare would dominate the test's time.
    expect(out.length).toBe(want.length);
    expect(out.filter((v, i) => v !== want[i]).length).toBe(0);
  });

  it('reports the binding limit in items', () => {
    expect(maxItemsPerBinding(device, 4)).toBe(Math.floor(Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize) / 4));
    expect(() => storageBuffer(device, device.limits.maxBufferSize + 4)).toThrow(/binding limit/);
  });

  it('rejects the reads of a batch WebGPU refused with a KompaktError', async () => {
    const pipeline = pipelineFor(device, 'test-affine', AFFINE);
    const xb = storageBuffer(device, 16);
    // Two bindings where the shader declares three: a validation error inside the batch.
    dispatch(device, pipeline, [xb, xb], [1]);
    const e = await readBuffer(device, xb, 16).catch((err: unknown) => err);
    expect(isKompaktError(e, 'INTERNAL')).toBe(true);
    xb.destroy();
  });
});
