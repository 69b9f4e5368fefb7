import { defineConfig } from '@playwright/test';
import { pinDaytimeZone } from './test/support/daytime-zone';

// Mid-morning for the whole run, wherever and whenever it starts (why: in that module).
pinDaytimeZone();

/**
 * Two workers, each with its own stack (IdP, VDX sandbox, Pexip double, Janus in a network
 * namespace of its own; see fixtures.ts): no spec shares mutable server state with a spec of
 * the other worker. A spec file runs whole in one worker (its tests in order), so specs that
 * build on an earlier test of their own file need nothing more. A trace is kept for each failure.
 *
 * The specs with three-party calls (a host and two guests decoding each other's video) take
 * most of a core each: at most one of them runs at a time, beside the lighter specs. Two at
 * once on this 2-core machine, with other load on it, let a 15 s wait in one of them run out
 * (seen: call.spec's dial-out status while the Janus call-window accessibility test ran).
 */
const CALLS = ['call/call.spec.ts', 'accessibility.spec.ts', 'stack/guard-guests.spec.ts', 'stack/pexip-media.spec.ts', 'skeleton.spec.ts'];
export default defineConfig({
  testDir: 'test/e2e',
  workers: 2,
  fullyParallel: false,
  // No retries: a check that passes on the second try hides a defect; fix the cause instead.
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: '.cache/results/playwright.json' }]],
  outputDir: '.cache/test-results',
  use: { trace: 'retain-on-failure' },
  projects: [
    { name: 'calls', testMatch: CALLS, workers: 1 },
    { name: 'others', testIgnore: CALLS },
  ],
});
