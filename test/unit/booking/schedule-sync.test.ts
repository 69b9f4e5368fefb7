/**
 * Sync between the real VDX sandbox and the real encrypted SQLite cache: a bad fetch never
 * touches the cached day; a good one replaces it whole.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localDay, startOfDay } from '../../../common/days';
import { createScheduleSync } from '../../../main/booking/schedule-sync';
import { createVdxSource } from '../../../main/booking/vdx-client';
import { openScheduleDb, type ScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import { startStack, type Stack } from '../../stack/stack';

let stack: Stack;
let db: ScheduleDb;
const today = localDay(new Date());

beforeAll(async () => {
  stack = await startStack();
  const token = await stack.idp.mintAccessToken(stack.idp.users[0]!.username);
  db = openScheduleDb(join(mkdtempSync(join(tmpdir(), 'cc-sync-')), 'schedule.db'), randomBytes(32), nullLogger);
  changed.length = 0;
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
afterEach(() => stack.vdx.setFault(null));

const changed: string[] = [];
let sync: ReturnType<typeof createScheduleSync>;

describe('schedule sync', () => {
  it('answers from the cache at once, then fills it and says so', async () => {
    const first = sync.day(today);
    expect(first.meetings).toEqual([]);
    expect(first.sync.state).toBe('never');
    await sync.idle();
    expect(changed).toContain(today);
    const after = sync.day(today);
    expect(after.meetings.map((m) => m.id).sort()).toEqual(stack.vdx.meetingsOn(today).map((m) => m.uuid).sort());
    expect(after.sync.state).toBe('ok');
    expect(after.sync.lastSyncedAt).not.toBeNull();
  });

  it.each(['http500', 'malformed-json', 'timeout', 'unauthorized'] as const)(
    'keeps the cached day unchanged when the fetch fails with %s',
    async (fault) => {
      const before = await sync.refresh(today);
      stack.vdx.setFault(fault, 'meetings');
      const after = await sync.refresh(today);
      expect(after.meetings).toEqual(before.meetings);
      expect(after.sync.lastSyncedAt).toBe(before.sync.lastSyncedAt);
      expect(after.sync.state).toBe(fault === 'timeout' ? 'offline' : 'error');
      expect(after.sync.message).toBeTruthy();
    },
  );

  it('catches up by itself when the service recovers, including upstream additions and deletions', async () => {
    stack.vdx.setFault('http500', 'meetings');
    await sync.refresh(today);
    stack.vdx.setFault(null);
    const victim = stack.vdx.meetingsOn(today)[0]!;
    await stack.vdx.deleteMeeting(victim.uuid);
    const noon = startOfDay(today);
    noon.setHours(12);
    const added = stack.vdx.addMeeting({ subject: 'Invented follow-up', startTime: noon });
    const after = await sync.refresh(today);
    expect(after.sync.state).toBe('ok');
    expect(after.meetings.map((m) => m.id)).toContain(added.uuid);
    expect(after.meetings.map((m) => m.id)).not.toContain(victim.uuid);
  });
});
