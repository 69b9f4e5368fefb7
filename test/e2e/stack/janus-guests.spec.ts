/**
 * Real Janus (in its own network namespace, see test/stack/janus.ts) and real Chromium
 * guests: two guest pages in one room decode each other's video, and the guest page shows
 * clear messages for a wrong PIN, a kick and the end of the meeting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test, expect, chromium, type Browser, type Page } from '@playwright/test';
import { createRoom, startJanus, videoroomRequest, type JanusHandle } from '../../stack/janus';
import { buildGuestPage, serveGuestPage, type GuestServer } from '../../stack/guest/build.mjs';
import { chromiumLaunchOptions } from '../../support/chromium';

/** What guest.ts puts on window for tests (the spec is type-checked without the DOM lib). */
interface GuestWindow {
  guestStats(): Promise<Array<{ participantId: string; framesDecoded: number }>>;
  guestTimings: { joinPressedAt?: number; joinedAt?: number; firstRemoteFrameAt?: number };
  guestStates: string[];
}


test.describe.configure({ mode: 'serial' });

let janus: JanusHandle;
let guests: GuestServer;
let browser: Browser;
let outDir: string;

test.beforeAll(async () => {
  janus = await startJanus();
  outDir = await mkdtemp(join(tmpdir(), 'guest-page-'));
  await buildGuestPage(outDir);
  guests = await serveGuestPage(outDir);
  browser = await chromium.launch(chromiumLaunchOptions());
});

test.afterAll(async () => {
  await browser?.close();
  await guests?.stop();
  await janus?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

function newPin(): string {
  return String(100_000 + (randomBytes(4).readUInt32BE() % 900_000));
}

async function openGuest(room: string, name: string, role: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(guests.pageUrl({ server: janus.wsUrl, room, name, role }));
  return page;
}

async function enterPin(page: Page, pin: string): Promise<void> {
  await page.getByLabel('Meeting PIN').fill(pin);
  await page.getByRole('button', { name: 'Join the meeting' }).click();
}

async function framesFrom(page: Page): Promise<number> {
  const stats = await page.evaluate(() => (globalThis as unknown as GuestWindow).guestStats());
  return stats.reduce((max, s) => Math.max(max, s.framesDecoded), 0);
}

async function statesOf(page: Page): Promise<string> {
  return (await page.evaluate(() => (globalThis as unknown as GuestWindow).guestStates)).join(' ');
}

async function participantIds(room: string): Promise<Array<{ id: string; display: string }>> {
  const res = await videoroomRequest(janus.httpUrl, { request: 'listparticipants', room });
  return res.participants as Array<{ id: string; display: string }>;
}

test('two guests in one room decode each other’s video', async () => {
  const pin = newPin();
  const room = await createRoom(janus.httpUrl, { pin, secret: randomBytes(16).toString('hex') });
  expect(room).toMatch(/^[0-9a-f]{32}$/);

  const patient = await openGuest(room, 'Alex Example', 'patient');
  await enterPin(patient, pin);
  await expect(patient.getByRole('status')).toHaveText('Waiting for the host');

  const host = await openGuest(room, 'Dr Sam Placeholder', 'host');
  await enterPin(host, pin);
  await expect(host.getByRole('status')).toHaveText('In the meeting');
  await expect(patient.getByRole('status')).toHaveText('In the meeting');

  // Names and roles survive Janus (display "role|name").
  await expect(patient.getByTestId('remote-participant')).toContainText('Dr Sam Placeholder (host)');
  await expect(host.getByTestId('remote-participant')).toContainText('Alex Example (patient)');

  // Media really flows both ways through Janus: inbound video frames decoded on each side.
  await expect.poll(() => framesFrom(patient), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(() => framesFrom(host), { timeout: 20_000 }).toBeGreaterThan(0);

  // A measure, not an assertion: join pressed -> first remote video frame painted.
  const t = await host.evaluate(() => (globalThis as unknown as GuestWindow).guestTimings);
  if (t.joinPressedAt !== undefined && t.firstRemoteFrameAt !== undefined) {
    test.info().annotations.push({
      type: 'join-to-first-remote-frame-ms',
      description: String(Math.round(t.firstRemoteFrameAt - t.joinPressedAt)),
    });
  }

  await patient.context().close();
  await host.context().close();
});

test('a wrong PIN shows a clear message and the guest can retry', async () => {
  const pin = newPin();
  const room = await createRoom(janus.httpUrl, { pin, secret: randomBytes(16).toString('hex') });
  const patient = await openGuest(room, 'Robin Sample', 'patient');

  await enterPin(patient, pin === '123456' ? '654321' : '123456');
  await expect(patient.getByRole('status')).toContainText('Wrong PIN');
  await expect(patient.getByLabel('Meeting PIN')).toBeEnabled();

  await enterPin(patient, pin);
  await expect(patient.getByRole('status')).toHaveText('Waiting for the host');
  await patient.context().close();
});

test('a removed guest and the end of the meeting are told clearly', async () => {
  const pin = newPin();
  const secret = randomBytes(16).toString('hex');
  const room = await createRoom(janus.httpUrl, { pin, secret });

  const relative = await openGuest(room, 'Jo Tester', 'relative');
  const interpreter = await openGuest(room, 'Max Muster', 'interpreter');
  await enterPin(relative, pin);
  await enterPin(interpreter, pin);
  await expect(relative.getByRole('status')).toHaveText('Waiting for the host');
  await expect(interpreter.getByRole('status')).toHaveText('Waiting for the host');

  // The host's kick goes through the secret (main/ does this in the app).
  await expect.poll(async () => (await participantIds(room)).length).toBe(2);
  const target = (await participantIds(room)).find((p) => p.display === 'relative|Jo Tester');
  expect(target).toBeDefined();
  await videoroomRequest(janus.httpUrl, { request: 'kick', room, secret, id: target?.id });
  await expect(relative.getByRole('status')).toHaveText('You were removed from the meeting');
  // The others see them go.
  await expect(interpreter.getByTestId('remote-participant')).toHaveCount(0);

  await videoroomRequest(janus.httpUrl, { request: 'destroy', room, secret });
  await expect(interpreter.getByRole('status')).toHaveText('The meeting has ended');

  await relative.context().close();
  await interpreter.context().close();
});

test('after a Janus restart both guests rejoin and see each other again', async () => {
  const pin = newPin();
  // permanent: Janus writes the room into its config, so it exists again after the restart.
  const room = await createRoom(janus.httpUrl, { pin, secret: randomBytes(16).toString('hex'), permanent: true });
  const patient = await openGuest(room, 'Alex Example', 'patient');
  const host = await openGuest(room, 'Dr Sam Placeholder', 'host');
  await enterPin(patient, pin);
  await enterPin(host, pin);
  await expect.poll(() => framesFrom(patient), { timeout: 20_000 }).toBeGreaterThan(0);

  await janus.restart();

  for (const page of [patient, host]) {
    await expect.poll(() => statesOf(page)).toBe('connecting joined reconnecting joined');
    await expect(page.getByRole('status')).toHaveText('In the meeting');
    // Frames from the new subscriber PeerConnection: the old one was torn down on reconnect.
    await expect.poll(() => framesFrom(page), { timeout: 20_000 }).toBeGreaterThan(0);
  }
  await patient.context().close();
  await host.context().close();
});
