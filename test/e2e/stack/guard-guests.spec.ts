/**
 * Real Janus (in its own network namespace, see test/stack/janus.ts), its room guard, and
 * real Chromium guests on the sandbox's guest page, with no console: the test is the host,
 * through the guard's API. Guests knock with the guest PIN, wait, are admitted, decode each
 * other's video; a wrong PIN, too many wrong PINs, a removal, a refusal and the end of the
 * meeting are told clearly; after a Janus restart the guests come back by themselves.
 */
import { randomBytes } from 'node:crypto';
import { test, chromium, type Browser, type Page } from '@playwright/test';
import { expect } from '../expect';
import WebSocket from 'ws';
import { createGuard } from '../../../janus-guard/guard';
import { createJanusAdmin } from '../../../janus-guard/janus-admin';
import { startGuardServer, type GuardServer } from '../../../janus-guard/server';
import { startJanus, type JanusHandle } from '../../stack/janus';
import { startGuestPage, type GuestServer } from '../../stack/guest/build.mjs';
import { chromiumLaunchOptions } from '../../support/chromium';
import { closeGuests, enterPin, openGuest } from '../guest-steps';

/** What guest.ts puts on window for tests (the spec is type-checked without the DOM lib). */
interface GuestWindow {
  guestStats(): Promise<Array<{ participantId: string; framesDecoded: number }>>;
  guestStates: string[];
}

test.describe.configure({ mode: 'serial' });

let janus: JanusHandle;
let guard: GuardServer;
let guests: GuestServer;
let browser: Browser;
const provisionKey = randomBytes(24).toString('base64url');
const hostPin = '70318264';
const guestPin = '52947103';

test.beforeAll(async () => {
  janus = await startJanus();
  guard = await startGuardServer({
    guard: createGuard({
      janus: createJanusAdmin({ adminUrl: janus.adminUrl, adminSecret: janus.adminSecret }),
      adminKey: janus.adminKey,
      // Every guest here is one source (127.0.0.1): a generous knock budget, the usual PIN ones.
      limits: { maxFailures: 5, backoffMs: 60_000, maxFailuresPerSource: 1000, knockBurst: 1000 },
    }),
    provisionKey,
  });
  guests = await startGuestPage();
  browser = await chromium.launch(chromiumLaunchOptions());
});

// A test that failed half-way leaves no guest behind in a room (the others close their own).
test.afterEach(closeGuests);
test.afterAll(async () => {
  await browser?.close();
  await guests?.stop();
  await guard?.stop();
  await janus?.stop();
});

async function api(method: string, path: string, bearer?: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${guard.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.ok, `${method} ${path.replace(/\/v1\/rooms\/[^/]+/, '/v1/rooms/…')} answered ${res.status}`).toBe(true);
  return (await res.json()) as Record<string, unknown>;
}

/** A room as the booking system provisions it, and the test as its host. */
async function hostedRoom(): Promise<{ room: string; session: string }> {
  const room = randomBytes(16).toString('hex');
  await api('POST', '/v1/rooms', provisionKey, { room, hostPin, guestPin });
  const { session } = (await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: hostPin })) as { session: string };
  await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' });
  return { room, session };
}

/** A guest's page for this room, as the invitation links it. */
const guestAt = (room: string, name: string, role: string) =>
  openGuest(browser, guests.pageUrl({ provider: 'janus', server: janus.wsUrl, guard: guard.url, room, name, role }));

/** The host admits whoever waits under this name (main mints the token in the app). */
async function admit(room: string, session: string, name: string): Promise<void> {
  let guestId = '';
  await expect
    .poll(async () => {
      const state = (await api('GET', `/v1/rooms/${room}/state`, session)) as { waiting: Array<{ guestId: string; name: string }> };
      guestId = state.waiting.find((g) => g.name === name)?.guestId ?? '';
      return guestId;
    })
    .not.toBe('');
  await api('POST', `/v1/rooms/${room}/admit`, session, { guestId, token: randomBytes(16).toString('base64url') });
}

async function framesFrom(page: Page): Promise<number> {
  const stats = await page.evaluate(() => (globalThis as unknown as GuestWindow).guestStats());
  return stats.reduce((max, s) => Math.max(max, s.framesDecoded), 0);
}

async function statesOf(page: Page): Promise<string> {
  return (await page.evaluate(() => (globalThis as unknown as GuestWindow).guestStates)).join(' ');
}

