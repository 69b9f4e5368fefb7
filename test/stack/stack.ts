// The whole world around the console, started in dependency order on 127.0.0.1:
// per-run CA -> identity provider (HTTPS) -> Janus and its room guard (optional) ->
// VDX booking sandbox (which provisions meetings' rooms through the guard).
// stop() takes it down in reverse order and always tries every part, so a failure in one
// never leaves a process or a port behind.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestCa, type TestCa } from './ca';
import { startIdp, type IdpHandle } from './idp';
import { startJanus, type JanusHandle } from './janus';
import { startPexip, type PexipHandle, type StartPexipOptions } from './pexip';
import { randomBytes, randomInt } from 'node:crypto';
import { createGuard, type Guard } from '../../janus-guard/guard';
import { createJanusAdmin } from '../../janus-guard/janus-admin';
import { startGuardServer, type GuardServer } from '../../janus-guard/server';
import { provisionTestRoom } from '../../janus-guard/test-room';
import { startTurn, type TurnHandle } from './turn';
import { startVdx, type SeedOptions, type VdxHandle } from './vdx';
import { guardProvisioner, pexipProvisioner, type RoomProvisioner } from './vdx/provisioners';

/** The domain of uriWithDomain for meetings whose rooms are on the sandbox's Janus. */
export const JANUS_DOMAIN = 'video.sandbox.test';
/** The PIN-less VMR IT would create for the readiness check (`pexipTestAlias`), on the Pexip double. */
export const PEXIP_TEST_ALIAS = 'readiness-check';
/** The room guard's test room for the readiness check (GUARD_TEST_ROOM; `janusTestRooms` in the console's policy). */
export const JANUS_TEST_ROOM = 'readiness-check-room';
import type { Settings } from '../../main/settings/settings';

export interface StackOptions {
  /** Lifetime of booking-API access tokens from the IdP (default 3600; tests of renewal use 60). */
  accessTokenTtlSeconds?: number;
  /** Start Janus and provision each meeting's room in it. Default false. */
  withJanus?: boolean;
  /** Start the Pexip Infinity double (test/stack/pexip); options or true for its defaults. Default false. */
  withPexip?: boolean | StartPexipOptions;
  /** Working folder (CA file, Janus config and log). Default: a new temp folder, removed on stop. */
  dir?: string;
  /** VDX seed layout, or false for no meetings. */
  seed?: SeedOptions | false;
}

export interface Stack {
  dir: string;
  ca: TestCa;
  idp: IdpHandle;
  vdx: VdxHandle;
  janus?: JanusHandle;
  /** The Pexip Conferencing Node double (with withPexip). */
  pexip?: PexipHandle;
  /** coturn, which the Pexip double hands out in its request_token answers (with withPexip, where coturn is installed). */
  turn?: TurnHandle;
  /** The room guard in front of Janus (with Janus): what holds the rooms' secrets and checks PINs. */
  guard?: GuardServer & { provisionKey: string; core: Guard; testRoom: { room: string; hostPin: string } };
  /** Environment for a Node process that must trust the IdP (e.g. the app's main process). */
  env: { NODE_EXTRA_CA_CERTS: string };
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const ownDir = !opts.dir;
  const dir = opts.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'clinician-stack-')));
  // Stop functions of what is already running, newest last.
  const started: Array<() => Promise<void>> = [];

  const stopAll = async () => {
    const errors: unknown[] = [];
    for (const stop of started.splice(0).reverse()) {
      try {
        await stop();
      } catch (e) {
        errors.push(e);
      }
    }
    if (ownDir) await rm(dir, { recursive: true, force: true }).catch((e: unknown) => errors.push(e));
    if (errors.length) throw new AggregateError(errors, 'stack did not stop cleanly');
  };

  try {
    const ca = await createTestCa(dir);
    const idp = await startIdp({
      tls: ca,
      ...(opts.accessTokenTtlSeconds !== undefined ? { accessTokenTtlSeconds: opts.accessTokenTtlSeconds } : {}),
    });
    started.push(() => idp.stop());

    let pexip: PexipHandle | undefined;
    let turn: TurnHandle | undefined;
    if (opts.withPexip) {
      const px = await startPexip(opts.withPexip === true ? {} : opts.withPexip);
      pexip = px;
      started.push(() => px.stop());
      const t = await startTurn();
      if (t) {
        turn = t;
        started.push(() => t.close());
        px.setIceServers({ stun: [{ url: t.stunUrl }], turn: [{ urls: t.turnUrls, username: t.username, credential: t.credential }] });
      }
      // The readiness check's test VMR: no PIN, so everyone is a Host; nobody's meeting.
      px.addRoom({ alias: `${PEXIP_TEST_ALIAS}@${px.domain}`, hostPin: '', guestPin: '', name: 'Readiness check' });
    }

    let janus: JanusHandle | undefined;
    let guard: Stack['guard'];
    const provisioners: RoomProvisioner[] = [];
    if (opts.withJanus) {
      janus = await startJanus({ dir: path.join(dir, 'janus') });
      const j = janus;
      started.push(() => j.stop());
      const provisionKey = randomBytes(24).toString('base64url');
      const core = createGuard({ janus: createJanusAdmin({ adminUrl: j.adminUrl, adminSecret: j.adminSecret }), adminKey: j.adminKey });
      const server = await startGuardServer({ guard: core, provisionKey });
      // The readiness check's test room, as IT would set GUARD_TEST_ROOM on its guard.
      const testRoom = { room: JANUS_TEST_ROOM, hostPin: randomInt(10_000_000, 100_000_000).toString() };
      await provisionTestRoom(core, testRoom);
      guard = { ...server, provisionKey, core, testRoom };
      started.push(() => server.stop());
      provisioners.push(guardProvisioner({ guardUrl: server.url, provisionKey, domain: JANUS_DOMAIN }));
    }

    if (pexip) provisioners.push(pexipProvisioner(pexip));

    const vdx = await startVdx({
      idp: { issuer: idp.issuer, jwksUri: idp.jwksUri, audience: idp.resource, scope: idp.apiScope },
      caCertPem: ca.caCertPem,
      provisioners,
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    });
    started.push(() => vdx.stop());

    let stopping: Promise<void> | undefined;
    return {
      dir,
      ca,
      idp,
      vdx,
      ...(janus ? { janus } : {}),
      ...(pexip ? { pexip } : {}),
      ...(turn ? { turn } : {}),
      ...(guard ? { guard } : {}),
      env: { NODE_EXTRA_CA_CERTS: ca.caCertPath },
      stop: () => (stopping ??= stopAll()),
    };
  } catch (e) {
    await stopAll().catch(() => undefined);
    throw e;
  }
}

