/**
 * The main window's first questions, asked together the moment the app starts instead of
 * one after another as components mount: what the app is, who is signed in, and today's
 * schedule (which main answers from its cache; never a sync). Each answer is taken once, by
 * the component that would otherwise have asked; a later question goes to main as usual.
 */
import { localDay } from '../../../common/days';
import type { AppInfo, AuthState, DaySchedule } from '../../../preload/contract';
import { call } from '../lib/backend';

interface Early {
  info: Promise<AppInfo>;
  auth: Promise<AuthState>;
  today: { day: string; answer: Promise<DaySchedule | null> };
}

let early: Partial<Early> = {};

export function askEarly(): void {
  const day = localDay(new Date());
  early = {
    info: call('app.info', {}),
    auth: call('auth.state', {}),
    // Not signed in: main says so, and the day view (not shown then) never takes it.
    today: { day, answer: call('schedule.day', { day }).catch(() => null) },
  };
  // Taken later (or never): a rejection is handled by whoever takes it.
  early.info?.catch(() => undefined);
  early.auth?.catch(() => undefined);
}

export function takeEarly<K extends 'info' | 'auth'>(key: K): Early[K] | undefined {
  const answer = early[key];
  delete early[key];
  return answer;
}

/** The early answer for this day, once; null when there is none to use. */
export function takeEarlyDay(day: string): Promise<DaySchedule | null> | null {
  const today = early.today;
  if (today?.day !== day) return null;
  delete early.today;
  return today.answer;
}
