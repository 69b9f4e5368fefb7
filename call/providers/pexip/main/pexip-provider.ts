/**
 * Pexip Infinity rooms, through the Client REST API v2 with Pexip's own typed and
 * validated wrappers (`@pexip/infinity-api`), here in main where the host PIN is.
 *
 * prepare() asks request_token with the host PIN (the `pin` header) and hands the window
 * the answer, which @pexip/infinity carries on with: the event stream, the WebRTC call and
 * the token's refreshes are the window's, and it tells main each new token, which main
 * uses for the host's powers (admit, mute, remove, lock, dial out, end). Pexip itself limits
 * PIN attempts; a wrong PIN is said once and never retried here.
 *
 * A Pexip room never locks by itself: while a host is in, anyone with the guest PIN walks
 * straight in. So (unless `lockOnHostJoin` is false) prepare() locks the meeting with the new
 * token before the window has it, i.e. before the host's media starts the conference: guests
 * then wait until the host admits them, whether they came before the host or after, as on
 * Janus. Hosts (the host PIN) are not held by a lock. On every rejoin the lock is applied again
 * (after a node restart the conference is a new, unlocked one) unless the host unlocked the
 * meeting themselves. A lock that fails does not stop the join: it is logged, and the window's
 * Lock control shows the meeting as the node reports it (unlocked). Whom the host dials is
 * let past the lock (dialled-admission.ts).
 */
import {
  dial,
  disconnect,
  disconnectParticipant,
  lock,
  muteguests,
  muteParticipant,
  releaseToken,
  requestToken,
  unlock,
  unlockParticipant,
  unmuteguests,
  unmuteParticipant,
  videoMuteParticipant,
  videoUnmuteParticipant,
  withPin,
  withToken,
} from '@pexip/infinity-api';
import type { DialRequest } from '../../../common/call-model';
import { UserFacingError } from '../../../../main/core/errors';
import type { Logger } from '../../../../main/log/logger';
import type { ConferenceProvider, ConferenceRoom, RoomRef } from '../../../main/provider';
import { createDialledAdmission } from './dialled-admission';
import { describeAnswer, requestTokenRefusal } from './pexip-answers';

type Fetcher = typeof fetch;