test('two admitted guests decode each other’s video, with the roles the guard gave them', async () => {
  const { room, session } = await hostedRoom();
  const patient = await guestAt(room, 'Alex Example', 'patient');
  const interpreter = await guestAt(room, 'Max Muster', 'interpreter');
  for (const page of [patient, interpreter]) {
    await enterPin(page, guestPin);
    await expect(page.getByRole('status')).toHaveText('Please wait, the host will let you in soon.');
  }
  await admit(room, session, 'Alex Example');
  await admit(room, session, 'Max Muster');
  // No host in the room (the test hosts without media): both say so.
  await expect(patient.getByRole('status')).toHaveText('Waiting for the host', { timeout: 20_000 });
  await expect(patient.getByTestId('remote-participant')).toContainText('Max Muster (interpreter)');
  await expect(interpreter.getByTestId('remote-participant')).toContainText('Alex Example (patient)');
  await expect.poll(() => framesFrom(patient), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(() => framesFrom(interpreter), { timeout: 20_000 }).toBeGreaterThan(0);
  await patient.context().close();
  await interpreter.context().close();
});

test('a wrong PIN shows a clear message and the guest can retry; too many lock the room', async () => {
  const { room } = await hostedRoom();
  const patient = await guestAt(room, 'Robin Sample', 'patient');
  await enterPin(patient, '12345678');
  await expect(patient.getByRole('status')).toContainText('Wrong PIN');
  await expect(patient.getByLabel('Meeting PIN')).toBeEnabled();
  await enterPin(patient, guestPin);
  await expect(patient.getByRole('status')).toHaveText('Please wait, the host will let you in soon.');

  const guesser = await guestAt(room, 'Guess Example', 'other');
  for (let i = 0; i < 5; i++) {
    await enterPin(guesser, `1000000${i}`);
    await expect(guesser.getByRole('status')).toContainText(i < 4 ? 'Wrong PIN' : /Wrong PIN|locked/);
  }
  await enterPin(guesser, guestPin);
  await expect(guesser.getByRole('status')).toHaveText('Too many wrong PINs. The meeting is locked for a while.');
  await patient.context().close();
  await guesser.context().close();
});

test('a refused guest, a removed guest and the end of the meeting are told clearly', async () => {
  const { room, session } = await hostedRoom();
  const relative = await guestAt(room, 'Jo Tester', 'relative');
  const interpreter = await guestAt(room, 'Max Muster', 'interpreter');
  const stranger = await guestAt(room, 'Un Invited', 'other');
  for (const page of [relative, interpreter, stranger]) await enterPin(page, guestPin);
  type RoomState = { waiting: Array<{ guestId: string; name: string }> };
  await expect.poll(async () => ((await api('GET', `/v1/rooms/${room}/state`, session)) as RoomState).waiting.length).toBe(3);
  const strangerId = ((await api('GET', `/v1/rooms/${room}/state`, session)) as RoomState).waiting.find((g) => g.name === 'Un Invited')!.guestId;
  await api('POST', `/v1/rooms/${room}/deny`, session, { guestId: strangerId });
  await expect(stranger.getByRole('status')).toHaveText('The host did not let you in to this meeting.');

  await admit(room, session, 'Jo Tester');
  await admit(room, session, 'Max Muster');
  await expect(relative.getByTestId('remote-participant')).toHaveCount(1, { timeout: 20_000 });
  const roster = ((await api('GET', `/v1/rooms/${room}/state`, session)) as { roster: Array<{ feedId: string; name: string }> }).roster;
  await api('POST', `/v1/rooms/${room}/kick`, session, { feedId: roster.find((p) => p.name === 'Jo Tester')!.feedId });
  await expect(relative.getByRole('status')).toHaveText('You were removed from the meeting');
  await expect(interpreter.getByTestId('remote-participant')).toHaveCount(0);

  await api('POST', `/v1/rooms/${room}/end`, session);
  await expect(interpreter.getByRole('status')).toHaveText('The meeting has ended');
  for (const page of [relative, interpreter, stranger]) await page.context().close();
});

test('after a Janus restart both guests rejoin and see each other again', async () => {
  const { room, session } = await hostedRoom();
  const patient = await guestAt(room, 'Alex Example', 'patient');
  const relative = await guestAt(room, 'Jo Tester', 'relative');
  for (const page of [patient, relative]) await enterPin(page, guestPin);
  await admit(room, session, 'Alex Example');
  await admit(room, session, 'Jo Tester');
  await expect.poll(() => framesFrom(patient), { timeout: 20_000 }).toBeGreaterThan(0);

  await janus.restart();

  for (const page of [patient, relative]) {
    // Reconnecting says why (the rejoin policy's reason): the server went away.
    await expect.poll(() => statesOf(page), { timeout: 30_000 }).toBe('lobby connecting joined reconnecting:server-unreachable joined');
    // Frames from the new subscriber PeerConnection: the old one was torn down on reconnect.
    await expect.poll(() => framesFrom(page), { timeout: 20_000 }).toBeGreaterThan(0);
  }
  await patient.context().close();
  await relative.context().close();
});

/** Janus's client API over HTTP, as a script would use it: the answer, or Janus's error code. */
async function janusPost(url: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ ...body, transaction: randomBytes(6).toString('hex') }) });
  return (await res.json()) as Record<string, unknown>;
}

