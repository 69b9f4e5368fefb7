/**
 * Lets a participant the host dialled past the meeting's lock.
 *
 * On Pexip a locked meeting holds "manually-invited participants who have been given a role
 * of Guest" at the waiting screen like anyone else (docs.pexip.com, "Locking a conference":
 * said there for rooms without a Host PIN; [inferred] the same for our rooms, which have one,
 * since the Guest role is what the lock acts on). The console dials interpreters and relatives
 * as Guests (a Host could run the meeting), and locks the meeting when the host joins, so the
 * person the host just called would wait for a second admission. The host's dial is that
 * admission: this follows the new participant until it answers and, if the node holds it in
 * the waiting room, admits it (`participants/<uuid>/unlock`, the host's own admit).
 *
 * Followed by asking the participant list once a second (main has no event stream of its
 * own), for as long as a call can ring plus a margin; it stops when the participant is in,
 * gone, or the host's session is.
 */
import { participants, unlockParticipant } from '@pexip/infinity-api';
import type { Logger } from '../../../../main/log/logger';

/** How often the dialled participant is looked at. */
const FOLLOW_EVERY_MS = 1_000;
/** How long at most: Pexip gives up an unanswered dial-out well before this (its ring timeout). */
const FOLLOW_FOR_MS = 3 * 60_000;

export interface DialledAdmission {
  /** Follows one dialled participant (by uuid) until it is in the meeting or gone. */
  follow(participantUuid: string): void;
  /** Stops following everyone (the host's session is over). */
  stop(): void;
}

export function createDialledAdmission(opts: {
  host: string;
  conferenceAlias: string;
  /** A fetch carrying the host's current session token, or null when there is none. */
  session: () => typeof fetch | null;
  log: Logger;
}): DialledAdmission {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;

  /** 'done' when there is nothing more to do for this participant, 'again' to look again. */
  async function step(participantUuid: string): Promise<'done' | 'again'> {
    const fetcher = opts.session();
    if (!fetcher) return 'done';
    const list = await participants({ fetcher, host: opts.host, params: { conferenceAlias: opts.conferenceAlias } });
    if (list.status !== 200) return 'again';
    const p = list.data.result.find((q) => q.uuid === participantUuid);
    if (!p) return 'done'; // not answered in time, or hung up
    if (p.service_type !== 'waiting_room') return p.service_type === 'connecting' ? 'again' : 'done';
    const res = await unlockParticipant({ fetcher, host: opts.host, params: { conferenceAlias: opts.conferenceAlias, participantUuid } });
    if (res.status === 200) opts.log.info('pexip: a participant the host dialled was let in past the lock');
    else opts.log.warn(`pexip: a participant the host dialled waits in the lobby: admitting them was refused (HTTP ${res.status})`);
    return 'done';
  }

  return {
    follow(participantUuid) {
      const until = Date.now() + FOLLOW_FOR_MS;
      const next = () => {
        if (stopped) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (stopped) return;
          step(participantUuid)
            .catch(() => 'again' as const) // the node away for a moment: look again
            .then((outcome) => {
              if (outcome === 'again' && Date.now() < until) next();
              else if (outcome === 'again') opts.log.warn('pexip: stopped following a participant the host dialled (no answer in time)');
            }, () => undefined);
        }, FOLLOW_EVERY_MS);
        timer.unref?.();
        timers.add(timer);
      };
      next();
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
