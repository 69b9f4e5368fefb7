/** Pexip Infinity's facets for main (call/main/provider-facets.ts). */
import type { ProviderFacets } from '../../../main/provider-facets';
import { ownGuestRoom, ownServer } from '../../../main/provider-facets';
import { createManagementClient, type ManagementClient } from './pexip-management';
import { createPexipProvider } from './pexip-provider';
import { pexipWaitingProbe } from './pexip-waiting-probe';

const trim = (url: string) => url.replace(/\/+$/, '');

export const pexipFacets: ProviderFacets = {
  kind: 'pexip',
  label: 'Pexip',
  // The Client REST API's status: answers without a PIN and without touching a conference.
  probeTargets: (server) => [{ service: 'conference-server', url: `${trim(ownServer('pexip', server).url)}/api/client/v2/status` }],
  waitingNeedsStatusAccount: true,
  openProvider: (server, ctx) =>
    createPexipProvider({ fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, nodeUrl: ownServer('pexip', server).url, log: ctx.log.child('pexip'), lockOnHostJoin: ctx.pexipLockOnHostJoin }),
  // A guest dials the alias (uriWithDomain).
  guestRoomNeedsId: false,
  guestRoom: (server, room) => ({ provider: 'pexip', nodeUrl: ownServer('pexip', server).url, alias: room.uri }),
  guestLinkParams: (ref) => {
    const room = ownGuestRoom('pexip', ref);
    return { node: room.nodeUrl, alias: room.alias };
  },
  // A host token would start the conference and let the waiting guests in: only IT's
  // read-only Management API account is used for this (pexip-waiting-probe.ts). One client per
  // account, so a Management Node serving several domains is still asked once per round.
  waitingProbe: (server, room, ctx) => {
    const { domain } = ownServer('pexip', server);
    const api = ctx.statusAccount(domain);
    if (!api) return null;
    const client = ctx.shared<ManagementClient>(`pexip\n${api.url}\n${api.username}`, () =>
      createManagementClient({ api, fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, log: ctx.log, clock: ctx.clock, note: ctx.note }),
    );
    return pexipWaitingProbe({ client, alias: room.uri, round: ctx.round, clock: ctx.clock, note: ctx.note });
  },
  windowOrigins: (server) => [ownServer('pexip', server).url],
};
