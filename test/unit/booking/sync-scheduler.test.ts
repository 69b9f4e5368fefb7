/**
 * The automatic sync timing (main owns it): every interval while a day is watched, at once
 * on focus, backoff after failures, nothing while hidden. Timers are vitest's fake clock:
 * the subject here is time itself.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackoff } from '../../../main/booking/backoff';
import { createSyncScheduler } from '../../../main/booking/sync-scheduler';

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
  it('syncs the watched day every interval while the outcomes are good', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    vi.advanceTimersByTime(14_999);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual(['2026-11-22']);
    scheduler.outcome('2026-11-22', true);
    vi.advanceTimersByTime(15_000);
    expect(runs).toEqual(['2026-11-22', '2026-11-22']);
  });

  it('follows the day the view shows', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    vi.advanceTimersByTime(5000);
    scheduler.watch('2026-11-23');
    vi.advanceTimersByTime(15_000);
    expect(runs).toEqual(['2026-11-23']);
  });

  it('syncs at once on focus', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    scheduler.watch('2026-11-22', { now: true });
    expect(runs).toEqual(['2026-11-22']);
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

  it('stops while the view is hidden and after dispose', () => {
    const { runs, scheduler } = setup();
    scheduler.watch('2026-11-22');
    scheduler.watch(null);
    scheduler.outcome('2026-11-22', false);
    vi.advanceTimersByTime(120_000);
    expect(runs).toEqual([]);
    scheduler.watch('2026-11-22');
    scheduler.dispose();
    vi.advanceTimersByTime(120_000);
    scheduler.watch('2026-11-22', { now: true });
    expect(runs).toEqual([]);
  });
});
