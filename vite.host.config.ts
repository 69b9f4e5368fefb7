import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import { buildBridgeClient } from './host/bridge-client-build';
import { mainExternals, nodeExternals } from './vite.main.config';

/**
 * The browser host (host/main.ts) as one ESM file, out/host/main.js, bundled as Electron's
 * main is (the same runtime dependencies stay real packages). The e2e suite starts this file
 * with plain Node for every console it launches: `tsx host/main.ts` transformed the whole
 * main process's TypeScript again at every start (about 2.0 s of CPU per start here, against
 * 0.65 s for the built file; some hundred starts per suite run). `npm start` still runs the
 * sources with tsx. The page's bridge client is built here too, as out/host/bridge.js (the built
 * host reads it instead of starting esbuild at every start). esbuild (the host run from its
 * sources still builds the bridge client with it) and the OS keyring's native binding stay
 * external too.
 */
const external = [...mainExternals, 'esbuild', '@napi-rs/keyring'];

/** Writes the page's bridge client beside the built host (host/server.ts reads it). */
function bridgeClientAsset(): Plugin {
  return {
    name: 'bridge-client',
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'bridge.js', source: await buildBridgeClient(resolve(import.meta.dirname, 'host/bridge-client.ts')) });
    },
  };
}

export default defineConfig({
  plugins: [bridgeClientAsset()],
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
