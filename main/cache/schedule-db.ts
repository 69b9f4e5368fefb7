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
  // The room VDX assigned to the user's own meeting before setting it up (a later date): what
  // an invitation needs, never what joining needs. Rows without a room are asked once more
  // (version ''), so a meeting booked before this version can be invited to as well.
  `ALTER TABLE meetings ADD COLUMN planned_room_id TEXT;
   ALTER TABLE meetings ADD COLUMN planned_uri TEXT;
   ALTER TABLE meetings ADD COLUMN planned_guest_pin TEXT;
   ALTER TABLE meetings ADD COLUMN planned_portal_link TEXT;
   UPDATE meetings SET version = '' WHERE room_id IS NULL;`,
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

/** The meetings columns a write sets, in the order `rowOf` gives their values. */
const ROW_COLUMNS = [
  'id',
  'version',
  'day',
  'short_id',
  'subject',
  'start_time',
  'end_time',
  'join_opens_at',
  'room_id',
  'room_uri',
  'guest_pin',
  'host_pin',
  'portal_link',
  'organizer',
  'planned_room_id',
  'planned_uri',
  'planned_guest_pin',
  'planned_portal_link',
] as const;

type RowValues = [id: string, ...rest: Array<string | null>];

function rowOf(day: string, m: BookedMeeting): RowValues {
  const room = m.room;
  return [
    m.id,
    m.version,
    day,
    m.shortId,
    m.subject,
    m.startTime,
    m.endTime,
    m.joinOpensAt,
    room?.id ?? null,
    room?.uri ?? null,
    room?.guestPin ?? null,
    room?.hostPin ?? null,
    room?.portalLink ?? null,
    m.organizer ?? null,
    m.plannedRoom?.id ?? null,
    m.plannedRoom?.uri ?? null,
    m.plannedRoom?.guestPin ?? null,
    m.plannedRoom?.portalLink ?? null,
  ];
}

function sameValues(a: RowValues, b: RowValues): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  planned_room_id: string | null;
  planned_uri: string | null;
  planned_guest_pin: string | null;
  planned_portal_link: string | null;
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
  // Positional, in ROW_COLUMNS order: binding an array is cheaper than looking up names, and
  // a 2,000-meeting day binds 28,000 values.
  const insert = db.prepare<RowValues>(
    `INSERT OR REPLACE INTO meetings (${ROW_COLUMNS.join(', ')}) VALUES (${ROW_COLUMNS.map(() => '?').join(', ')})`,
  );
  /** The day's rows as stored, in ROW_COLUMNS order (what a rewrite compares against). */
  const selectDayValues = db.prepare<[string], RowValues>(`SELECT ${ROW_COLUMNS.join(', ')} FROM meetings WHERE day = ?`).raw(true);
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
  /**
   * Replaces the day with `meetings`, writing only what differs from the stored rows: a
   * sync every 15 s of an unchanged day then writes one row (its sync time), not thousands,
   * and an encrypted page is rewritten only when a meeting on it changed. The outcome is
   * the same as deleting the day and inserting every meeting.
   */
  const writeDay = db.transaction((day: string, meetings: BookedMeeting[], syncedAt: string, invalidCount: number) => {
    const stored = new Map<string, RowValues>();
    for (const row of selectDayValues.all(day)) stored.set(row[0], row);
    for (const m of meetings) {
      const row = rowOf(day, m);
      const old = stored.get(m.id);
      stored.delete(m.id);
      if (!old || !sameValues(old, row)) insert.run(...row);
    }
    for (const gone of stored.keys()) deleteOne.run(gone);
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
      insert.run(...rowOf(day, meeting));
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
    ...(row.planned_uri !== null
      ? {
          plannedRoom: {
            ...(row.planned_room_id !== null ? { id: row.planned_room_id } : {}),
            uri: row.planned_uri,
            guestPin: row.planned_guest_pin ?? '',
            ...(row.planned_portal_link ? { portalLink: row.planned_portal_link } : {}),
          },
        }
      : {}),
  };
}
