/**
 * Content (a presentation), both ways, on both conference servers.
 *
 * Pexip, through Pexip's own client on each side and the double's floor (take_floor /
 * release_floor, presentation_start / presentation_stop) and relay (the presenter's slides
 * line to everyone else's):
 * - a guest presents: the call window shows it in a content tile of its own, named by the
 *   presenter's role, with frames decoding, and takes it away when the guest stops;
 * - the clinician shares the screen: it goes out as Pexip content (the camera stays), the
 *   guest page receives and decodes it, and it ends when the clinician stops.
 *
 * Janus (the real one, behind the room guard): a shared screen is a second video stream on
 * the sharer's own feed, described `screen`; the others subscribe to it and show it as content.
 *
 * Headless Chromium never answers getDisplayMedia (README, "How the tests run"): in the call
 * window the test hands getDisplayMedia a capture of Chromium's fake camera instead, so what
 * is shared is that picture; everything after the capture (the console's share, Pexip's
 * presentation, the relay, the guest's decoding) is the real path.
 */
import type { Page } from '@playwright/test';
import type { Stack } from '../../stack/stack';
import { expect, test, type ConsoleApp } from '../fixtures';
import { signIn } from '../steps';
import { guestPageForSpec, guestUrl, hostMeeting, knockAndAdmit, meetingOnNow, openGuest, type OpenMeeting, type Platform } from './call-steps';

const guests = guestPageForSpec();
test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

/** A counter that is above zero and then grows: frames decoding, not a frozen picture. */
async function expectAdvancing(read: () => Promise<number>): Promise<void> {
  await expect.poll(read, { timeout: 30_000 }).toBeGreaterThan(0);
  const start = await read();
  await expect.poll(read, { timeout: 20_000 }).toBeGreaterThan(start);
}

/** The host in the meeting on now with the patient admitted (console call window, guest page). */
async function callWithPatient(app: ConsoleApp, stack: Stack, browser: Parameters<typeof openGuest>[0], platform: Platform = 'pexip'): Promise<{ call: Page; patient: Page; meeting: OpenMeeting }> {
  await signIn(app, stack.idp.users[0]!);
  const meeting = meetingOnNow(stack, platform);
  const call = await hostMeeting(app, meeting);
  const patient = await openGuest(browser, guestUrl(guests, stack, meeting, 'Pat Example', 'patient'));
  await knockAndAdmit(call, patient, meeting.guestPin, 'Pat Example');
  return { call, patient, meeting };
}

function presenterOf(stack: Stack, meeting: OpenMeeting): string | undefined {
  return stack.pexip!.participants(meeting.uri).find((p) => p.isPresenting)?.displayName;
}

/** The capture headless Chromium cannot make (see above): the fake camera, at screen size. */
async function fakeScreen(call: Page): Promise<void> {
  await call.evaluate(() => {
    // The specs are type-checked without the DOM lib.
    const media = (globalThis as unknown as { navigator: { mediaDevices: { getDisplayMedia: unknown; getUserMedia(c: unknown): Promise<unknown> } } }).navigator.mediaDevices;
    media.getDisplayMedia = () => media.getUserMedia({ audio: false, video: { width: 1280, height: 720 } });
  });
}

/** Frames of the content the guest page shows (-1: none shows). */
function guestContentFrames(guest: Page): Promise<number> {
  return guest.evaluate(() => (globalThis as unknown as { guestContentFrames(): number }).guestContentFrames());
}

async function endForEveryone(call: Page): Promise<void> {
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('button', { name: 'End for everyone' }).click();
  await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
  await closed;
}

test("Pexip: a guest's presentation shows in the call window as content, and goes when they stop", async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole();
  const { call, patient, meeting } = await callWithPatient(app, stack, browser);
  const tile = call.getByTestId('content-tile');
  await expect(tile).toHaveCount(0);

  await patient.getByRole('button', { name: 'Present' }).click();
  await expect.poll(() => presenterOf(stack, meeting)).toBe('Pat Example');
  await expect(tile).toBeVisible({ timeout: 30_000 });
  // Named by the presenter's role for screen readers; no name.
  await expect(tile.getByLabel('Content from Patient')).toHaveCount(1);
  await expect(tile).toHaveAttribute('data-role', 'patient');
  await expectAdvancing(async () => Number(await tile.getAttribute('data-frames-decoded')));
  // The patient's camera is still the stage beside it.
  await expect(call.getByTestId('stage')).toBeVisible();

  await patient.getByRole('button', { name: 'Stop presenting' }).click();
  await expect(tile).toHaveCount(0, { timeout: 20_000 });
  expect(presenterOf(stack, meeting)).toBeUndefined();
  await endForEveryone(call);
});

