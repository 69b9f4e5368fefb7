/**
 * SIGKILL while a sync is writing, 20 times: a child process rewrites a day of 2,000
 * meetings in a loop (alternating two complete versions) against the real encrypted
 * database and is killed at varied moments. After each kill the database must open with
 * its key (never moved aside) and hold exactly one complete version of the day.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { openScheduleDb } from '../../../main/cache/schedule-db';
import { nullLogger } from '../../../main/log/logger';
import { projectRoot } from '../../support/electron';
import { daySet, SET_SIZE } from './crash-sets';
import { tempDir } from '../../support/temp-dir';

const DAY = '2026-11-22';
const KILLS = 20;

/** Starts the writer and SIGKILLs it once it has begun its `afterBegins`-th write (plus a small varied delay). */
function killWhileWriting(env: Record<string, string>, afterBegins: number, extraDelayMs: number): Promise<{ begun: number; done: number }> {
  return new Promise((resolve, reject) => {
    // `node --import tsx`, not the tsx CLI: the CLI runs the script in a child process of
    // its own, which a SIGKILL of the CLI would leave running (and writing).
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/unit/cache/crash-writer.ts')], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let begun = 0;
    let done = 0;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('begin ')) {
        begun++;
        if (begun === afterBegins) setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      } else if (line.startsWith('done ')) done++;
    });
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ begun, done });
      else reject(new Error(`the writer ended by itself (code ${code}): ${stderr.slice(0, 500)}`));
    });
  });
}

describe('crash safety', () => {
  it(`opens after ${KILLS} SIGKILLs mid-write and always holds one whole version of the day`, { timeout: 240_000 }, async () => {
    const path = join(tempDir('cc-crash-'), 'schedule.db');
    const key = randomBytes(32);
    const first = openScheduleDb(path, key, nullLogger);
    first.writeDay(DAY, daySet('a', DAY), '2026-01-01T00:00:00.000Z', 0);
    first.close();
    const idsA = daySet('a', DAY).map((m) => m.id);
    const idsB = daySet('b', DAY).map((m) => m.id);

    const seen = new Set<string>();
    let midWrite = 0;
    for (let i = 0; i < KILLS; i++) {
      // Varied moments: in the first to fourth write, 0 to 9 ms after it began.
      const { begun, done } = await killWhileWriting({ CC_DB: path, CC_KEY: key.toString('hex'), CC_DAY: DAY }, 1 + (i % 4), (i * 7) % 10);
      if (begun > done) midWrite++;
      const db = openScheduleDb(path, key, nullLogger);
      try {
        expect(db.recoveredFrom, `kill ${i + 1}: the database had to be moved aside`).toBeNull();
        const day = db.readDay(DAY);
        const ids = day.meetings.map((m) => m.id);
        expect(ids).toHaveLength(SET_SIZE);
        const version = ids[0]!.startsWith('aaaaaaaa') ? 'a' : 'b';
        expect(ids.sort(), `kill ${i + 1}: a mix of two versions`).toEqual(version === 'a' ? idsA : idsB);
        expect(day.meetings.every((m) => m.subject.startsWith(`Invented consultation ${version}`))).toBe(true);
        // The day's sync row is written in the same transaction as its meetings.
        expect(day.invalidCount).toBe(version === 'a' ? 0 : 1);
        seen.add(version);
      } finally {
        db.close();
      }
    }
    // The kills landed on both sides of a commit at least once, or the test proved little.
    expect(seen.size).toBe(2);
    expect(midWrite, 'kills that landed inside a write').toBeGreaterThan(KILLS / 2);
  });
});