export function createPexipProvider(opts: {
  nodeUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  log: Logger;
  /** Lock the meeting when the host joins (setting `pexipLockOnHostJoin`); default true. */
  lockOnHostJoin?: boolean;
}): ConferenceProvider {
  const host = opts.nodeUrl.replace(/\/+$/, '');
  const fetcher: Fetcher = (input, init) => opts.fetch(input, { ...init, signal: AbortSignal.timeout(opts.timeoutMs) });

  return {
    kind: 'pexip',
    open(ref: RoomRef): ConferenceRoom {
      // Pexip aliases are full addresses: the meeting's uriWithDomain.
      const conferenceAlias = ref.uri;
      const params = { conferenceAlias };
      let token: string | null = null;
      /** Whether the meeting is to be locked at each (re)join: the policy's, then the host's last choice. */
      let keepLocked = opts.lockOnHostJoin !== false;

      const withSession = (): Fetcher => {
        if (!token) throw new UserFacingError('no-call');
        return withToken(fetcher, token);
      };
      const dialled = createDialledAdmission({ host, conferenceAlias, session: () => (token ? withToken(fetcher, token) : null), log: opts.log });

      /** Runs one host power; any refusal or failure is one plain code for the window. */
      async function act(what: string, run: () => Promise<{ status: number } | undefined>): Promise<void> {
        let status: number | undefined;
        try {
          status = (await run())?.status;
        } catch (error) {
          if (error instanceof UserFacingError) throw error;
          opts.log.warn(`pexip: ${what} failed (${(error as Error)?.name ?? 'error'})`);
          throw new UserFacingError('host-action-failed');
        }
        if (status !== 200) {
          opts.log.warn(`pexip: ${what} was refused (HTTP ${status ?? '?'})`);
          throw new UserFacingError('host-action-failed');
        }
      }

      const participant = (participantUuid: string) => ({ conferenceAlias, participantUuid });

      /** The lock as the host joins: said in the log when it fails (no names, no PIN), never fatal. */
      async function lockOnJoin(): Promise<void> {
        let status: number | undefined;
        try {
          status = (await lock({ fetcher: withSession(), host, params })).status;
        } catch (error) {
          opts.log.warn(`pexip: the meeting could not be locked as the host joined; guests with the PIN join without waiting (${(error as Error)?.name ?? 'error'})`);
          return;
        }
        if (status !== 200) opts.log.warn(`pexip: the meeting could not be locked as the host joined; guests with the PIN join without waiting (HTTP ${status})`);
      }

      async function releaseWindowToken(): Promise<void> {
        dialled.stop();
        const last = token;
        token = null;
        if (last) await releaseToken({ fetcher: withToken(fetcher, last), host, params, body: {} }).catch(() => undefined);
      }

      /** request_token as the host, with the host PIN; said once, never retried on a wrong PIN. */
      async function hostToken(displayName: string) {
        let res: Awaited<ReturnType<typeof requestToken>>;
        try {
          res = await requestToken({
            fetcher: ref.hostPin ? withPin(fetcher, ref.hostPin) : fetcher,
            host,
            params,
            body: { display_name: displayName, call_tag: 'host', direct_media: false },
          });
        } catch (error) {
          opts.log.warn(`pexip: request_token failed (${(error as Error)?.name ?? 'error'})`);
          throw new UserFacingError('conference-unreachable', undefined, { cause: error });
        }
        if (res.status === 200) {
          // The host PIN must make a host: a PIN the node took as a guest's would put the
          // clinician in the waiting room with no host powers. Given back at once.
          if (res.data.result.role !== 'HOST') {
            opts.log.warn(`pexip: request_token with the host PIN gave role ${String(res.data.result.role).slice(0, 10)}, not HOST; released`);
            await releaseToken({ fetcher: withToken(fetcher, res.data.result.token), host, params, body: {} }).catch(() => undefined);
            throw new UserFacingError('host-pin-not-host');
          }
          return res.data;
        }
        // For IT: what the node said (status and a known Pexip message, never the PIN).
        opts.log.warn(`pexip: request_token refused: ${describeAnswer(res.status, res.data)}`);
        const refusal = requestTokenRefusal(res.status, res.data);
        throw new UserFacingError(refusal.code, refusal.params);
      }

      return {
        kind: 'pexip',
        capabilities: { dialOut: true, lock: true, muteGuests: true },

        async prepare(displayName) {
          const data = await hostToken(displayName);
          token = data.result.token;
          if (keepLocked) await lockOnJoin();
          return { provider: 'pexip', nodeUrl: host, alias: conferenceAlias, tokenResponse: data as unknown as Record<string, unknown> };
        },

        sessionToken(next) {
          token = next;
        },

        // The window's @pexip/infinity client sees the waiting room and the participants itself.
        state: async () => null,

        admit: (id) => act('admit', () => unlockParticipant({ fetcher: withSession(), host, params: participant(id) })),
        // A guest in the waiting room who is not let in is disconnected, as Pexip's own clients do.
        deny: (id) => act('deny', () => disconnectParticipant({ fetcher: withSession(), host, params: participant(id) })),
        kick: (id) => act('remove', () => disconnectParticipant({ fetcher: withSession(), host, params: participant(id) })),
        mute: (id, kind, muted) =>
          act('mute', () => {
            const p = { fetcher: withSession(), host, params: participant(id) };
            if (kind === 'audio') return muted ? muteParticipant(p) : unmuteParticipant(p);
            return muted ? videoMuteParticipant(p) : videoUnmuteParticipant(p);
          }),
        lock: async (locked) => {
          await act('lock', () => (locked ? lock : unlock)({ fetcher: withSession(), host, params }));
          keepLocked = locked;
        },
        muteGuests: (muted) => act('mute guests', () => (muted ? muteguests : unmuteguests)({ fetcher: withSession(), host, params })),

        async dial(request: DialRequest) {
          let uuid: string | undefined;
          await act('dial', async () => {
            const res = await dial({
              fetcher: withSession(),
              host,
              params,
              body: {
                role: 'GUEST',
                destination: destinationOf(request),
                // A phone number goes out through the node's gateway rules ("auto").
                protocol: request.protocol === 'phone' ? 'auto' : request.protocol,
                ...(request.name ? { remote_display_name: request.name } : {}),
              },
            });
            uuid = res.status === 200 ? res.data.result[0] : undefined;
            return res;
          });
          if (!uuid) throw new UserFacingError('host-action-failed');
          dialled.follow(uuid);
          return uuid;
        },

        async endForAll() {
          if (token) {
            const res = await disconnect({ fetcher: withToken(fetcher, token), host, params }).catch(() => undefined);
            if (res?.status === 200) return;
          }
          // The window's session is gone (it was closed, and released its token on the way):
          // end through a session of main's own, with the host PIN the server already accepted.
          const own = (await hostToken('Clinician Console')).result.token;
          try {
            await act('end', () => disconnect({ fetcher: withToken(fetcher, own), host, params }));
          } finally {
            await releaseToken({ fetcher: withToken(fetcher, own), host, params, body: {} }).catch(() => undefined);
          }
        },

        windowGone: () => releaseWindowToken(),

        // The window releases its own token when it leaves; if it was closed before it could,
        // this does, so no host session outlives the call (403 when it is already gone).
        close: () => releaseWindowToken(),
      };
    },
  };
}

function destinationOf(request: DialRequest): string {
  const d = request.destination.trim();
  if (request.protocol === 'phone') return `tel:${d.replace(/\s+/g, '')}`;
  if (request.protocol === 'sip') return d.startsWith('sip:') ? d : `sip:${d}`;
  return d.replace(/^h323:/, '');
}
