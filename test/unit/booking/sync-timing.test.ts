/**
 * The automatic sync timing (main owns it): at once for a newly watched day, then every
 * interval, at once on focus (unless one just ran), backoff after failures, nothing while hidden. Timers are vitest's fake clock:
 * the subject here is time itself.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackoff } from '../../../main/booking/backoff';
import { createSyncScheduler, FOCUS_GAP_MS } from '../../../main/booking/sync-timing';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup() {
  const runs: string[] = [];
  const scheduler = createSyncScheduler({
    run: (day) => runs.push(day),
    intervalMs: 15_000,
    backoff: createBackoff({ baseMs: 2000, maxMs: 60_000, random: () => 0 }),
  });
  return { runs, scheduler };
}

describe('sync scheduler', () => {
  it('syncs a newly watched day at once, then every interval while the outcomes are good', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    expect(runs).toEqual(['2026-11-22']);
    scheduler.outcome('2026-11-22', true);
    vi.advanceTimersByTime(14_999);
    expect(runs).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual(['2026-11-22', '2026-11-22']);
    scheduler.outcome('2026-11-22', true);
    vi.advanceTimersByTime(15_000);
    expect(runs).toHaveLength(3);
  });

  it('runs exactly one sync per interval over an idle minute, and none while one is under way', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    scheduler.outcome('2026-11-22', true);
    // The view repeating what it shows (a re-render) changes nothing.
    for (let i = 0; i < 10; i++) scheduler.watch('2026-11-22');
    vi.advanceTimersByTime(60_000 - 1);
    // The timer armed at the outcome fires once and waits for its own outcome.
    expect(runs).toHaveLength(2);
    for (let i = 1; i < 4; i++) {
      scheduler.outcome('2026-11-22', true);
      vi.advanceTimersByTime(15_000);
    }
    expect(runs).toHaveLength(5);
  });

  it('keeps syncing when two asks fold into one sync (one outcome for both)', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    // Hidden and shown again before that sync ran: asked twice; the sync runs it once.
    scheduler.watch(null);
    scheduler.watch('2026-11-22');
    expect(runs).toEqual(['2026-11-22', '2026-11-22']);
    scheduler.outcome('2026-11-22', true);
    vi.advanceTimersByTime(15_000);
    expect(runs).toHaveLength(3);
    scheduler.outcome('2026-11-22', true);
    vi.advanceTimersByTime(15_000);
    expect(runs).toHaveLength(4);
  });

  it('follows the day the view shows, at once', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    scheduler.outcome('2026-11-22', true);
    vi.advanceTimersByTime(5000);
    scheduler.watch('2026-11-23');
    expect(runs).toEqual(['2026-11-22', '2026-11-23']);
    scheduler.outcome('2026-11-23', true);
    vi.advanceTimersByTime(15_000);
    expect(runs).toEqual(['2026-11-22', '2026-11-23', '2026-11-23']);
  });

  it('syncs at once on focus, but not while a sync runs or just after one', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    scheduler.watch('2026-11-22', { now: true }); // still running: no second sync
    expect(runs).toHaveLength(1);
    scheduler.outcome('2026-11-22', true);
    vi.advanceTimersByTime(FOCUS_GAP_MS - 1);
    scheduler.watch('2026-11-22', { now: true }); // just synced
    expect(runs).toHaveLength(1);
    vi.advanceTimersByTime(1);
    scheduler.watch('2026-11-22', { now: true });
    expect(runs).toHaveLength(2);
  });

  it('backs off after failures and returns to the interval after a success', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    const delays: number[] = [];
    let last = Date.now();
    const step = (ok: boolean) => {
      scheduler.outcome('2026-11-22', ok);
      const before = runs.length;
      while (runs.length === before) vi.advanceTimersByTime(100);
      delays.push(Date.now() - last);
      last = Date.now();
    };
    for (let i = 0; i < 5; i++) step(false);
    step(true);
    // random() = 0: half of 2, 4, 8, 16, 32 s; then the plain 15 s interval.
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 15_000]);
  });

  it('stops while the view is hidden, starts at once when it shows again, and stops for good after dispose', () => {
    const { runs, scheduler } = setup();
    scheduler.watch(null);
    vi.advanceTimersByTime(120_000);
    expect(runs).toEqual([]);
    scheduler.watch('2026-11-22');
    scheduler.outcome('2026-11-22', true);
    scheduler.watch(null);
    vi.advanceTimersByTime(120_000);
    expect(runs).toEqual(['2026-11-22']);
    scheduler.watch('2026-11-22');
    expect(runs).toEqual(['2026-11-22', '2026-11-22']);
    scheduler.dispose();
    scheduler.outcome('2026-11-22', false);
    vi.advanceTimersByTime(120_000);
    scheduler.watch('2026-11-22', { now: true });
    expect(runs).toHaveLength(2);
  });
});