test('a script with only the invitation link can neither list the participants nor watch, while a call runs', async () => {
  const { room, session } = await hostedRoom();
  const patient = await guestAt(room, 'Alex Example', 'patient');
  const interpreter = await guestAt(room, 'Max Muster', 'interpreter');
  for (const page of [patient, interpreter]) await enterPin(page, guestPin);
  await admit(room, session, 'Alex Example');
  await admit(room, session, 'Max Muster');
  await expect.poll(() => framesFrom(patient), { timeout: 20_000 }).toBeGreaterThan(0);

  // Everything the link carries (server, guard, room reference), over both Janus APIs a
  // browser could use: no session, so no listparticipants and no subscription.
  const link = new URL(guests.pageUrl({ provider: 'janus', server: janus.wsUrl, guard: guard.url, room, name: 'x', role: 'other' }));
  const reference = link.searchParams.get('room')!;
  for (const token of [undefined, reference, guestPin]) {
    const created = await janusPost(janus.httpUrl, { janus: 'create', ...(token ? { token } : {}) });
    expect(created, 'Janus HTTP API').toMatchObject({ janus: 'error', error: { code: 403 } });
  }
  const ws = await new Promise<string>((resolve, reject) => {
    const socket = new WebSocket(link.searchParams.get('server')!, 'janus-protocol');
    socket.onopen = () => socket.send(JSON.stringify({ janus: 'create', transaction: 'script', token: reference }));
    socket.onmessage = (m) => {
      resolve(String(m.data as string));
      socket.close();
    };
    socket.onerror = () => reject(new Error('no WebSocket'));
  });
  expect(JSON.parse(ws)).toMatchObject({ janus: 'error', error: { code: 403 } });
  // The guard gives a link nothing either: no roster, no lobby, no state without a credential.
  const base = `${link.searchParams.get('guard')}/v1/rooms/${reference}`;
  for (const path of ['/state', '/lobby', `/guests/${randomBytes(9).toString('base64url')}/roster`]) {
    expect((await fetch(base + path)).status, path).toBe(401);
  }
  await patient.context().close();
  await interpreter.context().close();
});

/**
 * Keeps every RTCPeerConnection the page makes, and makes close() do nothing: a page that
 * will not stop watching. (Page scripts as text: this file is type-checked without the DOM.)
 */
async function keepPeerConnections(page: Page): Promise<void> {
  await page.addInitScript({
    content: `(() => {
      const kept = [];
      globalThis.keptPcs = kept;
      const Original = globalThis.RTCPeerConnection;
      globalThis.RTCPeerConnection = class extends Original {
        constructor(config) { super(config); kept.push(this); }
        close() { /* a misbehaving client keeps its connections */ }
      };
    })();`,
  });
}

function framesOnKeptConnections(page: Page): Promise<number> {
  return page.evaluate(`(async () => {
    let frames = 0;
    for (const pc of globalThis.keptPcs) {
      (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded ?? 0; });
    }
    return frames;
  })()`);
}

