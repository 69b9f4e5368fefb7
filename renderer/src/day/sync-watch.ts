/**
 * Tells main which day the day view shows while it is visible, so main (which owns the
 * timing) syncs it every 15 s; tells it when the view is hidden (no syncing for nobody)
 * and when the window gets the focus (sync at once: the clinician is back at the desk).
 */
import { call } from '../lib/backend';

export function watchDay(day: string): () => void {
  const visible = () => document.visibilityState === 'visible';
  const send = (focus = false) => {
    // A lost watch only delays a sync until the next focus or day change: ignore failures.
    call('schedule.watch', { day: visible() ? day : null, ...(focus ? { focus: true } : {}) }).catch(() => undefined);
  };
  const onVisibility = () => send(visible());
  const onFocus = () => send(true);
  send();
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('focus', onFocus);
  return () => {
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('focus', onFocus);
  };
}

/** Where today's "now" marker goes: before the first meeting that has not started yet. */
export function nowMarkerIndex(meetings: ReadonlyArray<{ startTime: string }>, now: Date): number {
  const t = now.getTime();
  const i = meetings.findIndex((m) => Date.parse(m.startTime) > t);
  return i === -1 ? meetings.length : i;
}
