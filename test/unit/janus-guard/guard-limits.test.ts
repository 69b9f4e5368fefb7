/**
 * The room guard's attempt limits limit guessers, not the clinic: behind a TLS proxy the
 * real client counts (X-Forwarded-For, from a trusted proxy only); host and guest PINs have
 * separate budgets; a guest's wrong host PINs slow that guest, not the clinician; many
 * sources guessing one room slow strangers but not a source that gave the room's right PIN;
 * back-off instead of a lock, and the right PIN during back-off is refused unchecked; knocks
 * are limited and forgotten. Through the real HTTP server and real scrypt; Janus is not
 * needed for any of this (test/support/idle-janus.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createAttemptLimiter, type AttemptLimits } from '../../../janus-guard/attempts';
import { clientAddress, sourceOf, trustedProxies } from '../../../janus-guard/client-address';
import { createGuard } from '../../../janus-guard/guard';
import { createPinChecker, hashPin, PinCheckBusy } from '../../../janus-guard/pins';
import { startGuardServer, type GuardServer } from '../../../janus-guard/server';
import { idleJanus } from '../../support/idle-janus';

const provisionKey = randomBytes(24).toString('base64url');
const hostPin = '40718263';
const guestPin = '95172038';
const clinician = '203.0.113.10';
const guesser = '198.51.100.7';

let servers: GuardServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

/** A guard on loopback: the test is the TLS proxy (127.0.0.1) when `trusted` says so. */
async function startGuard(opts: { trusted?: string[]; limits?: Partial<AttemptLimits>; now?: () => number } = {}) {
  const server = await startGuardServer({
    guard: createGuard({ janus: idleJanus(), adminKey: 'k'.repeat(32), ...(opts.limits ? { limits: opts.limits } : {}), ...(opts.now ? { now: opts.now } : {}) }),
    provisionKey,
    ...(opts.trusted ? { trustedProxies: opts.trusted } : {}),
  });
  servers.push(server);
  async function api(method: string, path: string, init: { from?: string; bearer?: string; body?: unknown } = {}) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(init.from ? { 'x-forwarded-for': init.from } : {}),
        ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }
  async function room(): Promise<string> {
    const id = randomBytes(16).toString('hex');
    expect((await api('POST', '/v1/rooms', { bearer: provisionKey, body: { room: id, hostPin, guestPin } })).status).toBe(201);
    return id;
  }
  const host = (id: string, pin: string, from?: string) => api('POST', `/v1/rooms/${id}/host`, { ...(from ? { from } : {}), body: { pin } });
  const watcher = (id: string, pin: string, from?: string) => api('POST', `/v1/rooms/${id}/watcher`, { ...(from ? { from } : {}), body: { pin } });
  const knock = (id: string, pin: string, from?: string) => api('POST', `/v1/rooms/${id}/guests`, { ...(from ? { from } : {}), body: { pin, name: 'Sam Example', role: 'patient' } });
  return { api, room, host, watcher, knock };
}

