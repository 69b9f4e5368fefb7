/**
 * "Who is waiting" on Pexip, against the Pexip double over real HTTP: main reads the
 * Management API (the double's Management Node, on its own port) with IT's read-only account
 * (never request_token, which as a host would start the conference and let the waiting
 * guests in). Each meeting's VMR, whose name is none of its aliases, is resolved once through
 * the configuration API's conference_alias; then one status list per node per round serves
 * every open meeting. A guest in the waiting room shows by the role its call tag names, once
 * notified; guests let in by a host are no longer waiting; newcomers to a locked conference
 * are. A refused account is not tried again; a 429 holds the console back; without an
 * account nothing is asked at all; a meeting no VMR has is noted once for Diagnostics.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookedMeeting } from '../../../../main/booking/booking-source';
import { createWaitingWatch, type DayWaiting } from '../../../../call/main/waiting-watch';
import { createLogger } from '../../../../main/log/logger';
import type { PexipStatusApi } from '../../../../main/settings/settings';
import { startPexip, type PexipHandle } from '../../../stack/pexip';

let pexip: PexipHandle;
const hostPin = '72940163';
const guestPin = '15820394';
const DAY = '2031-05-14';
let rooms = 0;

/** Rounds here come every 150 ms: a limit a console polling each 15 s never meets (the 429 test lowers it). */
const GENEROUS = { requests: 500, windowMs: 10_000 };

beforeAll(async () => {
  pexip = await startPexip({ managementRateLimit: GENEROUS });
});
afterAll(() => pexip?.stop());

function newRoom(): string {
  const alias = `vmr-waiting-${++rooms}@${pexip.domain}`;
  pexip.addRoom({ alias, hostPin, guestPin });
  return alias;
}

function meetingIn(alias: string): BookedMeeting {
  const start = Date.now() - 5 * 60_000;
  return {
    id: randomUUID(),
    version: '1',
    shortId: 'unit-waiting',
    subject: 'Invented follow-up',
    startTime: new Date(start).toISOString(),
    endTime: new Date(start + 30 * 60_000).toISOString(),
    joinOpensAt: new Date(start - 10 * 60_000).toISOString(),
    room: { id: alias, uri: alias, hostPin, guestPin },
  };
}

