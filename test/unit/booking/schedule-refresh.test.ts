/**
 * Sync between the real VDX sandbox and the real encrypted SQLite cache: reading a day never
 * touches the network; a day costs a constant number of requests; a bad fetch never touches
 * the cached day; a good one replaces it whole, and says so only when something changed.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addDays, localDay, startOfDay } from '../../../common/days';
import { createScheduleSync } from '../../../main/booking/schedule-refresh';
import { createVdxSource } from '../../../main/booking/vdx-client';
import { openScheduleDb, type ScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import type { DaySchedule } from '../../../preload/contract';
import { startStack, type Stack } from '../../stack/stack';
import { tempDir } from '../../support/temp-dir';

let stack: Stack;
let db: ScheduleDb;
const today = localDay(new Date());
const changed: DaySchedule[] = [];
let sync: ReturnType<typeof createScheduleSync>;

beforeAll(async () => {
  stack = await startStack();
  const token = await stack.idp.mintAccessToken(stack.idp.users[0]!.username);
  db = openScheduleDb(join(tempDir('cc-sync-'), 'schedule.db'), randomBytes(32), nullLogger);
  sync = createScheduleSync({
    db,
    source: createVdxSource({ baseUrl: stack.vdx.baseUrl, tokens: { getAccessToken: async () => token }, log: nullLogger, timeoutMs: 1000 }),
    log: nullLogger,
    onChanged: (day) => changed.push(day),
  });
});
afterAll(async () => {
  db?.close();
  await stack?.stop();
});
beforeEach(() => {
  changed.length = 0;
  stack.vdx.clearRequestLog();
});
afterEach(() => stack.vdx.setFault(null));

const at = (day: string, hour: number) => new Date(startOfDay(day).getTime() + hour * 3600_000);
const counts = () => stack.vdx.requestCounts();

describe('schedule sync', () => {
  it('reads a day from the cache without a single request', async () => {
    const first = sync.day(today);
    expect(first.meetings).toEqual([]);
    expect(first.sync.state).toBe('never');
    await sync.idle();
    expect(stack.vdx.requestLog).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('fills a day in two requests and pushes the new day once', async () => {
    const after = await sync.refresh(today);
    expect(after.meetings.map((m) => m.id).sort()).toEqual(stack.vdx.meetingsOn(today).map((m) => m.uuid).sort());
    expect(after.sync.state).toBe('ok');
    expect(after.sync.lastSyncedAt).not.toBeNull();
    expect(counts()).toMatchObject({ meetings: 1, 'scheduling-info-list': 1, 'scheduling-info': 0 });
    expect(changed).toEqual([after]);
    expect(sync.day(today)).toEqual(after);
  });

  it('re-syncs an unchanged day in two requests and pushes nothing', async () => {
    const first = await sync.refresh(today);
    changed.length = 0;
    stack.vdx.clearRequestLog();
    const again = await sync.refresh(today);
    expect(counts()).toMatchObject({ meetings: 1, 'scheduling-info-list': 1, 'scheduling-info': 0 });
    expect(again.meetings).toEqual(first.meetings);
    // Same meetings, same state: nothing to tell the view, unless the clock turned the
    // minute that "last synced" shows.
    const minute = (d: DaySchedule) => d.sync.lastSyncedAt?.slice(0, 16);
    expect(changed).toEqual(minute(first) === minute(again) ? [] : [again]);
  });

  it('asks for a room per meeting only when the list does not cover it and it is new or changed', async () => {
    const day = addDays(today, 3);
    const waiting = stack.vdx.addMeeting({ subject: 'Invented waiting consultation', startTime: at(day, 10), provisionStatus: 'AWAITS_PROVISION' });
    try {
      const first = await sync.refresh(day);
      expect(first.meetings.find((m) => m.id === waiting.uuid)?.joinable).toBe(false);
      expect(counts()['scheduling-info']).toBe(1); // new, and not in the list of provisioned rooms

      stack.vdx.clearRequestLog();
      await sync.refresh(day);
      expect(counts()['scheduling-info']).toBe(0); // unchanged since: the cached details stand

      stack.vdx.updateMeeting(waiting.uuid, { subject: 'Invented waiting consultation, moved', startTime: at(day, 11), endTime: at(day, 12) });
      stack.vdx.clearRequestLog();
      changed.length = 0;
      const moved = await sync.refresh(day);
      expect(counts()['scheduling-info']).toBe(1); // changed: asked again
      const row = moved.meetings.find((m) => m.id === waiting.uuid);
      expect(row?.subject).toBe('Invented waiting consultation, moved');
      expect(row?.startTime).toBe(at(day, 11).toISOString());
      expect(changed).toEqual([moved]);

      // Provisioned upstream: the list now carries its room, with no per-meeting request.
      stack.vdx.updateMeeting(waiting.uuid, { provisionStatus: 'PROVISIONED_OK' });
      stack.vdx.clearRequestLog();
      const ready = await sync.refresh(day);
      expect(counts()['scheduling-info']).toBe(0);
      expect(ready.meetings.find((m) => m.id === waiting.uuid)?.joinable).toBe(true);
    } finally {
      await stack.vdx.deleteMeeting(waiting.uuid);
    }
  });

  it('shows a changed provisioned meeting and drops a deleted one, still in two requests', async () => {
    const day = addDays(today, 4);
    const meeting = stack.vdx.addMeeting({ subject: 'Invented review', startTime: at(day, 9) });
    await sync.refresh(day);
    stack.vdx.updateMeeting(meeting.uuid, { subject: 'Invented review, renamed' });
    stack.vdx.clearRequestLog();
    const renamed = await sync.refresh(day);
    expect(renamed.meetings.find((m) => m.id === meeting.uuid)?.subject).toBe('Invented review, renamed');
    await stack.vdx.deleteMeeting(meeting.uuid);
    const gone = await sync.refresh(day);
    expect(gone.meetings.map((m) => m.id)).not.toContain(meeting.uuid);
    expect(counts()).toMatchObject({ meetings: 2, 'scheduling-info-list': 2, 'scheduling-info': 0 });
  });

  it('keeps the last good copy of a meeting whose room record comes back invalid', async () => {
    // A day of fixed slots: the list's first record is one of its own meetings.
    const day = addDays(today, 2);
    const before = await sync.refresh(day);
    stack.vdx.setFault('invalid-scheduling-info', 'scheduling-info');
    const after = await sync.refresh(day);
    expect(after.meetings).toEqual(before.meetings);
    expect(after.sync.invalidCount).toBe(1);
  });

  it.each(['http500', 'malformed-json', 'timeout', 'unauthorized'] as const)(
    'keeps the cached day unchanged when the fetch fails with %s, and pushes the new state once',
    async (fault) => {
      const before = await sync.refresh(today);
      stack.vdx.setFault(fault, 'meetings');
      changed.length = 0;
      const after = await sync.refresh(today);
      expect(after.meetings).toEqual(before.meetings);
      expect(after.sync.lastSyncedAt).toBe(before.sync.lastSyncedAt);
      expect(after.sync.state).toBe(fault === 'timeout' ? 'offline' : 'error');
      expect(after.sync.problem?.code).toMatch(/^booking-/);
      expect(changed).toEqual([after]);
      await sync.refresh(today); // the same failure again: nothing new to show
      expect(changed).toHaveLength(1);
    },
  );

  it('catches up by itself when the service recovers, including upstream additions and deletions', async () => {
    stack.vdx.setFault('http500', 'meetings');
    await sync.refresh(today);
    stack.vdx.setFault(null);
    const victim = stack.vdx.meetingsOn(today)[0]!;
    await stack.vdx.deleteMeeting(victim.uuid);
    const added = stack.vdx.addMeeting({ subject: 'Invented follow-up', startTime: at(today, 12) });
    const after = await sync.refresh(today);
    expect(after.sync.state).toBe('ok');
    expect(after.meetings.map((m) => m.id)).toContain(added.uuid);
    expect(after.meetings.map((m) => m.id)).not.toContain(victim.uuid);
  });
});
