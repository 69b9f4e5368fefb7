/**
 * Faults of the booking API, each against the real VDX sandbox: the cached day stays on
 * screen unchanged under a clear banner, and the view catches up by itself (nobody clicks)
 * when the sandbox recovers. Refresh is clicked only to make the failure happen now.
 */
import type { Page } from '@playwright/test';
import type { Stack } from '../stack/stack';
import { SHORT_INTERVAL_MS } from './cost-steps';
import { expect, test } from './fixtures';
import { at, banner, dayFromToday, expectSandboxDay, rowIds, rowTexts, showDay } from './schedule-steps';
import { signIn } from './steps';

/** Backoff's first retries plus a sync; far below how long a fault is held here. */
const CATCH_UP = 30_000;
const DAY = dayFromToday(3);

test.afterEach(({ stack }) => {
  stack.vdx.setFault(null);
  stack.vdx.setDown(false);
});

/** Signs in and shows the test day, fully synced. */
async function cachedDay(app: { page: Page }, stack: Stack): Promise<string[]> {
  await showDay(app.page, DAY);
  await expectSandboxDay(app.page, stack, DAY);
  await expect(banner(app.page)).toHaveAttribute('data-sync-state', 'ok');
  return rowTexts(app.page);
}

interface Case {
  name: string;
  breakIt: (stack: Stack) => void;
  state: 'offline' | 'error';
  text: RegExp;
}

const cases: Case[] = [
  { name: 'HTTP 500', breakIt: (s) => s.vdx.setFault('http500', 'meetings'), state: 'error', text: /could not be updated: .*HTTP 500.*Last synced/ },
  { name: 'timeout', breakIt: (s) => s.vdx.setFault('timeout', 'all'), state: 'offline', text: /^Offline – last synced \d/ },
  { name: 'malformed JSON', breakIt: (s) => s.vdx.setFault('malformed-json', 'meetings'), state: 'error', text: /could not be updated: .*answer the console cannot read.*Last synced/ },
  { name: '401 after one renewal', breakIt: (s) => s.vdx.setFault('unauthorized', 'all'), state: 'error', text: /could not be updated: .*sign-in.*Last synced/ },
  { name: 'network down', breakIt: (s) => s.vdx.setDown(true), state: 'offline', text: /^Offline – last synced \d/ },
];

for (const c of cases) {
  test(`${c.name}: the cached day stays with a clear banner, and the view catches up by itself`, async ({ launchConsole, stack }) => {
    // A short request timeout, so "timeout" fails in 2 s rather than 15.
    const app = await launchConsole({ settings: { requestTimeoutMs: 2000 } });
    await signIn(app, stack.idp.users[0]!);
    const page = app.page;
    const before = await cachedDay(app, stack);

    // Broken first, booked second: a periodic sync already under way must not pick up the
    // new meeting before the fault is in place (it would change the rows compared below).
    stack.vdx.clearRequestLog();
    c.breakIt(stack);
    const added = stack.vdx.addMeeting({ subject: 'Invented meeting booked during the fault', startTime: at(DAY, 16, 40) });
    try {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(banner(page)).toHaveAttribute('data-sync-state', c.state);
      await expect(banner(page)).toHaveText(c.text);
      expect(await rowTexts(page)).toEqual(before);
      if (c.name.startsWith('401')) {
        // The first 401 made the console renew its token once and try again, not more.
        const refused = stack.vdx.requestLog.filter((e) => e.path === '/v2/meetings' && e.status === 401);
        expect(refused.length).toBeGreaterThanOrEqual(2);
      }

      stack.vdx.setFault(null);
      stack.vdx.setDown(false);
      await expect(banner(page)).toHaveAttribute('data-sync-state', 'ok', { timeout: CATCH_UP });
      await expect(page.locator(`[data-meeting-id="${added.uuid}"]`)).toBeVisible();
      await expectSandboxDay(page, stack, DAY);
      await expect(banner(page)).toHaveText(/^Last synced \d/);
    } finally {
      await stack.vdx.deleteMeeting(added.uuid);
    }
  });
}

test('a schema-invalid meeting is counted, keeps its last good copy, and the count goes when it is fixed', async ({
  launchConsole,
  stack,
}) => {
  // A sync that reads an invalid meeting succeeds, so no backoff retries it: the count goes
  // at the next periodic sync, nobody clicking. A short interval, so that is seconds away
  // rather than the product's 15 s.
  const app = await launchConsole({ syncIntervalMs: SHORT_INTERVAL_MS });
  await signIn(app, stack.idp.users[0]!);
  const page = app.page;
  const before = await cachedDay(app, stack);
  const ids = await rowIds(page);

  stack.vdx.setFault('invalid-meeting', 'meetings'); // the first meeting of the list breaks the schema
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('invalid-count')).toHaveText(/^1 appointment could not be read/);
  expect(await rowTexts(page)).toEqual(before);
  expect(await rowIds(page)).toEqual(ids);

  stack.vdx.setFault(null);
  await expect(page.getByTestId('invalid-count')).toHaveCount(0, { timeout: CATCH_UP });
  await expectSandboxDay(page, stack, DAY);
});
