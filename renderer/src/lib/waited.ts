/**
 * How long someone has waited, counted here from the `since` main reported (the server's
 * record of the knock or connection): whole minutes, and when the count next changes, so a
 * display updates itself once a minute with no request to main or to any server. Pure (no
 * i18n, no DOM), so the unit tests drive it with any clock.
 */

/** Whole minutes from `since` to `now` (0 for a time in the future: clocks a little apart). */
export function waitedMinutes(since: string, nowMs: number): number {
  const start = Date.parse(since);
  if (Number.isNaN(start)) return 0;
  return Math.max(0, Math.floor((nowMs - start) / 60_000));
}

/** Milliseconds until the whole-minute count next goes up (at least 1 s: a timer never spins). */
export function untilNextMinute(since: string, nowMs: number): number {
  const start = Date.parse(since);
  if (Number.isNaN(start) || nowMs < start) return Math.max(1_000, Number.isNaN(start) ? 60_000 : start - nowMs + 1);
  return Math.max(1_000, 60_000 - ((nowMs - start) % 60_000));
}

/** The i18n key and parameters for a wait of `minutes`: under a minute, minutes, or hours and minutes. */
export function waitedPhrase(minutes: number): { key: 'waited.justNow' | 'waited.minutes' | 'waited.hours'; params: Record<string, number> } {
  if (minutes < 1) return { key: 'waited.justNow', params: {} };
  if (minutes < 60) return { key: 'waited.minutes', params: { count: minutes } };
  return { key: 'waited.hours', params: { hours: Math.floor(minutes / 60), minutes: minutes % 60 } };
}

/** The longest wait of several (the earliest since); null for none. */
export function earliest(since: readonly string[]): string | null {
  let best: string | null = null;
  for (const s of since) if (!Number.isNaN(Date.parse(s)) && (best === null || Date.parse(s) < Date.parse(best))) best = s;
  return best;
}
