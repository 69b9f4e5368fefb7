/**
 * The call window with real conference servers (Debian's Janus behind the room guard, and
 * the Pexip Infinity double with its werift media relay), real Chromium guests and the
 * console's main process. One list of tests runs on both providers: the lobby (wrong PIN,
 * admit, deny), a third party added through "Add participant" (Pexip: dialled at its SIP
 * address; Janus: invited), the host's powers through main (mute a participant for
 * everybody, remove, end for all), closing the window; then what only one server does:
 * a wrong host PIN and the PIN lockout (Pexip), device switching, a Janus restart and the
 * speaker and quality cues of Janus's tiles. Issue 13 adds, on both: the device and
 * connection check before joining (a live preview, a moving level for Chromium's fake
 * microphone, the server answering or not, "skip next time"), the chat both ways with its
 * unread count, and the keyboard shortcuts.
 */
import { createServer } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import type { GuestServer } from '../../stack/guest/build.mjs';
import { startSmsGateway, type SmsGatewayHandle } from '../../stack/sms/server';
import { consoleSettingsFor, type Stack } from '../../stack/stack';
import { expect, test, type ConsoleApp } from '../fixtures';
import { signIn } from '../steps';
import {
  closeGuests,
  consoleAudio,
  consoleFrames,
  dialInterpreterEndpoint,
  enterPin,
  expectAllDecoding,
  expectGrows,
  expectStaysFalse,
  expectStopsGrowing,
  guestAudio,
  guestFramesFrom,
  guestUrl,
  hostMeeting,
  knockAndAdmit,
  meetingOnNow,
  openGuest,
  openMeeting,
  passCheck,
  startGuestPageOn,
  WAITING,
  type GuestWindow,
  type OpenMeeting,
  type Platform,
} from './call-steps';

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
// Several browsers, a lobby and a server restart per test: longer than the default 90 s.
test.setTimeout(180_000);

async function openAddParticipant(call: Page) {
  await call.getByRole('button', { name: 'Add participant' }).click();
  return call.getByTestId('add-participant');
}

