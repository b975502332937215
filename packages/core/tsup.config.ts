import { libraryConfig } from '../../tsup.library';

export default libraryConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  shims: true, // import.meta.url in the CJS build of the Node entry
  external: ['node:module'],
});
