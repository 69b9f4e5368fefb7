/**
 * The walking skeleton, end to end and all real: sign in with MSAL against the test IdP,
 * today's meetings from the VDX sandbox through the encrypted cache into the day view,
 * Join opens the call window, which hosts the meeting's room (on Janus, behind the guard); a guest joins with the
 * guest PIN and each side decodes the other's video.
 */
import { localDay } from '../../common/days';
import { expect, test } from './fixtures';
import { signIn } from './steps';
import { guestPageForSpec, consoleFrames, guestFramesFrom, guestUrl, meetingOnNow, openGuest, passCheck } from './call/call-steps';

const guests = guestPageForSpec();

test('sign in, see today, host a call in which guest and clinician see each other', async ({ consoleApp, stack, browser }) => {
  const app = consoleApp;
  await signIn(app, stack.idp.users[0]!);

  // Today's meetings from the sandbox, in the day view.
  const today = stack.vdx.meetingsOn(localDay(new Date()));
  const rows = app.page.getByTestId('meeting');
  await expect(rows).toHaveCount(today.length);
  for (const meeting of today) {
    await expect(app.page.locator(`[data-meeting-id="${meeting.uuid}"]`).getByTestId('meeting-subject')).toHaveText(meeting.subject);
  }

  // Join the first meeting that is open now: the call window hosts its room.
  const open = meetingOnNow(stack);
  const callWindow = app.waitForCallWindow();
  await app.page.locator(`[data-meeting-id="${open.uuid}"]`).getByRole('button', { name: /^Join/ }).click();
  const call = await callWindow;
  await passCheck(call);
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined');

  // A patient joins from a browser with the guest PIN.
  const guest = await openGuest(browser, guestUrl(guests, stack, open, 'Test Patient One', 'patient'));
  await guest.getByLabel('Meeting PIN').fill(open.guestPin);
  await guest.getByRole('button', { name: /join/i }).click();
  // The meeting has a lobby: the clinician lets the patient in.
  await call.getByTestId('waiting-guest').getByRole('button', { name: /^Admit/ }).click();

  // The clinician decodes the patient's video ...
  await expect(call.locator('[data-testid="remote-tile"][data-role="patient"]')).toBeVisible();
  await expect.poll(async () => Math.max(0, ...(await consoleFrames(call))), { timeout: 20_000 }).toBeGreaterThan(0);
  // ... and the patient decodes the clinician's.
  await expect.poll(async () => Math.max(0, ...(await guestFramesFrom(guest))), { timeout: 20_000 }).toBeGreaterThan(0);
});
