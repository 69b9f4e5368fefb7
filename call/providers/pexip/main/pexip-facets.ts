/** Pexip Infinity's facets for main (call/main/provider-facets.ts). */
import type { ProviderFacets } from '../../../main/provider-facets';
import { ownGuestRoom, ownServer } from '../../../main/provider-facets';
import { pexipStatusProbe } from '../../../main/waiting-probes';
import { createPexipProvider } from './pexip-provider';

const trim = (url: string) => url.replace(/\/+$/, '');

export const pexipFacets: ProviderFacets = {
  kind: 'pexip',
  label: 'Pexip',
  // The Client REST API's status: answers without a PIN and without touching a conference.
  probeTargets: (server) => [{ service: 'conference-server', url: `${trim(ownServer('pexip', server).url)}/api/client/v2/status` }],
  waitingNeedsStatusAccount: true,
  openProvider: (server, ctx) =>
    createPexipProvider({ fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, nodeUrl: ownServer('pexip', server).url, log: ctx.log.child('pexip'), lockOnHostJoin: ctx.pexipLockOnHostJoin }),
  guestRoom: (server, room) => ({ provider: 'pexip', nodeUrl: ownServer('pexip', server).url, alias: room.uri }),
  guestLinkParams: (ref) => {
    const room = ownGuestRoom('pexip', ref);
    return { node: room.nodeUrl, alias: room.alias };
  },
  // A host token would start the conference and let the waiting guests in: only IT's
  // read-only Management API account is used for this (waiting-probes.ts).
  waitingProbe: (server, room, ctx) => {
    const { domain } = ownServer('pexip', server);
    const account = ctx.statusAccount(domain);
    if (!account) return null;
    return pexipStatusProbe({ fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, account, conference: room.uri, log: ctx.log });
  },
  windowOrigins: (server) => [ownServer('pexip', server).url],
};
