/**
 * A meeting's status as the clinician sees it, derived from its times alone so the day
 * view can recompute it every minute without asking main.
 *
 *   upcoming     before the room opens (startTime - vmrAvailableBefore)
 *   open         the room is open for joining, the appointment has not started
 *   in-progress  between startTime and endTime
 *   ended        after endTime
 *
 * Join is allowed from the room opening until endTime: the validity window.
 */
export type MeetingStatus = 'upcoming' | 'open' | 'in-progress' | 'ended';

export interface MeetingTimes {
  startTime: string;
  endTime: string;
  joinOpensAt: string;
}

export function meetingStatus(meeting: MeetingTimes, now: Date): MeetingStatus {
  const t = now.getTime();
  if (t >= Date.parse(meeting.endTime)) return 'ended';
  if (t >= Date.parse(meeting.startTime)) return 'in-progress';
  if (t >= Date.parse(meeting.joinOpensAt)) return 'open';
  return 'upcoming';
}

export function canJoin(meeting: MeetingTimes & { joinable: boolean }, now: Date): boolean {
  const status = meetingStatus(meeting, now);
  return meeting.joinable && (status === 'open' || status === 'in-progress');
}
