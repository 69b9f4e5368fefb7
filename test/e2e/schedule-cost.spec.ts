/**
 * What the day view costs while nobody touches it, counted at the real VDX sandbox: a
 * watched day is synced once per interval (MedCom's 15 s) in two requests, a meeting list
 * and a room list, and asks for no meeting's room when nothing changed. Refresh is one sync,
 * not a loop. Upstream additions, changes and removals still show within one interval.
 *
 * These tests wait on purpose: what is measured is what a stretch of idle time costs.
 */
import type { Stack } from '../stack/stack';
import { cpuSeconds } from '../support/processes';
import { expect, test } from './fixtures';
import { at, banner, expectSandboxDay, rowIds, today } from './schedule-steps';
import { signIn } from './steps';

/** The default sync interval, and one interval plus the time a sync takes. */
const INTERVAL_MS = 15_000;
const ONE_INTERVAL = INTERVAL_MS + 10_000;

/** Lets wall-clock time pass with nobody touching the console. */
const idleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until a sync has just ended, so the next automatic one is a whole interval away. */
async function afterASync(stack: Stack): Promise<void> {
  stack.vdx.clearRequestLog();
  await expect
    .poll(() => stack.vdx.requestLog.filter((e) => e.route === 'meetings' && e.status !== undefined).length, { timeout: ONE_INTERVAL })
    .toBeGreaterThan(0);
  // Its room list too (the two run together).
  await expect.poll(() => stack.vdx.requestLog.every((e) => e.status !== undefined)).toBe(true);
}

test.describe.configure({ timeout: 180_000 });

test('an idle minute costs one meeting list and one room list per interval, and nothing else', async ({ consoleApp: app, stack }, testInfo) => {
  await signIn(app, stack.idp.users[0]!);
  await expectSandboxDay(app.page, stack, today());
  await expect(banner(app.page)).toHaveAttribute('data-sync-state', 'ok');

  await afterASync(stack);
  stack.vdx.clearRequestLog();
  const cpuBefore = cpuSeconds(app.pid);
  await idleFor(60_000);
  const counts = stack.vdx.requestCounts();
  const cpu = cpuSeconds(app.pid) - cpuBefore;
  testInfo.annotations.push({ type: 'idle minute', description: `${JSON.stringify(counts)}; main process CPU ${cpu.toFixed(2)} s` });

  // 60 s / 15 s: four syncs (three if a sync's own time pushed the fourth past the minute).
  expect(counts.meetings).toBeGreaterThanOrEqual(3);
  expect(counts.meetings).toBeLessThanOrEqual(5);
  expect(counts['scheduling-info-list']).toBe(counts.meetings);
  expect(counts['scheduling-info']).toBe(0);
  expect(counts.meeting + counts.info + counts.unknown).toBe(0);
  // The console's own process (main services) stays nearly idle: a loop would burn seconds.
  expect(cpu).toBeLessThan(6);
  await expectSandboxDay(app.page, stack, today());
});

test('Refresh is one sync, not a loop', async ({ consoleApp: app, stack }) => {
  await signIn(app, stack.idp.users[0]!);
  await expectSandboxDay(app.page, stack, today());
  await afterASync(stack);
  stack.vdx.clearRequestLog();
  const refresh = app.page.getByRole('button', { name: 'Refresh' });
  await refresh.click();
  await expect(refresh).toBeEnabled();
  expect(stack.vdx.requestCounts()).toMatchObject({ meetings: 1, 'scheduling-info-list': 1, 'scheduling-info': 0 });
  // The next automatic sync is an interval after the refresh: until then, nothing.
  await idleFor(INTERVAL_MS - 5_000);
  expect(stack.vdx.requestCounts()).toMatchObject({ meetings: 1, 'scheduling-info-list': 1, 'scheduling-info': 0 });
});

test('a meeting added, changed or removed upstream shows within one interval, nobody clicking', async ({ consoleApp: app, stack }) => {
  await signIn(app, stack.idp.users[0]!);
  const page = app.page;
  const day = today();
  await expectSandboxDay(page, stack, day);

  const added = stack.vdx.addMeeting({ subject: 'Invented added consultation', startTime: at(day, 23, 10), endTime: at(day, 23, 40) });
  try {
    const row = page.locator(`[data-meeting-id="${added.uuid}"]`);
    await expect(row.getByTestId('meeting-subject')).toHaveText('Invented added consultation', { timeout: ONE_INTERVAL });

    stack.vdx.updateMeeting(added.uuid, { subject: 'Invented consultation, renamed', startTime: at(day, 23, 20), endTime: at(day, 23, 50) });
    await expect(row.getByTestId('meeting-subject')).toHaveText('Invented consultation, renamed', { timeout: ONE_INTERVAL });
    const shown = await page.evaluate(
      (iso) =>
        new Intl.DateTimeFormat((globalThis as unknown as { navigator: { language: string } }).navigator.language, {
          hour: '2-digit',
          minute: '2-digit',
        }).format(new Date(iso)),
      at(day, 23, 20).toISOString(),
    );
    await expect(row).toContainText(shown);
  } finally {
    await stack.vdx.deleteMeeting(added.uuid);
  }
  await expect.poll(() => rowIds(page), { timeout: ONE_INTERVAL }).not.toContain(added.uuid);
  await expectSandboxDay(page, stack, day);
});
