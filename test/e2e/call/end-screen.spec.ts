/**
 * The call window's end screen, against the real sandbox (VDX, Janus and the Pexip double):
 * a nurse books a follow-up of the visit that ended (it shows on its day in the day view,
 * booked only once VDX confirmed it) and invites the patient by text message at once, also for a
 * later date whose room VDX has not set up yet (and again from the day view's Invite); "meet now"
 * (from the end screen and from the day view) opens a joinable meeting at once; the next
 * patient is joined without the device check while the devices are unchanged, and with it
 * when a remembered device is gone; an account without booking rights is told so.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { localDay } from '../../../common/days';
import { canJoin } from '../../../common/meeting-status';
import { startSmsGateway, type SmsGatewayHandle } from '../../stack/sms/server';
import type { Stack } from '../../stack/stack';
import { expect, test, type ConsoleApp } from '../fixtures';
import { dayFromToday, showDay } from '../schedule-steps';
import { signIn } from '../steps';
import { hostMeeting, meetingOnNow, openMeeting, passCheck } from './call-steps';

let sms: SmsGatewayHandle;
test.beforeAll(async () => {
  sms = await startSmsGateway();
});
test.afterAll(() => sms?.stop());

/**
 * Each test leaves the worker's sandbox as it found it: what it booked (follow-ups, meet now)
 * is removed through the sandbox's own control API, so specs after this one (schedule-cost's
 * comparisons of today with the sandbox) see the day as seeded, whatever order they run in.
 */
let seeded = new Set<string>();
test.beforeEach(({ stack }) => {
  seeded = new Set(stack.vdx.allMeetings().map((m) => m.uuid));
});
test.afterEach(async ({ stack }) => {
  for (const m of stack.vdx.allMeetings()) if (!seeded.has(m.uuid)) await stack.vdx.deleteMeeting(m.uuid);
  expect(stack.vdx.allMeetings().map((m) => m.uuid).sort()).toEqual([...seeded].sort());
});

/** axe-core's serious and critical findings (WCAG 2.x A and AA), as accessibility.spec.ts reads them. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Leave, as the host does: the end screen shows how the call ended. */
async function leave(call: Page): Promise<void> {
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('alertdialog', { name: 'Leave the call?' }).getByRole('button', { name: 'Leave', exact: true }).click();
  const end = call.getByTestId('end-screen');
  await expect(end).toHaveAttribute('data-reason', 'user-left');
  await expect(end.getByRole('heading', { name: 'You left the call.' })).toBeFocused();
}

const subjectOf = (stack: Stack, uuid: string) => stack.vdx.allMeetings().find((m) => m.uuid === uuid)!.subject;

/** What the end screen should offer after `ended`: today's first meeting open now that starts no earlier (other specs may have added some). */
function expectedNext(stack: Stack, ended: string): string | null {
  const start = (uuid: string) => Date.parse(stack.vdx.allMeetings().find((m) => m.uuid === uuid)!.startTime);
  const open = stack.vdx
    .meetingsOn(localDay(new Date()))
    .filter((m) => {
      if (m.uuid === ended || Date.parse(m.startTime) < start(ended)) return false;
      const info = stack.vdx.schedulingInfo(m.uuid);
      if (info.provisionStatus !== 'PROVISIONED_OK') return false;
      const joinOpensAt = new Date(Date.parse(m.startTime) - info.vmrAvailableBefore * 60_000).toISOString();
      return canJoin({ startTime: m.startTime, endTime: m.endTime, joinOpensAt, joinable: true }, new Date());
    })
    .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime) || a.uuid.localeCompare(b.uuid));
  return open[0]?.uuid ?? null;
}
const row = (page: Page, subject: string) => page.getByTestId('meeting').filter({ hasText: subject });

/** One text message inviting the patient: to that number, the meeting's own link (the sandbox's portal link names its room), no PIN in the link. */
function expectInvitation(message: { to: string; text: string }, to: string, info: { uriWithDomain: string; guestPin?: number | undefined }): void {
  expect(message.to).toBe(to);
  expect(info.guestPin).toBeDefined();
  const link = new URL(/https?:\/\/\S+/.exec(message.text)?.[0] ?? 'invalid:');
  expect(link.searchParams.get('url')).toBe(info.uriWithDomain);
  expect(link.searchParams.has('pin')).toBe(false);
  expect(link.href).not.toContain(String(info.guestPin));
  // The PIN goes alongside, in the text (a forwarded link alone lets nobody in).
  expect(message.text).toContain(`Meeting PIN: ${info.guestPin}`);
}

