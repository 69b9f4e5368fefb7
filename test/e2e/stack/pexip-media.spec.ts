/**
 * The Pexip double (test/stack/pexip) with real media: headless Chromium pages running
 * Pexip's own client library (@pexip/infinity, through the client page) and dial-out test
 * endpoints, all on 127.0.0.1. Each test has a room of its own.
 *
 * Who sees whom is told by the camera size: every page captures at its own aspect ratio, so
 * the size of the frames a page decodes says whose video the relay forwards to it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { test, chromium, type Browser, type Page } from '@playwright/test';
import { expect } from '../expect';
import { addRandomRoom, startPexip, type PexipHandle, type PexipRoom } from '../../stack/pexip';
import {
  buildPexipClientPage,
  servePexipClientPage,
  type PexipClientPageServer,
} from '../../stack/pexip/client-page/build.mjs';
import { chromiumLaunchOptions } from '../../support/chromium';
import { closeGuests, enterPin, openGuest } from '../guest-steps';

/** What the client page puts on window (this spec is type-checked without the DOM lib). */
interface PageStats {
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  audioBytesReceived: number;
  totalAudioEnergy: number;
}
interface InfinityClientLike {
  mute(o: { mute: boolean; participantUuid?: string }): Promise<{ status: number } | undefined>;
  muteVideo(o: { muteVideo: boolean; participantUuid?: string }): Promise<{ status: number } | undefined>;
  dial(o: Record<string, unknown>): Promise<{ status: number; data: { result: string[] } } | undefined>;
  disconnectAll(o: Record<string, never>): Promise<{ status: number } | undefined>;
}
interface PexipPageWindow {
  __pexip: {
    state: string;
    errors: Array<{ error: string; errorCode: string }>;
    disconnectReason: string | null;
    participants: Record<string, { displayName: string; serviceType: string; isMuted: boolean }>;
    client: InfinityClientLike;
    stats(): Promise<PageStats>;
    audioBytesOver(ms: number): Promise<number>;
    framesOver(ms: number): Promise<number>;
  };
}
interface EndpointWindow {
  __endpoint: {
    state: string;
    endReason: string | null;
    caller: { from: string; role: string } | null;
    framesDecoded(): Promise<number>;
    audioEnergy(): Promise<number>;
  };
}

const END_FOR_ALL = 'Conference terminated by another participant';

test.describe.configure({ mode: 'serial' });

let pexip: PexipHandle;
let pages: PexipClientPageServer;
let browser: Browser;
let outDir: string;

test.beforeAll(async () => {
  // CORS for the client page's origin only, as a real node's proxy allows its own web app.
  pexip = await startPexip({ corsOrigins: [] });
  outDir = await mkdtemp(join(tmpdir(), 'pexip-client-page-'));
  await buildPexipClientPage(outDir);
  pages = await servePexipClientPage(outDir);
  pexip.allowOrigin(new URL(pages.url).origin);
  browser = await chromium.launch(chromiumLaunchOptions());
});

// A test that failed half-way leaves no guest behind in a room (the others close their own).
test.afterEach(closeGuests);
test.afterAll(async () => {
  await browser?.close();
  await pages?.stop();
  await pexip?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const newRoom = () => addRandomRoom(pexip);

const openClient = (room: PexipRoom, name: string, size: { w: number; h: number }) => openGuest(browser, pages.pageUrl({ host: pexip.url, alias: room.alias, name, ...size }));

async function joinRoom(room: PexipRoom, name: string, pin: string, size = { w: 640, h: 360 }): Promise<Page> {
  const page = await openClient(room, name, size);
  await enterPin(page, pin);
  return page;
}

const stats = (page: Page) => page.evaluate(() => (globalThis as unknown as PexipPageWindow).__pexip.stats());
const aspect = async (page: Page) => {
  const s = await stats(page);
  return s.frameHeight ? s.frameWidth / s.frameHeight : 0;
};
const framesOver = (page: Page, ms = 600) => page.evaluate((m) => (globalThis as unknown as PexipPageWindow).__pexip.framesOver(m), ms);
const audioBytesOver = (page: Page, ms = 1_000) => page.evaluate((m) => (globalThis as unknown as PexipPageWindow).__pexip.audioBytesOver(m), ms);

function uuidOf(room: PexipRoom, displayName: string): string {
  const p = pexip.participants(room.alias).find((x) => x.displayName === displayName);
  if (!p) throw new Error(`${displayName} is not in the room`);
  return p.uuid;
}

async function endpointState(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as EndpointWindow).__endpoint.state);
}

