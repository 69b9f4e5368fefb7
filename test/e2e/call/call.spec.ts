/**
 * The call window with real Janus, real Chromium guests and the console's main process:
 * three parties (host, patient, an interpreter invited through "Add participant"), the lobby
 * (admit, deny, wrong PIN), host powers through main (mute a participant's audio for
 * everybody, remove a participant, end for all), device switching, and a Janus restart.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { buildGuestPage, serveGuestPage, type GuestServer } from '../../stack/guest/build.mjs';
import { startSmsGateway, type SmsGatewayHandle } from '../../stack/sms/server';
import type { Stack } from '../../stack/stack';
import { expect, test, type ConsoleApp } from '../fixtures';
import { signIn } from '../steps';
import {
  consoleFrames,
  enterPin,
  expectAllDecoding,
  expectGrows,
  expectStaysFalse,
  expectStopsGrowing,
  guestFramesFrom,
  hostMeeting,
  knockAndAdmit,
  meetingOnNow,
  openGuest,
  type GuestWindow,
} from './call-steps';

let guests: GuestServer;
let sms: SmsGatewayHandle;

test.beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cc-guest-'));
  await buildGuestPage(dir);
  guests = await serveGuestPage(dir);
  sms = await startSmsGateway();
});
test.afterAll(async () => {
  await guests?.stop();
  await sms?.stop();
});

test.describe.configure({ mode: 'serial' });
// Several browsers, a lobby and a Janus restart per test: longer than the default 90 s.
test.setTimeout(180_000);

async function inviteThroughConsole(
  call: Page,
  role: string,
  name: string,
  opts: { language?: string; sms?: string } = {},
): Promise<{ link: string; pin: string }> {
  await call.getByRole('button', { name: 'Add participant' }).click();
  const dialog = call.getByTestId('add-participant');
  await dialog.getByLabel('Role').selectOption(role);
  await dialog.getByLabel('Name').fill(name);
  if (opts.language) await dialog.getByLabel('Language interpreted').fill(opts.language);
  await dialog.getByRole('button', { name: 'Create invitation' }).click();
  const link = (await dialog.getByTestId('invitation-link').textContent()) ?? '';
  const pin = (await dialog.getByTestId('invitation-pin').textContent()) ?? '';
  if (opts.sms) {
    await dialog.getByLabel('Mobile number').fill(opts.sms);
    await dialog.getByRole('button', { name: 'Send by text message' }).click();
    await expect(dialog.getByRole('button', { name: 'Text message sent' })).toBeVisible();
  }
  await dialog.getByRole('button', { name: 'Done' }).click();
  return { link, pin };
}

/** The clinician signs in and hosts the meeting on now; the patient knocks and is admitted. */
async function hostWithPatient(launchConsole: () => Promise<ConsoleApp>, stack: Stack, browser: Browser) {
  const app = await launchConsole();
  await signIn(app, stack.idp.users[0]!);
  const meeting = meetingOnNow(stack);
  const call = await hostMeeting(app, meeting);
  const patient = await openGuest(browser, guests.pageUrl({ server: stack.janus!.wsUrl, room: meeting.room, name: 'Pat Example', role: 'patient' }));
  await knockAndAdmit(call, patient, meeting.guestPin, 'Pat Example');
  return { app, meeting, call, patient };
}

/** The audio bytes a page receives from one participant (guest pages: by their role). */
async function guestAudioFrom(guest: Page, participantId: string): Promise<number> {
  const stats = await guest.evaluate(() => (globalThis as unknown as GuestWindow).guestStats());
  return stats.find((s) => s.participantId === participantId)?.audioBytesReceived ?? 0;
}

