// The booking outbox against the real VDX sandbox (over HTTP, real tokens from the local
// IdP) and the real encrypted schedule database: each fault a hospital network makes, a
// console killed mid-request, and fast-check's random sequences of them. What must hold:
// never two meetings for one write, never a confirmed write VDX does not have, never a
// refusal for a write VDX committed, and nothing left queued once VDX answers again.
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBackoff } from '../../../main/booking/backoff';
import { createOutbox, type Outbox } from '../../../main/booking/outbox/outbox';
import { createVdxWriter } from '../../../main/booking/outbox/vdx-writes';
import type { BookingWrite } from '../../../main/booking/outbox/write-types';
import { openScheduleDb, type ScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import type { VdxHandle, VdxWriteFault } from '../../stack/vdx';
import { tempDir } from '../../support/temp-dir';
import { startVdxSandbox, type VdxSandbox } from '../../support/vdx-sandbox';

const NURSE = 'nurse.demo@example.org';
const READER = 'reader.demo@example.org';
const DAY_MS = 24 * 3600_000;

let sandbox: VdxSandbox;
let vdx: VdxHandle;
let tokens: Map<string, string>;
const key = randomBytes(32);

beforeAll(async () => {
  sandbox = await startVdxSandbox('outbox-ca-', [NURSE, READER]);
  ({ vdx, tokens } = sandbox);
});

afterAll(() => sandbox?.stop());

beforeEach(() => {
  vdx.setWriteFault(null);
  vdx.setDown(false);
});

/** A console: its database file, its outbox, and what it was told was confirmed. */
interface Console {
  db: ScheduleDb;
  outbox: Outbox;
  confirmed: BookingWrite[];
}

function openConsole(file: string, who = NURSE, backoff = createBackoff({ baseMs: 5, maxMs: 40 })): Console {
  const db = openScheduleDb(file, key, nullLogger);
  const confirmed: BookingWrite[] = [];
  const writer = createVdxWriter({
    baseUrl: vdx.baseUrl,
    tokens: { getAccessToken: async () => tokens.get(who)! },
    log: nullLogger,
    userEmail: () => who,
    timeoutMs: 2_000,
  });
  const outbox = createOutbox({
    table: db.outbox,
    writer,
    log: nullLogger,
    // Milliseconds, not seconds: the test's clock; the shape (doubling, jitter) is backoff.test.ts's.
    backoff,
    onConfirmed: (write) => confirmed.push(write),
  });
  outbox.start();
  return { db, outbox, confirmed };
}

/** A future visit (days ahead, so its room is not set up and it may still move or go). */
function visit(daysAhead: number, minutes = 20) {
  const start = new Date(Math.floor((Date.now() + daysAhead * DAY_MS) / 60_000) * 60_000);
  return { subject: 'Follow-up video visit (invented)', startTime: start.toISOString(), endTime: new Date(start.getTime() + minutes * 60_000).toISOString() };
}

function book(daysAhead = 2): Extract<BookingWrite, { kind: 'create' }> {
  return { kind: 'create', meetingId: randomUUID(), meeting: visit(daysAhead) };
}

describe('one write through each fault', () => {
  it.each<[string, VdxWriteFault[]]>([
    ['no fault', []],
    ['the answer lost after VDX committed', ['commit-then-drop']],
    ['a 503 after VDX committed', ['commit-then-503']],
    ['a 503 before VDX saw it', ['http503']],
    ['all three, one after the other', ['http503', 'commit-then-503', 'commit-then-drop']],
  ])('a booking with %s ends as exactly one meeting, confirmed', async (_what, faults) => {
    const c = openConsole(join(tempDir('outbox-'), 'schedule.db'));
    const write = book();
    const creates = vdx.committedWrites.create;
    vdx.queueWriteFaults(faults);
    c.outbox.enqueue(write);
    await c.outbox.idle();
    expect(vdx.committedWrites.create - creates).toBe(1);
    expect(vdx.getMeeting(write.meetingId)?.uuid).toBe(write.meetingId);
    expect(c.confirmed).toEqual([write]);
    expect(c.outbox.rows()).toEqual([]);
    await c.outbox.stop();
    c.db.close();
  });

  it('a double click is one row and one meeting', async () => {
    const c = openConsole(join(tempDir('outbox-'), 'schedule.db'));
    const write = book();
    const creates = vdx.committedWrites.create;
    const first = c.outbox.enqueue(write);
    const second = c.outbox.enqueue(write);
    expect(second.seq).toBe(first.seq);
    await c.outbox.idle();
    expect(vdx.committedWrites.create - creates).toBe(1);
    await c.outbox.stop();
    c.db.close();
  });

  it('offline: the booking waits in the outbox, and is sent once VDX can be reached again', async () => {
    const c = openConsole(join(tempDir('outbox-'), 'schedule.db'));
    vdx.setDown(true);
    const write = book();
    c.outbox.enqueue(write);
    // Several attempts fail while down; the row stays queued, nothing is confirmed.
    await new Promise((r) => setTimeout(r, 150));
    expect(c.outbox.rows()).toHaveLength(1);
    expect(c.outbox.rows()[0]!.attempts).toBeGreaterThan(1);
    expect(c.confirmed).toEqual([]);
    vdx.setDown(false);
    await c.outbox.idle();
    expect(vdx.getMeeting(write.meetingId)).toBeDefined();
    expect(c.confirmed).toEqual([write]);
    await c.outbox.stop();
    c.db.close();
  });

  it('a console killed mid-request sends the write once at its next start, whether or not VDX had it', async () => {
    for (const landed of [true, false]) {
      const file = join(tempDir('outbox-'), 'schedule.db');
      const write = book();
      const creates = vdx.committedWrites.create;
      // The kill: the row is marked as being sent, and the process is gone before any answer.
      const before = openConsole(file);
      await before.outbox.stop();
      const row = before.db.outbox.add(write, new Date());
      before.db.outbox.markSending(row.seq);
      before.db.close();
      if (landed) vdx.addMeeting({ uuid: write.meetingId, organizerEmail: NURSE, startTime: write.meeting.startTime, endTime: write.meeting.endTime });

      const after = openConsole(file);
      await after.outbox.idle();
      expect(vdx.committedWrites.create - creates).toBe(landed ? 0 : 1);
      expect(vdx.allMeetings().filter((m) => m.uuid === write.meetingId)).toHaveLength(1);
      expect(after.confirmed).toEqual([write]);
      await after.outbox.stop();
      after.db.close();
    }
  });

  it('a write that waited out a long back-off when the console stopped is sent at once at the next start', async () => {
    const file = join(tempDir('outbox-'), 'schedule.db');
    // Offline, with a back-off of an hour: the first try fails and the row waits.
    const before = openConsole(file, NURSE, createBackoff({ baseMs: 3_600_000, maxMs: 3_600_000 }));
    vdx.setDown(true);
    const write = book();
    before.outbox.enqueue(write);
    await expect.poll(() => before.outbox.rows()[0]?.attempts, { interval: 5 }).toBe(1);
    await expect.poll(() => before.outbox.rows()[0]?.state, { interval: 5 }).toBe('queued');
    expect(before.outbox.rows()[0]!.notBefore, "half an hour away at least (jitter)").toBeGreaterThan(Date.now() + 1_000_000);
    await before.outbox.stop();
    before.db.close();
    vdx.setDown(false);

    // The same long back-off in the next run: the row does not wait for it.
    const after = openConsole(file, NURSE, createBackoff({ baseMs: 3_600_000, maxMs: 3_600_000 }));
    await after.outbox.idle();
    expect(vdx.allMeetings().filter((m) => m.uuid === write.meetingId)).toHaveLength(1);
    expect(after.confirmed).toEqual([write]);
    await after.outbox.stop();
    after.db.close();
  });

  it('a refusal is kept for the user with its reason, never retried, and can be dismissed', async () => {
    const c = openConsole(join(tempDir('outbox-'), 'schedule.db'), READER);
    c.outbox.enqueue(book());
    await c.outbox.idle();
    const [row] = c.outbox.rows();
    expect(row?.state).toBe('refused');
    expect(row?.refusal).toMatchObject({ code: 'forbidden', status: 403 });
    expect(row?.attempts).toBe(1);
    expect(c.outbox.dismiss(row!.seq)).toBe(true);
    expect(c.outbox.rows()).toEqual([]);
    await c.outbox.stop();
    c.db.close();
  });

  it('a move waits for its meeting\'s booking, a cancel after it removes the meeting; an invalid move is refused as invalid', async () => {
    const c = openConsole(join(tempDir('outbox-'), 'schedule.db'));
    const write = book(3);
    const moved = visit(4, 30);
    vdx.queueWriteFaults(['http503']);
    c.outbox.enqueue(write);
    c.outbox.enqueue({ kind: 'update', meetingId: write.meetingId, meeting: moved });
    await c.outbox.idle();
    expect(Date.parse(vdx.getMeeting(write.meetingId)!.startTime)).toBe(Date.parse(moved.startTime));
    c.outbox.enqueue({ kind: 'update', meetingId: write.meetingId, meeting: { ...moved, endTime: moved.startTime } });
    c.outbox.enqueue({ kind: 'delete', meetingId: write.meetingId });
    await c.outbox.idle();
    expect(c.outbox.rows().map((r) => [r.write.kind, r.state, r.refusal?.code])).toEqual([['update', 'refused', 'invalid']]);
    expect(vdx.getMeeting(write.meetingId)).toBeUndefined();
    await c.outbox.stop();
    c.db.close();
  });
});

describe('sending now, before a sign-out', () => {
  it('tries each queued write once at once, back-off or not, and resolves when each had its try', async () => {
    // An hour's back-off: only sendNow can send these within the test.
    const c = openConsole(join(tempDir('outbox-'), 'schedule.db'), NURSE, createBackoff({ baseMs: 3_600_000, maxMs: 3_600_000 }));
    vdx.setDown(true);
    const first = book(2);
    const second = book(3);
    c.outbox.enqueue(first);
    c.outbox.enqueue(second);
    await expect.poll(() => c.outbox.rows().map((r) => [r.state, r.attempts])).toEqual([['queued', 1], ['queued', 1]]);

    // Still down: one more try each, then it resolves (not at its time limit), both still queued.
    await c.outbox.sendNow(60_000);
    expect(c.outbox.rows().map((r) => [r.state, r.attempts])).toEqual([['queued', 2], ['queued', 2]]);

    vdx.setDown(false);
    await c.outbox.sendNow(60_000);
    expect(c.outbox.rows()).toEqual([]);
    expect(c.confirmed).toEqual([first, second]);
    expect(vdx.getMeeting(first.meetingId)).toBeDefined();
    // Nothing queued: at once.
    await c.outbox.sendNow(60_000);
    await c.outbox.stop();
    c.db.close();
  });

  it('gives up waiting at its time limit, or when the outbox stops, and the write stays queued', async () => {
    const c = openConsole(join(tempDir('outbox-'), 'schedule.db'), NURSE, createBackoff({ baseMs: 3_600_000, maxMs: 3_600_000 }));
    vdx.setWriteFault('commit-then-hang');
    const write = book(2);
    c.outbox.enqueue(write);
    await c.outbox.sendNow(200);
    expect(c.outbox.rows().map((r) => r.state)).toEqual(['sending']);
    const waiting = c.outbox.sendNow(60_000);
    await c.outbox.stop();
    await waiting;
    vdx.setWriteFault(null);
    c.db.close();
  });
});

describe('random fault sequences (fast-check)', () => {
  const fault = fc.constantFrom<VdxWriteFault | null>(null, null, 'commit-then-drop', 'commit-then-503', 'http503');
  const step = fc.oneof(
    fc.record({ op: fc.constant('book' as const), clicks: fc.integer({ min: 1, max: 2 }), faults: fc.array(fault, { maxLength: 3 }) }),
    fc.record({ op: fc.constant('move' as const), which: fc.nat(), days: fc.integer({ min: 2, max: 9 }), faults: fc.array(fault, { maxLength: 3 }) }),
    fc.record({ op: fc.constant('cancel' as const), which: fc.nat(), faults: fc.array(fault, { maxLength: 3 }) }),
    fc.record({ op: fc.constant('kill' as const), afterMs: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ op: fc.constant('offline' as const), forMs: fc.integer({ min: 5, max: 40 }) }),
  );

  it('never two meetings for one booking, never a confirmation VDX does not have, nothing left queued', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        vdx.setWriteFault(null);
        const file = join(tempDir('outbox-prop-'), 'schedule.db');
        let c = openConsole(file);
        const booked: string[] = [];
        const creates = vdx.committedWrites.create;
        const told: BookingWrite[] = [];
        /** The last move and whether the meeting is cancelled, per meeting, as queued. */
        const intent = new Map<string, { start: string; cancelled: boolean }>();

        for (const s of steps) {
          if (s.op === 'kill') {
            await new Promise((r) => setTimeout(r, s.afterMs));
            // kill -9: no orderly stop; whatever was in flight is lost with the process.
            void c.outbox.stop();
            told.push(...c.confirmed);
            c.db.close();
            c = openConsole(file);
            continue;
          }
          if (s.op === 'offline') {
            vdx.setDown(true);
            await new Promise((r) => setTimeout(r, s.forMs));
            vdx.setDown(false);
            continue;
          }
          vdx.queueWriteFaults(s.faults);
          if (s.op === 'book') {
            const w = book(2);
            for (let i = 0; i < s.clicks; i++) c.outbox.enqueue(w);
            booked.push(w.meetingId);
            intent.set(w.meetingId, { start: w.meeting.startTime, cancelled: false });
          } else {
            const live = booked.filter((id) => !intent.get(id)!.cancelled);
            if (live.length === 0) continue;
            const id = live[s.which % live.length]!;
            if (s.op === 'move') {
              const m = visit(s.days);
              c.outbox.enqueue({ kind: 'update', meetingId: id, meeting: m });
              intent.set(id, { start: m.startTime, cancelled: false });
            } else {
              c.outbox.enqueue({ kind: 'delete', meetingId: id });
              intent.set(id, { ...intent.get(id)!, cancelled: true });
            }
          }
        }
        vdx.setWriteFault(null);
        await c.outbox.idle();
        told.push(...c.confirmed);

        // Nothing queued, nothing refused: every write here is one VDX accepts.
        expect(c.outbox.rows()).toEqual([]);
        // One meeting per booking, however many clicks, kills and lost answers.
        expect(vdx.committedWrites.create - creates).toBe(booked.length);
        for (const id of booked) {
          const want = intent.get(id)!;
          const have = vdx.getMeeting(id);
          if (want.cancelled) expect(have).toBeUndefined();
          else expect(Date.parse(have!.startTime)).toBe(Date.parse(want.start));
        }
        // Every confirmation the console gave (before and after kills) is VDX's truth.
        for (const w of told) {
          if (w.kind === 'create') expect(vdx.usedUuids.has(w.meetingId)).toBe(true);
          if (w.kind === 'delete') expect(vdx.getMeeting(w.meetingId)).toBeUndefined();
        }
        await c.outbox.stop();
        c.db.close();
      }),
      { numRuns: 30 },
    );
  }, 120_000);
});
