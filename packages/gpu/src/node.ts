// Node entry of @kompakt/gpu: registers Dawn (the `webgpu` package) as the GPU provider.
export * from './index';
