import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookedMeeting } from '../../../main/booking/booking-source';
import { openScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import { tempDir } from '../../support/temp-dir';

function meeting(n: number, day = '2026-11-22', room = true): BookedMeeting {
  const start = new Date(`${day}T08:00:00Z`);
  start.setUTCMinutes(n * 30);
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    version: `v${n}`,
    shortId: `short${String(n).padStart(7, '0')}`,
    subject: `Invented consultation ${n}`,
    startTime: start.toISOString(),
    endTime: new Date(start.getTime() + 20 * 60_000).toISOString(),
    joinOpensAt: new Date(start.getTime() - 15 * 60_000).toISOString(),
    room: room ? { id: randomBytes(16).toString('hex'), uri: `${n}@video.invalid`, guestPin: '1234', hostPin: '5678' } : null,
  };
}

function tempDb() {
  const dir = tempDir('cc-db-');
  return { dir, path: join(dir, 'schedule.db'), key: randomBytes(32) };
}

describe('schedule database', () => {
  it('returns what a day sync wrote, in start order, with the sync time', () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    db.writeDay('2026-11-22', [meeting(3), meeting(1), meeting(2, '2026-11-22', false)], '2026-11-22T07:00:00.000Z', 1);
    const day = db.readDay('2026-11-22');
    expect(day.meetings.map((m) => m.subject)).toEqual(['Invented consultation 1', 'Invented consultation 2', 'Invented consultation 3']);
    expect(day.meetings[1]!.room).toBeNull();
    expect(day.meetings[0]!.room?.guestPin).toBe('1234');
    expect(day.lastSyncedAt).toBe('2026-11-22T07:00:00.000Z');
    expect(day.invalidCount).toBe(1);
    expect(db.readDay('2026-11-23')).toEqual({ meetings: [], lastSyncedAt: null, invalidCount: 0 });
    db.close();
  });

  it('replaces a whole day, leaving other days alone', () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    db.writeDay('2026-11-22', [meeting(1), meeting(2)], '2026-11-22T07:00:00.000Z', 0);
    db.writeDay('2026-11-23', [meeting(9, '2026-11-23')], '2026-11-22T07:00:00.000Z', 0);
    db.writeDay('2026-11-22', [meeting(2)], '2026-11-22T07:05:00.000Z', 0);
    expect(db.readDay('2026-11-22').meetings.map((m) => m.id)).toEqual([meeting(2).id]);
    expect(db.readDay('2026-11-23').meetings).toHaveLength(1);
    db.close();
  });

  it('a rewrite of a day ends as the new fetch says, however little changed (changed rooms, organisers, gone and moved meetings)', () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    const kept = meeting(1);
    const changing = { ...meeting(2), organizer: 'dr.one@example.invalid' };
    const moving = meeting(7, '2026-11-23');
    db.writeDay('2026-11-22', [kept, changing, meeting(3)], '2026-11-22T07:00:00.000Z', 0);
    db.writeDay('2026-11-23', [moving], '2026-11-22T07:00:00.000Z', 0);
    const changed: BookedMeeting = {
      ...changing,
      organizer: 'dr.two@example.invalid',
      room: { ...changing.room!, guestPin: '4321', portalLink: 'https://portal.invalid/x' },
    };
    const moved = { ...moving, startTime: '2026-11-22T12:00:00.000Z' };
    db.writeDay('2026-11-22', [kept, changed, moved], '2026-11-22T07:05:00.000Z', 2);
    const day = db.readDay('2026-11-22');
    expect(day.meetings).toEqual([kept, changed, moved]);
    expect(day.lastSyncedAt).toBe('2026-11-22T07:05:00.000Z');
    expect(day.invalidCount).toBe(2);
    expect(db.readDay('2026-11-23').meetings).toEqual([]);
    // The same fetch again: nothing to change but the sync time.
    db.writeDay('2026-11-22', [kept, changed, moved], '2026-11-22T07:10:00.000Z', 0);
    expect(db.readDay('2026-11-22')).toEqual({ meetings: [kept, changed, moved], lastSyncedAt: '2026-11-22T07:10:00.000Z', invalidCount: 0 });
    // A room taken away (null columns) is written too.
    db.writeDay('2026-11-22', [{ ...kept, room: null }], '2026-11-22T07:15:00.000Z', 0);
    expect(db.readDay('2026-11-22').meetings).toEqual([{ ...kept, room: null }]);
    db.close();
  });

  it('keeps the old day when a write fails part-way (one transaction)', () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    db.writeDay('2026-11-22', [meeting(1), meeting(2)], '2026-11-22T07:00:00.000Z', 0);
    const broken = { ...meeting(3), subject: null } as unknown as BookedMeeting; // NOT NULL violation mid-write
    expect(() => db.writeDay('2026-11-22', [meeting(4), broken], '2026-11-22T08:00:00.000Z', 0)).toThrow();
    const day = db.readDay('2026-11-22');
    expect(day.meetings.map((m) => m.id)).toEqual([meeting(1).id, meeting(2).id]);
    expect(day.lastSyncedAt).toBe('2026-11-22T07:00:00.000Z');
    db.close();
  });

  it('encrypts the whole file: no subject in plaintext, and survives a reopen with the key', () => {
    const { dir, path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    db.writeDay('2026-11-22', [meeting(1), meeting(2)], '2026-11-22T07:00:00.000Z', 0);
    db.close();
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, file));
      expect(bytes.includes('Invented consultation')).toBe(false);
      expect(bytes.includes('SQLite format 3')).toBe(false);
    }
    const again = openScheduleDb(path, key, nullLogger);
    expect(again.recoveredFrom).toBeNull();
    expect(again.readDay('2026-11-22').meetings).toHaveLength(2);
    again.close();
  });

  it('moves an unreadable file aside and starts afresh (wrong key)', () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    db.writeDay('2026-11-22', [meeting(1)], '2026-11-22T07:00:00.000Z', 0);
    db.close();
    const other = openScheduleDb(path, randomBytes(32), nullLogger);
    expect(other.recoveredFrom).toMatch(/schedule\.db\.unreadable-\d+$/);
    expect(existsSync(other.recoveredFrom!)).toBe(true);
    expect(other.readDay('2026-11-22').meetings).toEqual([]);
    other.close();
  });

  it('moves a corrupt file aside and starts afresh', () => {
    const { path, key } = tempDb();
    writeFileSync(path, randomBytes(8192));
    const db = openScheduleDb(path, key, nullLogger);
    expect(db.recoveredFrom).not.toBeNull();
    db.writeDay('2026-11-22', [meeting(1)], '2026-11-22T07:00:00.000Z', 0);
    expect(db.readDay('2026-11-22').meetings).toHaveLength(1);
    db.close();
  });
});
