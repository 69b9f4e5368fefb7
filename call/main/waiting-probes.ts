/**
 * Asking a meeting's conference server who waits in its room, without joining it and
 * without anything a waiting guest could notice. One probe per meeting open now, kept while
 * it stays open. Each provider has its own (a facet, call/main/provider-facets.ts):
 *
 * - Janus: the room guard's lobby watcher (call/providers/janus/main/janus-lobby-probe.ts).
 * - Pexip: the Management API with IT's read-only account: the meeting's VMR resolved once,
 *   one status list per node per round (call/providers/pexip/main/pexip-waiting-probe.ts).
 *
 * Only roles and times come out of a probe: names are dropped when answers are parsed.
 */
import type { WaitingProblem as WaitingProblemT } from '../../common/diagnostics';
import type { GuestRole as GuestRoleT } from '../common/call-model';

/** One guest waiting: the role, and since when by the server's clock (null: it did not say). */
export interface WaitingEntry {
  role: GuestRoleT;
  since: string | null;
}

export interface WaitingProbe {
  /** The guests waiting now, by role and since when; null when that is not known this round. */
  poll(): Promise<WaitingEntry[] | null>;
  /** The meeting is no longer open, or the user signed out: give back what was bought. */
  close(): Promise<void>;
  /**
   * A short message to everyone waiting ("running late"), where the server lets a host send
   * one to a waiting guest: how many it reached. Absent where it cannot (Pexip, running-late.ts).
   */
  notify?(text: string): Promise<number>;
}

/**
 * Why a meeting's badge may stay dark although it is configured, for Diagnostics (said once):
 * - `no-vmr`: no VMR on the node has the meeting's alias;
 * - `no-matches`: participants dialled the meeting's alias but the status lists none in its VMR;
 * - `lookup-refused`: the account may read status but not the VMRs' configuration;
 * - `rate-limited`: the Management API answered 429 (the console backs off).
 */
export type WaitingProblem = WaitingProblemT;

/** A problem noted for Diagnostics: the meeting's alias (or, for an account's problem, its domain). */
export interface WaitingNote {
  subject: string;
  problem: WaitingProblem;
}
