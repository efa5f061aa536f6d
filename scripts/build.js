// Builds the CLI bundle (dist/cli.js). Runs on `npm ci` through the `prepare` script.
// The browser scripts that generated documents embed are bundled first and passed in as `define`s.
import { build } from 'esbuild';
import { inlineScriptDefines } from './inline-scripts.js';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  define: await inlineScriptDefines(),
});
