import { errorInfo, type ErrorInfo } from '../../common/errors';

/**
 * What the console needs from a booking system. VDX is the first implementation; another
 * booking system (or Pexip's own scheduling) plugs in behind the same interface.
 */

/** One appointment with everything needed to show it and to join it. Kept in main only. */
export interface BookedMeeting {
  id: string;
  /**
   * The booking system's change marker for the meeting as last fetched (opaque): a sync
   * asks for a meeting's room details again only when this changed.
   */
  version: string;
  shortId: string;
  subject: string;
  startTime: string;
  endTime: string;
  joinOpensAt: string;
  /** Who organised it (the booking system's e-mail, lower case): the user may move and cancel their own. */
  organizer?: string;
  /** The conference room, when the booking system has provisioned one. */
  room: {
    /** The conference server's room id (VDX: provisionVmrId). */
    id: string;
    /** The room's dial-in address (VDX: uriWithDomain). */
    uri: string;
    guestPin: string;
    hostPin: string;
    portalLink?: string;
  } | null;
  /**
   * The room the booking system has assigned but not set up yet (VDX: AWAITS_PROVISION, a
   * meeting on a later date): enough to invite a guest (the address, the guest PIN for the
   * text), never to join; no host PIN. Kept for the user's own meetings only; absent once
   * `room` is there.
   */
  plannedRoom?: PlannedRoom;
}

export interface PlannedRoom {
  /** VDX's provisionVmrId where it gives one before provisioning (a Janus room reference needs it). */
  id?: string;
  /** VDX: uriWithDomain. */
  uri: string;
  guestPin: string;
  portalLink?: string;
}

/** Where a guest can be invited to: the room once set up, else the planned one; null: not yet. */
export function invitableRoom(m: Pick<BookedMeeting, 'room' | 'plannedRoom'>): PlannedRoom | null {
  if (m.room) return { id: m.room.id, uri: m.room.uri, guestPin: m.room.guestPin, ...(m.room.portalLink ? { portalLink: m.room.portalLink } : {}) };
  return m.plannedRoom ?? null;
}

export interface DayFetch {
  meetings: BookedMeeting[];
  /** Ids (or positions) of meetings the source returned that failed validation. */
  invalid: string[];
}

export interface FetchDayOptions {
  /** The day as cached now, by id: what the source may reuse instead of asking again. */
  known?: ReadonlyMap<string, BookedMeeting>;
  signal?: AbortSignal;
}

export interface BookingSource {
  /**
   * All meetings starting on the local day, in a constant number of requests where the
   * booking system allows it. Throws BookingError when the day cannot be fetched.
   */
  fetchDay(day: string, opts?: FetchDayOptions): Promise<DayFetch>;
  /** When a meeting starts, found by its id or short id (for deep links to uncached days); null if unknown. */
  findMeetingStart(ref: { uuid: string } | { shortId: string }): Promise<string | null>;
}

export type BookingErrorKind = 'offline' | 'timeout' | 'unauthorized' | 'server' | 'refused' | 'invalid-response';

/**
 * A failed fetch, with a kind the UI can explain (the renderer's `error.booking-<kind>`)
 * and parameters such as the HTTP status. Nothing in it is personal data.
 */
export class BookingError extends Error {
  override name = 'BookingError';
  constructor(
    readonly kind: BookingErrorKind,
    readonly params: Record<string, number> = {},
    options?: { cause?: unknown },
  ) {
    const detail = Object.entries(params).map(([k, v]) => ` ${k}=${v}`).join('');
    super(`booking ${kind}${detail}`, options);
  }

  get info(): ErrorInfo {
    return errorInfo(`booking-${this.kind}`, Object.keys(this.params).length ? this.params : undefined);
  }
}
