/**
 * Who waits in the day's open meetings, as main reports it (`waiting.changed`: roles, never
 * names), and what the day view says about it: the badge's words, and one OS notification
 * when a meeting's first guest arrives before the clinician joined (main decides which
 * arrivals those are, once per meeting).
 *
 * Unlike the call window's knock (which stays quiet while its window has the focus, where the
 * lobby is in plain sight), this notifies even when the console is focused: the day view's
 * badge is one line among many, and a clinician at the desk may be looking at the patient
 * record on another screen. Once per meeting keeps that from becoming noise.
 */
import type { GuestRole } from '../../../call/common/call-model';
import type { EventPayload, MeetingView } from '../../../preload/contract';
import { currentLocale, t } from '../i18n/i18n.svelte';
import { formatTime } from '../lib/format';
import { waitedMinutes, waitedPhrase } from '../lib/waited';

export type DayWaiting = EventPayload<'waiting.changed'>;

/** One guest waiting: the role, and since when (the server's time, as main reported it). */
export interface GuestWaiting {
  role: GuestRole;
  since: string;
}

/** Who waits per meeting, for the day shown (another day's report shows nothing). */
export function waitingByMeeting(report: DayWaiting | null, day: string): ReadonlyMap<string, GuestWaiting[]> {
  if (!report || report.day !== day) return new Map();
  return new Map(report.meetings.map((m) => [m.meetingId, m.roles.map((role, i) => ({ role, since: m.since[i]! }))]));
}

/** "7 min", "1 h 5 min", "just now": how long someone has waited at `nowMs`. */
export function waitedText(since: string, nowMs: number): string {
  const { key, params } = waitedPhrase(waitedMinutes(since, nowMs));
  return t(key, params);
}

const roleName = (role: GuestRole) => t(`call.role.${role}`);

/** The badge: "Patient waiting" for one guest (by role), "2 waiting" for more. */
export function badgeText(roles: readonly GuestRole[]): string {
  return roles.length === 1 ? t('waiting.one', { role: roleName(roles[0]!) }) : t('waiting.many', { count: roles.length });
}

/** What a screen reader says for the badge: who, by role, and how long each has waited. */
export function badgeSpoken(guests: readonly GuestWaiting[], nowMs: number): string {
  const each = guests.map((g) => t('waiting.forHowLong', { role: roleName(g.role), waited: waitedText(g.since, nowMs) }));
  if (guests.length === 1) return each[0]!;
  const list = new Intl.ListFormat(currentLocale(), { type: 'conjunction' }).format(each);
  return t('waiting.who', { count: guests.length, roles: list });
}

/**
 * Notifies each newly arrived meeting (role and time, never a name or a subject: a
 * notification shows on a screen anyone may see); returns what to announce to a screen reader.
 */
export function announceArrivals(report: DayWaiting, meetings: readonly MeetingView[]): string {
  const said: string[] = [];
  for (const id of report.arrived) {
    const role = roleName(report.meetings.find((m) => m.meetingId === id)?.roles[0] ?? 'other');
    const meeting = meetings.find((m) => m.id === id);
    const time = meeting ? formatTime(meeting.startTime, currentLocale()) : null;
    notify(t('waiting.notifyTitle', { role }), time ? t('waiting.notifyBody', { time }) : t('waiting.notifyBodyAny'), `waiting-${id}`);
    said.push(time ? t('waiting.announce', { role, time }) : t('waiting.notifyTitle', { role }));
  }
  return said.join(' ');
}

function notify(title: string, body: string, tag: string): void {
  if (typeof Notification === 'undefined') return;
  const show = () => {
    const notification = new Notification(title, { body, tag });
    notification.onclick = () => window.focus();
  };
  if (Notification.permission === 'granted') show();
  else if (Notification.permission === 'default') void Notification.requestPermission().then((p) => p === 'granted' && show());
}
