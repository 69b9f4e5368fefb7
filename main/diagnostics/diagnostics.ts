/**
 * The diagnostics report IT asks for: versions, where each setting came from (default,
 * settings file, policy; locked or not), and whether the identity provider, the booking
 * API and the conference server answer. Settings hold server addresses and ids, never
 * personal data; the secrets among them (the Pexip status account's password, a Janus test
 * room's host PIN) are shown as hidden, and URLs lose credentials, query and fragment (a gateway's `?apikey=` must not
 * end up in an IT ticket). The report is safe to copy into a ticket.
 */
import type { Diagnostics } from '../../preload/contract';
import type { EffectiveSettings, SettingKey } from '../settings/policy';
import type { UpdaterStatus } from '../updates/update-guard';
import { facetsFor } from '../../call/main/provider-registry';

type Probe = Diagnostics['reachability'][number];

export async function buildDiagnostics(opts: {
  version: string;
  host: 'electron' | 'browser';
  effective: EffectiveSettings;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The updater's state (Electron only). */
  updates?: UpdaterStatus;
  /** Policy changed while the console runs: what applied at once, what waits for a restart. */
  policyReload?: Diagnostics['policyReload'];
  /** Why some waiting badges may stay dark (the signed-in session's waiting watch). */
  waiting?: Diagnostics['waiting'];
}): Promise<Diagnostics> {
  const { settings, sources, locked } = opts.effective;
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 3000;

  const probe = async (service: Probe['service'], url: string, target: string): Promise<Probe> => {
    if (!url) return { service, url, state: 'not-configured' };
    try {
      const response = await doFetch(target, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      // Any HTTP answer (401 from the booking API, 400 from a WebSocket endpoint) means reachable.
      return { service, url, state: 'reachable', detail: `HTTP ${response.status}` };
    } catch (error) {
      return { service, url, state: 'unreachable', detail: (error as Error).name };
    }
  };

  /** The waiting badge's Pexip status account for a server: does the Management API accept it? */
  const statusProbe = async (domain: string): Promise<Probe> => {
    const account = settings.pexipStatusApi.find((a) => a.domain === domain);
    if (!account) return { service: 'pexip-status', url: domain, state: 'not-configured', detail: 'no waiting badge for these meetings' };
    // One Management Node may serve several domains: checked once (see the filter below).
    // A conference name no VMR has: the answer proves the account and lists nobody.
    const target = `${account.url.replace(/\/+$/, '')}/api/admin/status/v1/participant/?conference=&limit=1`;
    try {
      const response = await doFetch(target, {
        headers: { authorization: `Basic ${Buffer.from(`${account.username}:${account.password}`, 'utf8').toString('base64')}` },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      await response.body?.cancel();
      const refused = response.status === 401 || response.status === 403;
      return { service: 'pexip-status', url: account.url, state: 'reachable', detail: `HTTP ${response.status}${refused ? ', account refused' : ''}` };
    } catch (error) {
      return { service: 'pexip-status', url: account.url, state: 'unreachable', detail: (error as Error).name };
    }
  };

  const authority = settings.authority.replace(/\/?$/, '/');
  const reachability = await Promise.all([
    probe('identity-provider', settings.authority, `${authority}.well-known/openid-configuration`),
    probe('booking-api', settings.bookingApiUrl, `${settings.bookingApiUrl.replace(/\/+$/, '')}/v2/info`),
    ...(settings.conferenceServers.length === 0
      ? [probe('conference-server', '', '')]
      : settings.conferenceServers.flatMap((s) => [
          // Each provider's own probe targets; the shown URL is the configured one (the guard's for the guard).
          ...facetsFor(s.provider)
            .probeTargets(s)
            .map((target) => probe(target.service, target.service === 'room-guard' && 'guardUrl' in s ? s.guardUrl : s.url, target.url)),
          ...(facetsFor(s.provider).waitingNeedsStatusAccount ? [statusProbe(s.domain)] : []),
        ])),
  ]).then((all) => all.filter((r, i) => r.service !== 'pexip-status' || all.findIndex((o) => o.service === r.service && o.url === r.url) === i));

  return {
    version: opts.version,
    host: opts.host,
    runtime: Object.fromEntries(
      Object.entries(process.versions).filter(([k]) => ['node', 'electron', 'chrome', 'v8', 'openssl'].includes(k)),
    ) as Record<string, string>,
    settings: (Object.keys(settings) as SettingKey[]).sort().map((key) => ({
      key,
      value: typeof settings[key] === 'string' ? safeUrl(settings[key] as string) : JSON.stringify(settings[key], hideSecrets),
      source: sources[key],
      locked: locked.includes(key),
    })),
    policySources: opts.effective.policySources,
    // Keys and sources only: a value of a key this version does not know could be anything.
    policyIgnoredKeys: opts.effective.ignoredPolicyKeys.slice(0, 100).map(({ key, source }) => ({ key: key.slice(0, 200), source: source.slice(0, 500) })),
    policyProblems: opts.effective.policyProblems.slice(0, 20).map((p) => ({ ...p, source: p.source.slice(0, 500) })),
    reachability: reachability.map((r) => ({ ...r, url: safeUrl(r.url) })),
    ...(opts.updates ? { updates: updatesOf(opts.updates) } : {}),
    ...(opts.policyReload ? { policyReload: opts.policyReload } : {}),
    ...(opts.waiting?.length ? { waiting: opts.waiting.slice(0, 50).map((w) => ({ subject: w.subject.slice(0, 300), problem: w.problem })) } : {}),
  };
}

function updatesOf(status: UpdaterStatus): NonNullable<Diagnostics['updates']> {
  if (!status.enabled) return { enabled: false, detail: status.reason.slice(0, 300) };
  return { enabled: true, state: status.state, ...(status.detail || status.version ? { detail: [status.version, status.detail].filter(Boolean).join(': ').slice(0, 300) } : {}) };
}

/**
 * A URL as a ticket may show it: no user name or password, and no query or fragment (an SMS
 * gateway's `?apikey=`, a feed's signed `?token=`): `?…` says one was there. Anything that
 * is not an absolute URL is left as it is.
 */
export function safeUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  const hidden = url.search !== '' || url.hash !== '';
  // Nothing to take out: the value as it was written (URL would add a trailing slash).
  if (!hidden && url.username === '' && url.password === '' && !/^[^/]*\/\/[^/]*@/.test(value)) return value;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return `${url.href}${hidden ? '?…' : ''}`;
}

/** The fields of settings that hold a secret: the Pexip status account's password, a Janus test room's host PIN. */
const SECRET_FIELDS = new Set(['password', 'hostPin']);

/** JSON.stringify replacer: a secret is shown as set, never as it is; URLs as safeUrl shows them. */
function hideSecrets(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return SECRET_FIELDS.has(key) ? '(hidden)' : safeUrl(value);
}
