/**
 * The readiness check against the Pexip double (its Client API, CORS per origin, tokens, the
 * event stream, the Management Node with Basic auth) and Debian's real coturn as the STUN/TURN
 * server the double hands out: it passes when everything is there, and each broken part fails
 * its own step by name (CORS off for the app's origin, TURN stopped, a wrong status password,
 * an unknown test alias, a test VMR with a PIN, wrong TURN credentials). No token, PIN or
 * password ever appears in the report or its text.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readinessPassed, type ReadinessReport } from '../../../../../common/readiness';
import { readinessText } from '../../../../../common/readiness-text';
import { runReadinessCheck, type ReadinessOptions } from '../../../../../call/main/readiness/readiness-check';
import { APP_ORIGIN } from '../../../../../main/windows/app-origin';
import { startPexip, type PexipHandle } from '../../../../stack/pexip';
import { startTurn, turnserverBinary, type TurnHandle } from '../../../../stack/turn';

const ALIAS = 'readiness-check@pexip.sandbox.test';
let pexip: PexipHandle;
let turn: TurnHandle | null;

beforeAll(async () => {
  // Many checks in a row from one account: the double's default limit (20 per 10 s) would answer 429.
  pexip = await startPexip({ managementRateLimit: { requests: 10_000, windowMs: 10_000 } });
  pexip.addRoom({ alias: ALIAS, hostPin: '', guestPin: '' });
  turn = await startTurn();
}, 30_000);
afterAll(async () => {
  await turn?.close();
  await pexip?.stop();
});

function iceServers(t: TurnHandle, credential = t.credential) {
  return { stun: [{ url: t.stunUrl }], turn: [{ urls: t.turnUrls, username: t.username, credential }] };
}

beforeEach(() => {
  pexip.setCorsOrigins([APP_ORIGIN]);
  if (turn) pexip.setIceServers(iceServers(turn));
});

function settings(over: Partial<ReadinessOptions['settings']> = {}): ReadinessOptions['settings'] {
  return {
    conferenceServers: [{ domain: pexip.domain, provider: 'pexip', url: pexip.url }],
    pexipStatusApi: [{ domain: pexip.domain, url: pexip.statusApi.url, username: pexip.statusApi.username, password: pexip.statusApi.password }],
    pexipTestAlias: ALIAS,
    janusTestRooms: [],
    ...over,
  };
}

const check = (over: Partial<ReadinessOptions['settings']> = {}) => runReadinessCheck({ settings: settings(over), origin: APP_ORIGIN, timeoutMs: 2000 });

function row(report: ReadinessReport, step: string) {
  const found = report.rows.filter((r) => r.step === step);
  expect(found.length, `rows of step ${step}`).toBeGreaterThan(0);
  return found;
}

function expectNoSecrets(report: ReadinessReport): void {
  const text = `${JSON.stringify(report)}\n${readinessText(report)}`;
  expect(text).not.toContain(pexip.statusApi.password);
  if (turn) expect(text).not.toContain(turn.credential);
  expect(text).not.toContain('Readiness check'); // the display name the check joins with
}

describe.skipIf(!turnserverBinary())('the readiness check against the Pexip double and coturn', () => {
  it('passes with every step ok, proves STUN and TURN with a real allocation, and leaves nobody in the test VMR', async () => {
    const report = await check();
    expect(report.rows.filter((r) => r.state !== 'ok').map((r) => `${r.step}:${r.code}`)).toEqual(['tls:not-tls']);
    expect(readinessPassed(report)).toBe(true);
    expect(row(report, 'request-token')[0]).toMatchObject({ state: 'ok', code: 'token-issued', params: { role: 'HOST' } });
    expect(row(report, 'stun').map((r) => r.code)).toEqual(['stun-answered']);
    expect(row(report, 'turn').map((r) => r.code)).toEqual(['turn-allocated', 'turn-allocated']);
    expect(row(report, 'cors')[0]).toMatchObject({ code: 'cors-allowed', params: { origin: APP_ORIGIN } });
    expect(row(report, 'management-vmr')[0]!.code).toBe('vmr-resolved');
    expect(pexip.participants(ALIAS)).toEqual([]);
    expectNoSecrets(report);
    expect(readinessText(report)).toMatch(/passed/);
  });

  it('names the CORS step when the node does not allow the app origin', async () => {
    pexip.setCorsOrigins(['https://portal.example']);
    const report = await check();
    expect(row(report, 'cors')[0]).toMatchObject({ state: 'failed', code: 'cors-refused', params: { origin: APP_ORIGIN, status: 403 } });
    // The event stream from that origin fails the same way; the token itself is main's (no CORS).
    expect(row(report, 'events')[0]).toMatchObject({ state: 'failed', code: 'cors-refused' });
    expect(row(report, 'request-token')[0]!.state).toBe('ok');
    expect(readinessPassed(report)).toBe(false);
    expect(readinessText(report)).toMatch(/FAILED\s+pexip http:\/\/127\.0\.0\.1:\d+\s+cors\s+cors-refused \(origin=app:\/\/console, status=403\)/);
  });

  it('names the STUN and TURN steps when the TURN server is down, and passes again when it is back', async () => {
    await turn!.stop();
    try {
      const report = await check();
      expect(row(report, 'stun').map((r) => `${r.state}:${r.code}`)).toEqual(['failed:stun-no-answer']);
      expect(row(report, 'turn').map((r) => `${r.state}:${r.code}`)).toEqual(['failed:turn-no-answer', 'failed:turn-no-answer']);
      expect(report.rows.filter((r) => r.state === 'failed').map((r) => r.step).sort()).toEqual(['stun', 'turn', 'turn']);
    } finally {
      await turn!.start();
    }
    expect(readinessPassed(await check())).toBe(true);
  }, 30_000);

  it('names the TURN step when the token answer carries credentials the TURN server refuses', async () => {
    pexip.setIceServers(iceServers(turn!, 'not-the-credential'));
    const report = await check();
    expect(row(report, 'turn').map((r) => `${r.state}:${r.code}:${r.params?.status}`)).toEqual(['failed:turn-refused:401', 'failed:turn-refused:401']);
    expect(row(report, 'stun')[0]!.state).toBe('ok');
  });

  it('says a TURN server without credentials in the answer is there, marked inferred', async () => {
    pexip.setIceServers({ stun: [{ url: turn!.stunUrl }], turn: [{ urls: [turn!.turnUrls[0]!] } as never] });
    const report = await check();
    expect(row(report, 'turn')).toEqual([expect.objectContaining({ state: 'ok', code: 'turn-answered', inferred: true })]);
    expect(readinessText(report)).toContain('turn-answered [inferred]');
  });

  it('skips STUN and TURN when the node hands out none', async () => {
    pexip.setIceServers(null);
    const report = await check();
    expect(row(report, 'stun')[0]).toMatchObject({ state: 'skipped', code: 'no-stun-in-token' });
    expect(row(report, 'turn')[0]).toMatchObject({ state: 'skipped', code: 'no-turn-in-token' });
    expect(readinessPassed(report)).toBe(true);
  });

  it('names the Management step when the Management Node throttles the account', async () => {
    pexip.setManagementRateLimit({ requests: 0, windowMs: 60_000 });
    try {
      const report = await check();
      expect(row(report, 'management-status')[0]).toMatchObject({ state: 'failed', code: 'rate-limited' });
    } finally {
      pexip.setManagementRateLimit({ requests: 10_000, windowMs: 10_000 });
    }
  });

  it('names the Management step when the status password is wrong, and does not try the VMR lookup with it', async () => {
    const report = await check({
      pexipStatusApi: [{ domain: pexip.domain, url: pexip.statusApi.url, username: pexip.statusApi.username, password: 'wrong-password-for-test' }],
    });
    expect(row(report, 'management-status')[0]).toMatchObject({ state: 'failed', code: 'account-refused', params: { status: 401 } });
    expect(row(report, 'management-vmr')[0]).toMatchObject({ state: 'skipped', code: 'earlier-step-failed' });
    expect(report.rows.filter((r) => r.state === 'failed').map((r) => r.step)).toEqual(['management-status']);
    expect(JSON.stringify(report)).not.toContain('wrong-password-for-test');
  });

  it('names request_token and the VMR lookup when the test alias is unknown', async () => {
    const report = await check({ pexipTestAlias: 'no-such-vmr@pexip.sandbox.test' });
    expect(row(report, 'request-token')[0]).toMatchObject({ state: 'failed', code: 'token-refused', params: { status: 404 } });
    expect(['events', 'stun', 'turn', 'release-token'].map((s) => row(report, s)[0]!.code)).toEqual(['no-token', 'no-token', 'no-token', 'no-token']);
    expect(row(report, 'management-vmr')[0]).toMatchObject({ state: 'failed', code: 'vmr-not-found' });
  });

  it('says when the test VMR asks for a PIN (IT must create it without one)', async () => {
    pexip.addRoom({ alias: 'readiness-with-pin@pexip.sandbox.test', hostPin: '48213907', guestPin: '' });
    const report = await check({ pexipTestAlias: 'readiness-with-pin@pexip.sandbox.test' });
    expect(row(report, 'request-token')[0]).toMatchObject({ state: 'failed', code: 'token-pin-asked' });
    expect(JSON.stringify(report)).not.toContain('48213907');
  });

  it('skips the token steps without a test alias, and the Management steps without an account', async () => {
    const report = await check({ pexipTestAlias: '', pexipStatusApi: [] });
    expect(['request-token', 'events', 'stun', 'turn', 'release-token'].map((s) => row(report, s)[0]!.code)).toEqual(Array(5).fill('no-test-alias'));
    expect(row(report, 'management-status')[0]).toMatchObject({ state: 'skipped', code: 'no-status-account' });
    // CORS is still asked, on a conference path.
    expect(row(report, 'cors')[0]!.code).toBe('cors-allowed');
  });

  it('names the Client API when the node is down, and skips what depends on it', async () => {
    pexip.setDown(true);
    try {
      const report = await check();
      expect(row(report, 'client-api')[0]).toMatchObject({ state: 'failed', code: 'unreachable' });
      expect(['cors', 'request-token', 'events', 'stun', 'turn', 'release-token'].map((s) => row(report, s)[0]!.code)).toEqual(Array(6).fill('earlier-step-failed'));
    } finally {
      pexip.setDown(false);
    }
  });

  it('names DNS for a node whose name does not resolve', async () => {
    const report = await check({ conferenceServers: [{ domain: pexip.domain, provider: 'pexip', url: 'https://pexip-node.invalid' }], pexipStatusApi: [] });
    expect(row(report, 'dns')[0]).toMatchObject({ state: 'failed', code: 'not-resolved' });
    expect(['tls', 'client-api', 'cors', 'request-token'].map((s) => row(report, s)[0]!.code)).toEqual(Array(4).fill('earlier-step-failed'));
  });
});
