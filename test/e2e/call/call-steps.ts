/**
 * Steps the call specs share, for either conference server: the host opens the meeting
 * that is on now (one on Janus, one on Pexip: see the sandbox's seed), guests knock from the
 * sandbox's guest page and are let in, and what each side decodes.
 */
import type { Page } from '@playwright/test';
import { expect } from '../expect';
import { localDay } from '../../../common/days';
import { canJoin } from '../../../common/meeting-status';
import type { GuestServer } from '../../stack/guest/build.mjs';
import type { Stack } from '../../stack/stack';
import type { ConsoleApp } from '../fixtures';
import { enterPin, openGuest, WAITING } from '../guest-steps';

// The guest helpers live in guest-steps.ts (the stack specs use them too); re-exported for the call specs.
export { closeGuests, enterPin, guestPageForSpec, openGuest, startGuestPageOn, WAITING } from '../guest-steps';

export type Platform = 'janus' | 'pexip';

/** What guest.ts puts on window for tests (the specs are type-checked without the DOM lib). */
export interface GuestWindow {
  guestStats(): Promise<Array<{ participantId: string; framesDecoded: number; audioBytesReceived?: number; audioLevel?: number }>>;
  guestStates: string[];
  guestLimitFrameRate(fps: number): Promise<void>;
}

export interface OpenMeeting {
  uuid: string;
  platform: Platform;
  /** The platform's room id (Janus) */
  room: string;
  /** uriWithDomain: the Pexip alias */
  uri: string;
  guestPin: string;
}

/** Today's first meeting on the platform that is open for joining now, from the sandbox. */
export function meetingOnNow(stack: Stack, platform: Platform = 'janus'): OpenMeeting {
  const today = stack.vdx.meetingsOn(localDay(new Date()));
  const open = today.find((m) => {
    if (stack.vdx.platformOf(m.uuid) !== platform) return false;
    const info = stack.vdx.schedulingInfo(m.uuid);
    const joinOpensAt = new Date(Date.parse(m.startTime) - info.vmrAvailableBefore * 60_000).toISOString();
    return canJoin({ startTime: m.startTime, endTime: m.endTime, joinOpensAt, joinable: true }, new Date());
  });
  expect(open, `the sandbox seeds a meeting open now on ${platform}`).toBeDefined();
  const info = stack.vdx.schedulingInfo(open!.uuid);
  return { uuid: open!.uuid, platform, room: info.provisionVmrId!, uri: info.uriWithDomain, guestPin: String(info.guestPin) };
}

/** The guest page for a meeting, as a patient portal would link it (tests prefill the name). */
export function guestUrl(guests: GuestServer, stack: Stack, meeting: OpenMeeting, name: string, role: string): string {
  return meeting.platform === 'pexip'
    ? guests.pageUrl({ provider: 'pexip', node: stack.pexip!.url, alias: meeting.uri, name, role })
    : guests.pageUrl({ provider: 'janus', server: stack.janus!.wsUrl, guard: stack.guard!.url, room: meeting.room, name, role });
}

/** Clicks Join on the meeting in the day view; resolves with the call window (on its check screen, unless skipped). */
export async function openMeeting(app: ConsoleApp, meeting: OpenMeeting): Promise<Page> {
  const callWindow = app.waitForCallWindow();
  await app.page.locator(`[data-meeting-id="${meeting.uuid}"]`).getByRole('button', { name: /^Join/ }).click();
  return callWindow;
}

/**
 * The device and connection check before joining: presses its Join once the camera and
 * microphone are open. Where this workstation skips the check, the call is already joining.
 */
export async function passCheck(call: Page): Promise<void> {
  const join = call.getByTestId('check-join');
  await expect(join.or(call.getByTestId('call-state'))).toBeVisible({ timeout: 30_000 });
  if (await join.isVisible()) {
    await expect(join).toBeEnabled({ timeout: 30_000 });
    await join.click();
  }
}

/** Clicks Join on the meeting in the day view and on the check screen; resolves with the call window once joined. */
export async function hostMeeting(app: ConsoleApp, meeting: OpenMeeting): Promise<Page> {
  const call = await openMeeting(app, meeting);
  await passCheck(call);
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 30_000 });
  return call;
}

