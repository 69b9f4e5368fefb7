/**
 * The offline schedule: one SQLite database per signed-in user, the whole file encrypted
 * (SQLite3 Multiple Ciphers, SQLCipher scheme) with a random key that the OS protects.
 *
 * Each day's sync is written in one transaction, so a crash mid-write leaves the old day
 * or the new day, never a mix. A file that cannot be opened with the key (corrupt, or
 * written by someone else) is moved aside and a fresh database started; the caller is
 * told, so the user can be told in plain words.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, renameSync } from 'node:fs';
import type { BookedMeeting } from '../booking/booking-source';
import type { Logger } from '../log/logger';
import { createInvitedNumbersTable, INVITED_NUMBERS_MIGRATION, type InvitedNumbersTable } from './invited-numbers-table';
import { createOutboxTable, OUTBOX_MIGRATION, type OutboxTable } from './outbox-table';

/** Each entry moves the schema one version forward; never edit a shipped entry. */
const migrations: string[] = [
  `CREATE TABLE meetings (
     id TEXT PRIMARY KEY,
     day TEXT NOT NULL,
     short_id TEXT NOT NULL,
     subject TEXT NOT NULL,
     start_time TEXT NOT NULL,
     end_time TEXT NOT NULL,
     join_opens_at TEXT NOT NULL,
     room_id TEXT,
     room_uri TEXT,
     guest_pin TEXT,
     host_pin TEXT,
     portal_link TEXT
   );
   CREATE INDEX meetings_by_day ON meetings(day, start_time);
   CREATE TABLE day_sync (
     day TEXT PRIMARY KEY,
     last_synced_at TEXT NOT NULL,
     invalid_count INTEGER NOT NULL DEFAULT 0
   );`,
  // The booking system's change marker per meeting: a sync asks again only for changed ones.
  // Rows from before it have '' and are asked once more.
  `ALTER TABLE meetings ADD COLUMN version TEXT NOT NULL DEFAULT '';`,
  // Booking writes waiting for the booking system's answer (main/booking/outbox).
  OUTBOX_MIGRATION,
  // Who organised each meeting (the nurse may move and cancel only her own).
  `ALTER TABLE meetings ADD COLUMN organizer TEXT;`,
  // Numbers invited by SMS, for "Running late", kept for the meeting's day only.
  INVITED_NUMBERS_MIGRATION,
];

export interface CachedDay {
  meetings: BookedMeeting[];
  lastSyncedAt: string | null;
  invalidCount: number;
}

export interface ScheduleDb {
  readDay(day: string): CachedDay;
  meeting(id: string): BookedMeeting | null;
  /** The meeting with this 12-character short id (deep links use it), if cached. */
  meetingByShortId(shortId: string): BookedMeeting | null;
  /** Replaces the day's meetings with a complete, validated fetch of that day. */
  writeDay(day: string, meetings: BookedMeeting[], syncedAt: string, invalidCount: number): void;
  /** One meeting the booking system just confirmed (booked or moved), into its day, until the next sync of that day. */
  putMeeting(day: string, meeting: BookedMeeting): void;
  /** One meeting the booking system just confirmed as cancelled. */
  removeMeeting(id: string): void;
  /** Deletes every day before `from` and after `to` (YYYY-MM-DD, inclusive bounds kept). Returns rows removed. */
  purgeOutside(from: string, to: string): number;
  /** Booking writes not yet confirmed by the booking system (or refused, for the user to read). */
  readonly outbox: OutboxTable;
  /** Phone numbers invited by SMS per meeting, for its day only (invited-numbers-table.ts). */
  readonly invitedNumbers: InvitedNumbersTable;
  close(): void;
  /** Set when the file could not be opened and was moved aside at open. */
  readonly recoveredFrom: string | null;
}

interface Row {
  id: string;
  version: string;
  short_id: string;
  subject: string;
  start_time: string;
  end_time: string;
  join_opens_at: string;
  room_id: string | null;
  room_uri: string | null;
  guest_pin: string | null;
  host_pin: string | null;
  portal_link: string | null;
  organizer: string | null;
}

