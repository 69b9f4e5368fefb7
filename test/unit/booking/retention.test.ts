/**
 * The retention window (14 days back, 30 forward by default; IT can change it) and the
 * "offline copy was rebuilt" notice, against the real VDX sandbox and the real encrypted db.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay, startOfDay } from '../../../common/days';
import type { BookedMeeting } from '../../../main/booking/booking-source';
import { createScheduleSync } from '../../../main/booking/schedule-refresh';
import { createVdxSource } from '../../../main/booking/vdx-client';
import { inWindow, retentionWindow } from '../../../main/cache/retention';
import { openScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import { parseSettings } from '../../../main/settings/settings';
import { startStack, type Stack } from '../../stack/stack';
import { tempDir } from '../../support/temp-dir';

let stack: Stack;
let source: ReturnType<typeof createVdxSource>;
const today = localDay(new Date());

beforeAll(async () => {
  stack = await startStack({ seed: false });
  const token = await stack.idp.mintAccessToken(stack.idp.users[0]!.username);
  source = createVdxSource({ baseUrl: stack.vdx.baseUrl, tokens: { getAccessToken: async () => token }, log: nullLogger, timeoutMs: 2000 });
});
afterAll(() => stack?.stop());

function at(day: string, hour: number): Date {
  const d = startOfDay(day);
  d.setHours(hour);
  return d;
}

function cachedMeeting(day: string, n: number): BookedMeeting {
  const start = at(day, 9);
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    version: `v${n}`,
    shortId: `short${String(n).padStart(7, '0')}`,
    subject: `Invented consultation ${n}`,
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + 1_800_000).toISOString(),
    joinOpensAt: start.toISOString(),
    room: null,
  };
}

function tempDbPath() {
  return join(tempDir('cc-retention-'), 'schedule.db');
}

describe('retention window', () => {
  it('defaults to 14 days back and 30 forward, and IT can change it within bounds', () => {
    const defaults = parseSettings({}, 'test');
    expect([defaults.scheduleDaysBack, defaults.scheduleDaysForward]).toEqual([14, 30]);
    expect(parseSettings({ scheduleDaysBack: 3, scheduleDaysForward: 7 }, 'test').scheduleDaysForward).toBe(7);
    expect(() => parseSettings({ scheduleDaysBack: -1 }, 'test')).toThrow(/scheduleDaysBack/);
    expect(() => parseSettings({ scheduleDaysForward: 2.5 }, 'test')).toThrow(/scheduleDaysForward/);
    const w = retentionWindow('2026-03-01', { daysBack: 14, daysForward: 30 });
    expect(w).toEqual({ from: '2026-02-15', to: '2026-03-31' });
    expect([inWindow('2026-02-15', w), inWindow('2026-02-14', w), inWindow('2026-03-31', w), inWindow('2026-04-01', w)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it('purges cached days outside the window when the schedule opens, keeping the days inside', () => {
    const path = tempDbPath();
    const key = randomBytes(32);
    const db = openScheduleDb(path, key, nullLogger);
    const old = addDays(today, -15);
    const kept = addDays(today, -14);
    const far = addDays(today, 31);
    db.writeDay(old, [cachedMeeting(old, 1)], new Date().toISOString(), 0);
    db.writeDay(kept, [cachedMeeting(kept, 2)], new Date().toISOString(), 0);
    db.writeDay(far, [cachedMeeting(far, 3)], new Date().toISOString(), 0);
    createScheduleSync({ db, source, log: nullLogger, onChanged: () => undefined });
    expect(db.readDay(old)).toEqual({ meetings: [], lastSyncedAt: null, invalidCount: 0 });
    expect(db.readDay(far).meetings).toEqual([]);
    expect(db.readDay(kept).meetings.map((m) => m.id)).toEqual([cachedMeeting(kept, 2).id]);
    db.close();
  });

  it('shows a day outside the window from the API but never writes it to disk', async () => {
    const db = openScheduleDb(tempDbPath(), randomBytes(32), nullLogger);
    const sync = createScheduleSync({ db, source, log: nullLogger, onChanged: () => undefined, retention: { daysBack: 1, daysForward: 1 } });
    const outside = addDays(today, 5);
    const inside = addDays(today, 1);
    const a = stack.vdx.addMeeting({ subject: 'Invented review', startTime: at(outside, 10) });
    const b = stack.vdx.addMeeting({ subject: 'Invented check', startTime: at(inside, 10) });
    expect((await sync.refresh(outside)).meetings.map((m) => m.id)).toEqual([a.uuid]);
    expect(db.readDay(outside).meetings).toEqual([]);
    expect((await sync.refresh(inside)).meetings.map((m) => m.id)).toEqual([b.uuid]);
    expect(db.readDay(inside).meetings.map((m) => m.id)).toEqual([b.uuid]);
    db.close();
  });
});

describe('unreadable meetings', () => {
  it('keep their last good copy while the rest of the day updates, and are counted', async () => {
    const db = openScheduleDb(tempDbPath(), randomBytes(32), nullLogger);
    const sync = createScheduleSync({ db, source, log: nullLogger, onChanged: () => undefined });
    const day = addDays(today, 2);
    const first = stack.vdx.addMeeting({ subject: 'Invented early call', startTime: at(day, 8) });
    await sync.refresh(day);
    const later = stack.vdx.addMeeting({ subject: 'Invented late call', startTime: at(day, 15) });
    stack.vdx.setFault('invalid-meeting', 'meetings'); // breaks the first meeting of the list
    try {
      const during = await sync.refresh(day);
      expect(during.sync.state).toBe('ok');
      expect(during.sync.invalidCount).toBe(1);
      expect(during.meetings.map((m) => [m.id, m.subject])).toEqual([
        [first.uuid, 'Invented early call'],
        [later.uuid, 'Invented late call'],
      ]);
    } finally {
      stack.vdx.setFault(null);
    }
    // A meeting never seen before that arrives unreadable is only counted.
    const fresh = addDays(today, 3);
    stack.vdx.addMeeting({ subject: 'Invented first call', startTime: at(fresh, 8) });
    const ok = stack.vdx.addMeeting({ subject: 'Invented second call', startTime: at(fresh, 9) });
    stack.vdx.setFault('invalid-meeting', 'meetings');
    try {
      const view = await sync.refresh(fresh);
      expect(view.meetings.map((m) => m.id)).toEqual([ok.uuid]);
      expect(view.sync.invalidCount).toBe(1);
    } finally {
      stack.vdx.setFault(null);
    }
    db.close();
  });
});

describe('rebuilt offline copy', () => {
  it('tells the user once, until dismissed, when an unreadable database was started afresh', async () => {
    const path = tempDbPath();
    writeFileSync(path, randomBytes(8192));
    const db = openScheduleDb(path, randomBytes(32), nullLogger);
    expect(db.recoveredFrom).not.toBeNull();
    const sync = createScheduleSync({ db, source, log: nullLogger, onChanged: () => undefined, recovered: db.recoveredFrom !== null });
    expect((await sync.refresh(today)).notice).toBe('cache-rebuilt');
    sync.dismissNotice();
    expect(sync.day(today).notice).toBeUndefined();
    await sync.idle();
    db.close();

    const fine = openScheduleDb(tempDbPath(), randomBytes(32), nullLogger);
    const plain = createScheduleSync({ db: fine, source, log: nullLogger, onChanged: () => undefined, recovered: fine.recoveredFrom !== null });
    expect((await plain.refresh(today)).notice).toBeUndefined();
    fine.close();
  });
});
