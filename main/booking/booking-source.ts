/**
 * What the console needs from a booking system. VDX is the first implementation; another
 * booking system (or Pexip's own scheduling) plugs in behind the same interface.
 */

/** One appointment with everything needed to show it and to join it. Kept in main only. */
export interface BookedMeeting {
  id: string;
  shortId: string;
  subject: string;
  startTime: string;
  endTime: string;
  joinOpensAt: string;
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
}

export interface DayFetch {
  meetings: BookedMeeting[];
  /** Ids (or positions) of meetings the source returned that failed validation. */
  invalid: string[];
}

export interface BookingSource {
  /** All meetings starting on the local day. Throws BookingError when the day cannot be fetched. */
  fetchDay(day: string, signal?: AbortSignal): Promise<DayFetch>;
  /** When a meeting starts, found by its id or short id (for deep links to uncached days); null if unknown. */
  findMeetingStart(ref: { uuid: string } | { shortId: string }): Promise<string | null>;
}

export type BookingErrorKind = 'offline' | 'timeout' | 'unauthorized' | 'server' | 'invalid-response';

/** A failed fetch, with a kind the UI can explain. Messages carry no personal data. */
export class BookingError extends Error {
  override name = 'BookingError';
  constructor(
    readonly kind: BookingErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