/** A participant's own request_token, as @pexip/infinity sends it; resolves with its token. */
async function join(alias: string, pin: string, name: string, callTag?: string): Promise<string> {
  const res = await fetch(`${pexip.url}/api/client/v2/conferences/${encodeURIComponent(alias)}/request_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', pin },
    body: JSON.stringify({ display_name: name, ...(callTag !== undefined ? { call_tag: callTag } : {}) }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { token: string } }).result.token;
}

async function hostDoes(alias: string, token: string, action: string): Promise<void> {
  const res = await fetch(`${pexip.url}/api/client/v2/conferences/${encodeURIComponent(alias)}/${action}`, { method: 'POST', headers: { token } });
  expect(res.status).toBe(200);
}

const account = (): PexipStatusApi => ({ domain: pexip.domain, url: pexip.statusApi.url, username: pexip.statusApi.username, password: pexip.statusApi.password });

function watching(meetings: BookedMeeting[], statusApis: PexipStatusApi[] = [account()], servers = [{ domain: pexip.domain, provider: 'pexip' as const, url: pexip.url }]) {
  const events: DayWaiting[] = [];
  const lines: string[] = [];
  let rounds = 0;
  /** Time the test lets pass at once (a back-off of minutes), on top of the real clock. */
  let skew = 0;
  const watch = createWaitingWatch({
    servers,
    statusApis,
    meetingsOf: () => (rounds++, meetings),
    watched: () => DAY,
    emit: (payload) => events.push(payload),
    fetch,
    timeoutMs: 3000,
    log: createLogger([(line) => lines.push(line)]),
    intervalMs: 150,
    clock: () => performance.now() + skew,
  });
  const until = async (done: () => boolean) => {
    await expect
      .poll(
        async () => {
          watch.tick(DAY);
          await watch.idle();
          return done();
        },
        { timeout: 10_000, interval: 20 },
      )
      .toBe(true);
  };
  return { watch, events, lines, until, rounds: () => rounds, skip: (ms: number) => void (skew += ms) };
}

const statusReads = () => pexip.requestLog.filter((e) => e.path === '/api/admin/status/v1/participant/');
const aliasLookups = () => pexip.requestLog.filter((e) => e.path === '/api/admin/configuration/v1/conference_alias/');
const tokenRequests = () => pexip.requestLog.filter((e) => e.path.endsWith('/request_token'));

describe('the waiting watch on Pexip', () => {
  it('shows a guest in the waiting room by its role, notifies once, and never starts the conference', async () => {
    const alias = newRoom();
    const meeting = meetingIn(alias);
    const { watch, events, until, rounds } = watching([meeting]);
    const tokensBefore = tokenRequests().length;
    const joinedFrom = Date.now();
    await join(alias, guestPin, 'Pat Example', 'patient');
    const joinedBy = Date.now();

    await until(() => events.length === 1);
    expect(events[0]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['patient'], since: [expect.any(String)] }], arrived: [meeting.id] });
    // Since when: the participant's connect_time (whole seconds in the double), not the round's time.
    const since = Date.parse(events[0]!.meetings[0]!.since[0]!);
    expect(since).toBeGreaterThanOrEqual(Math.floor(joinedFrom / 1000) * 1000);
    expect(since).toBeLessThanOrEqual(joinedBy);
    // No host message to a Pexip waiting room (running-late.ts): said, not faked, and no token asked.
    expect(await watch.notify(meeting, 'Running late')).toBeNull();
    expect(JSON.stringify(events)).not.toContain('Pat Example');

    // A guest whose link named no role is "other"; a second guest does not notify again.
    await join(alias, guestPin, 'Rel Example');
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['patient', 'other'], since: [expect.any(String), expect.any(String)] }], arrived: [] });

    // Rounds go on: nothing new is said, nobody's state changed, no token was asked for.
    const after = rounds();
    await until(() => rounds() >= after + 3);
    expect(events).toHaveLength(2);
    expect(pexip.participants(alias).map((p) => p.serviceType)).toEqual(['waiting_room', 'waiting_room']);
    expect(tokenRequests().length).toBe(tokensBefore + 2); // the two guests' own
    await watch.dispose();
  });

  it('counts guests the host let in as no longer waiting, and newcomers to a locked conference as waiting', async () => {
    const alias = newRoom();
    const meeting = meetingIn(alias);
    const { watch, events, until } = watching([meeting]);
    await join(alias, guestPin, 'Pat Example', 'patient');
    await until(() => events.length === 1);

    const host = await join(alias, hostPin, 'Dr Example', 'host');
    await hostDoes(alias, host, 'start_conference');
    await until(() => events.length === 2);
    expect(events[1]).toEqual({ day: DAY, meetings: [], arrived: [] });

    await hostDoes(alias, host, 'lock');
    await join(alias, guestPin, 'Ina Example', 'interpreter');
    await until(() => events.length === 3);
    // This meeting has had its notification: a later first-in-the-lobby is not another one.
    expect(events[2]).toEqual({ day: DAY, meetings: [{ meetingId: meeting.id, roles: ['interpreter'], since: [expect.any(String)] }], arrived: [] });
    await watch.dispose();
  });

  it('resolves each VMR once, reads one status list per round for all open meetings, and asks nothing about meetings not open', async () => {
    const open = [meetingIn(newRoom()), meetingIn(newRoom()), meetingIn(newRoom())];
    // What a real node does and the old console got wrong: the VMR's name is none of its aliases.
    for (const m of open) expect(pexip.vmrName(m.room!.uri)).not.toBe(m.room!.uri);
    const later = meetingIn(newRoom());
    later.startTime = new Date(Date.now() + 3 * 3600_000).toISOString();
    later.joinOpensAt = new Date(Date.now() + 2 * 3600_000).toISOString();
    later.endTime = new Date(Date.now() + 4 * 3600_000).toISOString();
    const { watch, until, rounds, events } = watching([...open, later]);
    // Counted between rounds: a round under way when counting began would be read but not counted.
    await watch.idle();
    const before = statusReads().length;
    const lookupsBefore = aliasLookups().length;
    const start = rounds();
    await join(open[2]!.room!.uri, guestPin, 'Pat Example', 'patient');
    await until(() => rounds() >= start + 4);
    await watch.idle();
    expect(statusReads().length - before).toBe(rounds() - start);
    // One lookup per open meeting, ever (its uriWithDomain is an alias of its VMR).
    expect(aliasLookups().length - lookupsBefore).toBe(open.length);
    expect(events.at(-1)?.meetings).toEqual([{ meetingId: open[2]!.id, roles: ['patient'], since: [expect.any(String)] }]);
    expect(watch.notes()).toEqual([]);
    await watch.dispose();
  });

  it('one Management Node behind two domains is still read once per round', async () => {
    const other = 'second.pexip.test';
    const alias = newRoom();
    const meetings = [meetingIn(alias), meetingIn(newRoom())];
    // The second meeting's room is reached through another domain of the same node and account.
    meetings[1]!.room = { ...meetings[1]!.room!, uri: meetings[1]!.room!.uri.replace(pexip.domain, other) };
    const servers = [
      { domain: pexip.domain, provider: 'pexip' as const, url: pexip.url },
      { domain: other, provider: 'pexip' as const, url: pexip.url },
    ];
    const { watch, until, rounds } = watching(meetings, [account(), { ...account(), domain: other }], servers);
    await watch.idle();
    const before = statusReads().length;
    const start = rounds();
    await until(() => rounds() >= start + 3);
    await watch.idle();
    expect(statusReads().length - before).toBe(rounds() - start);
    await watch.dispose();
  });

  it('says once, for Diagnostics, that no VMR has a meeting alias, and asks again only minutes later', async () => {
    const missing = meetingIn(`vmr-nowhere-${rooms}@${pexip.domain}`);
    const { watch, lines, until, rounds, skip } = watching([missing]);
    const lookupsBefore = aliasLookups().length;
    const start = rounds();
    await until(() => rounds() >= start + 4);
    expect(watch.notes()).toEqual([{ subject: missing.room!.uri, problem: 'no-vmr' }]);
    expect(lines.filter((l) => l.includes('no-vmr'))).toHaveLength(1);
    // The uriWithDomain, then its bare alias: two lookups in the first round, none since.
    expect(aliasLookups().length - lookupsBefore).toBe(2);
    // Five minutes on (VDX may have provisioned it since): asked again, still said only once.
    skip(5 * 60_000);
    await until(() => aliasLookups().length - lookupsBefore === 4);
    expect(watch.notes()).toHaveLength(1);
    await watch.dispose();
  });

  it('notices a VMR renamed under it (participants dialled its alias, none in the VMR by name), says so once, and resolves it again', async () => {
    const alias = newRoom();
    const meeting = meetingIn(alias);
    const { watch, events, until, skip } = watching([meeting]);
    await join(alias, guestPin, 'Pat Example', 'patient');
    await until(() => events.length === 1);
    pexip.addRoom({ alias, hostPin, guestPin, name: `Renamed room ${rooms}` });
    await until(() => watch.notes().length === 1);
    expect(watch.notes()).toEqual([{ subject: alias, problem: 'no-matches' }]);
    expect(events.at(-1)?.meetings).toEqual([]);
    // Minutes later the VMR is resolved again by its alias, and the guest shows again.
    skip(5 * 60_000);
    await until(() => events.at(-1)?.meetings.length === 1);
    expect(watch.notes()).toHaveLength(1);
    await watch.dispose();
  });

  it('polled too fast, the Management API answers 429: the console backs off, says so once, and reads again later', async () => {
    const alias = newRoom();
    const { watch, lines, until, rounds, skip } = watching([meetingIn(alias)]);
    pexip.setManagementRateLimit({ requests: 0, windowMs: 60_000 });
    try {
      const before = pexip.requestLog.filter((e) => e.status === 429).length;
      await until(() => pexip.requestLog.filter((e) => e.status === 429).length > before);
      const throttled = pexip.requestLog.filter((e) => e.status === 429).length;
      const start = rounds();
      await until(() => rounds() >= start + 5);
      // Held back: the rounds went on without asking the Management Node again.
      expect(pexip.requestLog.filter((e) => e.status === 429).length).toBe(throttled);
      expect(lines.filter((l) => l.includes('429'))).toHaveLength(1);
      expect(watch.notes()).toEqual([{ subject: pexip.domain, problem: 'rate-limited' }]);
    } finally {
      pexip.setManagementRateLimit(GENEROUS);
    }
    // A minute on (no Retry-After came): asked again, and answered.
    const reads = statusReads().filter((e) => e.status === 200).length;
    skip(61_000);
    await until(() => statusReads().filter((e) => e.status === 200).length > reads);
    await watch.dispose();
  });

  it('does not use a refused account again, and never writes its password', async () => {
    const alias = newRoom();
    const wrong = { ...account(), password: 'not-the-password-1234' };
    const { watch, events, lines, until, rounds } = watching([meetingIn(alias)], [wrong]);
    await join(alias, guestPin, 'Pat Example', 'patient');
    const before = pexip.requestLog.filter((e) => e.status === 401).length;
    await until(() => lines.length === 1);
    expect(lines[0]).toContain('refused the status account');
    const after = rounds();
    await until(() => rounds() >= after + 3);
    expect(pexip.requestLog.filter((e) => e.status === 401).length - before).toBe(1);
    expect(lines.join('\n')).not.toContain(wrong.password);
    expect(lines.join('\n')).not.toContain(pexip.statusApi.password);
    expect(events).toEqual([]);
    await watch.dispose();
  });

  it('without a status account asks Pexip nothing, and says so once', async () => {
    const alias = newRoom();
    const { watch, events, lines, until, rounds } = watching([meetingIn(alias)], []);
    await join(alias, guestPin, 'Pat Example', 'patient');
    const before = pexip.requestLog.length;
    await until(() => rounds() >= 3);
    expect(pexip.requestLog.length).toBe(before);
    expect(lines).toEqual([expect.stringContaining(`no Pexip status account for ${pexip.domain}`)]);
    expect(events).toEqual([]);
    await watch.dispose();
  });
});