async function inviteThroughConsole(call: Page, role: string, name: string, opts: { sms?: string } = {}): Promise<{ link: string; pin: string }> {
  const dialog = await openAddParticipant(call);
  const byInvitation = dialog.getByRole('radio', { name: 'Send an invitation' });
  if ((await byInvitation.count()) > 0) await byInvitation.check();
  await dialog.getByLabel('Role').selectOption(role);
  await dialog.getByLabel('Name').fill(name);
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

/** A third party in the call, whichever way they came in, as a test sees them. */
interface ThirdParty {
  /** Frames they decoded of the meeting's video. */
  frames(): Promise<number>;
  /** What their page says once the host removed them. */
  expectRemoved(): Promise<void>;
}

/** Pexip: "Add participant" calls the interpreter's SIP address; the endpoint rings and answers. */
async function dialInterpreter(call: Page, stack: Stack, browser: Browser): Promise<ThirdParty> {
  const endpoint = await dialInterpreterEndpoint(call, stack, browser, 'interpreter.arabic@relay.sandbox.test');
  const state = () => endpoint.evaluate(() => (globalThis as unknown as { __endpoint: { state: string } }).__endpoint.state);
  await expect.poll(state, { timeout: 30_000 }).toBe('in-call');
  expect(await endpoint.evaluate(() => (globalThis as unknown as { __endpoint: { caller: { role: string } | null } }).__endpoint.caller?.role)).toBe('GUEST');
  return {
    frames: () => endpoint.evaluate(() => (globalThis as unknown as { __endpoint: { framesDecoded(): Promise<number> } }).__endpoint.framesDecoded()),
    async expectRemoved() {
      await expect.poll(state, { timeout: 20_000 }).toBe('ended');
      const reason = await endpoint.evaluate(() => (globalThis as unknown as { __endpoint: { endReason: string | null } }).__endpoint.endReason);
      expect(reason).toBe('Disconnected by another participant');
    },
  };
}

/** Janus: "Add participant" makes an invitation; the interpreter opens it, types name and PIN, and is admitted. */
async function inviteInterpreter(call: Page, browser: Browser, meeting: OpenMeeting): Promise<ThirdParty> {
  const invitation = await inviteThroughConsole(call, 'interpreter', 'Ina Example');
  expect(invitation.pin).toBe(meeting.guestPin);
  expect(new URL(invitation.link).searchParams.get('role')).toBe('interpreter');
  expect(invitation.link).not.toContain(meeting.guestPin);
  expect(invitation.link).not.toContain('Ina');
  const page = await openGuest(browser, invitation.link);
  await knockAndAdmit(call, page, invitation.pin, 'Ina Example', 'Ina Example');
  return {
    frames: async () => Math.max(0, ...(await guestFramesFrom(page))),
    expectRemoved: () => expect(page.getByTestId('status')).toHaveText('You were removed from the meeting'),
  };
}

/** The clinician signs in and hosts the meeting on now; the patient knocks and is admitted. */
async function hostWithPatient(launchConsole: () => Promise<ConsoleApp>, stack: Stack, browser: Browser, platform: Platform) {
  const app = await launchConsole();
  await signIn(app, stack.idp.users[0]!);
  const meeting = meetingOnNow(stack, platform);
  const call = await hostMeeting(app, meeting);
  if (platform === 'pexip') await expectLockedOnJoin(call);
  const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Pat Example', 'patient'));
  await knockAndAdmit(call, patient, meeting.guestPin, 'Pat Example');
  return { app, meeting, call, patient };
}

/** Pexip lets guests straight in while a host is there, so the console locks the meeting as the host joins. */
async function expectLockedOnJoin(call: Page): Promise<void> {
  await expect(call.getByRole('button', { name: 'Unlock meeting' })).toHaveAttribute('aria-pressed', 'true');
}

for (const platform of ['pexip', 'janus'] as const) {
  test.describe(`on ${platform === 'pexip' ? 'Pexip Infinity' : 'Janus'}`, () => {
    test('the patient waits and is admitted, an interpreter is added, the host mutes, removes and ends the meeting for all', async ({
      launchConsole,
      stack,
      browser,
    }) => {
      const app = await launchConsole({ settings: { invitationBaseUrl: guests.url, smsGatewayUrl: sms.url } });
      await signIn(app, stack.idp.users[0]!);
      const meeting = meetingOnNow(stack, platform);
      const call = await hostMeeting(app, meeting);
      if (platform === 'pexip') {
        await expectLockedOnJoin(call);
        expect(stack.pexip!.locked(meeting.uri)).toBe(true);
      }

      // A wrong PIN is refused with a clear message, and the page lets the guest try again.
      const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Pat Example', 'patient'));
      await enterPin(patient, '00000000');
      await expect(patient.getByTestId('status')).toHaveText('Wrong PIN. Check the PIN and try again.');
      await expect(call.getByTestId('waiting-guest')).toHaveCount(0);

      // The patient waits; the host sees name and role (no more), and admits.
      await enterPin(patient, meeting.guestPin);
      await expect(patient.getByTestId('status')).toHaveText(WAITING);
      const waiting = call.getByTestId('waiting-guest');
      await expect(waiting).toHaveText(/Pat Example \(Patient\) is waiting to join\./);
      await waiting.getByRole('button', { name: 'Admit Pat Example' }).click();
      await expect(patient.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });

      // Each decodes the other's video.
      await expectAllDecoding(() => consoleFrames(call), 1);
      await expectAllDecoding(() => guestFramesFrom(patient), 1);

      // The host mutes the patient for everybody: the patient's audio stops reaching the
      // console (the only other party now; received bytes in getStats), video goes on.
      const patientTile = call.locator('[data-testid="remote-tile"][data-role="patient"]');
      const heard = () => consoleAudio(call, 'patient');
      await expectGrows(heard);
      await patientTile.getByRole('button', { name: 'Mute Pat Example for everyone' }).click();
      await expect(patientTile.getByRole('button', { name: 'Unmute Pat Example for everyone' })).toHaveAttribute('aria-pressed', 'true');
      await expectStopsGrowing(heard);
      if (platform === 'pexip') {
        const patientId = (await patientTile.getAttribute('data-participant-id'))!;
        expect(stack.pexip!.participants(meeting.uri).find((p) => p.uuid === patientId)?.isMuted).toBe(true);
        expect(stack.pexip!.media(meeting.uri).legs.filter((l) => l.audioFrom === patientId)).toEqual([]);
      }
      await expectGrows(async () => Math.max(0, ...(await consoleFrames(call))));
      await patientTile.getByRole('button', { name: 'Unmute Pat Example for everyone' }).click();
      await expectGrows(heard);

      // A relative invited by text message (through the gateway IT configured) is denied.
      const relativeInvite = await inviteThroughConsole(call, 'relative', 'Rel Example', { sms: '+45 20 00 00 01' });
      expect(sms.sent.at(-1)).toEqual({ to: '+45 20 00 00 01', text: expect.stringContaining(relativeInvite.link) });
      expect(sms.sent.at(-1)!.text).toContain(`Meeting PIN: ${relativeInvite.pin}`);
      expect(new URL(relativeInvite.link).searchParams.get('provider')).toBe(platform);
      const relative = await openGuest(browser, relativeInvite.link);
      await enterPin(relative, relativeInvite.pin, 'Rel Example');
      await expect(relative.getByTestId('status')).toHaveText(WAITING);
      await call.getByTestId('waiting-guest').getByRole('button', { name: 'Deny Rel Example' }).click();
      await expect(relative.getByTestId('status')).toHaveText('The host did not let you in to this meeting.', { timeout: 20_000 });
      await expect(call.getByTestId('waiting-guest')).toHaveCount(0);

      // "Add participant" brings in an interpreter: its tile says the role.
      const interpreter = platform === 'pexip' ? await dialInterpreter(call, stack, browser) : await inviteInterpreter(call, browser, meeting);
      const interpreterTile = call.locator('[data-testid="remote-tile"][data-role="interpreter"]');
      await expect(interpreterTile.getByTestId('tile-role')).toHaveText('Interpreter', { timeout: 20_000 });
      await expect(interpreterTile.getByTestId('tile-name')).toHaveText('Ina Example');
      await expect.poll(interpreter.frames, { timeout: 30_000 }).toBeGreaterThan(0);

      // The host removes the interpreter: their side says so, and their tile goes.
      await interpreterTile.getByRole('button', { name: 'Remove Ina Example from the meeting' }).click();
      await interpreter.expectRemoved();
      await expect(call.getByTestId('remote-tile')).toHaveCount(1);

      // End for all: the patient's page says the meeting ended; the call window closes.
      const closed = call.waitForEvent('close');
      await call.getByRole('button', { name: 'Leave call' }).click();
      await call.getByRole('button', { name: 'End for everyone' }).click();
      await expect(patient.getByTestId('status')).toHaveText('The meeting has ended');
      await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
      await closed;
      if (platform === 'pexip') expect(stack.pexip!.participants(meeting.uri)).toEqual([]);
    });

    test('closing the call window leaves the meeting, and the main window asks whether to end it for everyone', async ({ launchConsole, stack, browser }) => {
      const { app, call, patient } = await hostWithPatient(launchConsole, stack, browser, platform);

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

    test('the check before joining shows the camera live, the microphone level moving and the server answering; "skip next time" is remembered', async ({
      launchConsole,
      stack,
    }) => {
      const app = await launchConsole();
      await signIn(app, stack.idp.users[0]!);
      const meeting = meetingOnNow(stack, platform);
      const call = await openMeeting(app, meeting);
      const check = call.getByTestId('device-check');
      await expect(check.getByRole('heading', { name: 'Check your camera, microphone and connection' })).toBeVisible();

      // The camera's picture is live: frames keep coming (Chromium's fake camera).
      const preview = check.getByTestId('check-preview');
      const videoTime = () => preview.evaluate((v) => (v as unknown as { currentTime: number }).currentTime);
      await expect.poll(() => preview.evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)).toBeGreaterThan(0);
      await expectGrows(videoTime);

      // The microphone's level moves (the fake microphone beeps): several levels, some loud.
      const seen = new Set<number>();
      await expect
        .poll(
          async () => {
            seen.add(Number(await check.getByTestId('check-level').getAttribute('data-level')));
            return seen.size >= 3 && Math.max(...seen) > 0.1 && Math.min(...seen) < Math.max(...seen);
          },
          { timeout: 20_000, intervals: [100] },
        )
        .toBe(true);

      // Everything answers: camera, microphone, the conference server (asked by main) and the media loopback.
      for (const item of ['check-camera', 'check-microphone', 'check-server', 'check-media']) {
        await expect(check.getByTestId(item)).toHaveAttribute('data-state', 'ok', { timeout: 20_000 });
      }
      await expect(check.getByTestId('check-server')).toContainText('The video server answers.');

      // "Skip this check next time": the next call on this workstation goes straight in.
      await check.getByLabel('Skip this check next time on this computer').check();
      await check.getByRole('button', { name: 'Join the call' }).click();
      await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 30_000 });
      const closed = call.waitForEvent('close');
      await call.getByRole('button', { name: 'Leave call' }).click();
      await call.getByRole('alertdialog', { name: 'Leave the call?' }).getByRole('button', { name: 'Leave', exact: true }).click();
      await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
      await closed;

      const again = await openMeeting(app, meeting);
      await expect(again.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 30_000 });
      await expect(again.getByTestId('device-check')).toHaveCount(0);
      // ... until the host asks for it again, in the devices panel.
      await again.getByRole('button', { name: 'Devices' }).click();
      await expect(again.getByTestId('check-first')).not.toBeChecked();
      await again.getByLabel('Check the camera, microphone and connection before each call').check();
      const closedAgain = again.waitForEvent('close');
      await again.getByRole('button', { name: 'Leave call' }).click();
      await again.getByRole('alertdialog', { name: 'Leave the call?' }).getByRole('button', { name: 'Leave', exact: true }).click();
      await again.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
      await closedAgain;
      const third = await openMeeting(app, meeting);
      await expect(third.getByTestId('device-check')).toBeVisible();
    });

    test('a conference server that does not answer is reported on the check screen, before joining', async ({ launchConsole, stack }) => {
      const meeting = meetingOnNow(stack, platform);
      let settings: Record<string, unknown> = {};
      if (platform === 'janus') {
        // Janus unreachable from this workstation: its address leads nowhere (nothing listens there).
        const port = await closedPort();
        settings = {
          conferenceServers: consoleSettingsFor(stack).conferenceServers.map((s) => (s.provider === 'janus' ? { ...s, url: `ws://127.0.0.1:${port}/` } : s)),
        };
      }
      const app = await launchConsole({ settings });
      await signIn(app, stack.idp.users[0]!);
      // The Pexip node goes down (every connection cut, new ones refused), as a node that went away.
      if (platform === 'pexip') stack.pexip!.setDown(true);
      try {
        const call = await openMeeting(app, meeting);
        const server = call.getByTestId('check-server');
        await expect(server).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
        await expect(server).toContainText('The video server cannot be reached from this computer.');
        await expect(server).toContainText('contact IT');
        // Only the server: this computer's own camera, microphone and media are fine.
        await expect(call.getByTestId('check-media')).toHaveAttribute('data-state', 'ok', { timeout: 20_000 });
        await expect(call.getByTestId('check-camera')).toHaveAttribute('data-state', 'ok');
        await expect(call.getByTestId('call-state')).toHaveCount(0);
        if (platform === 'pexip') {
          // Back up: "Check again" says so.
          stack.pexip!.setDown(false);
          await call.getByRole('button', { name: 'Check again' }).click();
          await expect(server).toHaveAttribute('data-state', 'ok', { timeout: 20_000 });
        }
      } finally {
        if (platform === 'pexip') stack.pexip!.setDown(false);
      }
    });

    test('chat goes both ways, the unread count clears when the chat is opened, and the shortcuts work', async ({ launchConsole, stack, browser }) => {
      const { call, patient } = await hostWithPatient(launchConsole, stack, browser, platform);
      // Each sees the other: connected both ways (a message reaches whoever is connected when it is sent).
      await expectAllDecoding(() => consoleFrames(call), 1);
      await expectAllDecoding(() => guestFramesFrom(patient), 1);

      // The patient writes: the console counts it unread and a screen reader hears it.
      await patient.getByLabel('Message').fill('Hello, can you hear me?');
      await patient.getByRole('button', { name: 'Send' }).click();
      await expect(call.getByTestId('chat-unread')).toHaveText('1', { timeout: 20_000 });
      await expect(call.getByRole('button', { name: 'Chat (1 unread message)' })).toBeVisible();
      await expect(call.getByTestId('chat-announcer')).toHaveText('Message from Pat Example (Patient): Hello, can you hear me?');
      await patient.getByLabel('Message').fill('And a second one.');
      await patient.getByRole('button', { name: 'Send' }).click();
      await expect(call.getByTestId('chat-unread')).toHaveText('2', { timeout: 20_000 });

      // Ctrl+Shift+E opens the chat: both messages are there, the count is gone.
      await call.keyboard.press('Control+Shift+E');
      const panel = call.getByTestId('chat-panel');
      await expect(panel).toBeVisible();
      await expect(call.getByTestId('chat-unread')).toHaveCount(0);
      await expect(panel.getByTestId('chat-message')).toHaveText([/Pat Example \(Patient\).*Hello, can you hear me\?/, /And a second one\./]);

      // The host answers (the box has the focus); the patient reads it.
      await expect(panel.getByLabel('Message', { exact: true })).toBeFocused();
      await call.keyboard.type('Yes. The spelling is I-b-u-p-r-o-f-e-n.');
      await call.keyboard.press('Enter');
      await expect(patient.getByTestId('chat-log')).toContainText('Yes. The spelling is I-b-u-p-r-o-f-e-n.', { timeout: 20_000 });
      await expect(panel.getByTestId('chat-message').last()).toHaveAttribute('data-own', 'true');
      // A message while the chat is open is not unread.
      await patient.getByLabel('Message').fill('Thank you.');
      await patient.getByRole('button', { name: 'Send' }).click();
      await expect(panel.getByTestId('chat-message').last()).toContainText('Thank you.', { timeout: 20_000 });
      await expect(call.getByTestId('chat-unread')).toHaveCount(0);
      await call.keyboard.press('Control+Shift+E');
      await expect(panel).toBeHidden();

      // Microphone and camera by keyboard.
      await call.keyboard.press('Control+Shift+M');
      await expect(call.getByRole('button', { name: 'Unmute microphone' })).toHaveAttribute('aria-pressed', 'true');
      await call.keyboard.press('Control+Shift+M');
      await expect(call.getByRole('button', { name: 'Mute microphone' })).toHaveAttribute('aria-pressed', 'false');
      await call.keyboard.press('Control+Shift+O');
      await expect(call.getByTestId('self-no-video')).toBeVisible();
      await call.keyboard.press('Control+Shift+O');
      await expect(call.getByTestId('self-no-video')).toHaveCount(0);

      // Ctrl+/ lists the shortcuts; Escape closes the list.
      await call.keyboard.press('Control+/');
      const help = call.getByTestId('shortcuts-help');
      await expect(help).toBeVisible();
      await expect(help).toContainText('Ctrl+Shift+M');
      await expect(help).toContainText('Mute or unmute the microphone');
      await call.keyboard.press('Escape');
      await expect(help).toBeHidden();

      // Ctrl+Shift+H asks to leave; Escape stays in the call.
      await call.keyboard.press('Control+Shift+H');
      const leave = call.getByRole('alertdialog', { name: 'Leave the call?' });
      await expect(leave).toBeVisible();
      await call.keyboard.press('Escape');
      await expect(leave).toBeHidden();
      await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined');
    });
  });
}

