/**
 * "Running late", end to end on the real stack: the clinician invites the patient by SMS from
 * the call window (the SMS gateway's stand-in receives it), leaves the call (the meeting goes
 * on), the patient waits; from the day view's row the clinician says "10 minutes late" and
 *   - on Janus the patient's waiting page shows it (the room guard's lobby notice), and the
 *     gateway receives exactly one more message, to the invited number, naming nobody;
 *   - on Pexip the gateway receives it too, and the console says the room cannot be told
 *     (Pexip's waiting room takes no host message: running-late.ts).
 * From the call window's lobby it reaches the waiting page the same way. Afterwards no file in
 * the console's profile holds the number in plain text (the encrypted cache only); the privacy
 * audit searches every log and file the suite wrote for it as well (privacy-manifest.ts).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { GuestServer } from '../stack/guest/build.mjs';
import { startSmsGateway, type SmsGatewayHandle } from '../stack/sms/server';
import { consolePolicyFor } from '../stack/stack';
import { closeGuests, enterPin, guestUrl, hostMeeting, meetingOnNow, openGuest, startGuestPageOn, WAITING, type Platform } from './call/call-steps';
import { SHORT_INTERVAL_MS } from './cost-steps';
import { expect, test } from './fixtures';
import { signIn } from './steps';

let guests: GuestServer;
let sms: SmsGatewayHandle;

test.beforeAll(async ({ stack }) => {
  guests = await startGuestPageOn(stack);
  sms = await startSmsGateway();
});
test.afterEach(closeGuests);
test.afterAll(async () => {
  await guests?.stop();
  await sms?.stop();
});

test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** "Add participant" in the call window: an invitation for the patient, sent by SMS to `number`. */
async function inviteBySms(call: Page, name: string, number: string): Promise<void> {
  await call.getByRole('button', { name: 'Add participant' }).click();
  const dialog = call.getByTestId('add-participant');
  const byInvitation = dialog.getByRole('radio', { name: 'Send an invitation' });
  if ((await byInvitation.count()) > 0) await byInvitation.check();
  await dialog.getByLabel('Role').selectOption('patient');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create invitation' }).click();
  await dialog.getByLabel('Mobile number').fill(number);
  await dialog.getByRole('button', { name: 'Send by text message' }).click();
  await expect(dialog.getByRole('button', { name: 'Text message sent' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
}

/** Ends the meeting for everyone: the guest waiting goes too, so the next spec finds the lobby empty. */
async function endForEveryone(call: Page): Promise<void> {
  await leaveThenClose(call, 'End for everyone');
}

async function leaveCall(call: Page): Promise<void> {
  await leaveThenClose(call, 'Leave');
}

/** Leave or End, then the end screen's Close window (the window stays for the end screen). */
async function leaveThenClose(call: Page, how: 'Leave' | 'End for everyone'): Promise<void> {
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('button', { name: how, exact: true }).click();
  await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
  await closed;
}

const NUMBERS: Record<Platform, string> = { janus: '+45 20 00 00 17', pexip: '+45 20 00 00 18' };

for (const platform of ['janus', 'pexip'] as const) {
  test(`on ${platform === 'pexip' ? 'Pexip Infinity' : 'Janus'}: "Running late" from the day view texts the invited number once, naming nobody${platform === 'janus' ? ', and shows on the waiting page' : ''}`, async ({
    launchConsole,
    stack,
    browser,
  }, testInfo) => {
    // IT's policy for this stack: the Pexip double's status account (the Pexip badge needs it).
    const policy = testInfo.outputPath('policy.json');
    writeFileSync(policy, JSON.stringify(consolePolicyFor(stack)));
    const app = await launchConsole({
      settings: { invitationBaseUrl: guests.url, smsGatewayUrl: sms.url },
      env: { CLINICIAN_CONSOLE_POLICY: policy },
      syncIntervalMs: SHORT_INTERVAL_MS,
    });
    await signIn(app, stack.idp.users[0]!);
    const meeting = meetingOnNow(stack, platform);
    const number = NUMBERS[platform];

    // The invitation by SMS, from the call window; then the clinician leaves (the meeting goes on).
    const call = await hostMeeting(app, meeting);
    await inviteBySms(call, 'Noor Example', number);
    expect(sms.sent.filter((m) => m.to === number)).toHaveLength(1);
    await leaveCall(call);

    // The patient waits; the day view's row shows it with the minutes.
    const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Noor Example', 'patient'));
    await enterPin(patient, meeting.guestPin);
    await expect(patient.getByTestId('status')).toHaveText(WAITING, { timeout: 20_000 });
    const row = app.page.locator(`[data-meeting-id="${meeting.uuid}"]`);
    await expect(row.getByTestId('meeting-waiting-text')).toHaveText(/^Patient waiting · (under 1 min|\d+ min)$/, { timeout: 20_000 });

    // "Running late", 10 minutes: by keyboard-reachable buttons with their own names.
    const late = row.getByTestId('running-late');
    await late.getByRole('button', { name: /^Running late for the appointment at/ }).click();
    await late.getByRole('button', { name: 'Running 10 minutes late' }).click();
    const result = late.getByTestId('late-result');
    if (platform === 'janus') {
      await expect(result).toHaveText('Text message sent to 1 number. Shown in the waiting room.');
      await expect(patient.getByTestId('host-notice')).toHaveText(/about 10 minutes late/);
      await expect(patient.getByTestId('status')).toHaveText(WAITING);
    } else {
      await expect(result).toHaveText('Text message sent to 1 number. This video service cannot show a message in its waiting room.');
    }
    // Exactly one more message, to the invited number, in the invitation's language, naming nobody.
    const toPatient = sms.sent.filter((m) => m.to === number);
    expect(toPatient).toHaveLength(2);
    expect(toPatient[1]!.text).toBe('Your video appointment will start about 10 minutes late. Please stay in the waiting room: you will be let in as soon as possible.');
    for (const name of ['Noor', 'Example', stack.idp.users[0]!.name]) expect(toPatient[1]!.text).not.toContain(name);

    if (platform === 'janus') {
      // From the call window's lobby too: the waiting page shows the newer word.
      const again = await hostMeeting(app, meeting);
      const lobby = again.getByTestId('lobby');
      await expect(lobby.getByTestId('waiting-guest')).toHaveCount(1, { timeout: 20_000 });
      await expect(lobby.getByTestId('waited')).toHaveAttribute('data-minutes', /^\d+$/);
      await lobby.getByRole('button', { name: 'Running late: tell those waiting' }).click();
      await lobby.getByRole('button', { name: 'Running 15 minutes late' }).click();
      await expect(lobby.getByTestId('late-result')).toHaveText('Text message sent to 1 number. Shown in the waiting room.');
      await expect(patient.getByTestId('host-notice')).toHaveText(/about 15 minutes late/);
      expect(sms.sent.filter((m) => m.to === number)).toHaveLength(3);
      await endForEveryone(again);
    } else {
      await endForEveryone(await hostMeeting(app, meeting));
    }

    // At rest: the number is in no file of the profile in plain text (only the encrypted database holds it).
    const dir = app.userDataDir;
    await app.close();
    const files = filesUnder(dir);
    expect(files.some((f) => /schedule\.db$/.test(f))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const form of [number, number.replace(/\s/g, ''), number.replace(/\D/g, '')]) {
        for (const needle of [Buffer.from(form, 'utf8'), Buffer.from(form, 'utf16le')]) {
          expect(bytes.includes(needle), `${file.slice(dir.length)} holds the invited number in plain text`).toBe(false);
        }
      }
    }
  });
}
