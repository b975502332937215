import { libraryConfig } from '../../tsup.library';

// Two entries: the default one finds `navigator.gpu` (browsers, Deno); `@kompakt/gpu/node` adds
// Dawn through the optional `webgpu` package, so browser bundles never see it.
export default libraryConfig({ entry: ['src/index.ts', 'src/node.ts'], external: [/^node:/, 'webgpu'] });
