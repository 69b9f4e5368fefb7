/**
 * Main's half of the device and connection check the call window shows before joining:
 * does the meeting's conference server answer from this workstation? (The window checks its
 * own half: camera, microphone, speaker and a WebRTC loopback.) It asks without the host PIN
 * and without touching the room, so a check never costs a PIN attempt or a participant slot,
 * and it goes through the same network stack as the call's other requests (Electron's
 * net.fetch follows the proxy IT set).
 *
 * Any HTTP answer counts as "answers": a Conferencing Node answers an unknown path with 404,
 * a Janus WebSocket endpoint answers a plain GET with an HTTP error, and a room guard answers
 * an unauthenticated request with 401. Only no answer at all (refused, reset, timed out) is
 * "unreachable", which is what a blocked network or a server that is down looks like.
 */
import type { ServerCheck } from '../common/call-contract';
import type { ConferenceServer } from '../../main/settings/settings';
import type { ProbeService } from './provider-facets';
import { facetsFor } from './provider-registry';

/** The URLs asked for a server: each provider's probe targets (its facets). */
export function probeTargets(server: ConferenceServer): Array<{ service: ProbeService; url: string }> {
  return facetsFor(server.provider).probeTargets(server);
}

export async function checkServer(server: ConferenceServer, opts: { fetch: typeof fetch; timeoutMs: number }): Promise<ServerCheck> {
  const services = await Promise.all(
    probeTargets(server).map(async ({ service, url }) => {
      try {
        const response = await opts.fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'manual' });
        await response.body?.cancel().catch(() => undefined);
        return { service, state: 'reachable' as const };
      } catch {
        return { service, state: 'unreachable' as const };
      }
    }),
  );
  return { services };
}
