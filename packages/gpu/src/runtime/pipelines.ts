/** Compiled pipelines per device, keyed by kernel name + specialization: WGSL compiles once per device. */
const cache = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/**
 * The compute pipeline for `wgsl` on `device`, compiled on first use. `key` must identify the WGSL text
 * (kernels that generate WGSL from parameters put those parameters in the key). Layout is 'auto', so
 * every binding a kernel passes to `dispatch` must be used by its shader.
 */
export function pipelineFor(device: GPUDevice, key: string, wgsl: string, entryPoint = 'main'): GPUComputePipeline {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const id = `${key}#${entryPoint}`;
  let pipeline = perDevice.get(id);
  if (!pipeline) {
    const module = device.createShaderModule({ label: key, code: wgsl });
    pipeline = device.createComputePipeline({ label: key, layout: 'auto', compute: { module, entryPoint } });
    perDevice.set(id, pipeline);
  }
  return pipeline;
}
