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
import { guardRoomsUrl } from '../providers/janus/guard-api';

type Service = ServerCheck['services'][number]['service'];

/** The URLs asked for a server: Pexip's node; Janus and, in front of its rooms, the room guard. */
export function probeTargets(server: ConferenceServer): Array<{ service: Service; url: string }> {
  const trim = (url: string) => url.replace(/\/+$/, '');
  if (server.provider === 'pexip') return [{ service: 'conference-server', url: `${trim(server.url)}/api/client/v2/status` }];
  return [
    // The WebSocket endpoint, asked as plain HTTP(S): the same host, port and TLS.
    { service: 'conference-server', url: server.url.replace(/^ws/, 'http') },
    { service: 'room-guard', url: guardRoomsUrl(server.guardUrl) },
  ];
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
