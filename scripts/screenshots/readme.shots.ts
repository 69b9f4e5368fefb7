/**
 * The README's screenshots, made from the embedded sandbox (invented people and meetings
 * only): the day view, the device check before a call, a call on Janus with a patient and an
 * interpreter and the chat open, and the compact layout of the installed app's mini view.
 * Written to docs/screenshots/*.png. Run with `npm run screenshots` (it builds first).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startGuestPage, type GuestServer } from '../../test/stack/guest/build.mjs';
import {
  closeGuests,
  consoleFrames,
  expectAllDecoding,
  guestFramesFrom,
  guestUrl,
  knockAndAdmit,
  meetingOnNow,
  openGuest,
  openMeeting,
  passCheck,
} from '../../test/e2e/call/call-steps';
import { expect, test } from '../../test/e2e/fixtures';
import { expectSandboxDay, today } from '../../test/e2e/schedule-steps';
import { IDENTITY_CODE } from '../../test/stack/vdx/seed';
import { signIn } from '../../test/e2e/steps';

const OUT = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const SIZE = { width: 1280, height: 800 };

let guests: GuestServer;
test.beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  guests = await startGuestPage();
});
test.afterAll(async () => {
  await closeGuests();
  await guests?.stop();
});

/** A picture without the blinking text cursor, once nothing moves but video. */
async function shoot(page: Page, name: string): Promise<void> {
  // The specs are type-checked without the DOM lib: the page's own objects, loosely typed.
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
  await page.screenshot({ path: join(OUT, `${name}.png`), animations: 'disabled', caret: 'hide' });
  console.log(`docs/screenshots/${name}.png`);
}

test('README screenshots', async ({ launchConsole, stack, browser }) => {
  // The sandbox puts invented identity numbers in some subjects (for the privacy audit):
  // invented or not, a README picture shows none.
  for (const m of stack.vdx.meetingsOn(today())) {
    const plain = m.subject.replace(IDENTITY_CODE, '').trim();
    if (plain !== m.subject) stack.vdx.updateMeeting(m.uuid, { subject: plain });
  }
  const app = await launchConsole();
  await app.page.setViewportSize(SIZE);
  await signIn(app, stack.idp.users[0]!);
  await expectSandboxDay(app.page, stack, today());
  await expect(app.page.getByTestId('now-marker')).toBeVisible();
  await shoot(app.page, 'day-view');

  // The check before joining, every item answered.
  const meeting = meetingOnNow(stack, 'janus');
  const call = await openMeeting(app, meeting);
  await call.setViewportSize(SIZE);
  for (const item of ['check-camera', 'check-microphone', 'check-server', 'check-media']) {
    await expect(call.getByTestId(item)).toHaveAttribute('data-state', 'ok');
  }
  await shoot(call, 'device-check');

  // A call with a patient and an interpreter, a message in the chat.
  await passCheck(call);
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined');
  const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Pat Example', 'patient'));
  await knockAndAdmit(call, patient, meeting.guestPin, 'Pat Example');
  const interpreter = await openGuest(browser, guestUrl(guests, stack, meeting, 'Ina Example', 'interpreter'));
  await knockAndAdmit(call, interpreter, meeting.guestPin, 'Ina Example');
  await expectAllDecoding(() => consoleFrames(call), 2);
  await expectAllDecoding(() => guestFramesFrom(interpreter), 2);
  await interpreter.getByLabel('Message').fill('The patient asks whether the new dose is taken with food.');
  await interpreter.getByRole('button', { name: 'Send' }).click();
  await expect(call.getByTestId('chat-unread')).toHaveText('1');
  await call.getByRole('button', { name: /^Chat/ }).click();
  await call.getByLabel('Message', { exact: true }).fill('Yes, with breakfast.');
  await call.keyboard.press('Enter');
  await expect(interpreter.getByTestId('chat-log')).toContainText('Yes, with breakfast.');
  await shoot(call, 'call');

  // The installed app's mini view is this small: the same window, laid out compactly.
  await call.setViewportSize({ width: 360, height: 240 });
  await expect(call.getByRole('button', { name: 'Back to the call' })).toBeVisible();
  await shoot(call, 'call-mini-view');
});
