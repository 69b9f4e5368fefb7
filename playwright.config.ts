import { defineConfig } from '@playwright/test';
import { pinDaytimeZone } from './test/support/daytime-zone';

// Mid-morning for the whole run, wherever and whenever it starts (why: in that module).
pinDaytimeZone();

/**
 * One worker: the stack (IdP, VDX sandbox, Janus) is started once per worker and a call
 * needs most of this machine's two cores. A trace is kept for each failure.
 */
export default defineConfig({
  testDir: 'test/e2e',
  workers: 1,
  fullyParallel: false,
  // No retries: a check that passes on the second try hides a defect; fix the cause instead.
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '.cache/results/playwright.json' }]],
  outputDir: '.cache/test-results',
  use: { trace: 'retain-on-failure' },
});
