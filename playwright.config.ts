import { defineConfig } from '@playwright/test';
import { EXPECT_TIMEOUT_MS } from './test/e2e/expect';
import { pinDaytimeZone } from './test/support/daytime-zone';

// Mid-morning for the whole run, wherever and whenever it starts (why: in that module).
pinDaytimeZone();

/**
 * One worker for now. The fixture gives each worker its own stack (IdP, VDX sandbox, Pexip
 * double, Janus in a network namespace of its own), so specs never share mutable server state
 * across workers; but on this 2-core machine a second worker beside the three-party-call specs
 * starved them: in a fresh-clone run the Janus call-window accessibility test ran past 5
 * minutes (101 s alone). With every spec that has guests in a call moved into 'calls' (so
 * the second worker ran only sign-in, schedule, booking, policy and cost specs), two workers
 * were green but slower: 29.9 min against about 24 on one (2026-12-07), the machine's two
 * cores being busy with media either way.
 *
 * A trace is kept for each failure, with its actions, DOM snapshots, console and network, but
 * without screenshots: a trace's screenshots are a screencast of every open page, recorded
 * during every test (a failure's is known only at its end), and beside live video that
 * screencast cost more than the calls themselves. The Janus call test took 56-72 s with it
 * and 42 s without it (35.6 s with no trace at all); Chromium's GPU and browser processes
 * used 45-55 s of CPU with it and 15 s without (2026-12-07).
 */
/** The call specs, one at a time. (Specs that book visits remove them again after each test, so no spec depends on running before them.) */
const CALLS = ['call/call.spec.ts', 'accessibility.spec.ts', 'stack/guard-guests.spec.ts', 'stack/pexip-media.spec.ts', 'skeleton.spec.ts'];
export default defineConfig({
  testDir: 'test/e2e',
  workers: 1,
  fullyParallel: false,
  // No retries: a check that passes on the second try hides a defect; fix the cause instead.
  retries: 0,
  timeout: 90_000,
  // Waiting assertions run in rounds within it (why: test/e2e/expect.ts).
  expect: { timeout: EXPECT_TIMEOUT_MS },
  reporter: [['list'], ['json', { outputFile: '.cache/results/playwright.json' }]],
  outputDir: '.cache/test-results',
  use: { trace: { mode: 'retain-on-failure', screenshots: false } },
  projects: [
    { name: 'calls', testMatch: CALLS, workers: 1 },
    { name: 'others', testIgnore: CALLS },
  ],
});
