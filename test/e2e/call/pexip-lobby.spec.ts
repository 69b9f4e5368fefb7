/**
 * Pexip: guests wait to be admitted. A Pexip room lets anyone with the guest PIN straight in
 * once a host's call has started the conference, so the console locks the meeting as the host
 * joins (from main, before the host's media starts it): a guest with the right PIN who comes
 * after the host waits in the lobby until the host admits them, as on Janus. The Lock control
 * shows the lock the node reports. `pexipLockOnHostJoin: false` leaves the room as Pexip has
 * it. (A participant the host dials is let past the lock: call.spec.ts dials the interpreter
 * into the locked meeting.)
 */
import type { Page } from '@playwright/test';
import type { Stack } from '../../stack/stack';
import { expect, test } from '../fixtures';
import { signIn } from '../steps';
import { guestPageForSpec, enterPin, guestUrl, hostMeeting, meetingOnNow, openGuest, WAITING, type OpenMeeting } from './call-steps';

const guests = guestPageForSpec();

test.describe.configure({ mode: 'serial' });
// Two browsers and a lobby per test.
test.setTimeout(120_000);

/** The host's call has started the conference: from now on an unlocked room lets guests straight in. */
async function expectConferenceStarted(stack: Stack, meeting: OpenMeeting): Promise<void> {
  await expect.poll(() => stack.pexip!.participants(meeting.uri).some((p) => p.role === 'chair' && p.hasMedia), { timeout: 30_000 }).toBe(true);
}

/** Where the node put a guest (by the name they gave): `waiting_room` or `conference`. */
function serviceTypeOf(stack: Stack, meeting: OpenMeeting, name: string): string | undefined {
  return stack.pexip!.participants(meeting.uri).find((p) => p.role === 'guest' && p.displayName === name)?.serviceType;
}

async function endForEveryone(call: Page): Promise<void> {
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('button', { name: 'End for everyone' }).click();
  await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
  await closed;
}

test('Pexip: a guest with the right PIN who arrives after the host waits in the lobby until admitted', async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole();
  await signIn(app, stack.idp.users[0]!);
  const meeting = meetingOnNow(stack, 'pexip');
  const call = await hostMeeting(app, meeting);

  // Nobody pressed Lock: the console locked the meeting as the host joined, and says so.
  await expect(call.getByRole('button', { name: 'Unlock meeting' })).toHaveAttribute('aria-pressed', 'true');
  await expect(call.getByTestId('locked-pill')).toBeVisible();
  expect(stack.pexip!.locked(meeting.uri)).toBe(true);
  await expectConferenceStarted(stack, meeting);

  // The patient has the right PIN and comes after the host: the node holds them in the lobby.
  const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Pat Example', 'patient'));
  await enterPin(patient, meeting.guestPin);
  await expect(patient.getByTestId('status')).toHaveText(WAITING, { timeout: 20_000 });
  expect(serviceTypeOf(stack, meeting, 'Pat Example')).toBe('waiting_room');
  const waiting = call.getByTestId('waiting-guest');
  await expect(waiting).toHaveText(/Pat Example \(Patient\) is waiting to join\./);
  // How long, from the participant's start_time the node reported (the guest came moments ago).
  await expect(waiting.getByTestId('waited')).toHaveAttribute('data-minutes', /^[01]$/);
  await expect(waiting.getByTestId('waited')).toHaveText(/^(under 1 min|1 min)$/);

  // Only the host's admission lets them in.
  await waiting.getByRole('button', { name: 'Admit Pat Example' }).click();
  await expect(patient.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });
  expect(serviceTypeOf(stack, meeting, 'Pat Example')).toBe('conference');
  await expect(call.getByTestId('waiting-guest')).toHaveCount(0);

  await endForEveryone(call);
});

test('Pexip: with pexipLockOnHostJoin off, the meeting stays open and a guest with the PIN walks in', async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole({ settings: { pexipLockOnHostJoin: false } });
  await signIn(app, stack.idp.users[0]!);
  const meeting = meetingOnNow(stack, 'pexip');
  const call = await hostMeeting(app, meeting);
  await expect(call.getByRole('button', { name: 'Lock meeting' })).toHaveAttribute('aria-pressed', 'false');
  expect(stack.pexip!.locked(meeting.uri)).toBe(false);
  await expectConferenceStarted(stack, meeting);

  const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Pat Example', 'patient'));
  await enterPin(patient, meeting.guestPin);
  await expect(patient.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });
  await expect(call.getByTestId('waiting-guest')).toHaveCount(0);

  await endForEveryone(call);
});
