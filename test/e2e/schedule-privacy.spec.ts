/**
 * The offline copy at rest: after a real sync, no file in the console's profile holds a
 * seeded subject in plaintext (UTF-8 or UTF-16). And when the database cannot be read, it
 * is moved aside, rebuilt from the booking API, and the user is told in plain words.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { expectSandboxDay, dayFromToday, showDay, today } from './schedule-steps';
import { signIn } from './steps';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('no file in the profile holds a seeded subject in plaintext after a sync', async ({ launchConsole, stack }) => {
  const app = await launchConsole();
  await signIn(app, stack.idp.users[0]!);
  await expectSandboxDay(app.page, stack, today());
  await showDay(app.page, dayFromToday(1));
  await expectSandboxDay(app.page, stack, dayFromToday(1));
  // Stopped, so the write-ahead log is in the files as it would be on a switched-off PC.
  const dir = app.userDataDir;
  await app.close();

  const subjects = [...stack.vdx.meetingsOn(today()), ...stack.vdx.meetingsOn(dayFromToday(1))].map((m) => m.subject);
  expect(subjects.length).toBeGreaterThan(5);
  const files = filesUnder(dir);
  expect(files.some((f) => /schedule\.db$/.test(f))).toBe(true);
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const subject of subjects) {
      for (const needle of [Buffer.from(subject, 'utf8'), Buffer.from(subject, 'utf16le')]) {
        expect(bytes.includes(needle), `${file.slice(dir.length)} holds a subject in plaintext`).toBe(false);
      }
    }
  }
});

test('an unreadable offline copy is rebuilt from the booking API and the user is told', async ({ launchConsole, stack }) => {
  const first = await launchConsole();
  await signIn(first, stack.idp.users[0]!);
  await expectSandboxDay(first.page, stack, today());
  const dir = first.userDataDir;
  await first.close();

  const dbs = filesUnder(dir).filter((f) => f.endsWith('schedule.db'));
  expect(dbs).toHaveLength(1);
  writeFileSync(dbs[0]!, randomBytes(16_384)); // as a disk fault or a foreign file would leave it
  for (const suffix of ['-wal', '-shm']) rmSync(dbs[0]! + suffix, { force: true });

  const again = await launchConsole({ userDataDir: dir });
  const page = again.page;
  const notice = page.getByTestId('cache-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('could not be read, so it was started afresh from the booking service');
  await expectSandboxDay(page, stack, today());
  await notice.getByRole('button', { name: 'Dismiss this message' }).click();
  await expect(notice).toHaveCount(0);
  // Dismissed for good: another day does not bring it back.
  await showDay(page, dayFromToday(1));
  await expectSandboxDay(page, stack, dayFromToday(1));
  await expect(notice).toHaveCount(0);
  expect(filesUnder(dir).some((f) => /schedule\.db\.unreadable-\d+$/.test(f))).toBe(true);
});
