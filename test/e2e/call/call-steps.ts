/** Steps the call specs share: the host opens the meeting that is on now; guests knock and join. */
import { expect, type Browser, type Page } from '@playwright/test';
import { localDay } from '../../../common/days';
import { canJoin } from '../../../common/meeting-status';
import type { Stack } from '../../stack/stack';
import type { ConsoleApp } from '../fixtures';

/** What guest.ts puts on window for tests (the specs are type-checked without the DOM lib). */
export interface GuestWindow {
  guestStats(): Promise<Array<{ participantId: string; framesDecoded: number; audioBytesReceived?: number }>>;
  guestStates: string[];
  guestLimitFrameRate(fps: number): Promise<void>;
}

export interface OpenMeeting {
  uuid: string;
  room: string;
  guestPin: string;
}

/** Today's first meeting that is open for joining now, from the sandbox. */
export function meetingOnNow(stack: Stack): OpenMeeting {
  const today = stack.vdx.meetingsOn(localDay(new Date()));
  const open = today.find((m) => {
    const info = stack.vdx.schedulingInfo(m.uuid);
    const joinOpensAt = new Date(Date.parse(m.startTime) - info.vmrAvailableBefore * 60_000).toISOString();
    return canJoin({ startTime: m.startTime, endTime: m.endTime, joinOpensAt, joinable: true }, new Date());
  });
  expect(open, 'the sandbox seeds a meeting in progress today').toBeDefined();
  const info = stack.vdx.schedulingInfo(open!.uuid);
  return { uuid: open!.uuid, room: info.provisionVmrId!, guestPin: String(info.guestPin) };
}

/** Clicks Join on the meeting in the day view; resolves with the call window once joined. */
export async function hostMeeting(app: ConsoleApp, meeting: OpenMeeting): Promise<Page> {
  const callWindow = app.waitForCallWindow();
  await app.page.locator(`[data-meeting-id="${meeting.uuid}"]`).getByRole('button', { name: /^Join/ }).click();
  const call = await callWindow;
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined', { timeout: 20_000 });
  return call;
}

export async function openGuest(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

export async function enterPin(guest: Page, pin: string): Promise<void> {
  await guest.getByLabel('Meeting PIN').fill(pin);
  await guest.getByRole('button', { name: 'Join the meeting' }).click();
}

/** The guest knocks; the host sees them (name and role) and admits them. */
export async function knockAndAdmit(call: Page, guest: Page, pin: string, name: string): Promise<void> {
  await enterPin(guest, pin);
  await expect(guest.getByTestId('status')).toHaveText('Please wait, the host will let you in soon.');
  const waiting = call.getByTestId('waiting-guest').filter({ hasText: name });
  await expect(waiting).toBeVisible();
  await waiting.getByRole('button', { name: `Admit ${name}` }).click();
  await expect(guest.getByTestId('status')).toHaveText('In the meeting', { timeout: 20_000 });
}

export async function guestFramesFrom(guest: Page): Promise<number[]> {
  const stats = await guest.evaluate(() => (globalThis as unknown as GuestWindow).guestStats());
  return stats.map((s) => s.framesDecoded);
}

/** The frames the call window decoded, per remote tile. */
export async function consoleFrames(call: Page): Promise<number[]> {
  return call.getByTestId('remote-tile').evaluateAll((tiles) => tiles.map((t) => Number(t.getAttribute('data-frames-decoded'))));
}

/** Every remote video decodes frames: `expected` remote tiles, each with framesDecoded > 0. */
export async function expectAllDecoding(read: () => Promise<number[]>, expected: number): Promise<void> {
  await expect
    .poll(async () => {
      const frames = await read();
      return frames.length === expected && frames.every((f) => f > 0);
    }, { timeout: 30_000 })
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
