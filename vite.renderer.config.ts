import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The renderer: two pages (the day view and the call window), served from app://console
 * in Electron and from the browser host's loopback server here. CSS goes to files, never
 * inline, so the CSP needs no 'unsafe-inline'.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [svelte({ compilerOptions: { css: 'external' }, emitCss: true })],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'renderer/index.html'),
        call: resolve(import.meta.dirname, 'renderer/call.html'),
      },
    },
  },
});
