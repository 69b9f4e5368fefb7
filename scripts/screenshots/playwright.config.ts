import { defineConfig } from '@playwright/test';
import { pinDaytimeZone } from '../../test/support/daytime-zone';

// The pictures show a morning's day view, whenever they are taken.
pinDaytimeZone();

/**
 * `npm run screenshots`: the README's pictures, taken from the embedded sandbox with the e2e
 * fixture (the browser host, or Electron where its binary exists). Not part of `npm test`.
 */
export default defineConfig({
  testDir: '.',
  testMatch: /readme\.shots\.ts$/,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  outputDir: '../../.cache/screenshot-results',
});