async function expectJoinedWithoutCheck(call: Page, subject: string): Promise<void> {
  await expect(call.getByRole('heading', { level: 1, name: subject })).toBeVisible({ timeout: 30_000 });
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 30_000 });
  await expect(call.getByTestId('device-check')).toHaveCount(0);
}

test('a nurse books a follow-up from the end screen: booked once VDX confirmed, on its day in the day view, and the patient invited by text message', async ({
  launchConsole,
  stack,
}) => {
  const app = await launchConsole({ settings: { smsGatewayUrl: sms.url } });
  await signIn(app, stack.idp.users[1]!);
  const meeting = meetingOnNow(stack, 'janus');
  const subject = subjectOf(stack, meeting.uuid);
  const call = await hostMeeting(app, meeting);
  await leave(call);

  const end = call.getByTestId('end-screen');
  const form = end.getByRole('region', { name: 'Book a follow-up' });
  // The same subject as the visit that ended, and its length.
  await expect(form.getByLabel('What the visit is about')).toHaveValue(subject);
  await expect(form).toContainText('Length: 120 minutes');
  const day = dayFromToday(5);
  await form.getByLabel('Date').fill(day);
  await form.getByLabel('Time').fill('10:15');
  // VDX commits and the answer is lost: still one visit, and "booked" only after VDX confirmed it.
  stack.vdx.setWriteFault('commit-then-drop');
  await form.getByRole('button', { name: 'Book the follow-up' }).dblclick();
  await expect(end.getByTestId('end-booking')).toHaveAttribute('data-state', 'booked', { timeout: 30_000 });
  await expect(end.getByTestId('end-booking')).toContainText('Booked for');
  const booked = stack.vdx.meetingsOn(day).filter((m) => m.subject === subject);
  expect(booked).toHaveLength(1);
  expect(new Date(booked[0]!.startTime).getHours()).toBe(10);
  expect(new Date(booked[0]!.endTime).getTime() - new Date(booked[0]!.startTime).getTime()).toBe(120 * 60_000);

  // In the day view of its date, confirmed.
  await showDay(app.page, day);
  await expect(row(app.page, subject)).toHaveCount(1);
  await expect(row(app.page, subject)).toContainText('10:15');
  await expect(row(app.page, subject)).not.toHaveAttribute('data-pending', /.*/);

  // Its room is set up shortly before the visit, but VDX gave its address at booking: the
  // patient is invited at once, with the follow-up's own link (no PIN in it).
  const info = stack.vdx.schedulingInfo(booked[0]!.uuid);
  expect(info.provisionStatus).toBe('AWAITS_PROVISION');
  await expect(end.getByTestId('end-invite-later')).toHaveCount(0);
  const invite = end.getByRole('region', { name: 'Invite the patient to the follow-up' });
  await invite.getByLabel('Name').fill('Pat Example');
  await invite.getByLabel('Mobile number').fill('+45 20 00 00 07');
  const before = sms.sent.length;
  await invite.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(invite.getByTestId('end-invite-sent')).toBeVisible();
  expect(sms.sent).toHaveLength(before + 1);
  expectInvitation(sms.sent.at(-1)!, '+45 20 00 00 07', info);
  // Joining still waits for the room: the row of its date offers Invite, not Join.
  await expect(row(app.page, subject).getByRole('button', { name: /^Join/ })).toHaveCount(0);

  expect(await seriousViolations(call)).toEqual([]);
  // The keyboard goes from the heading through the end screen to Close window, never into the call behind it (inert).
  await end.getByRole('heading', { name: 'You left the call.' }).focus();
  const stops: string[] = [];
  for (let i = 0; i < 25 && stops.at(-1) !== 'Close window'; i++) {
    await call.keyboard.press('Tab');
    stops.push(
      await call.evaluate(() => {
        // The specs are type-checked without the DOM lib.
        type Focused = { tagName: string; textContent: string | null; closest(selector: string): unknown; getAttribute(name: string): string | null };
        const el = (globalThis as unknown as { document: { activeElement: Focused | null } }).document.activeElement;
        if (!el?.closest('[data-testid="end-screen"]')) return `outside: ${el?.tagName ?? 'none'}`;
        return el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
      }),
    );
  }
  expect(stops.at(-1)).toBe('Close window');
  expect(stops.filter((s) => s.startsWith('outside'))).toEqual([]);

  // Close: the window goes.
  const closed = call.waitForEvent('close');
  await end.getByRole('button', { name: 'Close window' }).click();
  await closed;

  // From the day view of that date, by keyboard: Invite on the follow-up's row (the nurse's own visit).
  const inviteButton = row(app.page, subject).getByRole('button', { name: 'Invite the patient to the visit at 10:15' });
  await inviteButton.focus();
  await app.page.keyboard.press('Enter');
  const dialog = app.page.getByRole('dialog', { name: /^Invite the patient to the visit on .+ at 10:15/ });
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await dialog.getByLabel('Name').fill('Pat Example');
  await dialog.getByLabel('Mobile number').fill('+45 20 00 00 08');
  const beforeDayView = sms.sent.length;
  await dialog.getByLabel('Mobile number').press('Enter');
  await expect(dialog.getByTestId('invite-sent')).toBeVisible();
  expect(sms.sent).toHaveLength(beforeDayView + 1);
  expectInvitation(sms.sent.at(-1)!, '+45 20 00 00 08', info);
  expect(await seriousViolations(app.page)).toEqual([]);
  await app.page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  // Still the one follow-up, not yet set up.
  expect(stack.vdx.meetingsOn(day).filter((m) => m.subject === subject)).toHaveLength(1);
  expect(stack.vdx.schedulingInfo(booked[0]!.uuid).provisionStatus).toBe('AWAITS_PROVISION');
});

