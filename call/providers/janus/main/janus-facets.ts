/** Janus's facets for main (call/main/provider-facets.ts): everything goes through the room guard. */
import type { ProviderFacets } from '../../../main/provider-facets';
import { ownGuestRoom, ownServer } from '../../../main/provider-facets';
import { guardRoomsUrl } from '../guard-api';
import { createJanusProvider } from './janus-provider';
import { janusLobbyProbe } from './janus-lobby-probe';

export const janusFacets: ProviderFacets = {
  kind: 'janus',
  label: 'Janus',
  probeTargets: (s) => {
    const server = ownServer('janus', s);
    return [
      // The WebSocket endpoint, asked as plain HTTP(S): the same host, port and TLS.
      { service: 'conference-server', url: server.url.replace(/^ws/, 'http') },
      { service: 'room-guard', url: guardRoomsUrl(server.guardUrl) },
    ];
  },
  waitingNeedsStatusAccount: false,
  openProvider: (s, ctx) => {
    const server = ownServer('janus', s);
    return createJanusProvider({ fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, serverUrl: server.url, guardUrl: server.guardUrl });
  },
  // The guard's room reference is the booking system's room id (provisionVmrId).
  guestRoomNeedsId: true,
  guestRoom: (s, room) => {
    const server = ownServer('janus', s);
    return { provider: 'janus', serverUrl: server.url, guardUrl: server.guardUrl, room: room.id };
  },
  guestLinkParams: (ref) => {
    const room = ownGuestRoom('janus', ref);
    return { server: room.serverUrl, guard: room.guardUrl, room: room.room };
  },
  waitingProbe: (s, room, ctx) =>
    janusLobbyProbe({ fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, guardUrl: ownServer('janus', s).guardUrl, room: room.id, hostPin: room.hostPin, log: ctx.log }),
  // janus.js uses the one WebSocket it is given; the guard is reached by main only.
  windowOrigins: (s) => [ownServer('janus', s).url],
};
