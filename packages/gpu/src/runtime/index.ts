// The runtime every kernel builds on (internal to @kompakt/gpu): device, buffers, pipelines, batched dispatch.
export { acquireDevice, registerGpuProvider, type GpuOptions } from './device.js';
export { pipelineFor } from './pipelines.js';
export { storageBuffer, uniformBuffer } from './buffers.js';
export { dispatch, readBuffer, releaseAfterBatch } from './batch.js';
export { matvecOnce, uploadedMatrix, type GpuMatrix, type ResidentParts } from './resident.js';
export { workgroupGrid, maxItemsPerBinding, LINEAR_WORKGROUP, MAX_WORKGROUPS_PER_DIM } from './grid.js';