test('a follow-up later today is invited to by text message: main writes it, the follow-up\'s own link, no PIN in the link', async ({ launchConsole, stack }) => {
  const app = await launchConsole({ settings: { smsGatewayUrl: sms.url } });
  await signIn(app, stack.idp.users[1]!);
  const meeting = meetingOnNow(stack, 'janus');
  const subject = subjectOf(stack, meeting.uuid);
  const call = await hostMeeting(app, meeting);
  await leave(call);
  const end = call.getByTestId('end-screen');
  const form = end.getByRole('region', { name: 'Book a follow-up' });
  // Five to ten minutes from now (the time field steps by five): its room opens at once (the template's lead time is longer).
  const step = 5 * 60_000;
  const at = new Date(Math.ceil((Date.now() + step) / step) * step);
  const pad = (n: number) => String(n).padStart(2, '0');
  await form.getByLabel('Date').fill(localDay(at));
  await form.getByLabel('Time').fill(`${pad(at.getHours())}:${pad(at.getMinutes())}`);
  await form.getByRole('button', { name: 'Book the follow-up' }).click();
  await expect(end.getByTestId('end-booking')).toHaveAttribute('data-state', 'booked', { timeout: 30_000 });
  const booked = stack.vdx.meetingsOn(localDay(at)).filter((m) => m.subject === subject && Date.parse(m.startTime) > Date.now());
  expect(booked).toHaveLength(1);

  const invite = end.getByRole('region', { name: 'Invite the patient to the follow-up' });
  await invite.getByLabel('Name').fill('Pat Example');
  await invite.getByLabel('Mobile number').fill('+45 20 00 00 09');
  const before = sms.sent.length;
  await invite.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(invite.getByTestId('end-invite-sent')).toBeVisible();
  expect(sms.sent).toHaveLength(before + 1);
  const text = sms.sent.at(-1)!;
  expect(text.to).toBe('+45 20 00 00 09');
  const info = stack.vdx.schedulingInfo(booked[0]!.uuid);
  expect(text.text).toContain(`Meeting PIN: ${info.guestPin}`);
  // The follow-up's room, not the ended meeting's (the sandbox's portal link names its alias), and no PIN in it.
  const link = new URL(/https?:\/\/\S+/.exec(text.text)?.[0] ?? 'invalid:');
  expect(link.searchParams.get('url')).toBe(info.uriWithDomain);
  expect(link.searchParams.has('pin')).toBe(false);
});

