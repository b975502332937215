import { libraryConfig } from '../../tsup.library';

// Two entries: the default one finds `navigator.gpu` (browsers, Deno); `@kompakt/gpu/node` adds
// Dawn through the optional `webgpu` package, so browser bundles never see it. The declarations name
// WebGPU's global types (GPUDevice), so they pull in @kompakt/gpu's @webgpu/types dependency.
export default libraryConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  external: [/^node:/, 'webgpu'],
  dts: { banner: '/// <reference types="@webgpu/types" />' },
});
