/**
 * The diagnostics report IT asks for: versions, where each setting came from (default,
 * settings file, policy; locked or not), and whether the identity provider, the booking
 * API and the conference server answer. Settings hold server addresses and ids, never
 * personal data; the report is safe to copy into a ticket.
 */
import type { Diagnostics } from '../../preload/contract';
import type { EffectiveSettings, SettingKey } from '../settings/policy';

type Probe = Diagnostics['reachability'][number];

export async function buildDiagnostics(opts: {
  version: string;
  host: 'electron' | 'browser';
  effective: EffectiveSettings;
  fetch?: typeof fetch;
  timeoutMs?: number;
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

  const authority = settings.authority.replace(/\/?$/, '/');
  const reachability = await Promise.all([
    probe('identity-provider', settings.authority, `${authority}.well-known/openid-configuration`),
    probe('booking-api', settings.bookingApiUrl, `${settings.bookingApiUrl.replace(/\/+$/, '')}/v2/info`),
    ...(settings.conferenceServers.length === 0
      ? [probe('conference-server', '', '')]
      : settings.conferenceServers.flatMap((s) => [
          probe('conference-server', s.url, s.provider === 'pexip' ? `${s.url.replace(/\/+$/, '')}/api/client/v2/status` : s.url.replace(/^ws/, 'http')),
          ...(s.provider === 'janus' ? [probe('room-guard', s.guardUrl, `${s.guardUrl.replace(/\/+$/, '')}/v1/rooms`)] : []),
        ])),
  ]);

  return {
    version: opts.version,
    host: opts.host,
    runtime: Object.fromEntries(
      Object.entries(process.versions).filter(([k]) => ['node', 'electron', 'chrome', 'v8', 'openssl'].includes(k)),
    ) as Record<string, string>,
    settings: (Object.keys(settings) as SettingKey[]).sort().map((key) => ({
      key,
      value: typeof settings[key] === 'string' ? (settings[key] as string) : JSON.stringify(settings[key]),
      source: sources[key],
      locked: locked.includes(key),
    })),
    policySources: opts.effective.policySources,
    reachability,
  };
}