describe('the room guard behind a TLS proxy', () => {
  it("50 wrong guest PINs from many rooms through one proxy do not stop the clinician's right host PIN", async () => {
    const guard = await startGuard({ trusted: ['127.0.0.1'] });
    const rooms = await Promise.all(Array.from({ length: 5 }, () => guard.room()));
    const answers: number[] = [];
    for (let i = 0; i < 50; i++) answers.push((await guard.knock(rooms[i % rooms.length]!, '00000000', guesser)).status);
    // The guesser is slowed down (its own budget across rooms)...
    expect(answers.slice(0, 5)).toEqual([403, 403, 403, 403, 403]);
    expect(answers).toContain(429);
    expect((await guard.knock(rooms[0]!, guestPin, guesser)).status).toBe(429);
    // ...and nobody else: the clinician hosts every room, and other guests still knock.
    for (const id of rooms) {
      expect((await guard.host(id, hostPin, clinician)).status).toBe(200);
      expect((await guard.watcher(id, hostPin, clinician)).status).toBe(200);
      expect((await guard.knock(id, guestPin, '192.0.2.44')).status).toBe(201);
    }
  });

  it("keeps host and guest PINs apart even when every caller is one address (no trusted proxy set)", async () => {
    const guard = await startGuard();
    const rooms = await Promise.all(Array.from({ length: 5 }, () => guard.room()));
    for (let i = 0; i < 50; i++) await guard.knock(rooms[i % rooms.length]!, '00000000');
    expect((await guard.knock(rooms[0]!, guestPin)).status).toBe(429);
    for (const id of rooms) expect((await guard.host(id, hostPin)).status).toBe(200);
  });

  it("a guest's five wrong host PINs slow that guest, never the clinician", async () => {
    const guard = await startGuard({ trusted: ['127.0.0.1'] });
    const id = await guard.room();
    expect((await guard.knock(id, guestPin, guesser)).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await guard.host(id, `1111000${i}`, guesser)).status).toBe(403);
    // The guest backs off: the right PIN too is refused without being checked...
    const refused = await guard.host(id, hostPin, guesser);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(await guard.host(id, '22220000', guesser)).toMatchObject({ status: 429, retryAfter: refused.retryAfter });
    // ...and the clinician hosts and watches as if nothing happened.
    expect((await guard.host(id, hostPin, clinician)).status).toBe(200);
    expect((await guard.watcher(id, hostPin, clinician)).status).toBe(200);
  });

  it('believes X-Forwarded-For only from a trusted proxy: a caller cannot name itself someone new per guess', async () => {
    const guard = await startGuard({ trusted: ['10.99.0.1'] }); // not the test's address
    const id = await guard.room();
    for (let i = 0; i < 5; i++) expect((await guard.host(id, '00000000', `192.0.2.${i + 1}`)).status).toBe(403);
    expect((await guard.host(id, hostPin, '192.0.2.200')).status).toBe(429);
    // Through the trusted proxy, the left part of the header is the client's own claim.
    const behind = await startGuard({ trusted: ['127.0.0.1'] });
    const other = await behind.room();
    for (let i = 0; i < 5; i++) expect((await behind.host(other, '00000000', `192.0.2.${i + 1}, ${guesser}`)).status).toBe(403);
    expect((await behind.host(other, hostPin, `192.0.2.77, ${guesser}`)).status).toBe(429);
    expect((await behind.host(other, hostPin, clinician)).status).toBe(200);
  });
});

describe('back-off, room-wide', () => {
  it('many sources guessing one host PIN slow strangers, not the console that gave the right PIN', async () => {
    let t = 1_000_000;
    const guard = await startGuard({ trusted: ['127.0.0.1'], now: () => t, limits: { maxFailures: 5, maxFailuresPerRoom: 20 } });
    const id = await guard.room();
    // The day view bought its lobby watcher when the meeting opened.
    expect((await guard.watcher(id, hostPin, clinician)).status).toBe(200);
    // One source alone never slows the room: its own budget stops it first.
    for (let i = 0; i < 5; i++) expect((await guard.host(id, '00000000', guesser)).status).toBe(403);
    t += 60 * 60_000;
    for (let i = 0; i < 3; i++) {
      expect((await guard.host(id, '00000000', guesser)).status).toBe(403);
      t += 60 * 60_000;
    }
    expect((await guard.host(id, hostPin, '192.0.2.50')).status).toBe(200);
    // Three more sources, five wrong PINs each: the room's budget is spent.
    for (let s = 1; s <= 3; s++) for (let i = 0; i < 5; i++) expect((await guard.host(id, '00000000', `192.0.2.${s}`)).status).toBe(403);
    expect((await guard.host(id, hostPin, '192.0.2.99')).status).toBe(429);
    expect((await guard.host(id, hostPin, clinician)).status).toBe(200);
    expect((await guard.host(id, hostPin, '192.0.2.50')).status).toBe(200); // gave the right PIN before
    // Guests are not touched by any of it.
    expect((await guard.knock(id, guestPin, '192.0.2.99')).status).toBe(201);
  });

  it('parallel wrong PINs from one source get no more checks than its budget', async () => {
    const guard = await startGuard({ limits: { maxFailures: 5 } });
    const id = await guard.room();
    const answers = await Promise.all(Array.from({ length: 20 }, () => guard.host(id, '00000000')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 403 || s === 429 || s === 503)).toBe(true);
  });
});