test('three parties with a lobby; the host mutes, removes and ends the meeting for all', async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole({ settings: { invitationBaseUrl: guests.url, smsGatewayUrl: sms.url } });
  await signIn(app, stack.idp.users[0]!);
  const meeting = meetingOnNow(stack);
  const call = await hostMeeting(app, meeting);
  const patientUrl = guests.pageUrl({ server: stack.janus!.wsUrl, room: meeting.room, name: 'Pat Example', role: 'patient' });

  // A wrong PIN is refused with a clear message, and the page lets the guest try again.
  const patient = await openGuest(browser, patientUrl);
  await enterPin(patient, '000000');
  await expect(patient.getByTestId('status')).toHaveText('Wrong PIN. Check the PIN and try again.');
  await expect(call.getByTestId('waiting-guest')).toHaveCount(0);

  // The patient waits in the lobby; the host sees name and role, and admits.
  await expect(call.getByTestId('waiting-guest')).toHaveCount(0);
  const patientWaiting = call.getByTestId('waiting-guest');
  await enterPin(patient, meeting.guestPin);
  await expect(patient.getByTestId('status')).toHaveText('Please wait, the host will let you in soon.');
  await expect(patientWaiting).toHaveText(/Pat Example \(Patient\) is waiting to join\./);
  await patientWaiting.getByRole('button', { name: 'Admit Pat Example' }).click();
  await expect(patient.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });

  // The interpreter is invited through "Add participant" and joins with that invitation.
  const invitation = await inviteThroughConsole(call, 'interpreter', 'Ina Example', { language: 'Arabic' });
  expect(invitation.pin).toBe(meeting.guestPin);
  expect(new URL(invitation.link).searchParams.get('role')).toBe('interpreter');
  expect(invitation.link).not.toContain(meeting.guestPin);
  const interpreter = await openGuest(browser, invitation.link);
  await knockAndAdmit(call, interpreter, invitation.pin, 'Ina Example (Arabic)');
  const interpreterTile = call.locator('[data-testid="remote-tile"][data-role="interpreter"]');
  await expect(interpreterTile.getByTestId('tile-role')).toHaveText('Interpreter');
  await expect(interpreterTile.getByTestId('tile-name')).toHaveText('Ina Example (Arabic)');

  // A second guest is denied and told so clearly.
  // ... sent by text message through the gateway IT configured (the stand-in records it).
  const relativeInvite = await inviteThroughConsole(call, 'relative', 'Rel Example', { sms: '+45 20 00 00 01' });
  expect(sms.sent).toEqual([{ to: '+45 20 00 00 01', text: expect.stringContaining(relativeInvite.link) }]);
  expect(sms.sent[0]!.text).toContain(`Meeting PIN: ${relativeInvite.pin}`);
  const relative = await openGuest(browser, relativeInvite.link);
  await enterPin(relative, relativeInvite.pin);
  await expect(relative.getByTestId('status')).toHaveText('Please wait, the host will let you in soon.');
  await call.getByTestId('waiting-guest').getByRole('button', { name: 'Deny Rel Example' }).click();
  await expect(relative.getByTestId('status')).toHaveText('The host did not let you in to this meeting.', { timeout: 20_000 });

  // Video decoded in every direction: each of the three sees the two others.
  await expectAllDecoding(() => consoleFrames(call), 2);
  await expectAllDecoding(() => guestFramesFrom(patient), 2);
  await expectAllDecoding(() => guestFramesFrom(interpreter), 2);

  // The host mutes the patient's audio: nobody receives it any more.
  const patientTile = call.locator('[data-testid="remote-tile"][data-role="patient"]');
  const patientId = (await patientTile.getAttribute('data-participant-id'))!;
  const consoleAudio = async () => Number(await patientTile.getAttribute('data-audio-bytes'));
  await expectGrows(consoleAudio);
  await expectGrows(() => guestAudioFrom(interpreter, patientId));
  await patientTile.getByRole('button', { name: 'Mute Pat Example for everyone' }).click();
  await expect(patientTile.getByRole('button', { name: 'Unmute Pat Example for everyone' })).toHaveAttribute('aria-pressed', 'true');
  await expectStopsGrowing(consoleAudio);
  await expectStopsGrowing(() => guestAudioFrom(interpreter, patientId));
  // ... while the patient's video still flows.
  await expectGrows(async () => Math.max(0, ...(await consoleFrames(call))));

  // The host removes the interpreter: their page says so, and their tile goes.
  await interpreterTile.getByRole('button', { name: 'Remove Ina Example (Arabic) from the meeting' }).click();
  await expect(interpreter.getByTestId('status')).toHaveText('You were removed from the meeting');
  await expect(call.getByTestId('remote-tile')).toHaveCount(1);

  // End for all: every guest page in the meeting says it ended; the call window closes.
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('button', { name: 'End for everyone' }).click();
  await expect(patient.getByTestId('status')).toHaveText('The meeting has ended');
  await closed;
});

