/**
 * Schedule figures against the real VDX sandbox and the real encrypted cache:
 *   - full sync of a day of 2,000 meetings: GET /v2/meetings, 2,000 scheduling-info GETs
 *     (bounded concurrency), zod validation, one encrypted SQLite transaction;
 *   - cached read of a 200-meeting day (what schedule.day answers from), p50 and p95.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addDays, localDay, startOfDay } from '../common/days';
import { createScheduleSync } from '../main/booking/schedule-sync';
import { createVdxSource } from '../main/booking/vdx-client';
import { openScheduleDb } from '../main/cache/schedule-db';
import { nullLogger } from '../main/log/logger';
import { startStack } from '../test/stack/stack';
import { percentile, round, type Bench, type Figure } from './bench';

const BIG_DAY_MEETINGS = 2000;
const READ_DAY_MEETINGS = 200;
const READS = 500;

/** Fills a day with `count` meetings, evenly spread over 20 hours from midnight. */
export function fillDay(add: (input: { subject: string; startTime: Date; endTime: Date }) => unknown, day: string, count: number): void {
  const start = startOfDay(day).getTime();
  const step = Math.floor((20 * 3600_000) / count / 1000) * 1000;
  for (let i = 0; i < count; i++) {
    const s = new Date(start + i * step);
    add({ subject: `Benchmark consultation (demo ${i + 1})`, startTime: s, endTime: new Date(s.getTime() + 15 * 60_000) });
  }
}

export const scheduleBench: Bench = {
  name: 'schedule sync and cached read',
  async run(ctx) {
    const stack = await startStack({ seed: false });
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-db-'));
    try {
      const bigDay = addDays(localDay(new Date()), 1);
      const readDay = addDays(localDay(new Date()), 2);
      fillDay((m) => stack.vdx.addMeeting(m), bigDay, BIG_DAY_MEETINGS);
      fillDay((m) => stack.vdx.addMeeting(m), readDay, READ_DAY_MEETINGS);
      const token = await stack.idp.mintAccessToken(stack.idp.users[0]!.username);
      const source = createVdxSource({ baseUrl: stack.vdx.baseUrl, tokens: { getAccessToken: async () => token }, log: nullLogger });
      const db = openScheduleDb(join(dir, 'schedule.db'), randomBytes(32), nullLogger);
      const sync = createScheduleSync({ db, source, log: nullLogger, onChanged: () => undefined });

      const figures: Figure[] = [];
      const syncTimes: number[] = [];
      for (let run = 1; run <= 3; run++) {
        ctx.note(`full sync of ${BIG_DAY_MEETINGS} meetings, run ${run} of 3`);
        const t0 = performance.now();
        const result = await sync.refresh(bigDay);
        syncTimes.push(performance.now() - t0);
        if (result.meetings.length !== BIG_DAY_MEETINGS || result.sync.state !== 'ok') throw new Error(`the sync returned ${result.meetings.length} meetings (${result.sync.state})`);
      }
      figures.push({ label: `full sync, ${BIG_DAY_MEETINGS} meetings (fetch, validate, encrypted write), first run`, value: round(syncTimes[0]!), unit: 'ms' });
      figures.push({ label: `full sync, ${BIG_DAY_MEETINGS} meetings, median of 3`, value: round(percentile(syncTimes, 50)), unit: 'ms' });

      // The write alone, for scale: one transaction replacing the day.
      const fetched = await source.fetchDay(bigDay);
      const w0 = performance.now();
      db.writeDay(bigDay, fetched.meetings, new Date().toISOString(), 0);
      figures.push({ label: `encrypted write of ${BIG_DAY_MEETINGS} meetings (one transaction)`, value: round(performance.now() - w0), unit: 'ms' });

      await sync.refresh(readDay);
      ctx.note(`cached read of ${READ_DAY_MEETINGS} meetings, ${READS} times`);
      const reads: number[] = [];
      for (let i = 0; i < READS; i++) {
        const t0 = performance.now();
        const day = db.readDay(readDay);
        reads.push(performance.now() - t0);
        if (day.meetings.length !== READ_DAY_MEETINGS) throw new Error('the cached day is incomplete');
      }
      figures.push({ label: `cached read, ${READ_DAY_MEETINGS}-meeting day, p50`, value: round(percentile(reads, 50), 3), unit: 'ms' });
      figures.push({ label: `cached read, ${READ_DAY_MEETINGS}-meeting day, p95`, value: round(percentile(reads, 95), 3), unit: 'ms' });
      await sync.idle();
      db.close();
      return figures;
    } finally {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
