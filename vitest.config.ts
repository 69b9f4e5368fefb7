import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Pexip's packages (@pexip/infinity and those it imports) name only a "module" entry, which
 * Node's resolution does not read: resolved here as a bundler would, so the call window's
 * Pexip client is tested against the library itself. Other packages resolve as before.
 */
function pexipModuleEntries(): Plugin {
  return {
    name: 'pexip-module-entries',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!/^@pexip\/[^/]+$/.test(id)) return null;
      try {
        const manifest = createRequire(importer ?? import.meta.url).resolve(`${id}/package.json`);
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { main?: string; module?: string; exports?: unknown };
        return pkg.exports || pkg.main || !pkg.module ? null : join(dirname(manifest), pkg.module);
      } catch {
        return null;
      }
    },
  };
}

export default defineConfig({
  // Svelte's runes in .svelte.ts modules (the call window's CallState), compiled for Node.
  plugins: [svelte({ configFile: false }), pexipModuleEntries()],
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One fork per core. Vitest's default is one less than the cores, which is a single fork on
    // a 2-core CI machine; most slow files wait on real servers, Chromium or child processes
    // (their own ports, temp dirs and Janus subnets), so two at a time share the cores well.
    maxWorkers: availableParallelism(),
    // Removes the temporary directories a file made with test/support/temp-dir.ts.
    setupFiles: ['test/support/vitest-setup.ts'],
    reporters: ['default', ['json', { outputFile: '.cache/results/vitest.json' }]],
    // @pexip/infinity(-api)'s ES modules import directories and extensionless files, which only a
    // bundler resolves (the request_token seam test loads @pexip/infinity itself).
    server: { deps: { inline: ['electron-store', /[/\\]@pexip[/\\]/, /^@pexip\//] } },
  },
  // Pexip's packages name their entry in `module` only.
  ssr: { resolve: { mainFields: ['module', 'main'] } },
});
