// Bundles the browser client (src/client/index.ts plus faye's browser
// client) into dist/client/, once as an ES module and once as a classic
// script with the global `FayeOnline`. Runs as part of `npm run build`.
import { build } from 'esbuild';

const common = {
  entryPoints: ['src/client/index.ts'],
  bundle: true,
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  legalComments: 'eof',
  // faye's sources name the global object `global` (webpack provided it).
  define: { global: 'globalThis' },
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, format: 'esm', outfile: 'dist/client/faye-online.mjs' }),
  build({
    ...common,
    format: 'iife',
    globalName: 'FayeOnline',
    outfile: 'dist/client/faye-online.js',
  }),
]);
