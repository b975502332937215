// Node entry of @kompakt/gpu: registers Dawn (the optional `webgpu` package) as the GPU provider, then
// exposes the same API as the browser entry. Importing it is the only side effect the package has.
import { create } from 'webgpu';
import { registerGpuProvider } from './runtime/index.js';

let dawn: GPU | null = null;
registerGpuProvider(() => (dawn ??= create([])));

export * from './index.js';
