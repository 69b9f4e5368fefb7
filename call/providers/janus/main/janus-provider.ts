/**
 * Janus rooms, through the room guard (janus-guard/): the host PIN buys a guard session
 * once per call; every host power is the guard's to perform with the room's secret, which
 * the console never sees. Admission tokens are minted here, in main, and handed to the
 * guard, which gives each to the one guest it was meant for.
 */
import { randomBytes } from 'node:crypto';
import type { DialRequest } from '../../../common/call-model';
import { UserFacingError } from '../../../../main/core/errors';
import type { ConferenceProvider, ConferenceRoom, RoomRef } from '../../../main/provider';
import { createGuardClient } from './guard-client';

export function createJanusProvider(opts: { serverUrl: string; guardUrl: string; fetch: typeof fetch; timeoutMs: number }): ConferenceProvider {
  return {
    kind: 'janus',
    open(ref: RoomRef): ConferenceRoom {
      const guard = createGuardClient({ guardUrl: opts.guardUrl, room: ref.id, fetch: opts.fetch, timeoutMs: opts.timeoutMs });
      let session: string | null = null;
      const current = () => {
        if (!session) throw new UserFacingError('no-call');
        return session;
      };
      return {
        kind: 'janus',
        capabilities: { dialOut: false, lock: false, muteGuests: false },
        async prepare(displayName) {
          // The PIN goes to the guard once; rejoins use the session it gave.
          session ??= await guard.hostSession(ref.hostPin);
          // The Janus room's id comes from the guard: the meeting's reference alone opens nothing.
          const { feedId, token, room } = await guard.prepare(session, displayName);
          return { provider: 'janus', serverUrl: opts.serverUrl, room, feedId, token };
        },
        sessionToken() {
          // The window's Janus session is its own business: host powers go through the guard.
        },
        async state() {
          const s = await guard.state(current());
          return {
            waiting: s.waiting.map((g) => ({ id: g.guestId, displayName: g.name, role: g.role, ...(g.since ? { since: g.since } : {}) })),
            roster: s.roster.map((p) => ({ id: p.feedId, role: p.role, present: p.present, ...(p.joins === undefined ? {} : { joins: p.joins }) })),
          };
        },
        admit: async (guestId) => void (await guard.admit(current(), guestId, randomBytes(16).toString('base64url'))),
        deny: (guestId) => guard.deny(current(), guestId),
        kick: (feedId) => guard.kick(current(), feedId),
        async mute(feedId, _kind, muted, mid) {
          if (!mid) throw new UserFacingError('host-action-failed');
          await guard.moderate(current(), feedId, mid, muted);
        },
        lock: async () => notSupported(),
        muteGuests: async () => notSupported(),
        dial: async (_request: DialRequest) => notSupported(),
        endForAll: () => guard.end(current()),
        windowGone: async () => undefined,
        async close() {
          if (session) await guard.release(session);
          session = null;
        },
      };
    },
  };
}

function notSupported(): never {
  throw new UserFacingError('not-supported');
}