async function closeAll(...list: Page[]): Promise<void> {
  for (const page of list) await page.context().close();
}

test('a guest waits for the host, then host and guest see and hear each other', async () => {
  const room = newRoom();
  const guest = await joinRoom(room, 'Alex Example', room.guestPin, { w: 480, h: 360 });
  await expect(guest.getByRole('status')).toHaveText('Waiting for the host');
  expect(pexip.participants(room.alias).map((p) => p.serviceType)).toEqual(['waiting_room']);

  const host = await joinRoom(room, 'Dr Sam Placeholder', room.hostPin, { w: 640, h: 360 });
  await expect(host.getByRole('status')).toHaveText('In the meeting');
  await expect(guest.getByRole('status')).toHaveText('In the meeting');

  for (const page of [host, guest]) {
    await expect.poll(async () => (await stats(page)).framesDecoded, { timeout: 20_000 }).toBeGreaterThan(10);
    await expect.poll(async () => (await stats(page)).audioBytesReceived, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await stats(page)).totalAudioEnergy, { timeout: 20_000 }).toBeGreaterThan(0);
  }
  // Each decodes the other's camera (4:3 guest, 16:9 host).
  await expect.poll(() => aspect(host)).toBeCloseTo(4 / 3, 1);
  await expect.poll(() => aspect(guest)).toBeCloseTo(16 / 9, 1);
  await closeAll(host, guest);
  pexip.removeRoom(room.alias);
});

test('voice switching: the forced speaker is what the others see, the speaker sees the previous one', async () => {
  const room = newRoom();
  const host = await joinRoom(room, 'Dr Sam Placeholder', room.hostPin, { w: 640, h: 360 }); // 16:9
  const guest = await joinRoom(room, 'Alex Example', room.guestPin, { w: 480, h: 360 }); // 4:3
  const interpreter = await joinRoom(room, 'Max Muster', room.guestPin, { w: 360, h: 360 }); // 1:1
  for (const page of [host, guest, interpreter]) {
    await expect(page.getByRole('status')).toHaveText('In the meeting');
    await expect.poll(async () => (await stats(page)).framesDecoded, { timeout: 20_000 }).toBeGreaterThan(0);
  }
  const cpuBefore = process.cpuUsage();
  const wallBefore = Date.now();

  pexip.forceSpeaker(room.alias, uuidOf(room, 'Dr Sam Placeholder'));
  pexip.forceSpeaker(room.alias, uuidOf(room, 'Max Muster'));
  await expect.poll(() => aspect(host), { timeout: 15_000 }).toBeCloseTo(1, 1);
  await expect.poll(() => aspect(guest), { timeout: 15_000 }).toBeCloseTo(1, 1);
  await expect.poll(() => aspect(interpreter), { timeout: 15_000 }).toBeCloseTo(16 / 9, 1);
  for (const page of [host, guest, interpreter]) await expect.poll(() => framesOver(page)).toBeGreaterThan(0);

  pexip.forceSpeaker(room.alias, uuidOf(room, 'Alex Example'));
  await expect.poll(() => aspect(host), { timeout: 15_000 }).toBeCloseTo(4 / 3, 1);
  await expect.poll(() => aspect(interpreter), { timeout: 15_000 }).toBeCloseTo(4 / 3, 1);
  await expect.poll(() => aspect(guest), { timeout: 15_000 }).toBeCloseTo(1, 1);
  for (const page of [host, guest, interpreter]) await expect.poll(() => framesOver(page)).toBeGreaterThan(0);

  // The double agrees: everyone but the speaker gets the speaker; the speaker the previous one.
  const media = pexip.media(room.alias);
  expect(media.speaker).toBe(uuidOf(room, 'Alex Example'));
  const from = Object.fromEntries(media.legs.map((l) => [l.uuid, l.videoFrom]));
  expect(from[uuidOf(room, 'Dr Sam Placeholder')]).toBe(uuidOf(room, 'Alex Example'));
  expect(from[uuidOf(room, 'Max Muster')]).toBe(uuidOf(room, 'Alex Example'));
  expect(from[uuidOf(room, 'Alex Example')]).toBe(uuidOf(room, 'Max Muster'));

  // A measure, not an assertion: this process (the double and its relay) with three calls.
  const cpu = process.cpuUsage(cpuBefore);
  test.info().annotations.push({
    type: 'pexip-relay-cpu-percent-3-participants',
    description: (((cpu.user + cpu.system) / 1000 / (Date.now() - wallBefore)) * 100).toFixed(1),
  });
  pexip.forceSpeaker(room.alias, null);
  await closeAll(host, guest, interpreter);
  pexip.removeRoom(room.alias);
});

