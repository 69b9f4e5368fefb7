/**
 * "Who is waiting" on Janus, against the real room guard and Debian's real Janus: the guard's
 * lobby watcher (bought with the host PIN, like a host session, but able only to count who
 * waits by role), and main's waiting watch over it: a patient knocking shows in the next
 * round with one notification, a second guest or a return does not notify again, nobody is
 * let in, one watcher serves the meeting's whole open time and is given back when it
 * closes, a wrong host PIN is not tried again, and rounds never come closer than the interval
 * however often syncs end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuard, type Guard } from '../../../../janus-guard/guard';
import { createJanusAdmin } from '../../../../janus-guard/janus-admin';
import { startGuardServer, type GuardServer } from '../../../../janus-guard/server';
import type { BookedMeeting } from '../../../../main/booking/booking-source';
import { createWaitingWatch, type DayWaiting } from '../../../../call/main/waiting-watch';
import { createLogger } from '../../../../main/log/logger';
import { startJanus, videoroomRequest, type JanusHandle } from '../../../stack/janus';

let janus: JanusHandle;
let guard: GuardServer;
let guardCore: Guard;
const provisionKey = randomBytes(24).toString('base64url');
const hostPin = '64920731';
const guestPin = '30571846';
const DOMAIN = 'video.sandbox.test';
const DAY = '2031-05-14';

/** Every request the guard got: method, path, status, and when it arrived (monotonic ms). */
const requests: Array<{ method: string; path: string; status?: number; at: number }> = [];

beforeAll(async () => {
  janus = await startJanus();
  guardCore = createGuard({ janus: createJanusAdmin({ adminUrl: janus.adminUrl, adminSecret: janus.adminSecret }), adminKey: janus.adminKey });
  guard = await startGuardServer({ guard: guardCore, provisionKey });
  guard.server.on('request', (req: IncomingMessage, res) => {
    const entry: (typeof requests)[number] = { method: req.method ?? '', path: new URL(req.url ?? '/', 'http://guard').pathname, at: performance.now() };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
  });
}, 60_000);
afterAll(async () => {
  await guard?.stop();
  await janus?.stop();
});

