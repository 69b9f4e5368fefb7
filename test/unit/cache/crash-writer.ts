/**
 * Child process for the crash-safety test: opens the real encrypted schedule database and
 * rewrites one day with 2,000 meetings over and over, alternating two complete sets, until
 * it is killed. Prints "begin <n>" before each write and "done <n>" after it.
 *   CC_DB=<path> CC_KEY=<hex> CC_DAY=YYYY-MM-DD tsx crash-writer.ts
 */
import { openScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import { daySet } from './crash-sets';

const db = openScheduleDb(process.env.CC_DB!, Buffer.from(process.env.CC_KEY!, 'hex'), nullLogger);
const day = process.env.CC_DAY!;
const sets = [daySet('a', day), daySet('b', day)] as const;
// Bounded: the parent kills long before this runs out.
for (let n = 1; n <= 10_000; n++) {
  const which = n % 2 === 0 ? 'a' : 'b';
  process.stdout.write(`begin ${n}\n`);
  db.writeDay(day, sets[which === 'a' ? 0 : 1], `2026-01-01T00:00:00.000Z`, which === 'a' ? 0 : 1);
  process.stdout.write(`done ${n}\n`);
}
db.close();