/** The guest knocks; the host sees them (name and role) and admits them. */
export async function knockAndAdmit(call: Page, guest: Page, pin: string, name: string, typeName?: string): Promise<void> {
  await enterPin(guest, pin, typeName);
  await expect(guest.getByTestId('status')).toHaveText(WAITING, { timeout: 20_000 });
  const waiting = call.getByTestId('waiting-guest').filter({ hasText: name });
  await expect(waiting).toBeVisible({ timeout: 20_000 });
  await waiting.getByRole('button', { name: `Admit ${name}` }).click();
  await expect(guest.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });
}

export async function guestFramesFrom(guest: Page): Promise<number[]> {
  const stats = await guest.evaluate(() => (globalThis as unknown as GuestWindow).guestStats());
  return stats.map((s) => s.framesDecoded);
}

/** The audio bytes a guest page receives (all of it: Pexip sends one stream; Janus: summed). */
export async function guestAudio(guest: Page, participantId?: string): Promise<number> {
  const stats = await guest.evaluate(() => (globalThis as unknown as GuestWindow).guestStats());
  return stats.filter((s) => participantId === undefined || s.participantId === participantId).reduce((sum, s) => sum + (s.audioBytesReceived ?? 0), 0);
}

/** The frames the call window decoded: per remote tile (Janus), or of the stage (Pexip). */
export async function consoleFrames(call: Page): Promise<number[]> {
  const stage = await call.getByTestId('stage').count();
  const target = stage > 0 ? call.getByTestId('stage') : call.getByTestId('remote-tile');
  return target.evaluateAll((els) => els.map((t) => Number(t.getAttribute('data-frames-decoded'))));
}

/** The audio the call window receives: from one tile (Janus), or the stage (Pexip). */
export async function consoleAudio(call: Page, role?: string): Promise<number> {
  const stage = call.getByTestId('stage');
  if ((await stage.count()) > 0) return Number(await stage.getAttribute('data-audio-bytes'));
  return Number(await call.locator(`[data-testid="remote-tile"][data-role="${role}"]`).getAttribute('data-audio-bytes'));
}

/** Every remote video decodes frames: `expected` streams, each with framesDecoded > 0. */
export async function expectAllDecoding(read: () => Promise<number[]>, expected: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const frames = await read();
        return frames.length === expected && frames.every((f) => f > 0);
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}

/**
 * Waits until a byte counter stops growing: the same value over `stableSamples` polls about
 * a second apart (bounded by the timeout). Used for "no longer received".
 */
export async function expectStopsGrowing(read: () => Promise<number>, stableSamples = 3): Promise<void> {
  let last = -1;
  let stable = 0;
  await expect
    .poll(
      async () => {
        const now = await read();
        stable = now === last ? stable + 1 : 0;
        last = now;
        return stable >= stableSamples;
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(true);
}

/** Waits until a byte counter grows past its current value. */
export async function expectGrows(read: () => Promise<number>): Promise<void> {
  const start = await read();
  await expect.poll(read, { timeout: 20_000 }).toBeGreaterThan(start);
}

/** A condition that stays false over `samples` polls about a second apart (after settling). */
export async function expectStaysFalse(read: () => Promise<boolean>, samples = 5): Promise<void> {
  let falseInARow = 0;
  await expect
    .poll(
      async () => {
        falseInARow = (await read()) ? 0 : falseInARow + 1;
        return falseInARow >= samples;
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe(true);
}

/**
 * Pexip: the interpreter's SIP endpoint (the double's endpoint page) registers, and the host's
 * "Add participant" calls it now; returns the endpoint's page, ringing or answering.
 */
export async function dialInterpreterEndpoint(call: Page, stack: Stack, browser: Parameters<typeof openGuest>[0], address: string): Promise<Page> {
  const endpoint = await openGuest(browser, stack.pexip!.endpointPageUrl(address));
  await expect.poll(() => stack.pexip!.endpointRegistered(address)).toBe(true);
  await call.getByRole('button', { name: 'Add participant' }).click();
  const dialog = call.getByTestId('add-participant');
  await dialog.getByRole('radio', { name: 'Call them now' }).check();
  await dialog.getByLabel('Role').selectOption('interpreter');
  await dialog.getByLabel('Name').fill('Ina Example');
  await dialog.getByLabel('Call to').selectOption('sip');
  await dialog.getByLabel('Address or number').fill(address);
  await dialog.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(dialog.getByRole('status')).toHaveText('Calling. They join the meeting when they answer.');
  await dialog.getByRole('button', { name: 'Done' }).click();
  return endpoint;
}
