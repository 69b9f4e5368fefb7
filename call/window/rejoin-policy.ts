/**
 * The one rejoin policy of the call window, for both providers' clients (JanusRoom after a
 * lost signalling connection or media path, PexipCallClient after the node went away).
 *
 * Why these numbers: a restarted Janus or a Pexip node coming back takes seconds, and main
 * readies the room again at each attempt (the guard recreates a Janus room), so the first
 * attempts come quickly (250 ms, doubling) and then every 2 s, which is a handful of requests
 * at most. After a minute of "Reconnecting…" the clinician is better served by "the call
 * failed": the server is down for longer than a blip, and they can join again from the day
 * view (main's call session stays) or phone the patient. A reason that will not fix itself
 * (a refused token or PIN, no camera) ends the attempts at once; only an unreachable server
 * and a room not there yet (the host's rejoin recreates it) are worth another try.
 */
import type { EndReason } from './call-client';

export interface RejoinPolicy {
  /** How long to keep trying from the moment the room was lost. */
  readonly forMs: number;
  /** The wait before attempt number `attempt` (0 is the first). */
  delayMs(attempt: number): number;
  /** Whether a failed attempt with this reason is worth another. */
  retries(reason: EndReason): boolean;
}

export const REJOIN_POLICY: RejoinPolicy = {
  forMs: 60_000,
  delayMs: (attempt) => Math.min(250 * 2 ** attempt, 2_000),
  retries: (reason) => reason === 'server-unreachable' || reason === 'room-missing',
};

export type RejoinOutcome =
  /** Back in the room. */
  | { outcome: 'back' }
  /** Stopped from outside (the user left, the room ended meanwhile). */
  | { outcome: 'stopped' }
  /** Gave up: the last failure's reason, and whether time ran out or the reason was final. */
  | { outcome: 'gave-up'; reason: EndReason; detail: string; timedOut: boolean };

export interface RejoinLoop {
  /** One attempt to get back in; rejects with what went wrong. */
  attempt(): Promise<void>;
  /** False once something else has ended the attempts (leave, end). */
  active(): boolean;
  /** The window's reason for a failed attempt. */
  reasonOf(error: unknown): EndReason;
  /** Until when to try (ms since the epoch): the room was lost at deadline - policy.forMs. */
  deadline: number;
  /** The first failure, before any attempt. */
  lost: { reason: EndReason; detail: string };
  policy?: RejoinPolicy;
  /** Seams for tests (virtual time); default the real clock. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Tries to get back into the room under the policy; resolves with how it went (never rejects). */
export async function rejoin(loop: RejoinLoop): Promise<RejoinOutcome> {
  const policy = loop.policy ?? REJOIN_POLICY;
  const now = loop.now ?? Date.now;
  const sleep = loop.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let last = loop.lost;
  for (let attempt = 0; loop.active(); attempt++) {
    if (now() > loop.deadline) return { outcome: 'gave-up', reason: last.reason, detail: `gave up reconnecting: ${last.detail}`, timedOut: true };
    await sleep(policy.delayMs(attempt));
    if (!loop.active()) return { outcome: 'stopped' };
    try {
      await loop.attempt();
      return { outcome: 'back' };
    } catch (error) {
      last = { reason: loop.reasonOf(error), detail: error instanceof Error ? error.message : String(error) };
      if (!policy.retries(last.reason)) return { outcome: 'gave-up', ...last, timedOut: false };
    }
  }
  return { outcome: 'stopped' };
}
