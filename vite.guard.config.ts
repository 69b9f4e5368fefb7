import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The Janus room guard as one ESM file for Node 20+ (out/janus-guard/index.js), with its
 * only dependency (zod) bundled in: what a Janus site installs beside Janus (README).
 */
export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'janus-guard/main.ts'),
    outDir: resolve(import.meta.dirname, 'out/janus-guard'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    reportCompressedSize: false,
    rolldownOptions: {
      external: [...builtinModules, /^node:/],
      output: { format: 'es', entryFileNames: 'index.js' },
    },
  },
  ssr: { target: 'node', noExternal: true },
});
