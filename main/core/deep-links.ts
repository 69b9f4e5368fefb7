/**
 * Opening a `clinician-console://meeting/<id>` link: parse it strictly, find the meeting in
 * the signed-in user's cached schedule, and tell the day view which day and meeting to
 * show. A link never joins a call. Its content is untrusted and never logged.
 */
import { localDay } from '../../common/days';
import type { EventPayload } from '../../preload/contract';
import type { BookedMeeting } from '../booking/booking-source';
import type { Logger } from '../log/logger';
import { parseDeepLink } from '../platform/deep-link';

export interface MeetingLookup {
  byId(uuid: string): BookedMeeting | null;
  byShortId(shortId: string): BookedMeeting | null;
}

export async function resolveDeepLink(
  raw: unknown,
  lookup: MeetingLookup | null,
  log: Logger,
  /** Brings the meeting's day into the cache when it is not there yet (asks the booking API). */
  fetchDayOf?: (ref: { uuid: string } | { shortId: string }) => Promise<void>,
): Promise<EventPayload<'deeplink.opened'>> {
  const parsed = parseDeepLink(raw);
  if (!parsed.ok) {
    log.warn(`deep link rejected: ${parsed.error}`);
    return { ok: false, error: { code: 'link-invalid' } };
  }
  if (!lookup) return { ok: false, error: { code: 'link-sign-in' } };
  const link = parsed.link;
  const find = () => ('uuid' in link ? lookup.byId(link.uuid) : lookup.byShortId(link.shortId));
  let meeting = find();
  if (!meeting && fetchDayOf) {
    try {
      await fetchDayOf('uuid' in link ? { uuid: link.uuid } : { shortId: link.shortId });
      meeting = find();
    } catch (error) {
      log.warn('deep link: the booking service could not be asked', error);
    }
  }
  if (!meeting) {
    log.info('deep link: the meeting is not in the cached schedule');
    return { ok: false, error: { code: 'link-not-in-schedule' } };
  }
  return { ok: true, meetingId: meeting.id, day: localDay(new Date(meeting.startTime)) };
}