test('muting a participant through the REST API stops their audio (and video) reaching the others', async () => {
  const room = newRoom();
  const host = await joinRoom(room, 'Dr Sam Placeholder', room.hostPin);
  const guest = await joinRoom(room, 'Alex Example', room.guestPin);
  await expect(guest.getByRole('status')).toHaveText('In the meeting');
  const guestUuid = uuidOf(room, 'Alex Example');
  // The host hears the guest (the speaker); the guest hears the host (the previous speaker).
  pexip.forceSpeaker(room.alias, guestUuid);
  await expect.poll(() => audioBytesOver(host), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(() => audioBytesOver(guest), { timeout: 20_000 }).toBeGreaterThan(0);

  const muted = await host.evaluate(
    (uuid) => (globalThis as unknown as PexipPageWindow).__pexip.client.mute({ mute: true, participantUuid: uuid }).then((r) => r?.status),
    guestUuid,
  );
  expect(muted).toBe(200);
  await expect.poll(() => audioBytesOver(host)).toBe(0);
  expect(pexip.participants(room.alias).find((p) => p.uuid === guestUuid)?.isMuted).toBe(true);
  // Everyone learns it from participant_update, the muted guest included.
  await expect
    .poll(() => guest.evaluate((uuid) => (globalThis as unknown as PexipPageWindow).__pexip.participants[uuid]?.isMuted, guestUuid))
    .toBe(true);
  // Only the muted participant's audio stops: the guest still hears the host.
  expect(await audioBytesOver(guest)).toBeGreaterThan(0);
  const energyWhileMuted = (await stats(host)).totalAudioEnergy;

  const unmuted = await host.evaluate(
    (uuid) => (globalThis as unknown as PexipPageWindow).__pexip.client.mute({ mute: false, participantUuid: uuid }).then((r) => r?.status),
    guestUuid,
  );
  expect(unmuted).toBe(200);
  await expect.poll(() => audioBytesOver(host)).toBeGreaterThan(0);
  await expect.poll(async () => (await stats(host)).totalAudioEnergy).toBeGreaterThan(energyWhileMuted);

  // The same for video: video_muted stops the guest's camera reaching the host.
  const videoMuted = await host.evaluate(
    (uuid) => (globalThis as unknown as PexipPageWindow).__pexip.client.muteVideo({ muteVideo: true, participantUuid: uuid }).then((r) => r?.status),
    guestUuid,
  );
  expect(videoMuted).toBe(200);
  await expect.poll(() => framesOver(host)).toBe(0);
  expect(await framesOver(guest)).toBeGreaterThan(0);
  await host.evaluate(
    (uuid) => (globalThis as unknown as PexipPageWindow).__pexip.client.muteVideo({ muteVideo: false, participantUuid: uuid }),
    guestUuid,
  );
  await expect.poll(() => framesOver(host), { timeout: 15_000 }).toBeGreaterThan(0);
  pexip.forceSpeaker(room.alias, null);
  await closeAll(host, guest);
  pexip.removeRoom(room.alias);
});

test('dialling a registered endpoint rings it; answered, it joins with the dial role and decodes video', async () => {
  const room = newRoom();
  const host = await joinRoom(room, 'Dr Sam Placeholder', room.hostPin);
  await expect(host.getByRole('status')).toHaveText('In the meeting');

  const address = `sip:ward-${randomBytes(4).toString('hex')}@${pexip.domain}`;
  const endpoint = await (await browser.newContext()).newPage();
  await endpoint.goto(pexip.endpointPageUrl(address, { answer: 'manual' }));
  await expect.poll(() => endpointState(endpoint)).toBe('idle');
  expect(pexip.endpointRegistered(address)).toBe(true);

  const dialled = await host.evaluate(
    (destination) =>
      (globalThis as unknown as PexipPageWindow).__pexip
        .client.dial({ destination, role: 'GUEST', protocol: 'sip', remote_display_name: 'Ward three' })
        .then((r) => ({ status: r?.status, uuid: r?.data.result[0] })),
    address,
  );
  expect(dialled.status).toBe(200);
  const ringing = pexip.participants(room.alias).find((p) => p.uuid === dialled.uuid);
  expect(ringing).toMatchObject({
    displayName: 'Ward three',
    serviceType: 'connecting',
    callDirection: 'out',
    protocol: 'sip',
    uri: address,
    role: 'guest',
    hasMedia: false,
  });
  await expect(endpoint.getByRole('status')).toHaveText('Ringing: Clinic room');
  await expect
    .poll(() => host.evaluate((uuid) => (globalThis as unknown as PexipPageWindow).__pexip.participants[uuid ?? '']?.serviceType, dialled.uuid))
    .toBe('connecting');

  await endpoint.getByRole('button', { name: 'Answer' }).click();
  await expect.poll(() => endpointState(endpoint), { timeout: 20_000 }).toBe('in-call');
  await expect
    .poll(() => pexip.participants(room.alias).find((p) => p.uuid === dialled.uuid))
    .toMatchObject({ serviceType: 'conference', role: 'guest', protocol: 'sip', hasMedia: true });
  await expect
    .poll(() => endpoint.evaluate(() => (globalThis as unknown as EndpointWindow).__endpoint.framesDecoded()), {
      timeout: 20_000,
    })
    .toBeGreaterThan(10);
  await expect
    .poll(() => endpoint.evaluate(() => (globalThis as unknown as EndpointWindow).__endpoint.audioEnergy()), {
      timeout: 20_000,
    })
    .toBeGreaterThan(0);
  // And the host gets the endpoint's camera.
  await expect.poll(async () => (await stats(host)).framesDecoded, { timeout: 20_000 }).toBeGreaterThan(10);
  await closeAll(host, endpoint);
  pexip.removeRoom(room.alias);
});

test('ending the meeting for all ends every page and the endpoint with the reason', async () => {
  const room = newRoom();
  const host = await joinRoom(room, 'Dr Sam Placeholder', room.hostPin);
  const guest = await joinRoom(room, 'Alex Example', room.guestPin);
  await expect(guest.getByRole('status')).toHaveText('In the meeting');
  const address = `h323:room-${randomBytes(4).toString('hex')}@${pexip.domain}`;
  const endpoint = await (await browser.newContext()).newPage();
  await endpoint.goto(pexip.endpointPageUrl(address));
  await expect.poll(() => endpointState(endpoint)).toBe('idle');
  const status = await host.evaluate(
    (destination) =>
      (globalThis as unknown as PexipPageWindow).__pexip
        .client.dial({ destination, role: 'HOST', protocol: 'auto' })
        .then((r) => r?.status),
    address,
  );
  expect(status).toBe(200);
  await expect.poll(() => endpointState(endpoint), { timeout: 20_000 }).toBe('in-call');
  expect(pexip.participants(room.alias).find((p) => p.callDirection === 'out')).toMatchObject({
    role: 'chair',
    protocol: 'h323',
  });

  const ended = await host.evaluate(() => (globalThis as unknown as PexipPageWindow).__pexip.client.disconnectAll({}).then((r) => r?.status));
  expect(ended).toBe(200);
  for (const page of [host, guest]) {
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as PexipPageWindow).__pexip.disconnectReason)).toBe(END_FOR_ALL);
    await expect(page.getByRole('status')).toHaveText(`Disconnected: ${END_FOR_ALL}`);
  }
  await expect.poll(() => endpointState(endpoint)).toBe('ended');
  expect(await endpoint.evaluate(() => (globalThis as unknown as EndpointWindow).__endpoint.endReason)).toBe(
    END_FOR_ALL,
  );
  expect(pexip.participants(room.alias)).toEqual([]);
  await closeAll(host, guest, endpoint);
  pexip.removeRoom(room.alias);
});

test('a wrong PIN is reported by the library as Invalid PIN, and the right one then joins', async () => {
  const room = newRoom();
  const guest = await openClient(room, 'Robin Sample', { w: 640, h: 360 });
  await expect(guest.getByRole('status')).toHaveText('Enter the meeting PIN to join.');
  const wrong = room.guestPin === '12345678' ? '87654321' : '12345678';
  await enterPin(guest, wrong);
  await expect(guest.getByRole('status')).toHaveText('Wrong PIN. Try again.');
  expect(await guest.evaluate(() => (globalThis as unknown as PexipPageWindow).__pexip.errors)).toEqual([
    { error: 'Invalid PIN', errorCode: '#pex101' },
  ]);
  expect(pexip.participants(room.alias)).toEqual([]);

  await enterPin(guest, room.guestPin);
  await expect(guest.getByRole('status')).toHaveText('Waiting for the host');
  expect(pexip.participants(room.alias)).toMatchObject([{ displayName: 'Robin Sample', role: 'guest' }]);
  await closeAll(guest);
  pexip.removeRoom(room.alias);
});
