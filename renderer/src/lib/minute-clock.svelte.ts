/**
 * A clock for wait counts: `now` (epoch ms) moves when the minute count of `since` next goes
 * up (lib/waited.ts), by a local timer: nothing is asked of main or any server. One per
 * display; it stops with the component that made it ($effect's cleanup).
 */
import { untilNextMinute } from './waited';

export function minuteClock(since: () => string | null): { readonly now: number } {
  let now = $state(Date.now());
  $effect(() => {
    const s = since();
    if (s === null) return;
    const timer = setTimeout(() => (now = Date.now()), untilNextMinute(s, now));
    return () => clearTimeout(timer);
  });
  return {
    get now() {
      return now;
    },
  };
}
