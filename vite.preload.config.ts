import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Vite would quietly replace a Node builtin with an empty browser stub; in a sandboxed
 * preload that is a runtime failure. Make it a build error instead.
 */
function sandboxedPreloadGuard(): Plugin {
  const builtins = new Set(builtinModules);
  return {
    name: 'sandboxed-preload-guard',
    enforce: 'pre',
    resolveId(id) {
      if (id.startsWith('node:') || builtins.has(id)) {
        this.error(`The sandboxed preload cannot import "${id}": only 'electron' is available there.`);
      }
      return null;
    },
  };
}

/**
 * The preload: preload/index.ts -> out/preload/index.cjs, ONE CommonJS file. It runs in a
 * sandboxed renderer, where `require` knows only 'electron' and a few Node builtins, so
 * everything it imports (the contract, and zod with it) is bundled in; only `electron`
 * stays external.
 */
export default defineConfig({
  publicDir: false,
  plugins: [sandboxedPreloadGuard()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: resolve(import.meta.dirname, 'out/preload'),
    emptyOutDir: true,
    target: 'chrome140',
    sourcemap: false,
    minify: true,
    reportCompressedSize: true,
    lib: {
      entry: resolve(import.meta.dirname, 'preload/index.ts'),
      formats: ['cjs'],
      fileName: () => 'index.cjs',
    },
    rolldownOptions: {
      external: ['electron'],
      output: { codeSplitting: false },
    },
  },
});