test('a removed guest who keeps its connections open receives no more video', async () => {
  const { room, session } = await hostedRoom();
  const patient = await guestAt(room, 'Alex Example', 'patient');
  const relative = await (await browser.newContext()).newPage();
  await keepPeerConnections(relative);
  await relative.goto(guests.pageUrl({ provider: 'janus', server: janus.wsUrl, guard: guard.url, room, name: 'Jo Tester', role: 'relative' }));
  for (const page of [patient, relative]) await enterPin(page, guestPin);
  await admit(room, session, 'Alex Example');
  await admit(room, session, 'Jo Tester');
  await expect.poll(() => framesOnKeptConnections(relative), { timeout: 20_000 }).toBeGreaterThan(0);

  const roster = ((await api('GET', `/v1/rooms/${room}/state`, session)) as { roster: Array<{ feedId: string; name: string }> }).roster;
  await api('POST', `/v1/rooms/${room}/kick`, session, { feedId: roster.find((p) => p.name === 'Jo Tester')!.feedId });
  // The page's own teardown closes nothing: only the server can stop the video. Once two
  // samples a second apart agree, nothing more arrives.
  let last = -1;
  await expect
    .poll(
      async () => {
        const now = await framesOnKeptConnections(relative);
        const still = now === last;
        last = now;
        return still;
      },
      { timeout: 15_000, intervals: [1_000] },
    )
    .toBe(true);
  // Not a fixed wait: until Janus has torn down every connection the page kept (its ICE
  // consent checks go unanswered), after which nothing can arrive.
  await expect
    .poll(() => relative.evaluate<string[]>(`globalThis.keptPcs.map((pc) => pc.iceConnectionState)`), { timeout: 30_000 })
    .toEqual(expect.not.arrayContaining(['new', 'checking', 'connected', 'completed']));
  expect(await framesOnKeptConnections(relative)).toBe(last);
  // The patient was not touched: still in the room.
  expect(await statesOf(patient)).not.toContain('left');
  await patient.context().close();
  await relative.context().close();
});

test('an admitted guest who joins under the host id is removed and never shown as the host', async () => {
  const room = randomBytes(16).toString('hex');
  await api('POST', '/v1/rooms', provisionKey, { room, hostPin, guestPin });
  const { session } = (await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: hostPin })) as { session: string };
  const host = (await api('POST', `/v1/rooms/${room}/prepare`, session, { name: 'Dr Example' })) as { feedId: string };
  const patient = await guestAt(room, 'Alex Example', 'patient');
  const interpreter = await guestAt(room, 'Max Muster', 'interpreter');
  // Everything the interpreter's page ever shows, not only its last state.
  await interpreter.evaluate(`(() => {
    const seen = [];
    globalThis.seenTexts = seen;
    new MutationObserver(() => seen.push(document.body.innerText)).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  // The patient's admission, as its page receives it: what a misbehaving patient holds.
  const admission = new Promise<{ token: string; room: string }>((resolve) =>
    patient.on('response', (res) => {
      if (!/\/guests\/[^/]+\?wait=/.test(res.url())) return;
      void res.json().then((body: { state?: string; token?: string; room?: string }) => {
        if (body.state === 'admitted' && body.token && body.room) resolve({ token: body.token, room: body.room });
      }, () => undefined);
    }),
  );
  for (const page of [patient, interpreter]) await enterPin(page, guestPin);
  await admit(room, session, 'Alex Example');
  await admit(room, session, 'Max Muster');
  const stolen = await admission;
  await expect(interpreter.getByTestId('remote-participant')).toContainText('Alex Example (patient)', { timeout: 20_000 });

  // A second connection with the patient's token, under the host's id (the host is away).
  const created = await janusPost(janus.httpUrl, { janus: 'create', token: stolen.token });
  const su = `${janus.httpUrl}/${(created.data as { id: number }).id}`;
  const attached = await janusPost(su, { janus: 'attach', plugin: 'janus.plugin.videoroom', token: stolen.token });
  await janusPost(`${su}/${(attached.data as { id: number }).id}`, {
    janus: 'message',
    token: stolen.token,
    body: { request: 'join', ptype: 'publisher', room: stolen.room, id: host.feedId, display: 'Dr Example', token: stolen.token },
  });
  // The host's watch (here: the test) sweeps the room: the impostor and the patient go.
  await expect
    .poll(async () => (await api('GET', `/v1/rooms/${room}/state`, session), await statesOf(patient)), { timeout: 15_000 })
    .toContain('left:kicked');
  await expect(interpreter.getByTestId('remote-participant')).toHaveCount(0, { timeout: 15_000 });
  const seen = await interpreter.evaluate<string>(`globalThis.seenTexts.join('\\n')`);
  expect(seen).toContain('Alex Example (patient)');
  expect(seen).not.toContain('(host)');
  await patient.context().close();
  await interpreter.context().close();
});
