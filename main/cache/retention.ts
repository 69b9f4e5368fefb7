/**
 * Which days the offline copy keeps: `daysBack` before today to `daysForward` after it
 * (defaults 14 and 30; IT can change them in the settings). Older and later days are
 * purged, so a stolen disk holds no more of the schedule than the clinic needs offline.
 */
import { addDays } from '../../common/days';

export interface RetentionPolicy {
  daysBack: number;
  daysForward: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daysBack: 14, daysForward: 30 };

/** The first and last day kept, as YYYY-MM-DD, inclusive. */
export function retentionWindow(today: string, policy: RetentionPolicy): { from: string; to: string } {
  return { from: addDays(today, -policy.daysBack), to: addDays(today, policy.daysForward) };
}

/** YYYY-MM-DD strings compare in calendar order. */
export function inWindow(day: string, window: { from: string; to: string }): boolean {
  return day >= window.from && day <= window.to;
}
