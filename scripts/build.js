// Builds the CLI bundle (dist/cli.js) and the report page's script (dist/page.js) and stylesheet
// (dist/report.css). Runs on `npm ci` through the `prepare` script. The browser scripts that generated
// documents embed are bundled first and passed in as `define`s.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { inlineScriptDefines } from './inline-scripts.js';

const define = await inlineScriptDefines();

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // The dependencies are bundled in too: one file to compile and no module resolution at start-up, which was a
  // tenth of a `collapse` of the 114 MB benchmark profile (0.12 → 0.10 s for `--version`). Their CommonJS code
  // calls `require` for Node's own modules; this module-scope `require` serves it.
  banner: { js: "import { createRequire as __flamescopeRequire } from 'node:module'; const require = __flamescopeRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
  define,
});

// The page runs in current Chromium, Firefox and Safari, from file://, with no network.
await build({
  entryPoints: ['src/render/page/main.ts'],
  outfile: 'dist/page.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: ['chrome100', 'firefox110', 'safari15'],
  minify: true,
  charset: 'ascii',
  legalComments: 'none',
  logLevel: 'warning',
  define,
});
// Inside an inline <script>, `</script` would end it and `<!--` could make a later `</script>` not end it.
const page = await readFile('dist/page.js', 'utf8');
if (/<\/script|<!--/i.test(page)) throw new Error('dist/page.js contains "</script" or "<!--"; it cannot be inlined');
await mkdir('dist', { recursive: true });
await copyFile('src/render/page/report.css', 'dist/report.css');
