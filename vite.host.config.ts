import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { mainExternals, nodeExternals } from './vite.main.config';

/**
 * The browser host (host/main.ts) as one ESM file, out/host/main.js, bundled as Electron's
 * main is (the same runtime dependencies stay real packages). The e2e suite starts this file
 * with plain Node for every console it launches: `tsx host/main.ts` transformed the whole
 * main process's TypeScript again at every start (about 2.0 s of CPU per start here, against
 * 0.65 s for the built file; some hundred starts per suite run). `npm start` still runs the
 * sources with tsx. esbuild (the host builds the page's bridge client with it) and the OS keyring's native
 * binding stay external too.
 */
const external = [...mainExternals, 'esbuild', '@napi-rs/keyring'];

export default defineConfig({
  build: {
    ssr: resolve(import.meta.dirname, 'host/main.ts'),
    outDir: resolve(import.meta.dirname, 'out/host'),
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    reportCompressedSize: false,
    rolldownOptions: {
      external: nodeExternals(external),
      output: { format: 'es', entryFileNames: 'main.js' },
    },
  },
  ssr: { target: 'node', noExternal: true, external },
});
