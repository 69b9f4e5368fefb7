/**
 * The room guard behind a TLS proxy, with Debian's real Janus and real Chromium guests on
 * the sandbox's guest page: guessers are slowed, the clinic is not. Every caller reaches
 * the guard through the proxy (one peer address, the guard's trusted proxy), which names
 * its client in X-Forwarded-For; the test runs one such proxy per network the callers
 * come from (a guesser's, the clinic's, a patient's), since on one machine every browser's
 * address is 127.0.0.1. The clinician is the console's own guard client (main).
 */
import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, chromium, type Browser, type Page } from '@playwright/test';
import { expect } from '../expect';
import { createGuard } from '../../../janus-guard/guard';
import { createJanusAdmin } from '../../../janus-guard/janus-admin';
import { startGuardServer, type GuardServer } from '../../../janus-guard/server';
import { createGuardClient } from '../../../call/providers/janus/main/guard-client';
import { startJanus, type JanusHandle } from '../../stack/janus';
import { startGuestPage, type GuestServer } from '../../stack/guest/build.mjs';
import { chromiumLaunchOptions } from '../../support/chromium';
import { closeGuests, enterPin, openGuest } from '../guest-steps';

interface GuestWindow {
  guestStates: string[];
}

test.describe.configure({ mode: 'serial' });

let janus: JanusHandle;
let guard: GuardServer;
let guests: GuestServer;
let browser: Browser;
const proxies: Server[] = [];
const provisionKey = randomBytes(24).toString('base64url');
const hostPin = '38461529';
const guestPin = '72905164';

/** The TLS proxy's view of one network: forwards to the guard, appending this client address. */
async function proxyFor(client: string): Promise<string> {
  const target = new URL(guard.url);
  const server = createServer((req, res) => {
    const forwarded = req.headers['x-forwarded-for'];
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host, 'x-forwarded-for': forwarded ? `${String(forwarded)}, ${client}` : client } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  proxies.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test.beforeAll(async () => {
  janus = await startJanus();
  guard = await startGuardServer({
    guard: createGuard({ janus: createJanusAdmin({ adminUrl: janus.adminUrl, adminSecret: janus.adminSecret }), adminKey: janus.adminKey }),
    provisionKey,
    trustedProxies: ['127.0.0.1'],
  });
  guests = await startGuestPage();
  browser = await chromium.launch(chromiumLaunchOptions());
});

// A test that failed half-way leaves no guest behind in a room (the others close their own).
test.afterEach(closeGuests);
test.afterAll(async () => {
  await browser?.close();
  for (const p of proxies) await new Promise((ok) => p.close(ok));
  await guests?.stop();
  await guard?.stop();
  await janus?.stop();
});

async function provisioned(): Promise<string> {
  const room = randomBytes(16).toString('hex');
  const res = await fetch(`${guard.url}/v1/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${provisionKey}` },
    body: JSON.stringify({ room, hostPin, guestPin }),
  });
  expect(res.status).toBe(201);
  return room;
}

/** The console's main process hosting this room through the clinic's network. */
const consoleFor = (clinic: string, room: string) => createGuardClient({ guardUrl: clinic, room, fetch, timeoutMs: 10_000 });

const guestPage = (via: string, room: string, name: string) =>
  openGuest(browser, guests.pageUrl({ provider: 'janus', server: janus.wsUrl, guard: via, room, name, role: 'patient' }));

const statesOf = (page: Page) => page.evaluate(() => (globalThis as unknown as GuestWindow).guestStates);

/** Enters a PIN and waits for the page's answer to it (a new state), so attempts never overlap. */
async function tryPin(page: Page, pin: string): Promise<void> {
  const before = (await statesOf(page)).length;
  await enterPin(page, pin);
  await expect.poll(async () => (await statesOf(page)).length).toBeGreaterThan(before);
}

test("50 wrong guest PINs in five rooms through the proxy leave the clinician's host PIN and other guests alone", async () => {
  const guesserNet = await proxyFor('198.51.100.7');
  const clinic = await proxyFor('203.0.113.10');
  const patients = await proxyFor('192.0.2.44');
  const rooms = [await provisioned(), await provisioned(), await provisioned(), await provisioned(), await provisioned()];

  for (const room of rooms) {
    const guesser = await guestPage(guesserNet, room, 'Guess Example');
    for (let i = 0; i < 10; i++) await tryPin(guesser, String(10_000_000 + rooms.indexOf(room) * 100 + i));
    const states = await statesOf(guesser);
    expect(states.every((s) => s === 'failed:wrong-pin' || s === 'failed:locked')).toBe(true);
    expect(states).toContain('failed:locked'); // the guesser is slowed down
    await guesser.context().close();
  }

  for (const room of rooms) {
    const host = consoleFor(clinic, room);
    const session = await host.hostSession(hostPin);
    expect(await host.prepare(session, 'Dr Example')).toMatchObject({ feedId: expect.any(String) });
  }
  // A patient on another network still knocks and waits in the lobby.
  const patient = await guestPage(patients, rooms[0]!, 'Pat Example');
  await tryPin(patient, guestPin);
  await expect(patient.getByRole('status')).toHaveText('Please wait, the host will let you in soon.');
  await patient.context().close();
});

test("a guest's five wrong host PINs slow that guest, not the clinician", async () => {
  const guestNet = await proxyFor('198.51.100.23');
  const clinic = await proxyFor('203.0.113.11');
  const room = await provisioned();
  const guest = await guestPage(guestNet, room, 'Robin Sample');
  await tryPin(guest, guestPin);
  await expect(guest.getByRole('status')).toHaveText('Please wait, the host will let you in soon.');
  // The guest, in their browser, tries the guard's host endpoint by hand.
  const tries = await guest.evaluate(
    async ({ url, pins }) => {
      const statuses: number[] = [];
      for (const pin of pins) {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin }) });
        statuses.push(res.status);
      }
      return statuses;
    },
    { url: `${guestNet}/v1/rooms/${room}/host`, pins: ['11110000', '11110001', '11110002', '11110003', '11110004', hostPin] },
  );
  expect(tries).toEqual([403, 403, 403, 403, 403, 429]);

  const host = consoleFor(clinic, room);
  const session = await host.hostSession(hostPin);
  const state = await host.state(session);
  expect(state.waiting.map((w) => w.name)).toEqual(['Robin Sample']);
  await guest.context().close();
});
