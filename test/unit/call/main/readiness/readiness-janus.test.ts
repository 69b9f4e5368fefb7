/**
 * The readiness check for a Janus site, against Debian's real Janus and the real room guard:
 * the guard answers, Janus's WebSocket transport accepts the janus-protocol upgrade, and on
 * the guard's test room a host is admitted and joins in Janus, leaving nothing behind. A
 * server that is not Janus, a wrong test-room PIN, a guard without the room, or a guard that
 * is gone fails its own step by name.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readinessPassed } from '../../../../../common/readiness';
import { readinessText } from '../../../../../common/readiness-text';
import { runReadinessCheck } from '../../../../../call/main/readiness/readiness-check';
import { createGuard, type Guard } from '../../../../../janus-guard/guard';
import { createJanusAdmin } from '../../../../../janus-guard/janus-admin';
import { startGuardServer, type GuardServer } from '../../../../../janus-guard/server';
import { provisionTestRoom } from '../../../../../janus-guard/test-room';
import { APP_ORIGIN } from '../../../../../main/windows/app-origin';
import type { JanusTestRoom } from '../../../../../main/settings/settings';
import { startJanus, type JanusHandle } from '../../../../stack/janus';

const DOMAIN = 'video.sandbox.test';
const TEST_ROOM = { room: 'readiness-check-room', hostPin: '48213957' };

let janus: JanusHandle;
let core: Guard;
let guard: GuardServer;

beforeAll(async () => {
  janus = await startJanus();
  core = createGuard({ janus: createJanusAdmin({ adminUrl: janus.adminUrl, adminSecret: janus.adminSecret }), adminKey: janus.adminKey });
  await provisionTestRoom(core, TEST_ROOM);
  guard = await startGuardServer({ guard: core, provisionKey: randomBytes(24).toString('base64url') });
}, 60_000);
afterAll(async () => {
  await guard?.stop();
  await janus?.stop();
});

const check = (url: string, guardUrl: string, janusTestRooms: JanusTestRoom[] = [{ domain: DOMAIN, ...TEST_ROOM }]) =>
  runReadinessCheck({
    settings: { conferenceServers: [{ domain: DOMAIN, provider: 'janus', url, guardUrl }], pexipStatusApi: [], pexipTestAlias: '', janusTestRooms },
    origin: APP_ORIGIN,
    timeoutMs: 3000,
  });

/** Janus's own count of sessions (Admin API): what a check must not leave behind. */
async function janusSessions(): Promise<number> {
  const res = await fetch(janus.adminUrl, {
    method: 'POST',
    body: JSON.stringify({ janus: 'list_sessions', transaction: randomBytes(6).toString('hex'), admin_secret: janus.adminSecret }),
  });
  const body = (await res.json()) as { sessions?: number[] };
  return body.sessions?.length ?? -1;
}

describe('the readiness check for a Janus site', () => {
  it('passes: the guard answers, Janus upgrades to its WebSocket protocol, and a host is admitted to the test room and joins it', async () => {
    const report = await check(janus.wsUrl, guard.url);
    expect(report.rows.map((r) => `${r.kind}:${r.step}:${r.state}:${r.code}`)).toEqual([
      'room-guard:dns:ok:ip-address',
      'room-guard:tls:skipped:not-tls',
      'room-guard:guard:ok:answered',
      'janus:dns:ok:ip-address',
      'janus:tls:skipped:not-tls',
      'janus:janus:ok:websocket-upgraded',
      'room-guard:admission:ok:admitted',
    ]);
    expect(readinessPassed(report)).toBe(true);
    expect(readinessText(report)).not.toContain(TEST_ROOM.hostPin);
    // The check removed its own feed: the guard's roster is empty again, and Janus keeps no session of it.
    const session = await core.hostSession(TEST_ROOM.room, TEST_ROOM.hostPin, '127.0.0.1');
    expect(await core.state(TEST_ROOM.room, session.session)).toEqual({ waiting: [], roster: [] });
    core.releaseHost(TEST_ROOM.room, session.session);
    expect(await janusSessions()).toBe(0);
  });

  it('skips admission, saying why, without a test room for the domain', async () => {
    const report = await check(janus.wsUrl, guard.url, [{ domain: 'other.sandbox.test', ...TEST_ROOM }]);
    expect(report.rows.at(-1)).toMatchObject({ step: 'admission', state: 'skipped', code: 'no-test-room' });
    expect(readinessPassed(report)).toBe(true);
  });

  it('names the admission step when the test room refuses the PIN, or the guard has no such room', async () => {
    const wrong = await check(janus.wsUrl, guard.url, [{ domain: DOMAIN, room: TEST_ROOM.room, hostPin: '11112222' }]);
    expect(wrong.rows.at(-1)).toMatchObject({ step: 'admission', state: 'failed', code: 'test-room-pin-refused' });
    expect(readinessText(wrong)).not.toContain('11112222');
    const missing = await check(janus.wsUrl, guard.url, [{ domain: DOMAIN, room: 'no-such-test-room-here', hostPin: TEST_ROOM.hostPin }]);
    expect(missing.rows.at(-1)).toMatchObject({ step: 'admission', state: 'failed', code: 'test-room-not-found' });
  });

  it("names the admission step when Janus does not know the guard's token (a Janus other than the guard's)", async () => {
    const other = await startJanus();
    try {
      const report = await check(other.wsUrl, guard.url);
      expect(report.rows.find((r) => r.step === 'janus')!.state).toBe('ok');
      // token_auth: 403 (JANUS_ERROR_UNAUTHORIZED) to a token only the guard's own Janus stored.
      expect(report.rows.at(-1)).toMatchObject({ step: 'admission', state: 'failed', code: 'janus-refused', params: { error: 'janus-403' } });
    } finally {
      await other.stop();
    }
  }, 60_000);

  it('names the Janus step when the address is not a Janus WebSocket (the guard, here), and skips admission', async () => {
    const report = await check(guard.url.replace(/^http/, 'ws'), guard.url);
    expect(report.rows.find((r) => r.step === 'janus')).toMatchObject({ state: 'failed', code: 'not-websocket' });
    expect(report.rows.at(-1)).toMatchObject({ step: 'admission', state: 'skipped', code: 'earlier-step-failed' });
  });

  it('names the guard step when the guard is gone', async () => {
    const gone = guard.url;
    await guard.stop();
    const report = await check(janus.wsUrl, gone);
    // The error parameter depends on whether a kept-alive socket was reused (UND_ERR_SOCKET) or a new one refused (ECONNREFUSED).
    expect(report.rows.find((r) => r.step === 'guard')).toMatchObject({ state: 'failed', code: 'unreachable' });
    expect(report.rows.find((r) => r.step === 'janus')!.state).toBe('ok');
  });
});