export function openScheduleDb(path: string, key: Buffer, log: Logger): ScheduleDb {
  let recoveredFrom: string | null = null;
  let db: Database.Database;
  try {
    db = openKeyed(path, key);
  } catch (error) {
    if (!existsSync(path)) throw error;
    recoveredFrom = `${path}.unreadable-${Date.now()}`;
    log.warn('cache: the schedule database could not be opened; moving it aside and starting afresh', error);
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, recoveredFrom + suffix);
    }
    db = openKeyed(path, key);
  }

  const selectDay = db.prepare<[string], Row>('SELECT * FROM meetings WHERE day = ? ORDER BY start_time, id');
  const selectOne = db.prepare<[string], Row>('SELECT * FROM meetings WHERE id = ?');
  const selectByShortId = db.prepare<[string], Row>('SELECT * FROM meetings WHERE short_id = ? ORDER BY start_time LIMIT 1');
  const selectSync = db.prepare<[string], { last_synced_at: string; invalid_count: number }>(
    'SELECT last_synced_at, invalid_count FROM day_sync WHERE day = ?',
  );
  const deleteDay = db.prepare('DELETE FROM meetings WHERE day = ?');
  const insert = db.prepare(
    `INSERT OR REPLACE INTO meetings (id, version, day, short_id, subject, start_time, end_time, join_opens_at,
       room_id, room_uri, guest_pin, host_pin, portal_link, organizer)
     VALUES (@id, @version, @day, @shortId, @subject, @startTime, @endTime, @joinOpensAt,
       @roomId, @roomUri, @guestPin, @hostPin, @portalLink, @organizer)`,
  );
  const upsertSync = db.prepare(
    `INSERT INTO day_sync (day, last_synced_at, invalid_count) VALUES (?, ?, ?)
     ON CONFLICT(day) DO UPDATE SET last_synced_at = excluded.last_synced_at, invalid_count = excluded.invalid_count`,
  );

  const purgeMeetings = db.prepare('DELETE FROM meetings WHERE day < ? OR day > ?');
  const purgeSync = db.prepare('DELETE FROM day_sync WHERE day < ? OR day > ?');
  const purge = db.transaction((from: string, to: string) => {
    const removed = purgeMeetings.run(from, to).changes;
    purgeSync.run(from, to);
    return removed;
  });

  const deleteOne = db.prepare('DELETE FROM meetings WHERE id = ?');
  const rowOf = (day: string, m: BookedMeeting) => ({
    id: m.id,
    version: m.version,
    day,
    shortId: m.shortId,
    subject: m.subject,
    startTime: m.startTime,
    endTime: m.endTime,
    joinOpensAt: m.joinOpensAt,
    roomId: m.room?.id ?? null,
    roomUri: m.room?.uri ?? null,
    guestPin: m.room?.guestPin ?? null,
    hostPin: m.room?.hostPin ?? null,
    portalLink: m.room?.portalLink ?? null,
    organizer: m.organizer ?? null,
  });

  const writeDay = db.transaction((day: string, meetings: BookedMeeting[], syncedAt: string, invalidCount: number) => {
    deleteDay.run(day);
    for (const m of meetings) insert.run(rowOf(day, m));
    upsertSync.run(day, syncedAt, invalidCount);
  });

  return {
    recoveredFrom,
    outbox: createOutboxTable(db),
    invitedNumbers: createInvitedNumbersTable(db),
    readDay(day) {
      const sync = selectSync.get(day);
      return {
        meetings: selectDay.all(day).map(fromRow),
        lastSyncedAt: sync?.last_synced_at ?? null,
        invalidCount: sync?.invalid_count ?? 0,
      };
    },
    meeting(id) {
      const row = selectOne.get(id);
      return row ? fromRow(row) : null;
    },
    meetingByShortId(shortId) {
      const row = selectByShortId.get(shortId);
      return row ? fromRow(row) : null;
    },
    writeDay(day, meetings, syncedAt, invalidCount) {
      writeDay(day, meetings, syncedAt, invalidCount);
    },
    putMeeting(day, meeting) {
      // INSERT OR REPLACE on the id: a moved meeting leaves its old day.
      insert.run(rowOf(day, meeting));
    },
    removeMeeting(id) {
      deleteOne.run(id);
    },
    purgeOutside(from, to) {
      return purge(from, to);
    },
    close() {
      db.close();
    },
  };
}

function openKeyed(path: string, key: Buffer): Database.Database {
  const db = new Database(path);
  try {
    // SQLCipher v4 compatible encryption of the whole file, pages and WAL alike.
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
    // The first read proves the key: a wrong key or a corrupt file fails here (SQLITE_NOTADB).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Wait for a lock rather than fail at once (a previous process's connection closing).
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

function fromRow(row: Row): BookedMeeting {
  return {
    id: row.id,
    version: row.version,
    shortId: row.short_id,
    subject: row.subject,
    startTime: row.start_time,
    endTime: row.end_time,
    joinOpensAt: row.join_opens_at,
    ...(row.organizer ? { organizer: row.organizer } : {}),
    room:
      row.room_id === null
        ? null
        : {
            id: row.room_id,
            uri: row.room_uri ?? '',
            guestPin: row.guest_pin ?? '',
            hostPin: row.host_pin ?? '',
            ...(row.portal_link ? { portalLink: row.portal_link } : {}),
          },
  };
}
