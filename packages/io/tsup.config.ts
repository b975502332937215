import { libraryConfig } from '../../tsup.library';

// Two entries: the default one runs anywhere (no fs, no Buffer); `@kompakt/io/node` adds the
// file-handle readers and imports node:fs, so browser bundles never see it.
export default libraryConfig({ entry: ['src/index.ts', 'src/node.ts'], external: [/^node:/] });
