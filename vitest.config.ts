import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Svelte's runes in .svelte.ts modules (the call window's CallState), compiled for Node.
  plugins: [svelte({ configFile: false })],
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Removes the temporary directories a file made with test/support/temp-dir.ts.
    setupFiles: ['test/support/vitest-setup.ts'],
    reporters: ['default', ['json', { outputFile: '.cache/results/vitest.json' }]],
    // @pexip/infinity-api's ES modules import directories, which only a bundler resolves.
    server: { deps: { inline: ['electron-store', '@pexip/infinity-api'] } },
  },
});
