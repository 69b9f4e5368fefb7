/**
 * The writes a nurse makes to the booking system (book, move, cancel), as the outbox keeps
 * them until the booking system confirms or refuses each. Every write names the meeting by a
 * uuid the console chose (a create) or the meeting's own (a move or a cancel), so a retry is
 * the same write, never a second one.
 */

/** What a create sends (VDX create-meeting, the fields the console sets). */
export interface NewMeeting {
  subject: string;
  /** ISO 8601 instants; written to VDX in its own format. */
  startTime: string;
  endTime: string;
  description?: string;
  schedulingTemplateId?: number;
}

/** What a move sends (VDX update-meeting requires the subject again). */
export interface MovedMeeting {
  subject: string;
  startTime: string;
  endTime: string;
}

export type BookingWrite =
  | { kind: 'create'; meetingId: string; meeting: NewMeeting }
  | { kind: 'update'; meetingId: string; meeting: MovedMeeting }
  | { kind: 'delete'; meetingId: string };

/**
 * Why the booking system refused a write for good (never retried): a code the renderer
 * translates (`booking-write.<code>`), the HTTP status and VDX's detailed_error_code if any.
 */
export type RefusalCode =
  /** 400: the booking system found the request invalid (a field, a template). */
  | 'invalid'
  /** 401 after a fresh token, or 403: this account may not book, or not this meeting. */
  | 'forbidden'
  /** 404: the meeting is gone (moved or cancelled elsewhere). */
  | 'gone'
  /** 406, or a move whose start VDX kept: the room is already set up; it cannot change. */
  | 'room-ready'
  /** 400 "not unique" for a uuid that is someone else's meeting (should never happen). */
  | 'conflict';

export interface Refusal {
  code: RefusalCode;
  status: number;
  vdxCode?: string;
}

/** One attempt's outcome, as the outbox needs it. */
export type WriteOutcome =
  | { kind: 'confirmed'; meeting: ConfirmedMeeting | null }
  | { kind: 'refused'; refusal: Refusal }
  /** Not known to have landed or not: try again later with the same identity. */
  | { kind: 'retry'; reason: 'offline' | 'timeout' | 'server' | 'unauthorized'; status?: number };

/** The meeting as VDX confirmed it (a create or a move); null for a cancel. */
export interface ConfirmedMeeting {
  id: string;
  /** The booking system's short id (12 characters), when it answered with the meeting. */
  shortId?: string;
  startTime: string;
  endTime: string;
}
