/**
 * The booking dialogs' date and time fields speak the workstation's local time
 * (input type=date gives YYYY-MM-DD, type=time gives HH:MM); main and the booking system
 * speak instants. These convert between the two.
 */

/** A local date and time as an ISO instant; null when either field is not a valid value. */
export function localToIso(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const at = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** An instant as the local date and time fields show it. */
export function isoToLocal(iso: string): { date: string; time: string } {
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
    time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
  };
}

/** Minutes between two instants (a meeting's length). */
export function minutesBetween(startIso: string, endIso: string): number {
  return Math.round((Date.parse(endIso) - Date.parse(startIso)) / 60_000);
}

/** The next quarter hour from now, as the default time of a new booking. */
export function nextQuarterHour(now: Date): string {
  const at = new Date(now);
  at.setSeconds(0, 0);
  at.setMinutes(Math.ceil((at.getMinutes() + 1) / 15) * 15);
  return isoToLocal(at.toISOString()).time;
}
