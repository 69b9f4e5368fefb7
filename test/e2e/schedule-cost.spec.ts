/**
 * What the day view costs while nobody touches it, counted at the real VDX sandbox: a
 * watched day is synced once per interval (MedCom's 15 s) in two requests, a meeting list
 * and a room list, and asks for no meeting's room when nothing changed. Refresh is one sync,
 * not a loop. Upstream additions, changes and removals still show within one interval.
 *
 * The console runs with a short interval (cost-steps.ts): the budget is per interval, and a
 * few short intervals prove it as well as a minute of 15 s ones, in seconds.
 */
import type { Stack } from '../stack/stack';
import { until } from '../support/until';
import { cpuSeconds } from '../support/processes';
import { costWindow, INTERVALS, SHORT_INTERVAL_MS } from './cost-steps';
import { expect, test } from './fixtures';
import { at, banner, expectSandboxDay, rowIds, today } from './schedule-steps';
import { signIn } from './steps';

const INTERVAL_MS = SHORT_INTERVAL_MS;
/** One interval plus the time a sync takes on a loaded machine. */
const ONE_INTERVAL = INTERVAL_MS + 10_000;
/** Timer jitter: Node may fire a timer a millisecond early (never later matters: that only spaces syncs out). */
const JITTER_MS = 20;

const answered = (stack: Stack) => stack.vdx.requestLog.every((e) => e.status !== undefined);

/**
 * Waits until a whole sync has just ended, both its lists answered, so that the next
 * automatic one is a whole interval away and nothing of this one is still on its way. A sync
 * sends its two lists at once and either may reach the sandbox first, even after the other
 * was answered: waiting for the meeting list alone once let the room list arrive after the
 * caller cleared the log, and the two counts then differed for good (a 72-s timeout, in
 * about one run in three of this test on a busy machine). The room list that belongs to the
 * last meeting list arrived within half an interval of it.
 */
async function afterASync(stack: Stack, intervalMs = INTERVAL_MS): Promise<void> {
  stack.vdx.clearRequestLog();
  await until(
    () => {
      const log = stack.vdx.requestLog;
      const last = log.filter((e) => e.route === 'meetings').at(-1);
      return last !== undefined && answered(stack) && log.some((e) => e.route === 'scheduling-info-list' && Math.abs(e.at - last.at) < intervalMs / 2);
    },
    { what: 'a whole sync', timeoutMs: 2 * intervalMs + 10_000, everyMs: 5 },
  );
}

/** When each meeting list since the log was cleared arrived at the sandbox. */
const meetingListTimes = (stack: Stack) => stack.vdx.requestLog.filter((e) => e.route === 'meetings').map((e) => e.at);
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

test('idle intervals cost one meeting list and one room list each, and nothing else', async ({ launchConsole, stack }, testInfo) => {
  const app = await launchConsole({ syncIntervalMs: INTERVAL_MS });
  await signIn(app, stack.idp.users[0]!);
  await expectSandboxDay(app.page, stack, today());
  await expect(banner(app.page)).toHaveAttribute('data-sync-state', 'ok');

  await afterASync(stack);
  stack.vdx.clearRequestLog();
  const idle = costWindow(INTERVAL_MS);
  const cpuBefore = cpuSeconds(app.pid);
  // Until INTERVALS syncs have been answered, their room lists included.
  const counts = await until(
    () => {
      const c = stack.vdx.requestCounts();
      // Equal counts: a sync sends its two lists at once, so either may arrive first; read
      // the counts between syncs, not halfway through one.
      return c.meetings >= INTERVALS && answered(stack) && c['scheduling-info-list'] === c.meetings && c;
    },
    { what: `${INTERVALS} syncs`, timeoutMs: INTERVALS * ONE_INTERVAL },
  );
  const budget = idle.budget();
  const elapsed = idle.elapsedMs();
  const cpu = cpuSeconds(app.pid) - cpuBefore;
  testInfo.annotations.push({ type: 'idle intervals', description: `${JSON.stringify(counts)} in ${elapsed} ms (budget ${budget}); main process CPU ${cpu.toFixed(2)} s` });

  expect(counts.meetings, `meeting lists in ${elapsed} ms at one per ${INTERVAL_MS} ms`).toBeLessThanOrEqual(budget);
  // Never two syncs within an interval (the timer counts from the previous sync's end).
  expect(Math.min(...gaps(meetingListTimes(stack)))).toBeGreaterThanOrEqual(INTERVAL_MS - JITTER_MS);
  expect(counts['scheduling-info-list']).toBe(counts.meetings);
  expect(counts['scheduling-info']).toBe(0);
  expect(counts.meeting + counts.info + counts.unknown).toBe(0);
  // The console's own process (main services) stays nearly idle: a loop would burn the window.
  expect(cpu).toBeLessThan(0.1 * (elapsed / 1000));
  await expectSandboxDay(app.page, stack, today());
});

test('Refresh is one sync, not a loop', async ({ launchConsole, stack }) => {
  // Longer than the other tests' interval: the click must land well inside the interval that
  // follows an automatic sync (a Refresh right after one is a second sync, rightly).
  const interval = 3 * INTERVAL_MS;
  const app = await launchConsole({ syncIntervalMs: interval });
  await signIn(app, stack.idp.users[0]!);
  await expectSandboxDay(app.page, stack, today());
  await afterASync(stack, interval);
  stack.vdx.clearRequestLog();
  const refresh = app.page.getByRole('button', { name: 'Refresh' });
  await refresh.click();
  await expect(refresh).toBeEnabled();
  expect(stack.vdx.requestCounts()).toMatchObject({ meetings: 1, 'scheduling-info-list': 1, 'scheduling-info': 0 });
  // The next automatic sync is an interval after the refresh: until then, nothing.
  await expect.poll(() => stack.vdx.requestCounts().meetings, { timeout: interval + 10_000 }).toBe(2);
  const [refreshed, next] = meetingListTimes(stack);
  expect(next! - refreshed!).toBeGreaterThanOrEqual(interval - JITTER_MS);
  await expect.poll(() => answered(stack)).toBe(true);
  expect(stack.vdx.requestCounts()).toMatchObject({ meetings: 2, 'scheduling-info-list': 2, 'scheduling-info': 0 });
});

test('a meeting added, changed or removed upstream shows within one interval, nobody clicking', async ({ launchConsole, stack }) => {
  const app = await launchConsole({ syncIntervalMs: INTERVAL_MS });
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
