/**
 * The room guard's lobby says since when each guest waits (the knock, on the guard's clock),
 * to the lobby watcher (roles and times only) and to the host session (with names); and the
 * host's short notice ("running late") reaches every waiting guest's page, waking a poll
 * under way, once per notice. Through the real HTTP server; Janus is not needed for any of
 * this (test/support/idle-janus.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createGuard } from '../../../janus-guard/guard';
import { startGuardServer, type GuardServer } from '../../../janus-guard/server';
import { idleJanus } from '../../support/idle-janus';

const provisionKey = randomBytes(24).toString('base64url');
const hostPin = '40718263';
const guestPin = '95172038';

let servers: GuardServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

async function startGuard(now: () => number) {
  const server = await startGuardServer({ guard: createGuard({ janus: idleJanus(), adminKey: 'k'.repeat(32), now, guestStaleMs: 3_600_000 }), provisionKey });
  servers.push(server);
  async function api(method: string, path: string, init: { bearer?: string; body?: unknown } = {}) {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(init.bearer ? { authorization: `Bearer ${init.bearer}` } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  }
  const id = randomBytes(16).toString('hex');
  expect((await api('POST', '/v1/rooms', { bearer: provisionKey, body: { room: id, hostPin, guestPin } })).status).toBe(201);
  const room = (path: string) => `/v1/rooms/${id}${path}`;
  const knock = async (role: string) => {
    const res = await api('POST', room('/guests'), { body: { pin: guestPin, name: 'Sam Example', role } });
    expect(res.status).toBe(201);
    return { guestId: String(res.json.guestId), secret: String(res.json.secret) };
  };
  const watcher = async () => String((await api('POST', room('/watcher'), { body: { pin: hostPin } })).json.watcher);
  const session = async () => String((await api('POST', room('/host'), { body: { pin: hostPin } })).json.session);
  return { api, room, knock, watcher, session };
}

describe('the lobby with waiting times', () => {
  it('tells the watcher and the host since when each guest waits, from the knock', async () => {
    let t = Date.parse('2026-03-02T09:00:00.000Z');
    const g = await startGuard(() => t);
    await g.knock('patient');
    t += 90_000;
    await g.knock('interpreter');
    t += 60_000;
    const lobby = await g.api('GET', g.room('/lobby'), { bearer: await g.watcher() });
    expect(lobby.json).toEqual({
      waiting: [
        { role: 'patient', since: '2026-03-02T09:00:00.000Z' },
        { role: 'interpreter', since: '2026-03-02T09:01:30.000Z' },
      ],
    });
    const state = await g.api('GET', g.room('/state'), { bearer: await g.session() });
    expect((state.json.waiting as Array<{ since: string }>).map((w) => w.since)).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T09:01:30.000Z']);
  });
});

describe("the host's notice to waiting guests", () => {
  it('wakes a waiting poll with the text, once, and reaches only who waits', async () => {
    const g = await startGuard(Date.now);
    const a = await g.knock('patient');
    const b = await g.knock('relative');
    const host = await g.session();
    const guests = ((await g.api('GET', g.room('/state'), { bearer: host })).json.waiting as Array<{ guestId: string }>).map((w) => w.guestId);
    await g.api('POST', g.room('/deny'), { bearer: host, body: { guestId: b.guestId } });
    expect(guests).toContain(b.guestId);

    // A long poll under way is answered at once with the notice.
    const polling = g.api('GET', g.room(`/guests/${a.guestId}?wait=20000`), { bearer: a.secret });
    const sent = await g.api('POST', g.room('/notice'), { bearer: await g.watcher(), body: { text: 'The clinician is running about 10 minutes late.' } });
    expect(sent.json).toEqual({ reached: 1 });
    const answer = (await polling).json;
    expect(answer).toMatchObject({ state: 'waiting', notice: { text: 'The clinician is running about 10 minutes late.' } });
    const seq = (answer.notice as { seq: number }).seq;
    // Seen: the next poll waits again and says nothing new; an older `seen` gets it again (a reloaded page).
    expect((await g.api('GET', g.room(`/guests/${a.guestId}?wait=0&seen=${seq}`), { bearer: a.secret })).json).toEqual({ state: 'waiting' });
    expect((await g.api('GET', g.room(`/guests/${a.guestId}?wait=0`), { bearer: a.secret })).json).toMatchObject({ notice: { seq } });
    // The guest turned away hears nothing of it.
    expect((await g.api('GET', g.room(`/guests/${b.guestId}?wait=0`), { bearer: b.secret })).json).toEqual({ state: 'denied' });
  });

  it('needs the host session or a lobby watcher: a guest secret, nothing or an empty text is refused', async () => {
    const g = await startGuard(Date.now);
    const a = await g.knock('patient');
    expect((await g.api('POST', g.room('/notice'), { bearer: a.secret, body: { text: 'Come in' } })).status).toBe(401);
    expect((await g.api('POST', g.room('/notice'), { body: { text: 'Come in' } })).status).toBe(401);
    expect((await g.api('POST', g.room('/notice'), { bearer: await g.session(), body: { text: '  ' } })).status).toBe(400);
    expect((await g.api('POST', g.room('/notice'), { bearer: await g.session(), body: { text: 'Running late' } })).json).toEqual({ reached: 1 });
    expect((await g.api('GET', g.room(`/guests/${a.guestId}?wait=0`), { bearer: a.secret })).json).toMatchObject({ notice: { text: 'Running late' } });
  });
});