async function api(method: string, path: string, bearer?: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${guard.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function provisioned(): Promise<string> {
  const room = randomBytes(16).toString('hex');
  expect((await api('POST', '/v1/rooms', provisionKey, { room, hostPin, guestPin })).status).toBe(201);
  return room;
}

async function knock(room: string, name: string, role: string): Promise<{ guestId: string; secret: string }> {
  const res = await api('POST', `/v1/rooms/${room}/guests`, undefined, { pin: guestPin, name, role });
  expect(res.status).toBe(201);
  return res.json as { guestId: string; secret: string };
}

/** What the guest's own page sees when it asks (without waiting). */
async function guestState(room: string, g: { guestId: string; secret: string }): Promise<unknown> {
  return (await api('GET', `/v1/rooms/${room}/guests/${g.guestId}?wait=0`, g.secret)).json;
}

/** A meeting on now (started five minutes ago), with its room on the guard. */
function meetingIn(room: string, pin = hostPin): BookedMeeting {
  const start = Date.now() - 5 * 60_000;
  return {
    id: randomUUID(),
    version: '1',
    shortId: 'unit-waiting',
    subject: 'Invented check-up',
    startTime: new Date(start).toISOString(),
    endTime: new Date(start + 30 * 60_000).toISOString(),
    joinOpensAt: new Date(start - 10 * 60_000).toISOString(),
    room: { id: room, uri: `${room}@${DOMAIN}`, hostPin: pin, guestPin },
  };
}

function watching(meetings: BookedMeeting[], opts: { intervalMs?: number; now?: () => Date } = {}) {
  const events: DayWaiting[] = [];
  const lines: string[] = [];
  let rounds = 0;
  /** When each round started (monotonic ms). */
  const starts: number[] = [];
  /** The day the view shows. */
  let shown = DAY;
  const watch = createWaitingWatch({
    servers: [{ domain: DOMAIN, provider: 'janus', url: janus.wsUrl, guardUrl: guard.url }],
    statusApis: [],
    // Read once per round: how the tests count rounds.
    meetingsOf: (day) => (rounds++, starts.push(performance.now()), day === DAY ? meetings : []),
    watched: () => shown,
    emit: (payload) => events.push(payload),
    fetch,
    timeoutMs: 3000,
    log: createLogger([(line) => lines.push(line)]),
    intervalMs: opts.intervalMs ?? 150,
    ...(opts.now ? { now: opts.now } : {}),
  });
  /** Rounds run (each sync's outcome ticks; syncs end far more often here than the interval) until `done`. */
  const until = async (done: () => boolean) => {
    await expect
      .poll(
        async () => {
          watch.tick(shown);
          await watch.idle();
          return done();
        },
        { timeout: 10_000, interval: 20 },
      )
      .toBe(true);
  };
  const show = (day: string) => void (shown = day);
  return { watch, events, lines, until, show, rounds: () => rounds, starts };
}

const count = (method: string, path: string) => requests.filter((r) => r.method === method && r.path === path).length;

describe('the room guard: a lobby watcher', () => {
  it('counts who waits by role, and can do nothing else', async () => {
    const room = await provisioned();
    const patient = await knock(room, 'Pat Example', 'patient');
    const bought = await api('POST', `/v1/rooms/${room}/watcher`, undefined, { pin: hostPin });
    expect(bought.status).toBe(200);
    const watcher = String(bought.json.watcher);

    const lobby = await api('GET', `/v1/rooms/${room}/lobby`, watcher);
    expect(lobby).toEqual({ status: 200, json: { waiting: [{ role: 'patient', since: expect.any(String) }] } });
    // No name, no guest id: nothing to admit anyone with, nothing personal.
    expect(JSON.stringify(lobby.json)).not.toContain('Pat');
    expect(JSON.stringify(lobby.json)).not.toContain(patient.guestId);

    // None of a host session's powers.
    expect((await api('GET', `/v1/rooms/${room}/state`, watcher)).status).toBe(401);
    expect((await api('POST', `/v1/rooms/${room}/prepare`, watcher, { name: 'Someone' })).status).toBe(401);
    expect((await api('POST', `/v1/rooms/${room}/admit`, watcher, { guestId: patient.guestId, token: randomBytes(16).toString('base64url') })).status).toBe(401);
    expect((await api('POST', `/v1/rooms/${room}/deny`, watcher, { guestId: patient.guestId })).status).toBe(401);
    expect((await api('POST', `/v1/rooms/${room}/end`, watcher, {})).status).toBe(401);

    // The guest noticed nothing: still waiting, and nobody is in the Janus room.
    expect(await guestState(room, patient)).toEqual({ state: 'waiting' });
    expect(await videoroomRequest(janus, { request: 'listparticipants', room: guardCore.janusRoomOf(room)! })).toMatchObject({ participants: [] });

    // A guest PIN buys no watcher; a released watcher reads nothing.
    expect((await api('POST', `/v1/rooms/${room}/watcher`, undefined, { pin: guestPin })).status).toBe(403);
    expect((await api('DELETE', `/v1/rooms/${room}/watcher`, watcher)).status).toBe(200);
    expect((await api('GET', `/v1/rooms/${room}/lobby`, watcher)).status).toBe(401);
  });

  it("checks its PIN against the host PIN limit: the right PIN is no failure, and wipes no guesser's count", async () => {
    const room = await provisioned();
    const attempt = (pin: string) => api('POST', `/v1/rooms/${room}/watcher`, undefined, { pin });
    for (let i = 0; i < 4; i++) expect((await attempt('00000000')).status).toBe(403);
    // The right PIN works (and is not a fifth failure)...
    expect((await attempt(hostPin)).status).toBe(200);
    expect((await attempt(hostPin)).status).toBe(200);
    // ...but the four wrong ones still count: one more locks the room's host PIN check,
    // for the right PIN too, and for a host session.
    expect((await attempt('00000000')).status).toBe(403);
    expect((await attempt(hostPin)).status).toBe(429);
    expect((await api('POST', `/v1/rooms/${room}/host`, undefined, { pin: hostPin })).status).toBe(429);
  });
});

describe('the waiting watch on Janus', () => {
  it('shows a waiting patient in the next round with one notification, and nobody is let in', async () => {
    const room = await provisioned();
    const meeting = meetingIn(room);
    const { watch, events, until } = watching([meeting]);
    const buysBefore = count('POST', `/v1/rooms/${room}/watcher`);

    // Nobody waits: a round says nothing.
    await until(() => count('GET', `/v1/rooms/${room}/lobby`) >= 1);
    expect(events).toEqual([]);

    const knockedFrom = Date.now();
    const patient = await knock(room, 'Pat Example', 'patient');
    const knockedBy = Date.now();
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['patient'], since: [expect.any(String)] }], arrived: [meeting.id] });
    // Since when: the guard's record of the knock, not when the round saw it.
    const since = Date.parse(events[0]!.meetings[0]!.since[0]!);
    expect(since).toBeGreaterThanOrEqual(knockedFrom);
    expect(since).toBeLessThanOrEqual(knockedBy);
    expect(JSON.stringify(events)).not.toContain('Pat Example');

    // A second guest changes the badge but is no first arrival: no second notification.
    const interpreter = await knock(room, 'Ina Example', 'interpreter');
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['patient', 'interpreter'], since: [expect.any(String), expect.any(String)] }], arrived: [] });

    // Nothing changes: rounds go on, events do not.
    const lobbies = count('GET', `/v1/rooms/${room}/lobby`);
    await until(() => count('GET', `/v1/rooms/${room}/lobby`) >= lobbies + 3);
    expect(events).toHaveLength(2);

    // Everyone leaves, and the patient comes back: the badge follows, the notification was once.
    await api('DELETE', `/v1/rooms/${room}/guests/${patient.guestId}`, patient.secret);
    await api('DELETE', `/v1/rooms/${room}/guests/${interpreter.guestId}`, interpreter.secret);
    await until(() => events.length === 3);
    expect(events[2]).toEqual({ day: DAY, meetings: [], arrived: [] });
    const back = await knock(room, 'Pat Example', 'patient');
    await until(() => events.length === 4);
    expect(events[3]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['patient'], since: [expect.any(String)] }], arrived: [] });

    // A view that starts watching again gets what is known, without a notification.
    watch.resend(DAY);
    expect(events[4]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['patient'], since: [expect.any(String)] }], arrived: [] });

    // Through all of it: one watcher bought, and the guest is still waiting, not admitted.
    expect(count('POST', `/v1/rooms/${room}/watcher`) - buysBefore).toBe(1);
    expect(await guestState(room, back)).toEqual({ state: 'waiting' });
    await watch.dispose();
  });

  it('"Running late" reaches the waiting guest through the lobby watcher the badge holds, and lets nobody in', async () => {
    const room = await provisioned();
    const meeting = meetingIn(room);
    const { watch, events, until } = watching([meeting]);
    const patient = await knock(room, 'Pat Example', 'patient');
    await until(() => events.length === 1);
    const buys = count('POST', `/v1/rooms/${room}/watcher`);
    // The guest's page is in a long poll: the notice answers it at once.
    const poll = api('GET', `/v1/rooms/${room}/guests/${patient.guestId}?wait=10000`, patient.secret);
    expect(await watch.notify(meeting, 'Your video appointment will start about 5 minutes late.')).toBe(1);
    expect((await poll).json).toMatchObject({ state: 'waiting', notice: { text: 'Your video appointment will start about 5 minutes late.' } });
    expect(count('POST', `/v1/rooms/${room}/watcher`)).toBe(buys);
    await watch.dispose();

    // With no probe (the view never showed the day): one watcher bought for it and given back.
    const { watch: fresh } = watching([]);
    const released = count('DELETE', `/v1/rooms/${room}/watcher`);
    expect(await fresh.notify(meeting, 'Running late')).toBe(1);
    await expect.poll(() => count('DELETE', `/v1/rooms/${room}/watcher`)).toBe(released + 1);
    expect(await guestState(room, patient)).toMatchObject({ state: 'waiting' });
    await fresh.dispose();
  });

  it('does not notify about a meeting whose call the clinician opened first', async () => {
    const room = await provisioned();
    const meeting = meetingIn(room);
    const { watch, events, until } = watching([meeting]);
    watch.joined(meeting.id);
    await knock(room, 'Pat Example', 'patient');
    await until(() => events.length === 1);
    expect(events[0]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['patient'], since: [expect.any(String)] }], arrived: [] });
    await watch.dispose();
  });

  it('keeps the watcher while the view shows another day; gives it back when the meeting is no longer open, and asks no more', async () => {
    const room = await provisioned();
    const meeting = meetingIn(room);
    let clock = new Date();
    const { watch, events, until, show, rounds } = watching([meeting], { now: () => clock });
    await knock(room, 'Pat Example', 'patient');
    await until(() => events.length === 1);

    // The clinician looks at tomorrow and comes back: nothing is asked meanwhile, the watcher
    // is kept (no second host-PIN check), and today's badge is back without a notification.
    const tomorrow = '2031-05-15';
    show(tomorrow);
    const reads = count('GET', `/v1/rooms/${room}/lobby`);
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ day: tomorrow, meetings: [], arrived: [] });
    const away = rounds();
    await until(() => rounds() >= away + 3);
    expect(count('GET', `/v1/rooms/${room}/lobby`)).toBe(reads);
    show(DAY);
    await until(() => events.length === 3);
    expect(events[2]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['patient'], since: [expect.any(String)] }], arrived: [] });
    expect(count('POST', `/v1/rooms/${room}/watcher`)).toBe(1);
    expect(count('DELETE', `/v1/rooms/${room}/watcher`)).toBe(0);

    // The meeting's end passes: the watcher goes back to the guard, the badge goes.
    clock = new Date(Date.parse(meeting.endTime) + 1000);
    await until(() => events.length === 4);
    expect(events[3]).toEqual({ day: DAY, meetings: [], arrived: [] });
    await expect.poll(() => count('DELETE', `/v1/rooms/${room}/watcher`)).toBe(1);
    // Rounds with nothing open ask nobody.
    const lobbies = count('GET', `/v1/rooms/${room}/lobby`);
    const after = rounds();
    await until(() => rounds() >= after + 3);
    expect(count('GET', `/v1/rooms/${room}/lobby`)).toBe(lobbies);
    expect(count('POST', `/v1/rooms/${room}/watcher`)).toBe(1);
    await watch.dispose();
  });

  it('does not try a wrong host PIN again, and says so without the PIN', async () => {
    const room = await provisioned();
    const wrongPin = '11112222';
    const { watch, events, lines, until, rounds } = watching([meetingIn(room, wrongPin)]);
    await until(() => count('POST', `/v1/rooms/${room}/watcher`) === 1);
    await expect.poll(() => lines.length).toBe(1);
    expect(lines[0]).toContain('refused the host PIN');
    expect(lines.join('\n')).not.toContain(wrongPin);
    // More rounds: no second guess at the guard.
    const after = rounds();
    await until(() => rounds() >= after + 3);
    expect(count('POST', `/v1/rooms/${room}/watcher`)).toBe(1);
    expect(lines).toHaveLength(1);
    expect(events).toEqual([]);
    await watch.dispose();
  });

  it('a sync that ends while a round runs is not lost: the next round follows at the interval without another tick', async () => {
    const { watch, starts } = watching([meetingIn(await provisioned())], { intervalMs: 200 });
    watch.tick(DAY); // a round starts
    watch.tick(DAY); // the next sync ends while it runs
    await expect.poll(() => starts.length, { timeout: 5000 }).toBe(2);
    // Timers may fire a millisecond early against performance.now(): a small allowance.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(195);
    await watch.idle();
    await watch.dispose();
    expect(starts).toHaveLength(2);
  });

  it('never starts rounds closer than the interval, however often syncs end; one lobby read per open meeting per round', async () => {
    const rooms = [await provisioned(), await provisioned()];
    const intervalMs = 300;
    const { watch, until, starts } = watching(rooms.map((r) => meetingIn(r)), { intervalMs });
    const lobbyReads = (room: string) => count('GET', `/v1/rooms/${room}/lobby`);
    let ticks = 0;
    // Ticks every 20 ms: fifteen times as often as the interval.
    await expect
      .poll(
        () => {
          watch.tick(DAY);
          ticks++;
          return starts.length >= 5;
        },
        { timeout: 10_000, interval: 20 },
      )
      .toBe(true);
    await watch.idle();
    const rounds = starts.length;
    expect(ticks).toBeGreaterThan(rounds * 5);
    // Timers may fire a millisecond early against performance.now(): a small allowance.
    for (let i = 1; i < rounds; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(intervalMs - 5);
    // One lobby read per open meeting per round, and one watcher each for all those rounds.
    for (const room of rooms) {
      expect(lobbyReads(room)).toBe(rounds);
      expect(count('POST', `/v1/rooms/${room}/watcher`)).toBe(1);
    }
    // Sign-out: the watchers go back, and ticks that still come start nothing.
    await watch.dispose();
    for (const room of rooms) expect(count('DELETE', `/v1/rooms/${room}/watcher`)).toBe(1);
    await until(() => true);
    expect(starts).toHaveLength(rounds);
  });
});