test('"meet now" opens a joinable meeting at once, from the day view and from the end screen', async ({ launchConsole, stack }) => {
  const app: ConsoleApp = await launchConsole();
  await signIn(app, stack.idp.users[1]!);
  const subject = 'Quick video check (invented)';
  const today = localDay(new Date());
  await showDay(app.page, today);
  await app.page.getByRole('button', { name: 'Book a visit' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Book a video visit' });
  await dialog.getByLabel('What the visit is about').fill(subject);
  const opened = app.waitForCallWindow();
  await dialog.getByRole('button', { name: 'Meet now' }).click();
  const call = await opened;
  await passCheck(call);
  await expect(call.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 30_000 });
  expect(stack.vdx.meetingsOn(today).filter((m) => m.subject === subject)).toHaveLength(1);

  // From its end screen: another visit now, with the ended one's subject, joined in the same window.
  await leave(call);
  const end = call.getByTestId('end-screen');
  await end.getByRole('button', { name: 'Meet now' }).click();
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 30_000 });
  await expect(call.getByTestId('end-screen')).toHaveCount(0);
  const made = stack.vdx.meetingsOn(today).filter((m) => m.subject === subject);
  expect(made).toHaveLength(2);
  for (const m of made) expect(Math.abs(Date.parse(m.startTime) - Date.now())).toBeLessThan(10 * 60_000);
});

test('the next patient is joined without the device check while the devices are unchanged, and with it when a remembered camera is gone', async ({
  launchConsole,
  stack,
}) => {
  const app = await launchConsole();
  await signIn(app, stack.idp.users[0]!);
  const first = meetingOnNow(stack, 'janus');
  const next = expectedNext(stack, first.uuid);
  expect(next, 'the sandbox seeds a meeting open now after the one in progress').not.toBeNull();
  const nextSubject = subjectOf(stack, next!);

  let call = await hostMeeting(app, first);
  await leave(call);
  const end = call.getByTestId('end-screen');
  await expect(end.getByTestId('end-next-meeting')).toContainText(nextSubject);
  await end.getByRole('button', { name: 'Join the next patient' }).click();
  await expectJoinedWithoutCheck(call, nextSubject);

  // After the last one open now, nothing earlier is offered again. Ended for everyone, so no
  // host stays in the locked Pexip room for the specs after this one.
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('button', { name: 'End for everyone' }).click();
  await expect(call.getByTestId('end-screen')).toHaveAttribute('data-reason', 'ended');
  const after = expectedNext(stack, next!);
  if (after === null) await expect(call.getByTestId('end-no-next')).toBeVisible();
  else await expect(call.getByTestId('end-next-meeting')).toContainText(subjectOf(stack, after));
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Close window' }).click();
  await closed;

  // A remembered camera that is no longer there: the next call shows the check first.
  call = await openMeeting(app, first);
  await passCheck(call);
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 30_000 });
  await leave(call);
  await call.evaluate(() =>
    (globalThis as unknown as { clinician: { invoke(c: string, r: unknown): Promise<unknown> } }).clinician.invoke('call.setDevices', { camera: 'camera-unplugged' }),
  );
  await call.getByRole('button', { name: 'Join the next patient' }).click();
  await expect(call.getByTestId('device-check')).toBeVisible({ timeout: 30_000 });
});

test('an account without booking rights is told so on the end screen, and nothing is booked', async ({ launchConsole, stack }) => {
  const app = await launchConsole();
  const reader = stack.idp.users.find((u) => u.username.startsWith('reader.'))!;
  await signIn(app, reader);
  const meeting = meetingOnNow(stack, 'janus');
  const subject = subjectOf(stack, meeting.uuid);
  const call = await hostMeeting(app, meeting);
  await leave(call);
  const end = call.getByTestId('end-screen');
  const day = dayFromToday(6);
  const form = end.getByRole('region', { name: 'Book a follow-up' });
  await form.getByLabel('Date').fill(day);
  await form.getByLabel('Time').fill('09:45');
  await form.getByRole('button', { name: 'Book the follow-up' }).click();
  await expect(end.getByTestId('end-no-rights')).toHaveText('Your account may not book visits. Ask your booking administrator.');
  await expect(end.getByRole('button', { name: 'Book the follow-up' })).toHaveCount(0);
  await expect(end.getByRole('button', { name: 'Meet now' })).toHaveCount(0);
  expect(stack.vdx.meetingsOn(day).filter((m) => m.subject === subject)).toHaveLength(0);
});