test('camera and microphone switch mid-call, and the call survives a Janus restart', async ({ launchConsole, stack, browser }) => {
  const { app, meeting, call, patient } = await hostWithPatient(launchConsole, stack, browser);
  await expectAllDecoding(() => consoleFrames(call), 1);
  await expectAllDecoding(() => guestFramesFrom(patient), 1);

  // Switch the microphone (Chromium's fake devices offer three audio inputs but only one
  // camera, so the camera is switched only where a second one exists): the patient keeps
  // receiving the clinician's audio and video.
  let chosenMicrophone = '';
  const hostId = await patient.evaluate(async () => (await (globalThis as unknown as GuestWindow).guestStats())[0]!.participantId);
  for (const select of ['microphone-select', 'camera-select']) {
    const options = await call.getByTestId(select).locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    const current = await call.getByTestId(select).inputValue();
    const other = options.find((o) => o !== current);
    if (select === 'microphone-select') expect(other, 'a second microphone to switch to').toBeDefined();
    if (!other) continue;
    if (select === 'microphone-select') chosenMicrophone = other;
    await call.getByTestId(select).selectOption(other);
    await expect(call.getByTestId(select)).toHaveValue(other);
    await expect(call.getByText('That device could not be started. The previous one is still in use.')).toHaveCount(0);
    await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined');
  }
  await expectGrows(() => guestAudioFrom(patient, hostId));
  await expectGrows(async () => Math.max(0, ...(await guestFramesFrom(patient))));
  await expect(call.getByText('That device could not be started. The previous one is still in use.')).toHaveCount(0);

  // The host mutes the patient's audio before the restart: Janus forgets that, the console not.
  const patientTile = call.locator('[data-testid="remote-tile"][data-role="patient"]');
  const consoleAudio = async () => Number(await patientTile.getAttribute('data-audio-bytes'));
  await expectGrows(consoleAudio);
  await patientTile.getByRole('button', { name: 'Mute Pat Example for everyone' }).click();
  await expectStopsGrowing(consoleAudio);

  // Janus restarts (a crash): the window says Reconnecting and comes back with the guest's video.
  await stack.janus!.restart();
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'reconnecting');
  await expect(call.getByTestId('call-state')).toHaveText('Reconnecting…');
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 20_000 });
  await expect(patient.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });
  await expectAllDecoding(() => consoleFrames(call), 1);
  await expectAllDecoding(() => guestFramesFrom(patient), 1);
  // ... and the patient stays muted; lifting the mute lets their audio through again.
  await expectStopsGrowing(consoleAudio);
  await patientTile.getByRole('button', { name: 'Unmute Pat Example for everyone' }).click();
  await expectGrows(consoleAudio);

  // Leaving and joining again: the microphone chosen before is remembered (by main).
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('dialog', { name: 'Leave the call?' }).or(call.getByRole('alertdialog', { name: 'Leave the call?' })).getByRole('button', { name: 'Leave', exact: true }).click();
  await closed;
  const again = await hostMeeting(app, meeting);
  await expect(again.getByTestId('microphone-select')).toHaveValue(chosenMicrophone);
});

test('closing the call window leaves the meeting, and the main window asks whether to end it for everyone', async ({ launchConsole, stack, browser }) => {
  const { app, call, patient } = await hostWithPatient(launchConsole, stack, browser);

  // The host closes the window (not Leave): the patient sees the host gone ...
  await call.close();
  await expect(patient.getByTestId('status')).toHaveText('Waiting for the host', { timeout: 20_000 });
  // ... and the main window asks; ending for everyone ends the patient's meeting.
  const ask = app.page.getByTestId('end-after-close');
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'End for everyone' }).click();
  await expect(ask).toBeHidden();
  await expect(patient.getByTestId('status')).toHaveText('The meeting has ended');
});

test('the host sees who speaks, whose camera is off and whose video is poor; the host\'s own camera goes off for all', async ({
  launchConsole,
  stack,
  browser,
}) => {
  const { call, patient } = await hostWithPatient(launchConsole, stack, browser);
  await expectAllDecoding(() => consoleFrames(call), 1);
  const tile = call.locator('[data-testid="remote-tile"][data-role="patient"]');

  // Active speaker: the patient's microphone (Chromium's synthetic one beeps) lights their tile ...
  await expect(tile).toHaveAttribute('data-speaking', 'true', { timeout: 20_000 });
  // ... and not once they mute themselves.
  await patient.getByRole('button', { name: 'Mute microphone' }).click();
  await expectStaysFalse(async () => (await tile.getAttribute('data-speaking')) === 'true');

  // The patient turns the camera off: the tile says so, and that is no quality problem.
  await patient.getByRole('button', { name: 'Turn camera off' }).click();
  await expect(tile).toHaveAttribute('data-video', 'off', { timeout: 15_000 });
  await expect(tile.getByText('No video')).toBeVisible();
  await expectStaysFalse(async () => (await tile.getAttribute('data-quality')) === 'poor');
  await patient.getByRole('button', { name: 'Turn camera on' }).click();
  await expect(tile).toHaveAttribute('data-video', 'on', { timeout: 15_000 });

  // The patient's video drops to 2 frames a second: a visible warning, gone when it recovers.
  await patient.evaluate(() => (globalThis as unknown as GuestWindow).guestLimitFrameRate(2));
  await expect(tile.getByTestId('quality-warning')).toBeVisible({ timeout: 15_000 });
  await expect(tile.getByTestId('quality-warning')).toContainText('Poor connection');
  await patient.evaluate(() => (globalThis as unknown as GuestWindow).guestLimitFrameRate(30));
  await expect(tile.getByTestId('quality-warning')).toHaveCount(0, { timeout: 15_000 });

  // The host's camera off: the patient receives no more video from the host; on again, it flows.
  const patientSeesHost = async () => Math.max(0, ...(await guestFramesFrom(patient)));
  await call.getByRole('button', { name: 'Turn camera off' }).click();
  await expect(call.getByTestId('self-no-video')).toBeVisible();
  await expectStopsGrowing(patientSeesHost);
  await call.getByRole('button', { name: 'Turn camera on' }).click();
  await expect(call.getByTestId('self-no-video')).toHaveCount(0);
  await expectGrows(patientSeesHost);
});