test('Pexip: the clinician shares the screen as content; the guest page receives it, and it ends when they stop', async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole();
  const { call, patient, meeting } = await callWithPatient(app, stack, browser);
  await fakeScreen(call);
  const contentFrames = () => guestContentFrames(patient);
  expect(await contentFrames()).toBe(-1);

  await call.getByRole('button', { name: 'Share screen' }).click();
  await expect(call.getByTestId('presenting-pill')).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => stack.pexip!.participants(meeting.uri).find((p) => p.isPresenting)?.role).toBe('chair');
  await expect(patient.getByTestId('content')).toBeVisible({ timeout: 30_000 });
  await expectAdvancing(contentFrames);
  // Content beside the camera, not in its place: the camera still goes out to the patient's stage.
  expect(stack.pexip!.participants(meeting.uri).find((p) => p.role === 'chair')?.isVideoMuted).toBe(false);

  await call.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(patient.getByTestId('content')).toHaveCount(0, { timeout: 20_000 });
  await expect(call.getByTestId('presenting-pill')).toHaveCount(0);
  expect(presenterOf(stack, meeting)).toBeUndefined();
  await endForEveryone(call);
});

test('Pexip: a guest who presents while the clinician shares takes the floor: the share ends and their content shows', async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole();
  const { call, patient, meeting } = await callWithPatient(app, stack, browser);
  await fakeScreen(call);
  await call.getByRole('button', { name: 'Share screen' }).click();
  await expect(patient.getByTestId('content')).toBeVisible({ timeout: 30_000 });

  await patient.getByRole('button', { name: 'Present' }).click();
  await expect.poll(() => presenterOf(stack, meeting)).toBe('Pat Example');
  // The console's share is over (Pexip gave the floor to the patient), and it shows theirs.
  await expect(call.getByTestId('presenting-pill')).toHaveCount(0, { timeout: 20_000 });
  await expect(call.getByRole('button', { name: 'Share screen' })).toBeVisible();
  const tile = call.getByTestId('content-tile');
  await expect(tile).toHaveAttribute('data-role', 'patient', { timeout: 30_000 });
  await expectAdvancing(async () => Number(await tile.getAttribute('data-frames-decoded')));
  await expect(patient.getByTestId('content')).toHaveCount(0);
  await endForEveryone(call);
});

test("Janus: a guest's shared screen (a second stream on their feed, described screen) shows as content, and goes when they stop", async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole();
  const { call, patient } = await callWithPatient(app, stack, browser, 'janus');
  const tile = call.getByTestId('content-tile');
  // Their camera first, in their own tile.
  await expect(call.locator('[data-testid="remote-tile"][data-role="patient"]')).toHaveAttribute('data-video', 'on', { timeout: 30_000 });
  await expect(tile).toHaveCount(0);

  await patient.getByRole('button', { name: 'Present' }).click();
  await expect(tile).toBeVisible({ timeout: 30_000 });
  await expect(tile.getByLabel('Content from Patient')).toHaveCount(1);
  await expectAdvancing(async () => Number(await tile.getAttribute('data-frames-decoded')));
  // The camera stays the patient's tile; the screen is not a participant of its own.
  await expect(call.getByTestId('remote-tile')).toHaveCount(1);
  await expectAdvancing(async () => Number(await call.locator('[data-testid="remote-tile"][data-role="patient"]').getAttribute('data-frames-decoded')));

  await patient.getByRole('button', { name: 'Stop presenting' }).click();
  await expect(tile).toHaveCount(0, { timeout: 20_000 });
  await endForEveryone(call);
});

test('Janus: the clinician shares the screen as a second stream of their feed; the guest page shows it as content until they stop', async ({ launchConsole, stack, browser }) => {
  const app = await launchConsole();
  const { call, patient } = await callWithPatient(app, stack, browser, 'janus');
  await fakeScreen(call);
  expect(await guestContentFrames(patient)).toBe(-1);

  await call.getByRole('button', { name: 'Share screen' }).click();
  await expect(call.getByTestId('presenting-pill')).toBeVisible({ timeout: 20_000 });
  await expect(patient.getByTestId('content')).toBeVisible({ timeout: 30_000 });
  await expectAdvancing(() => guestContentFrames(patient));

  await call.getByRole('button', { name: 'Stop sharing' }).click();
  await expect(patient.getByTestId('content')).toHaveCount(0, { timeout: 20_000 });
  await expect(call.getByTestId('presenting-pill')).toHaveCount(0);
  await endForEveryone(call);
});