/** The console settings (the JSON file named by CLINICIAN_CONSOLE_CONFIG) that point the app at this stack. */
export type StackConsoleSettings = Pick<
  Settings,
  'authority' | 'protocolMode' | 'knownAuthorities' | 'clientId' | 'scopes' | 'bookingApiUrl' | 'conferenceServers'
> &
  Partial<Pick<Settings, 'pexipTestAlias'>>;

/**
 * What the console also needs from IT's policy for this stack (policy-only keys, which a
 * settings file may not set): the Pexip double's read-only Management API account, for the
 * day view's waiting badge, and the guard's test room for the readiness check. Written to a
 * file named by CLINICIAN_CONSOLE_POLICY.
 */
export function consolePolicyFor(stack: {
  pexip?: { domain: string; statusApi: { url: string; username: string; password: string } };
  guard?: { testRoom: { room: string; hostPin: string } };
}): Pick<Settings, 'pexipStatusApi' | 'janusTestRooms'> {
  return {
    pexipStatusApi: stack.pexip
      ? [{ domain: stack.pexip.domain, url: stack.pexip.statusApi.url, username: stack.pexip.statusApi.username, password: stack.pexip.statusApi.password }]
      : [],
    janusTestRooms: stack.guard ? [{ domain: JANUS_DOMAIN, ...stack.guard.testRoom }] : [],
  };
}

export function consoleSettingsFor(stack: Pick<Stack, 'idp' | 'vdx' | 'janus' | 'guard'> & { pexip?: { url: string; domain: string } }): StackConsoleSettings {
  return {
    // MSAL's authority form of the issuer (trailing slash); OIDC mode and knownAuthorities
    // keep MSAL away from Microsoft's instance discovery, which cannot work offline.
    authority: stack.idp.issuer,
    protocolMode: 'OIDC',
    knownAuthorities: [stack.idp.knownAuthority],
    clientId: stack.idp.clientId,
    scopes: [stack.idp.apiScope],
    bookingApiUrl: stack.vdx.baseUrl,
    // Meetings' rooms by the domain of their address: Janus (with its guard) and Pexip.
    conferenceServers: [
      ...(stack.janus && stack.guard ? [{ domain: JANUS_DOMAIN, provider: 'janus' as const, url: stack.janus.wsUrl, guardUrl: stack.guard.url }] : []),
      ...(stack.pexip ? [{ domain: stack.pexip.domain, provider: 'pexip' as const, url: stack.pexip.url }] : []),
    ],
    ...(stack.pexip ? { pexipTestAlias: `${PEXIP_TEST_ALIAS}@${stack.pexip.domain}` } : {}),
  };
}