describe('the attempt limiter', () => {
  it('backs off exponentially up to a cap, and asking while backing off does not extend it', () => {
    let t = 0;
    const limiter = createAttemptLimiter({ maxFailures: 3, backoffMs: 1_000, maxBackoffMs: 5_000 }, () => t);
    const keys = { room: 'r', kind: 'host' as const, source: '192.0.2.1' };
    const fail = () => {
      const v = limiter.begin(keys);
      if (!v.ok) throw new Error(`backing off for ${v.retryAfterMs} ms`);
      v.attempt.failed();
    };
    fail();
    fail();
    fail();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const v = limiter.begin(keys);
      expect(v.ok).toBe(false);
      const wait = v.ok ? 0 : v.retryAfterMs;
      waits.push(wait);
      t += wait / 2;
      expect(limiter.begin(keys)).toEqual({ ok: false, retryAfterMs: wait / 2 });
      t += wait / 2;
      fail();
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('forgets a source that mistyped once it gives the right PIN, but not for a machine’s check', () => {
    const limiter = createAttemptLimiter({ maxFailures: 3 }, () => 0);
    const run = (source: string, outcomes: Array<'failed' | 'person' | 'machine'>) =>
      outcomes.map((outcome) => {
        const v = limiter.begin({ room: 'r', kind: 'guest', source });
        if (!v.ok) return 'refused';
        if (outcome === 'failed') v.attempt.failed();
        else v.attempt.succeeded(outcome === 'person');
        return 'checked';
      });
    expect(run('192.0.2.1', ['failed', 'failed', 'person', 'failed', 'failed', 'person'])).toEqual(Array(6).fill('checked'));
    expect(run('192.0.2.2', ['failed', 'failed', 'machine', 'failed', 'person'])).toEqual(['checked', 'checked', 'checked', 'checked', 'refused']);
  });

  it('limits how often one source knocks, not others', () => {
    let t = 0;
    const limiter = createAttemptLimiter({ knockBurst: 3, knockEveryMs: 2_000 }, () => t);
    for (let i = 0; i < 3; i++) expect(limiter.knock('192.0.2.1')).toEqual({ ok: true });
    expect(limiter.knock('192.0.2.1')).toEqual({ ok: false, retryAfterMs: 2_000 });
    expect(limiter.knock('192.0.2.2')).toEqual({ ok: true });
    t += 2_000;
    expect(limiter.knock('192.0.2.1')).toEqual({ ok: true });
    expect(limiter.knock('192.0.2.1').ok).toBe(false);
  });
});

describe('knocks', () => {
  it('are limited per source and per lobby, and guests who stopped polling are forgotten', async () => {
    let t = 1_000_000;
    const guard = await startGuard({ trusted: ['127.0.0.1'], now: () => t, limits: { knockBurst: 2, maxLobby: 3 } });
    const id = await guard.room();
    expect((await guard.knock(id, guestPin, guesser)).status).toBe(201);
    const first = await guard.knock(id, guestPin, guesser);
    expect(first.status).toBe(201);
    const refused = await guard.knock(id, guestPin, guesser);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // The lobby holds three; the fourth waits until the host (or time) clears it.
    expect((await guard.knock(id, guestPin, '192.0.2.1')).status).toBe(201);
    expect((await guard.knock(id, guestPin, '192.0.2.2')).status).toBe(429);
    // Nobody polled for two minutes: all forgotten, their secrets worth nothing.
    t += 2 * 60_000 + 1;
    const poll = await guard.api('GET', `/v1/rooms/${id}/guests/${String(first.json.guestId)}?wait=0`, { bearer: String(first.json.secret) });
    expect(poll.status).toBe(200); // still there until the next knock prunes
    t += 2 * 60_000 + 1;
    expect((await guard.knock(id, guestPin, '192.0.2.2')).status).toBe(201);
    expect((await guard.api('GET', `/v1/rooms/${id}/guests/${String(first.json.guestId)}?wait=0`, { bearer: String(first.json.secret) })).status).toBe(401);
  });
});

describe('PIN checks off the event loop', () => {
  it('run a few at a time, host checks first, and refuse at once past the queue', async () => {
    const checker = createPinChecker({ concurrency: 1, maxQueued: 2, maxPerGroup: 10 });
    const stored = await hashPin(guestPin);
    const order: string[] = [];
    const check = (label: string, priority: 'host' | 'guest') => checker.matches(guestPin, stored, { priority, group: label }).then((right) => void order.push(`${label}:${right}`));
    const running = check('guest-1', 'guest');
    const queued = [check('guest-2', 'guest'), check('host', 'host')];
    await expect(checker.matches(guestPin, stored, { priority: 'guest', group: 'guest-3' })).rejects.toBeInstanceOf(PinCheckBusy);
    await Promise.all([running, ...queued]);
    expect(order).toEqual(['guest-1:true', 'host:true', 'guest-2:true']);
    expect(await checker.matches('00000000', stored, { priority: 'guest', group: 'x' })).toBe(false);
  });

  it('keep one room from taking every place, and let rooms take turns', async () => {
    const checker = createPinChecker({ concurrency: 1, maxQueued: 10, maxPerGroup: 3 });
    const stored = await hashPin(guestPin);
    const order: string[] = [];
    const check = (group: string, label: string) => checker.matches(guestPin, stored, { priority: 'guest', group }).then(() => void order.push(label));
    const flood = [check('guest:flooded', 'a1'), check('guest:flooded', 'a2'), check('guest:flooded', 'a3')];
    await expect(checker.matches(guestPin, stored, { priority: 'guest', group: 'guest:flooded' })).rejects.toBeInstanceOf(PinCheckBusy);
    await Promise.all([...flood, check('guest:other-room', 'b1')]);
    expect(order).toEqual(['a1', 'b1', 'a2', 'a3']);
  });
});

describe('the client address', () => {
  const proxies = trustedProxies(['10.0.0.1', '10.1.0.0/16', 'fd00::/64']);
  it('is the peer unless the peer is a trusted proxy', () => {
    expect(clientAddress('192.0.2.9', '198.51.100.1', proxies)).toBe('192.0.2.9');
    expect(clientAddress('::ffff:192.0.2.9', undefined, proxies)).toBe('192.0.2.9');
    expect(clientAddress('192.0.2.9', '198.51.100.1', null)).toBe('192.0.2.9');
  });
  it('is the right-most forwarded address that is not a trusted proxy', () => {
    expect(clientAddress('::ffff:10.0.0.1', '198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.1', '203.0.113.5, 198.51.100.1, 10.1.2.3', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.1', ['203.0.113.5', '198.51.100.1'], proxies)).toBe('198.51.100.1');
    expect(clientAddress('fd00::7', '2001:db8::1', proxies)).toBe('2001:db8::1');
    expect(clientAddress('10.0.0.1', '10.1.0.9, 10.1.0.8', proxies)).toBe('10.1.0.9');
  });
  it('never takes a malformed entry: the proxy stands', () => {
    expect(clientAddress('10.0.0.1', 'unknown', proxies)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.1', '198.51.100.1, junk, 10.1.0.9', proxies)).toBe('10.1.0.9');
  });
  it('counts an IPv6 client by its /64', () => {
    expect(sourceOf('2001:db8:1:2:aaaa::1')).toBe(sourceOf('2001:DB8:1:2:bbbb:cccc:dddd:eeee'));
    expect(sourceOf('2001:db8:1:2::1')).not.toBe(sourceOf('2001:db8:1:3::1'));
    expect(sourceOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(sourceOf('192.0.2.1')).toBe('192.0.2.1');
  });
  it('refuses a trusted proxy entry that is not an address or range', () => {
    expect(() => trustedProxies(['10.0.0.1/33'])).toThrow('10.0.0.1/33');
    expect(() => trustedProxies(['proxy.example'])).toThrow('proxy.example');
    expect(() => trustedProxies(['fd00::/64'])).not.toThrow();
  });
});
