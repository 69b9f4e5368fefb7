import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookedMeeting } from '../../../main/booking/booking-source';
import Database from 'better-sqlite3-multiple-ciphers';
import { INVITED_NUMBERS_MIGRATION } from '../../../main/cache/invited-numbers-table';
import { OUTBOX_MIGRATION } from '../../../main/cache/outbox-table';
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

  it('keeps a planned room (a later date, not set up yet) apart from the room: invitable, never joinable, and rewritten like any field', () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    const later: BookedMeeting = {
      ...meeting(4, '2026-11-29', false),
      organizer: 'nurse.invented@example.invalid',
      plannedRoom: { id: 'vmr-4', uri: 'vmr-4@video.invalid', guestPin: '24681357', portalLink: 'https://portal.invalid/?url=vmr-4' },
    };
    const noId: BookedMeeting = { ...meeting(5, '2026-11-29', false), plannedRoom: { uri: 'vmr-5@video.invalid', guestPin: '13572468' } };
    db.writeDay('2026-11-29', [later, noId], '2026-11-22T07:00:00.000Z', 0);
    const [a, b] = db.readDay('2026-11-29').meetings;
    expect(a).toEqual(later);
    expect(a!.room).toBeNull();
    expect(b).toEqual(noId);
    expect(b!.plannedRoom).not.toHaveProperty('id');
    // Provisioned at the next sync: the planned room goes, the room comes.
    const { plannedRoom: _planned, ...rest } = later;
    const provisioned: BookedMeeting = { ...rest, room: { id: 'vmr-4', uri: 'vmr-4@video.invalid', guestPin: '24681357', hostPin: '86421357' } };
    db.writeDay('2026-11-29', [provisioned, noId], '2026-11-22T07:05:00.000Z', 0);
    expect(db.meeting(later.id)).toEqual(provisioned);
    expect(db.meeting(later.id)).not.toHaveProperty('plannedRoom');
    db.close();
  });

  it('opens a cache written before planned rooms, keeps its rows, and asks again for the meetings without a room', () => {
    const { path, key } = tempDb();
    // The schema as the previous version shipped it (user_version 5), written by hand, keyed as the console keys it.
    const old = new Database(path);
    old.pragma(`cipher='sqlcipher'`);
    old.pragma('legacy=4');
    old.pragma(`key="x'${key.toString('hex')}'"`);
    old.exec(`CREATE TABLE meetings (
       id TEXT PRIMARY KEY, day TEXT NOT NULL, short_id TEXT NOT NULL, subject TEXT NOT NULL, start_time TEXT NOT NULL,
       end_time TEXT NOT NULL, join_opens_at TEXT NOT NULL, room_id TEXT, room_uri TEXT, guest_pin TEXT, host_pin TEXT, portal_link TEXT
     );
     CREATE INDEX meetings_by_day ON meetings(day, start_time);
     CREATE TABLE day_sync (day TEXT PRIMARY KEY, last_synced_at TEXT NOT NULL, invalid_count INTEGER NOT NULL DEFAULT 0);
     ALTER TABLE meetings ADD COLUMN version TEXT NOT NULL DEFAULT '';`);
    old.exec(OUTBOX_MIGRATION);
    old.exec(`ALTER TABLE meetings ADD COLUMN organizer TEXT;`);
    old.exec(INVITED_NUMBERS_MIGRATION);
    old.pragma('user_version = 5');
    const insert = old.prepare(
      `INSERT INTO meetings (id, version, day, short_id, subject, start_time, end_time, join_opens_at, room_id, room_uri, guest_pin, host_pin, portal_link, organizer)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const withRoom = { ...meeting(1), organizer: 'nurse.invented@example.invalid' };
    const roomless = { ...meeting(2, '2026-11-29', false), organizer: 'nurse.invented@example.invalid' };
    for (const m of [withRoom, roomless]) {
      const day = m.startTime.slice(0, 10);
      insert.run(m.id, m.version, day, m.shortId, m.subject, m.startTime, m.endTime, m.joinOpensAt, m.room?.id ?? null, m.room?.uri ?? null, m.room?.guestPin ?? null, m.room?.hostPin ?? null, null, m.organizer);
    }
    old.prepare(`INSERT INTO day_sync (day, last_synced_at, invalid_count) VALUES ('2026-11-22', '2026-11-22T07:00:00.000Z', 0)`).run();
    old.prepare(`INSERT INTO invited_numbers (meeting_id, day, number, lang) VALUES (?, '2026-11-29', '+4520000009', 'da')`).run(roomless.id);
    old.close();

    const db = openScheduleDb(path, key, nullLogger);
    expect(db.recoveredFrom).toBeNull();
    // Every row kept; the one with a room as it was, the roomless one asked again at the next sync (its version emptied).
    expect(db.readDay('2026-11-22')).toEqual({ meetings: [withRoom], lastSyncedAt: '2026-11-22T07:00:00.000Z', invalidCount: 0 });
    expect(db.meeting(roomless.id)).toEqual({ ...roomless, version: '' });
    expect(db.invitedNumbers.forMeeting(roomless.id, '2026-11-22')).toEqual([{ number: '+4520000009', lang: 'da' }]);
    // And the new columns work on the migrated file.
    const planned = { ...roomless, plannedRoom: { id: 'vmr-2', uri: 'vmr-2@video.invalid', guestPin: '24681357' } };
    db.putMeeting('2026-11-29', planned);
    db.close();
    const again = openScheduleDb(path, key, nullLogger);
    expect(again.meeting(roomless.id)).toEqual(planned);
    // Reopening migrates nothing twice: the row with a room keeps its version.
    expect(again.meeting(withRoom.id)?.version).toBe(withRoom.version);
    again.close();
  });
});
