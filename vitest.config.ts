import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
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
