// Bundles the scripts that generated documents embed (the flame graph SVG's zoom and search, the report's
// search worker) into strings.
// Used by scripts/build.js (as esbuild `define`s for the CLI bundle) and by vitest.config.ts (same defines),
// so the renderer imports them as plain constants (src/render/inline-scripts.ts).
import { build } from 'esbuild';

async function bundleBrowserScript(entry) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text.trim();
  // It goes inside <![CDATA[ ... ]]> in a <script> element: nothing may end either early.
  if (code.includes(']]>') || /<\/script/i.test(code)) throw new Error(`${entry}: bundle contains "]]>" or "</script"`);
  return code;
}

/** esbuild/vite `define` entries: global name → JSON string literal of the bundled script. */
export async function inlineScriptDefines() {
  return {
    __FLAME_SVG_SCRIPT__: JSON.stringify(await bundleBrowserScript('src/render/flame-svg-main.ts')),
    __SEARCH_WORKER_SCRIPT__: JSON.stringify(await bundleBrowserScript('src/render/page/search-worker.ts')),
  };
}
