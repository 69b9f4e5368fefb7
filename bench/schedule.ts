/**
 * Schedule figures against the real VDX sandbox and the real encrypted cache. The sandbox
 * runs in a process of its own (bench/booking-server.ts), as the booking API is another
 * machine: the figures are the console's side of a sync.
 *   - full sync of a day of 2,000 meetings into an empty cache: the meeting list and the
 *     list form of scheduling-info (two requests, ~4 MB of JSON), zod validation, one
 *     encrypted SQLite transaction; and how many requests it took;
 *   - the same day synced again, unchanged (what the 15 s timer costs on a busy day);
 *   - cached read of a 200-meeting day (what schedule.day answers from), p50 and p95.
 * Each figure is given as its 5 runs (bench/median.ts): 5 syncs into 5 empty caches, 5
 * unchanged syncs, 5 rounds of 100 cached reads. The CPU time is this process's (the console's
 * side; the booking server runs in its own process), so it shows the console's own cost
 * apart from waiting for the server on a machine others share.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { addDays, localDay } from '../common/days';
import { createScheduleSync } from '../main/booking/schedule-refresh';
import { createVdxSource } from '../main/booking/vdx-client';
import { openScheduleDb } from '../main/cache/schedule-db';
import { nullLogger } from '../main/log/logger';
import { projectRoot } from '../test/support/electron';
import { percentile, type Bench, type Figure } from './bench';
import { RUNS, sampled } from './median';

const BIG_DAY_MEETINGS = 2000;
const READ_DAY_MEETINGS = 200;
const READS_PER_RUN = 100;

/** CPU time (user + system) this process used since `start`, in ms. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Counts the requests a client sends, on its side (the server is in another process). */
function countingFetch(): { fetch: typeof fetch; count: () => number; reset: () => void } {
  let n = 0;
  return {
    fetch: (input, init) => {
      n++;
      return fetch(input, init);
    },
    count: () => n,
    reset: () => (n = 0),
  };
}

export async function bookingServer(days: Record<string, number>): Promise<{ vdxBaseUrl: string; token: string; stop(): Promise<void> }> {
  const child = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), ['bench/booking-server.ts', ...Object.entries(days).map(([d, n]) => `${d}=${n}`)], {
    cwd: projectRoot,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the booking server exited early (code ${code})`)));
  });
  const info = JSON.parse(line) as { vdxBaseUrl: string; token: string };
  return {
    ...info,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

export const scheduleBench: Bench = {
  name: 'schedule sync and cached read',
  async run(ctx) {
    const bigDay = addDays(localDay(new Date()), 1);
    const readDay = addDays(localDay(new Date()), 2);
    const server = await bookingServer({ [bigDay]: BIG_DAY_MEETINGS, [readDay]: READ_DAY_MEETINGS });
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-db-'));
    try {
      const counting = countingFetch();
      const source = createVdxSource({ baseUrl: server.vdxBaseUrl, tokens: { getAccessToken: async () => server.token }, log: nullLogger, fetch: counting.fetch });

      const figures: Figure[] = [];
      const syncTimes: number[] = [];
      const syncCpu: number[] = [];
      const requests: number[] = [];
      for (let run = 1; run <= RUNS; run++) {
        ctx.note(`full sync of ${BIG_DAY_MEETINGS} meetings into an empty cache, run ${run} of ${RUNS}`);
        const db = openScheduleDb(join(dir, `full-${run}.db`), randomBytes(32), nullLogger);
        const sync = createScheduleSync({ db, source, log: nullLogger, onChanged: () => undefined });
        counting.reset();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const result = await sync.refresh(bigDay);
        syncTimes.push(performance.now() - t0);
        syncCpu.push(cpuMs(c0));
        requests.push(counting.count());
        if (result.meetings.length !== BIG_DAY_MEETINGS || result.sync.state !== 'ok') throw new Error(`the sync returned ${result.meetings.length} meetings (${result.sync.state})`);
        db.close();
      }
      figures.push(sampled(`full sync, ${BIG_DAY_MEETINGS} meetings into an empty cache (fetch, validate, encrypted write)`, syncTimes, 'ms'));
      figures.push(sampled(`full sync, ${BIG_DAY_MEETINGS} meetings: the console's CPU time`, syncCpu, 'ms'));
      figures.push(sampled(`full sync, ${BIG_DAY_MEETINGS} meetings: requests to the booking API`, requests, 'count'));

      const db = openScheduleDb(join(dir, 'schedule.db'), randomBytes(32), nullLogger);
      const sync = createScheduleSync({ db, source, log: nullLogger, onChanged: () => undefined });
      await sync.refresh(bigDay);
      const again: number[] = [];
      const againCpu: number[] = [];
      const againRequests: number[] = [];
      for (let run = 1; run <= RUNS; run++) {
        ctx.note(`unchanged ${BIG_DAY_MEETINGS}-meeting day synced again, run ${run} of ${RUNS}`);
        counting.reset();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await sync.refresh(bigDay);
        again.push(performance.now() - t0);
        againCpu.push(cpuMs(c0));
        againRequests.push(counting.count());
      }
      figures.push(sampled(`unchanged ${BIG_DAY_MEETINGS}-meeting day synced again`, again, 'ms'));
      figures.push(sampled(`unchanged ${BIG_DAY_MEETINGS}-meeting day synced again: the console's CPU time`, againCpu, 'ms'));
      figures.push(sampled(`unchanged ${BIG_DAY_MEETINGS}-meeting day synced again: requests per sync`, againRequests, 'count'));

      // The write alone, for scale: one transaction replacing the day, into an empty cache
      // (every row new) and over the same day (nothing to change but the sync time).
      const fetched = await source.fetchDay(bigDay);
      const writes: number[] = [];
      const rewrites: number[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const fresh = openScheduleDb(join(dir, `write-${run}.db`), randomBytes(32), nullLogger);
        let w0 = performance.now();
        fresh.writeDay(bigDay, fetched.meetings, new Date().toISOString(), 0);
        writes.push(performance.now() - w0);
        w0 = performance.now();
        fresh.writeDay(bigDay, fetched.meetings, new Date().toISOString(), 0);
        rewrites.push(performance.now() - w0);
        fresh.close();
      }
      figures.push(sampled(`encrypted write of ${BIG_DAY_MEETINGS} meetings into an empty cache (one transaction)`, writes, 'ms'));
      figures.push(sampled(`encrypted write of the same ${BIG_DAY_MEETINGS} meetings again (one transaction)`, rewrites, 'ms'));

      await sync.refresh(readDay);
      ctx.note(`cached read of ${READ_DAY_MEETINGS} meetings, ${RUNS} rounds of ${READS_PER_RUN}`);
      const p50: number[] = [];
      const p95: number[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const reads: number[] = [];
        for (let i = 0; i < READS_PER_RUN; i++) {
          const t0 = performance.now();
          const day = db.readDay(readDay);
          reads.push(performance.now() - t0);
          if (day.meetings.length !== READ_DAY_MEETINGS) throw new Error('the cached day is incomplete');
        }
        p50.push(percentile(reads, 50));
        p95.push(percentile(reads, 95));
      }
      figures.push(sampled(`cached read, ${READ_DAY_MEETINGS}-meeting day, p50 of ${READS_PER_RUN} reads`, p50, 'ms'));
      figures.push(sampled(`cached read, ${READ_DAY_MEETINGS}-meeting day, p95 of ${READS_PER_RUN} reads`, p95, 'ms'));
      await sync.idle();
      db.close();
      return figures;
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
