/**
 * The numbers invited by SMS, kept for "Running late": in the encrypted schedule database
 * (not in the file's plain bytes), for the meeting's day only, gone after that day, at
 * sign-out (clear) and with the database's removal; a reopened database still has today's.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import { tempDir } from '../../support/temp-dir';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const NUMBER = '+45 20 11 22 33';
const OTHER = '+358 40 765 4321';

function tempDb() {
  const dir = tempDir('cc-numbers-');
  return { dir, path: join(dir, 'schedule.db'), key: randomBytes(32) };
}

describe('invited numbers', () => {
  it("are kept per meeting with the invitation's language, one row per number", () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    db.invitedNumbers.remember(A, '2026-11-22', NUMBER, 'da', '2026-11-22');
    db.invitedNumbers.remember(A, '2026-11-22', OTHER, 'fi', '2026-11-22');
    // The same number invited again: its language is the last invitation's, not a second row.
    db.invitedNumbers.remember(A, '2026-11-22', NUMBER, 'en', '2026-11-22');
    db.invitedNumbers.remember(B, '2026-11-23', OTHER, 'sv', '2026-11-22');
    expect(db.invitedNumbers.forMeeting(A, '2026-11-22')).toEqual([
      { number: NUMBER, lang: 'en' },
      { number: OTHER, lang: 'fi' },
    ]);
    expect(db.invitedNumbers.forMeeting(B, '2026-11-22')).toEqual([{ number: OTHER, lang: 'sv' }]);
    db.close();
  });

  it("last the meeting's day only: the next day's read finds none, and a past meeting's number is not kept", () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    db.invitedNumbers.remember(A, '2026-11-22', NUMBER, 'da', '2026-11-22');
    db.invitedNumbers.remember(B, '2026-11-23', OTHER, 'sv', '2026-11-22');
    expect(db.invitedNumbers.forMeeting(A, '2026-11-22')).toHaveLength(1);
    // The day is over: A's number goes at the first read (or write, or open) of the next day; B's meeting is that day.
    expect(db.invitedNumbers.forMeeting(A, '2026-11-23')).toEqual([]);
    expect(db.invitedNumbers.forMeeting(B, '2026-11-23')).toEqual([{ number: OTHER, lang: 'sv' }]);
    expect(db.invitedNumbers.purgeBefore('2026-11-24')).toBe(1);
    // An invitation to a meeting of a day gone (a clock or a late write) is not kept at all.
    db.invitedNumbers.remember(A, '2026-11-20', NUMBER, 'da', '2026-11-24');
    expect(db.invitedNumbers.forMeeting(A, '2026-11-24')).toEqual([]);
    db.close();
  });

  it("a number invited today for next week's meeting is kept every day until that meeting's day, and goes the day after", () => {
    const { path, key } = tempDb();
    const db = openScheduleDb(path, key, nullLogger);
    db.invitedNumbers.remember(A, '2026-11-29', NUMBER, 'da', '2026-11-22');
    for (const day of ['2026-11-22', '2026-11-25', '2026-11-28', '2026-11-29']) {
      expect(db.invitedNumbers.purgeBefore(day)).toBe(0);
      expect(db.invitedNumbers.forMeeting(A, day)).toEqual([{ number: NUMBER, lang: 'da' }]);
    }
    expect(db.invitedNumbers.forMeeting(A, '2026-11-30')).toEqual([]);
    db.close();
  });

  it('survive a restart the same day, go at sign-out, and never sit in the file in plain text', () => {
    const { dir, path, key } = tempDb();
    let db = openScheduleDb(path, key, nullLogger);
    db.invitedNumbers.remember(A, '2026-11-22', NUMBER, 'da', '2026-11-22');
    db.close();
    db = openScheduleDb(path, key, nullLogger);
    expect(db.invitedNumbers.forMeeting(A, '2026-11-22')).toEqual([{ number: NUMBER, lang: 'da' }]);
    // The database's files (and its WAL) hold the number only encrypted.
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, name));
      expect(bytes.includes(Buffer.from(NUMBER))).toBe(false);
      expect(bytes.includes(Buffer.from(NUMBER.replace(/ /g, '')))).toBe(false);
    }
    db.invitedNumbers.clear();
    expect(db.invitedNumbers.forMeeting(A, '2026-11-22')).toEqual([]);
    db.close();
  });
});
