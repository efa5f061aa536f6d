import { defineConfig } from 'vitest/config';
// @ts-expect-error plain JS build helper without type declarations
import { inlineScriptDefines } from './scripts/inline-scripts.js';

export default defineConfig(async () => ({
  define: await inlineScriptDefines(),
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
  },
}));
