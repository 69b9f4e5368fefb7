import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * Electron's main process: main/index.ts -> out/main/index.js, one ESM file for Node 22
 * (Electron 45). Pure-JS dependencies (zod, i18next, ...) are bundled in; Electron, Node's
 * builtins and the runtime dependencies that must stay real packages (a native module,
 * modules that import `electron` or load files of their own) stay external and ship in
 * node_modules.
 */
export const mainExternals = [
  'electron',
  'better-sqlite3-multiple-ciphers',
  'electron-store',
  'conf',
  '@azure/msal-node',
  'electron-updater',
  // Loads its optional native helpers (bufferutil, utf-8-validate) with a guarded require.
  'ws',
];

/** Rolldown's external list for a Node bundle: these packages (and their subpaths) and Node's builtins. */
export function nodeExternals(packages: readonly string[]): Array<string | RegExp> {
  return [...packages, ...packages.map((name) => new RegExp(`^${name.replace(/[/\\^$*+?.()|[\]{}]/g, '\\$&')}/`)), ...builtinModules, /^node:/];
}

const external = nodeExternals(mainExternals);

export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'main/index.ts'),
    outDir: resolve(import.meta.dirname, 'out/main'),
    emptyOutDir: true,
    target: 'node22',
    sourcemap: true,
    minify: false,
    reportCompressedSize: false,
    rolldownOptions: {
      external,
      output: { format: 'es', entryFileNames: 'index.js' },
    },
  },
  ssr: {
    target: 'node',
    noExternal: true,
    external: mainExternals,
  },
});
