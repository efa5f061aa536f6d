// `npm run fuzz`: bundles the fuzz runner (TypeScript, in test/fuzz/) and runs it; arguments go to it
// (--seed N, --cases N, --workers N, --timeout SECONDS, --only ID, --no-shrink, --ci). See test/fuzz/main.ts.
import { build } from 'esbuild';

await build({
  entryPoints: ['test/fuzz/main.ts'],
  outfile: 'dist/fuzz/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
await import('../dist/fuzz/main.js');
