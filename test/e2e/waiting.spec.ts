/**
 * "Is my patient already waiting?" in the day view, on both conference servers of the real
 * stack (Debian's Janus behind the room guard; the Pexip double with its Management Node on a
 * port of its own and IT's read-only account from the policy, whose VMRs are named unlike
 * their aliases, as on a real node): a patient who knocks at the meeting on now, which
 * the clinician has not joined, shows as "Patient waiting" on its row within one sync
 * interval and raises exactly one OS notification (role and time, never the name); nobody is
 * let in. And what it costs: idle intervals send at most one lobby read per open Janus meeting
 * and one status request per Pexip Management Node per interval (each meeting's VMR resolved
 * once), buy no second lobby watcher, and sign-out stops it
 * all and gives the watchers back. The console runs with a short interval (cost-steps.ts):
 * the budget is per interval, so a few short ones prove it in seconds.
 *
 * Notifications are observed in the page: the permission is granted to the console's origin
 * (the browser host; Electron's permission handler grants it to the app), and a subclass of
 * the page's Notification constructs the real one and records it when the browser fires its
 * `show` event, i.e. when it was really shown.
 */
import { writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Page, TestInfo } from '@playwright/test';
import { localDay } from '../../common/days';
import { canJoin } from '../../common/meeting-status';
import { consolePolicyFor, type Stack } from '../stack/stack';
import { guestPageForSpec, enterPin, guestUrl, meetingOnNow, openGuest, WAITING, type Platform } from './call/call-steps';
import { costWindow, INTERVALS, SHORT_INTERVAL_MS } from './cost-steps';
import { until } from '../support/until';
import { expect, test, type ConsoleApp, type LaunchOptions } from './fixtures';
import { signIn } from './steps';

/** The console's sync interval here (the product's is 15 s), and one interval plus the time a sync and a round take. */
const INTERVAL_MS = SHORT_INTERVAL_MS;
const ONE_INTERVAL = INTERVAL_MS + 10_000;

/** Lets wall-clock time pass with nobody touching the console. */
const idleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const guests = guestPageForSpec();

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

/** The console with IT's policy for this stack: the Pexip double's status account (policy only). */
async function launchWithPolicy(launchConsole: (opts?: LaunchOptions) => Promise<ConsoleApp>, stack: Stack, testInfo: TestInfo): Promise<ConsoleApp> {
  const policy = testInfo.outputPath('policy.json');
  writeFileSync(policy, JSON.stringify(consolePolicyFor(stack)));
  return launchConsole({ env: { CLINICIAN_CONSOLE_POLICY: policy }, syncIntervalMs: INTERVAL_MS });
}

interface Recorded {
  title: string;
  body: string;
  tag: string;
}

