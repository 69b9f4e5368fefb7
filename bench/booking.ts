/**
 * Booking writes against the VDX sandbox in a process of its own (bench/booking-server.ts):
 *   - a booking's round trip: from the outbox taking it to VDX's confirmation (the POST, the
 *     encrypted outbox row written, sent and removed), p50 and p95;
 *   - the outbox draining 50 queued writes (a nurse's offline morning coming back online).
 * Each figure is given as its 5 runs (bench/median.ts): 5 rounds of 20 bookings, 5 drains.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOutbox } from '../main/booking/outbox/outbox';
import { createVdxWriter } from '../main/booking/outbox/vdx-writes';
import type { BookingWrite } from '../main/booking/outbox/write-types';
import { openScheduleDb } from '../main/cache/schedule-db';
import { nullLogger } from '../main/log/logger';
import { percentile, type Bench, type Figure } from './bench';
import { RUNS, sampled } from './median';
import { bookingServer } from './schedule';

const ROUND_TRIPS = 20;
const QUEUED = 50;
/** bench/booking-server.ts mints its token for the first demo user. */
const ORGANIZER = 'dr.demo@example.org';

function booking(i: number): BookingWrite {
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 + (2 * 24 * 60 + i * 30) * 60_000);
  return {
    kind: 'create',
    meetingId: randomUUID(),
    meeting: { subject: `Bench visit ${i} (invented)`, startTime: start.toISOString(), endTime: new Date(start.getTime() + 20 * 60_000).toISOString() },
  };
}

export const bookingBench: Bench = {
  name: 'booking writes (outbox)',
  async run(ctx) {
    const server = await bookingServer({});
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-outbox-'));
    try {
      const writer = createVdxWriter({ baseUrl: server.vdxBaseUrl, tokens: { getAccessToken: async () => server.token }, log: nullLogger, userEmail: () => ORGANIZER });
      const figures: Figure[] = [];

      const db = openScheduleDb(join(dir, 'round-trip.db'), randomBytes(32), nullLogger);
      let confirmed: (() => void) | null = null;
      const outbox = createOutbox({ table: db.outbox, writer, log: nullLogger, onConfirmed: () => confirmed?.() });
      outbox.start();
      const p50: number[] = [];
      const p95: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        ctx.note(`${ROUND_TRIPS} bookings, one at a time, round ${run + 1} of ${RUNS}`);
        const trips: number[] = [];
        for (let i = 0; i < ROUND_TRIPS; i++) {
          const done = new Promise<void>((resolve) => (confirmed = resolve));
          const t0 = performance.now();
          outbox.enqueue(booking(run * ROUND_TRIPS + i));
          await done;
          trips.push(performance.now() - t0);
        }
        p50.push(percentile(trips, 50));
        p95.push(percentile(trips, 95));
      }
      await outbox.stop();
      db.close();
      figures.push(sampled(`booking round trip (outbox to VDX confirmation), p50 of ${ROUND_TRIPS}`, p50, 'ms'));
      figures.push(sampled(`booking round trip, p95 of ${ROUND_TRIPS}`, p95, 'ms'));

      const drains: number[] = [];
      for (let run = 1; run <= RUNS; run++) {
        ctx.note(`${QUEUED} queued writes drained, run ${run} of ${RUNS}`);
        const runDb = openScheduleDb(join(dir, `drain-${run}.db`), randomBytes(32), nullLogger);
        // Queued while "offline" (not started), then the outbox starts and drains them.
        const queue = createOutbox({ table: runDb.outbox, writer, log: nullLogger });
        for (let i = 0; i < QUEUED; i++) queue.enqueue(booking(100 * run + i));
        const t0 = performance.now();
        queue.start();
        await queue.idle();
        drains.push(performance.now() - t0);
        if (queue.rows().length !== 0) throw new Error('the outbox did not drain');
        await queue.stop();
        runDb.close();
      }
      figures.push(sampled(`outbox drain, ${QUEUED} queued bookings`, drains, 'ms'));
      return figures;
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