/** A loopback port with nothing listening on it (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('Pexip: a wrong host PIN is said once and never retried; after too many wrong PINs the console says the room is locked', async ({
  launchConsole,
  stack,
}) => {
  const pexip = stack.pexip!;
  // A meeting whose room on the node has another host PIN than the booking says.
  const booked = stack.vdx.addMeeting({ platform: 'pexip', subject: 'Invented PIN mismatch check', startTime: new Date(Date.now() + 5 * 60_000) });
  try {
    await stack.vdx.provisionRooms([booked.uuid]);
    const info = stack.vdx.schedulingInfo(booked.uuid);
    const alias = info.uriWithDomain;
    pexip.removeRoom(alias);
    pexip.addRoom({ alias, hostPin: '97531864', guestPin: String(info.guestPin) });

    const app = await launchConsole();
    await signIn(app, stack.idp.users[0]!);
    await expect(app.page.locator(`[data-meeting-id="${booked.uuid}"]`)).toBeVisible({ timeout: 20_000 });
    pexip.clearRequestLog();
    const tokenRequests = () => pexip.requestLog.filter((e) => e.path.endsWith('/request_token') && e.path.includes(encodeURIComponent(alias))).length;

    const open = async () => {
      const callWindow = app.waitForCallWindow();
      await app.page.locator(`[data-meeting-id="${booked.uuid}"]`).getByRole('button', { name: /^Join/ }).click();
      return callWindow;
    };
    const call = await open();
    // The check screen asks nothing of the node; the host PIN goes at Join.
    expect(tokenRequests()).toBe(0);
    await passCheck(call);
    await expect(call.getByTestId('call-error')).toHaveText(
      "The video server did not accept this appointment's host PIN. Check the appointment in the booking system.",
    );
    // Said once: one request_token, and none after it while the window stays open.
    expect(tokenRequests()).toBe(1);
    await expectStaysFalse(async () => tokenRequests() > 1);
    expect(pexip.pinLockout(alias)).toBe('none');

    // Someone guesses PINs at the alias until the node locks it ...
    for (let guess = 0; pexip.pinLockout(alias) === 'none' && guess < 20; guess++) {
      await fetch(`${pexip.url}/api/client/v2/conferences/${encodeURIComponent(alias)}/request_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', pin: String(10_000_000 + guess) },
        body: JSON.stringify({ display_name: 'Guess' }),
      });
    }
    expect(pexip.pinLockout(alias)).toBe('retries-exceeded');

    // ... and the clinician, trying again, is told the room is locked for a while.
    await call.close();
    const again = await open();
    await passCheck(again);
    // Pexip gives no duration (its break-in settings are IT's): none is invented.
    await expect(again.getByTestId('call-error')).toHaveText('The video room is locked for a while after too many wrong PINs. Try again later, or ask IT.');
  } finally {
    await stack.vdx.deleteMeeting(booked.uuid);
  }
});

test('Janus: camera and microphone switch mid-call, and the call survives a Janus restart', async ({ launchConsole, stack, browser }) => {
  const { app, meeting, call, patient } = await hostWithPatient(launchConsole, stack, browser, 'janus');
  await expectAllDecoding(() => consoleFrames(call), 1);
  await expectAllDecoding(() => guestFramesFrom(patient), 1);

  // Switch the microphone (Chromium's fake devices offer three audio inputs but only one
  // camera, so the camera is switched only where a second one exists): the patient keeps
  // receiving the clinician's audio and video.
  let chosenMicrophone = '';
  await call.getByRole('button', { name: 'Devices' }).click();
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
  await expectGrows(() => guestAudio(patient, hostId));
  await expectGrows(async () => Math.max(0, ...(await guestFramesFrom(patient))));
  await expect(call.getByText('That device could not be started. The previous one is still in use.')).toHaveCount(0);

  // The host mutes the patient's audio before the restart: Janus forgets that, the console not.
  const patientTile = call.locator('[data-testid="remote-tile"][data-role="patient"]');
  const heard = () => consoleAudio(call, 'patient');
  await expectGrows(heard);
  await patientTile.getByRole('button', { name: 'Mute Pat Example for everyone' }).click();
  await expectStopsGrowing(heard);

  // Janus restarts (a crash): the window says Reconnecting and comes back with the guest's video.
  await stack.janus!.restart();
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'reconnecting');
  await expect(call.getByTestId('call-state')).toHaveText('Reconnecting…');
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 20_000 });
  await expect(patient.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });
  await expectAllDecoding(() => consoleFrames(call), 1);
  await expectAllDecoding(() => guestFramesFrom(patient), 1);
  // ... and the patient stays muted; lifting the mute lets their audio through again.
  await expectStopsGrowing(heard);
  await patientTile.getByRole('button', { name: 'Unmute Pat Example for everyone' }).click();
  await expectGrows(heard);

  // Leaving and joining again: the microphone chosen before is remembered (by main).
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('dialog', { name: 'Leave the call?' }).or(call.getByRole('alertdialog', { name: 'Leave the call?' })).getByRole('button', { name: 'Leave', exact: true }).click();
  await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
  await closed;
  const again = await hostMeeting(app, meeting);
  await again.getByRole('button', { name: 'Devices' }).click();
  await expect(again.getByTestId('microphone-select')).toHaveValue(chosenMicrophone);
});

test('Janus: the host sees who speaks, whose camera is off and whose video is poor; the host\'s own camera goes off for all', async ({
  launchConsole,
  stack,
  browser,
}) => {
  const { call, patient } = await hostWithPatient(launchConsole, stack, browser, 'janus');
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
