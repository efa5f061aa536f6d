// Browser scripts bundled at build time (scripts/inline-scripts.js) and substituted here by esbuild/vitest.

declare const __FLAME_SVG_SCRIPT__: string;

/** The flame graph SVG's zoom/search script, minified, safe inside CDATA. */
export const FLAME_SVG_SCRIPT: string = __FLAME_SVG_SCRIPT__;

declare const __SEARCH_WORKER_SCRIPT__: string;

/** The report's search worker (src/render/page/search-worker.ts), minified; started from a Blob URL. */
export const SEARCH_WORKER_SCRIPT: string = __SEARCH_WORKER_SCRIPT__;
