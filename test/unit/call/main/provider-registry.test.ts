/**
 * The provider registry: each kind of conference server's facets (what main probes, how a
 * guest finds the room, what the call window may reach, which call provider it opens), and
 * an unknown kind refused with a code the renderer translates.
 */
import { describe, expect, it } from 'vitest';
import { facetsFor, providerKinds } from '../../../../call/main/provider-registry';
import { invitationLink } from '../../../../call/main/invitation';
import { UserFacingError } from '../../../../main/core/errors';
import { nullLogger } from '../../../../main/log/logger';
import type { ConferenceServer } from '../../../../main/settings/settings';

const pexip: ConferenceServer = { domain: 'vmr.example.org', provider: 'pexip', url: 'https://pexip.example.org/' };
const janus: ConferenceServer = { domain: 'video.example.org', provider: 'janus', url: 'wss://janus.example.org:8989/ws', guardUrl: 'https://guard.example.org/' };
const room = { id: 'a1b2c3d4e5f6', uri: 'a1b2c3@vmr.example.org', hostPin: '1234' };
// Nothing here may reach a network: a facet that asked would fail the test.
const noFetch = (() => Promise.reject(new Error('no request expected'))) as typeof fetch;
const ctx = { fetch: noFetch, timeoutMs: 1000, log: nullLogger, pexipLockOnHostJoin: true };
const waitingCtx = {
  ...ctx,
  shared: <T>(_key: string, make: () => T) => make(),
  round: () => 1,
  clock: () => 0,
  note: () => expect.unreachable('no note expected'),
};

describe('the provider registry', () => {
  it('knows Janus and Pexip, each under its own kind', () => {
    expect(providerKinds()).toEqual(['janus', 'pexip']);
    for (const kind of providerKinds()) expect(facetsFor(kind).kind).toBe(kind);
  });

  it('refuses a kind it does not know with no-conference-server, naming the kind', () => {
    for (const kind of ['teams', '', 'toString', '__proto__']) {
      let thrown: unknown;
      try {
        facetsFor(kind);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, kind).toBeInstanceOf(UserFacingError);
      expect((thrown as UserFacingError).info).toEqual({ code: 'no-conference-server', params: { provider: kind } });
    }
  });

  it('a facet given another kind of server refuses it rather than reading the wrong fields', () => {
    expect(() => facetsFor('pexip').probeTargets(janus)).toThrow(/pexip facets were given a janus server/);
    expect(() => facetsFor('janus').windowOrigins(pexip)).toThrow(/janus facets were given a pexip server/);
  });
});

describe("Pexip's facets", () => {
  const facets = facetsFor('pexip');

  it('probe the Client REST API status only, and the waiting badge needs IT status account', () => {
    expect(facets.probeTargets(pexip)).toEqual([{ service: 'conference-server', url: 'https://pexip.example.org/api/client/v2/status' }]);
    expect(facets.waitingNeedsStatusAccount).toBe(true);
  });

  it('send guests to the node with the meeting alias, and let the window reach only the node', () => {
    const guest = facets.guestRoom(pexip, room);
    expect(guest).toEqual({ provider: 'pexip', nodeUrl: pexip.url, alias: room.uri });
    expect(facets.guestLinkParams(guest)).toEqual({ node: pexip.url, alias: room.uri });
    expect(facets.windowOrigins(pexip)).toEqual([pexip.url]);
  });

  it('opens a Pexip call provider, and asks nobody who waits without a status account', () => {
    expect(facets.openProvider(pexip, ctx).kind).toBe('pexip');
    const asked: string[] = [];
    expect(facets.waitingProbe(pexip, room, { ...waitingCtx, statusAccount: (domain) => void asked.push(domain) })).toBeNull();
    expect(asked).toEqual([pexip.domain]);
    const account = { domain: pexip.domain, url: 'https://mgmt.example.org', username: 'reader', password: 'not-a-real-one' };
    expect(facets.waitingProbe(pexip, room, { ...waitingCtx, statusAccount: () => account })).not.toBeNull();
  });
});

describe("Janus's facets", () => {
  const facets = facetsFor('janus');

  it('probe the WebSocket endpoint as HTTP and the room guard, with no status account', () => {
    expect(facets.probeTargets(janus)).toEqual([
      { service: 'conference-server', url: 'https://janus.example.org:8989/ws' },
      { service: 'room-guard', url: 'https://guard.example.org/v1/rooms' },
    ]);
    expect(facets.waitingNeedsStatusAccount).toBe(false);
  });

  it('send guests to the guard with the room id; the window reaches Janus, never the guard', () => {
    const guest = facets.guestRoom(janus, room);
    expect(guest).toEqual({ provider: 'janus', serverUrl: janus.url, guardUrl: 'https://guard.example.org/', room: room.id });
    expect(facets.guestLinkParams(guest)).toEqual({ server: janus.url, guard: 'https://guard.example.org/', room: room.id });
    expect(facets.windowOrigins(janus)).toEqual([janus.url]);
  });

  it('opens a Janus call provider and a lobby probe through the guard without asking for a status account', () => {
    expect(facets.openProvider(janus, ctx).kind).toBe('janus');
    const probe = facets.waitingProbe(janus, room, { ...waitingCtx, statusAccount: () => expect.unreachable('Janus needs no status account') });
    expect(probe).not.toBeNull();
  });
});

describe('the invitation link carries what the facets say, and no PIN', () => {
  it.each([
    ['pexip', pexip, { provider: 'pexip', node: pexip.url, alias: room.uri, role: 'patient' }],
    ['janus', janus, { provider: 'janus', server: janus.url, guard: 'https://guard.example.org/', room: room.id, role: 'patient' }],
  ] as const)('%s', (kind, server, query) => {
    const link = new URL(invitationLink(facetsFor(kind).guestRoom(server, room), 'patient', { baseUrl: 'https://portal.example.org/join' }));
    expect(Object.fromEntries(link.searchParams)).toEqual(query);
  });
});
