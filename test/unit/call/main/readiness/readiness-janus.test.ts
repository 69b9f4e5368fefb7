/**
 * The readiness check for a Janus site, against Debian's real Janus and the real room guard:
 * the guard answers, Janus's WebSocket transport accepts the janus-protocol upgrade, and
 * admission is skipped with its reason (the console holds no test room's PIN). A server that
 * is not Janus, or a guard that is gone, fails its own step by name.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readinessPassed } from '../../../../../common/readiness';
import { runReadinessCheck } from '../../../../../call/main/readiness/readiness-check';
import { createGuard } from '../../../../../janus-guard/guard';
import { createJanusAdmin } from '../../../../../janus-guard/janus-admin';
import { startGuardServer, type GuardServer } from '../../../../../janus-guard/server';
import { APP_ORIGIN } from '../../../../../main/windows/app-origin';
import { startJanus, type JanusHandle } from '../../../../stack/janus';

let janus: JanusHandle;
let guard: GuardServer;

beforeAll(async () => {
  janus = await startJanus();
  const core = createGuard({ janus: createJanusAdmin({ adminUrl: janus.adminUrl, adminSecret: janus.adminSecret }), adminKey: janus.adminKey });
  guard = await startGuardServer({ guard: core, provisionKey: randomBytes(24).toString('base64url') });
}, 60_000);
afterAll(async () => {
  await guard?.stop();
  await janus?.stop();
});

const check = (url: string, guardUrl: string) =>
  runReadinessCheck({
    settings: { conferenceServers: [{ domain: 'video.sandbox.test', provider: 'janus', url, guardUrl }], pexipStatusApi: [], pexipTestAlias: '' },
    origin: APP_ORIGIN,
    timeoutMs: 3000,
  });

describe('the readiness check for a Janus site', () => {
  it('passes: the guard answers, Janus upgrades to its WebSocket protocol, admission is skipped with its reason', async () => {
    const report = await check(janus.wsUrl, guard.url);
    expect(report.rows.map((r) => `${r.kind}:${r.step}:${r.state}:${r.code}`)).toEqual([
      'room-guard:dns:ok:ip-address',
      'room-guard:tls:skipped:not-tls',
      'room-guard:guard:ok:answered',
      'room-guard:admission:skipped:admission-needs-room-pin',
      'janus:dns:ok:ip-address',
      'janus:tls:skipped:not-tls',
      'janus:janus:ok:websocket-upgraded',
    ]);
    expect(readinessPassed(report)).toBe(true);
  });

  it('names the Janus step when the address is not a Janus WebSocket (the guard, here)', async () => {
    const report = await check(guard.url.replace(/^http/, 'ws'), guard.url);
    expect(report.rows.find((r) => r.step === 'janus')).toMatchObject({ state: 'failed', code: 'not-websocket' });
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