/** Records every Notification the main window shows (constructed for real; recorded on its `show` event). */
async function recordNotifications(app: ConsoleApp): Promise<() => Promise<Recorded[]>> {
  if (app.kind === 'browser') await app.page.context().grantPermissions(['notifications'], { origin: new URL(app.page.url()).origin });
  await app.page.evaluate(() => {
    type Options = { body?: string; tag?: string };
    type Shown = { addEventListener(type: 'show', listener: () => void): void };
    const w = globalThis as unknown as { Notification: new (title: string, options?: Options) => Shown; __notifications: Recorded[] };
    const Real = w.Notification;
    const seen: Recorded[] = [];
    w.__notifications = seen;
    w.Notification = class extends Real {
      constructor(title: string, options?: Options) {
        super(title, options);
        this.addEventListener('show', () => seen.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' }));
      }
    };
  });
  return () => app.page.evaluate(() => (globalThis as unknown as { __notifications: Recorded[] }).__notifications);
}

/** Today's meetings on a platform that are open for joining now. */
function openMeetings(stack: Stack, platform: Platform): Array<{ uuid: string; room: string }> {
  return stack.vdx.meetingsOn(localDay(new Date())).flatMap((m) => {
    if (stack.vdx.platformOf(m.uuid) !== platform) return [];
    const info = stack.vdx.schedulingInfo(m.uuid);
    const joinOpensAt = new Date(Date.parse(m.startTime) - info.vmrAvailableBefore * 60_000).toISOString();
    return canJoin({ startTime: m.startTime, endTime: m.endTime, joinOpensAt, joinable: true }, new Date()) ? [{ uuid: m.uuid, room: info.provisionVmrId ?? '' }] : [];
  });
}

/** Requests the room guard gets (method and path), from now until `stop`. */
function guardRequests(stack: Stack) {
  const seen: Array<{ method: string; path: string }> = [];
  const listener = (req: IncomingMessage) => seen.push({ method: req.method ?? '', path: new URL(req.url ?? '/', 'http://guard').pathname });
  stack.guard!.server.on('request', listener);
  return {
    seen,
    count: (method: string, suffix: string) => seen.filter((r) => r.method === method && r.path.endsWith(suffix)).length,
    clear: () => void seen.splice(0),
    stop: () => void stack.guard!.server.off('request', listener),
  };
}

const STATUS_PATH = '/api/admin/status/v1/participant/';
const statusReads = (stack: Stack) => stack.pexip!.requestLog.filter((e) => e.path === STATUS_PATH).length;
const aliasLookups = (stack: Stack) => stack.pexip!.requestLog.filter((e) => e.path === '/api/admin/configuration/v1/conference_alias/').length;

/** A round of asking the meeting's server has happened since `before` (a lobby read, a status read). */
function roundsOn(platform: Platform, stack: Stack, guard: ReturnType<typeof guardRequests>, room: string): () => number {
  return platform === 'janus' ? () => guard.count('GET', `/v1/rooms/${room}/lobby`) : () => statusReads(stack);
}

const row = (page: Page, uuid: string) => page.locator(`[data-meeting-id="${uuid}"]`);

for (const platform of ['janus', 'pexip'] as const) {
  test(`on ${platform === 'pexip' ? 'Pexip Infinity' : 'Janus'}: a patient waiting before the clinician joined shows on the row within one interval, with one notification`, async ({
    launchConsole,
    stack,
    browser,
  }, testInfo) => {
    const app = await launchWithPolicy(launchConsole, stack, testInfo);
    const notifications = await recordNotifications(app);
    const guard = guardRequests(stack);
    try {
      await signIn(app, stack.idp.users[0]!);
      const meeting = meetingOnNow(stack, platform);
      // On a real node a VMR's name is none of its aliases; the badge must light all the same.
      if (platform === 'pexip') expect(stack.pexip!.vmrName(meeting.uri)).not.toBe(meeting.uri);
      const meetingRow = row(app.page, meeting.uuid);
      await expect(meetingRow.getByRole('button', { name: /^Join/ })).toBeVisible();
      await expect(meetingRow.getByTestId('meeting-waiting')).toHaveCount(0);

      const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Noor Example', 'patient'));
      await enterPin(patient, meeting.guestPin);
      await expect(patient.getByTestId('status')).toHaveText(WAITING, { timeout: 20_000 });

      // Within one interval of the patient starting to wait, with how long (from the server's record).
      const badge = meetingRow.getByTestId('meeting-waiting');
      const shown = badge.getByTestId('meeting-waiting-text');
      await expect(shown).toHaveText(/^Patient waiting · (under 1 min|1 min)$/, { timeout: ONE_INTERVAL });
      // A screen reader hears who and for how long in words of its own.
      await expect(badge.locator('.visually-hidden')).toHaveText(/^Patient waiting for (under 1 min|1 min)$/);
      await expect(badge).toHaveAttribute('data-roles', 'patient');
      await expect(app.page.getByTestId('waiting-announcement')).toContainText('Patient waiting to join the appointment at');

      // This meeting's (a guest an earlier test left behind may still wait in another meeting).
      const mine = async () => (await notifications()).filter((n) => n.tag === `waiting-${meeting.uuid}`);
      await expect.poll(async () => (await mine()).length).toBe(1);
      expect(await mine()).toEqual([{ title: 'Patient waiting to join', body: expect.stringMatching(/^Your appointment at \d\d[:.]\d\d( [AP]M)?$/), tag: `waiting-${meeting.uuid}` }]);
      expect(JSON.stringify(await notifications())).not.toContain('Noor');

      // Another round later: still that one notification, and the patient still waits. (How
      // often rounds come is the idle-minute test's business; this one is about not repeating.)
      const rounds = roundsOn(platform, stack, guard, meeting.room);
      const after = rounds();
      await expect.poll(rounds, { timeout: ONE_INTERVAL * 2 }).toBeGreaterThanOrEqual(after + 1);
      expect(await mine()).toHaveLength(1);
      await expect(shown).toHaveText(/^Patient waiting · /);
      await expect(patient.getByTestId('status')).toHaveText(WAITING);

      // The minutes count on in the day view by its own timer, with no request for it: under
      // Playwright's clock (installed now, so the badge, shown again, runs its timer on it),
      // three minutes pass in the page in an instant and the badge says three minutes more,
      // while the page sends nothing to main and the servers get no read beyond their interval's.
      // Paused, so no real minute turns in the middle; the count is read once shown again.
      await app.page.clock.install();
      await app.page.clock.pauseAt(Date.now() + 1_000);
      await app.page.getByRole('button', { name: 'Next day' }).click();
      await app.page.getByRole('button', { name: 'Today' }).click();
      await expect(badge).toHaveAttribute('data-minutes', /^\d+$/);
      const minutes = Number(await badge.getAttribute('data-minutes'));
      const pageRequests: string[] = [];
      const onRequest = (r: { url(): string }) => pageRequests.push(r.url());
      app.page.on('request', onRequest);
      const idle = costWindow(INTERVAL_MS);
      const readsBefore = rounds();
      await app.page.clock.fastForward('03:00');
      await expect(badge).toHaveAttribute('data-minutes', String(minutes + 3));
      await expect(shown).toHaveText(new RegExp(`^Patient waiting · ${minutes + 3} min$`));
      app.page.off('request', onRequest);
      // (The browser host's bridge is HTTP, seen here; Electron's IPC is not, so there this holds trivially.)
      expect(pageRequests, 'the page asked nothing while the minutes went on').toEqual([]);
      expect(rounds() - readsBefore).toBeLessThanOrEqual(idle.budget());
      if (platform === 'pexip') {
        expect(stack.pexip!.participants(meeting.uri).filter((p) => p.role === 'guest').map((p) => p.serviceType)).toEqual(['waiting_room']);
      }
    } finally {
      guard.stop();
    }
  });
}

test('idle intervals cost at most one lobby read per Janus meeting and one Pexip status request per interval; sign-out stops it and gives the watchers back', async ({
  launchConsole,
  stack,
}, testInfo) => {
  const janus = openMeetings(stack, 'janus');
  const pexip = openMeetings(stack, 'pexip');
  expect(janus.length, 'the sandbox has a Janus meeting open now').toBeGreaterThan(0);
  expect(pexip.length, 'the sandbox has a Pexip meeting open now').toBeGreaterThan(0);
  const app = await launchWithPolicy(launchConsole, stack, testInfo);
  const guard = guardRequests(stack);
  const statusAtStart = statusReads(stack);
  try {
    await signIn(app, stack.idp.users[0]!);
    await expect(row(app.page, janus[0]!.uuid)).toBeVisible();
    // The first round (which buys the lobby watchers) is done.
    await expect
      .poll(() => janus.every((m) => guard.count('GET', `/v1/rooms/${m.room}/lobby`) > 0) && statusReads(stack) - statusAtStart >= 1, { timeout: ONE_INTERVAL })
      .toBe(true);
    const purchases = guard.count('POST', '/watcher');
    expect(purchases).toBe(janus.length);

    guard.clear();
    const statusBefore = statusReads(stack);
    const lookupsBefore = aliasLookups(stack);
    const tokensBefore = stack.pexip!.requestLog.filter((e) => e.path.endsWith('/request_token')).length;
    const idle = costWindow(INTERVAL_MS);
    // Until every open Janus meeting's lobby was read INTERVALS times (the Pexip meetings are asked in the same rounds).
    const lobbyReads = await until(
      () => {
        const reads = janus.map((m) => guard.count('GET', `/v1/rooms/${m.room}/lobby`));
        return reads.every((n) => n >= INTERVALS) && reads;
      },
      { what: `${INTERVALS} rounds`, timeoutMs: INTERVALS * ONE_INTERVAL },
    );
    const status = statusReads(stack) - statusBefore;
    const budget = idle.budget();
    testInfo.annotations.push({
      type: 'idle intervals',
      description: `lobby reads ${JSON.stringify(lobbyReads)}, Pexip status reads ${status} for ${pexip.length} open meeting(s), in ${idle.elapsedMs()} ms (budget ${budget} per meeting)`,
    });

    // At most one lobby read per open Janus meeting per interval, one status read per interval
    // for all the open Pexip meetings (one Management Node), however many there are.
    for (const reads of lobbyReads) expect(reads).toBeLessThanOrEqual(budget);
    expect(status).toBeLessThanOrEqual(budget);
    // And Pexip was asked in those rounds too (less the rounds at the window's edges, whose two reads straddle it).
    expect(status).toBeGreaterThanOrEqual(INTERVALS - 2);
    // Each meeting's VMR was resolved in the first round and not again (a meeting opening at a
    // minute's turn may add its own: at most the meetings open now).
    expect(aliasLookups(stack) - lookupsBefore).toBeLessThanOrEqual(Math.max(0, openMeetings(stack, 'pexip').length - pexip.length));
    // No second watcher bought, no PIN tried, no Pexip token asked for.
    expect(guard.count('POST', '/watcher')).toBe(0);
    expect(guard.count('POST', '/host')).toBe(0);
    expect(stack.pexip!.requestLog.filter((e) => e.path.endsWith('/request_token')).length).toBe(tokensBefore);

    // Diagnostics says the status account works, and never shows its password.
    await app.page.getByRole('button', { name: 'Diagnostics' }).click();
    const panel = app.page.getByTestId('diagnostics');
    await expect(panel.locator('[data-testid="reachability"][data-service="pexip-status"]')).toHaveAttribute('data-state', 'reachable');
    // Every open meeting's VMR was found and matched: no badge stays dark for a reason IT should hear of.
    await expect(panel.getByTestId('waiting-note')).toHaveCount(0);
    await expect(panel.locator('[data-testid="setting"][data-key="pexipStatusApi"]')).toHaveAttribute('data-locked', 'true');
    await expect(panel.locator('[data-testid="setting"][data-key="pexipStatusApi"]')).toContainText('(hidden)');
    expect(await panel.textContent()).not.toContain(stack.pexip!.statusApi.password);

    // Signed out: the watchers go back, and nothing more is asked.
    await app.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    await expect.poll(() => guard.count('DELETE', '/watcher')).toBe(janus.length);
    guard.clear();
    const statusAtSignOut = statusReads(stack);
    // Three intervals: a round would have come in one.
    await idleFor(3 * INTERVAL_MS);
    expect(guard.seen.filter((r) => r.path.endsWith('/lobby') || r.path.endsWith('/watcher'))).toEqual([]);
    expect(statusReads(stack)).toBe(statusAtSignOut);
  } finally {
    guard.stop();
  }
});
