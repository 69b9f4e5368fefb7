/**
 * The phone numbers this console sent a meeting's invitation to by SMS, so "Running late"
 * can reach the same people: kept in the encrypted schedule database only, and only for the
 * meeting's own day (a row of an earlier day is deleted at the next open, read or write, and
 * every row at sign-out). Nothing here is ever logged.
 */
import type Database from 'better-sqlite3-multiple-ciphers';

export type InvitedLanguage = 'en' | 'fi' | 'sv' | 'da';

export const INVITED_NUMBERS_MIGRATION = `CREATE TABLE invited_numbers (
     meeting_id TEXT NOT NULL,
     day TEXT NOT NULL,
     number TEXT NOT NULL,
     lang TEXT NOT NULL,
     PRIMARY KEY (meeting_id, number)
   );
   CREATE INDEX invited_numbers_by_day ON invited_numbers(day);`;

export interface InvitedNumbersTable {
  /** The meeting's day (YYYY-MM-DD, local): the number is kept until that day is over. */
  remember(meetingId: string, day: string, number: string, lang: InvitedLanguage, today: string): void;
  /** The numbers invited to this meeting, with the language their invitation was written in. */
  forMeeting(meetingId: string, today: string): Array<{ number: string; lang: InvitedLanguage }>;
  /** Deletes the rows of days before `today`; returns how many. */
  purgeBefore(today: string): number;
  /** Sign-out: every number goes. */
  clear(): void;
}

const LANGS = new Set<string>(['en', 'fi', 'sv', 'da']);

export function createInvitedNumbersTable(db: Database.Database): InvitedNumbersTable {
  const upsert = db.prepare(
    `INSERT INTO invited_numbers (meeting_id, day, number, lang) VALUES (?, ?, ?, ?)
     ON CONFLICT(meeting_id, number) DO UPDATE SET day = excluded.day, lang = excluded.lang`,
  );
  const select = db.prepare<[string], { number: string; lang: string }>('SELECT number, lang FROM invited_numbers WHERE meeting_id = ? ORDER BY rowid');
  const purge = db.prepare('DELETE FROM invited_numbers WHERE day < ?');
  const clearAll = db.prepare('DELETE FROM invited_numbers');
  const purgeBefore = (today: string) => purge.run(today).changes;
  return {
    remember(meetingId, day, number, lang, today) {
      purgeBefore(today);
      // A meeting of an earlier day has nobody left to tell.
      if (day < today) return;
      upsert.run(meetingId, day, number, lang);
    },
    forMeeting(meetingId, today) {
      purgeBefore(today);
      return select.all(meetingId).map((r) => ({ number: r.number, lang: (LANGS.has(r.lang) ? r.lang : 'en') as InvitedLanguage }));
    },
    purgeBefore,
    clear() {
      clearAll.run();
    },
  };
}
