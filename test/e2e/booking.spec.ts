/**
 * A nurse books, moves and cancels video visits from the day view, against the real VDX
 * sandbox, through everything a hospital network does to a write: the answer lost after
 * VDX committed, a 503 after the commit, VDX unreachable, a console killed mid-request, and
 * an account without booking rights. Each visit must exist exactly once, and the view says
 * "booked" only after VDX confirmed.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, test, type ConsoleApp } from './fixtures';
import { dayFromToday, showDay } from './schedule-steps';
import { signIn } from './steps';
import type { Stack } from '../stack/stack';

/** Invented, and unique per test so the counts below are exact. */
const subjectFor = (tag: string) => `Follow-up video visit ${tag} (invented)`;

const row = (page: Page, subject: string) => page.getByTestId('meeting').filter({ hasText: subject });
const inVdx = (stack: Stack, subject: string) => stack.vdx.allMeetings().filter((m) => m.subject === subject);

async function bookVisit(page: Page, opts: { subject: string; day: string; time: string }): Promise<void> {
  await page.getByRole('button', { name: 'Book a visit' }).click();
  const dialog = page.getByRole('dialog', { name: 'Book a video visit' });
  await dialog.getByLabel('What the visit is about').fill(opts.subject);
  await dialog.getByLabel('Date').fill(opts.day);
  await dialog.getByLabel('Time').fill(opts.time);
  // Twice, as a nurse in a hurry does: one booking either way.
  await dialog.getByRole('button', { name: 'Book', exact: true }).dblclick();
  await expect(dialog).toBeHidden();
}

/** The row is confirmed by VDX: no "waiting to send" mark, a status instead. */
async function expectBooked(page: Page, subject: string): Promise<void> {
  await expect(row(page, subject)).toHaveCount(1);
  await expect(row(page, subject)).not.toHaveAttribute('data-pending', /.*/);
  await expect(row(page, subject).getByTestId('meeting-status')).toBeVisible();
}

/** kill -9 of the console's main process and whatever it runs (the browser host's node under tsx). */
function killHard(app: ConsoleApp): void {
  try {
    execFileSync('pkill', ['-KILL', '-P', String(app.pid)]);
  } catch {
    // no children: nothing to kill but the process itself
  }
  process.kill(app.pid, 'SIGKILL');
}

test.describe('booking from the day view', () => {
  test('a nurse books a visit: waiting to send, then booked on its date, once in VDX; a double click is one visit', async ({ consoleApp: app, stack }) => {
    await signIn(app, stack.idp.users[1]!);
    const page = app.page;
    const subject = subjectFor('A');
    const day = dayFromToday(2);
    await showDay(page, day);
    await bookVisit(page, { subject, day, time: '10:00' });
    await expectBooked(page, subject);
    await expect(row(page, subject)).toContainText('10:00');
    expect(inVdx(stack, subject)).toHaveLength(1);
  });

  test('lost answers after VDX committed (dropped, then 503) still make exactly one visit each', async ({ consoleApp: app, stack }) => {
    await signIn(app, stack.idp.users[1]!);
    const page = app.page;
    const day = dayFromToday(2);
    await showDay(page, day);
    for (const [tag, fault] of [['B', 'commit-then-drop'], ['C', 'commit-then-503']] as const) {
      const subject = subjectFor(tag);
      stack.vdx.setWriteFault(fault);
      await bookVisit(page, { subject, day, time: tag === 'B' ? '11:00' : '11:30' });
      await expectBooked(page, subject);
      expect(inVdx(stack, subject)).toHaveLength(1);
    }
  });

  test('offline, the visit says "waiting to send" and is sent when VDX can be reached again', async ({ consoleApp: app, stack }) => {
    await signIn(app, stack.idp.users[1]!);
    const page = app.page;
    const subject = subjectFor('D');
    const day = dayFromToday(2);
    await showDay(page, day);
    stack.vdx.setDown(true);
    try {
      await bookVisit(page, { subject, day, time: '12:00' });
      await expect(row(page, subject)).toHaveAttribute('data-pending', 'book');
      await expect(row(page, subject).getByTestId('meeting-pending')).toHaveText('Waiting to send');
    } finally {
      stack.vdx.setDown(false);
    }
    await expectBooked(page, subject);
    expect(inVdx(stack, subject)).toHaveLength(1);
  });

  test('a move and a cancel show at once and survive the next sync', async ({ consoleApp: app, stack }) => {
    await signIn(app, stack.idp.users[1]!);
    const page = app.page;
    const subject = subjectFor('E');
    const day = dayFromToday(3);
    await showDay(page, day);
    await bookVisit(page, { subject, day, time: '09:00' });
    await expectBooked(page, subject);

    await row(page, subject).getByRole('button', { name: 'Move the visit at 09:00' }).click();
    const move = page.getByRole('dialog', { name: /^Move the visit on / });
    await move.getByLabel('Time').fill('11:30');
    await move.getByRole('button', { name: 'Move' }).click();
    await expect(row(page, subject)).toContainText('11:30');
    await expectBooked(page, subject);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
    await expect(row(page, subject)).toContainText('11:30');
    const [moved] = inVdx(stack, subject);
    expect(new Date(moved!.startTime).getHours()).toBe(11);

    await row(page, subject).getByRole('button', { name: 'Cancel the visit at 11:30' }).click();
    // The confirmation names the time, never the subject.
    const confirm = page.getByRole('dialog', { name: /^Cancel the visit on .*11:30/ });
    await expect(confirm).not.toContainText(subject);
    await confirm.getByRole('button', { name: 'Cancel the visit' }).click();
    await expect(row(page, subject)).toHaveCount(0);
    expect(inVdx(stack, subject)).toHaveLength(0);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeEnabled();
    await expect(row(page, subject)).toHaveCount(0);
  });

  test('an account without booking rights is told so, and nothing is booked or retried', async ({ consoleApp: app, stack }) => {
    const reader = stack.idp.users.find((u) => u.username.startsWith('reader.'))!;
    await signIn(app, reader);
    const page = app.page;
    const subject = subjectFor('F');
    const day = dayFromToday(2);
    await showDay(page, day);
    await bookVisit(page, { subject, day, time: '13:00' });
    const refusal = page.getByTestId('refused-write');
    await expect(refusal).toHaveAttribute('data-reason', 'forbidden');
    await expect(refusal).toContainText('your account may not book or change this visit');
    await expect(refusal).not.toContainText(subject);
    expect(inVdx(stack, subject)).toHaveLength(0);
    const posts = stack.vdx.requestLog.filter((e) => e.method === 'POST').length;
    await refusal.getByRole('button', { name: 'Dismiss' }).click();
    await expect(refusal).toHaveCount(0);
    expect(stack.vdx.requestLog.filter((e) => e.method === 'POST').length).toBe(posts);
  });

  test('a console killed mid-request, or with a booking waiting offline, books it exactly once after restart', async ({ launchConsole, stack }) => {
    const day = dayFromToday(4);
    let app = await launchConsole();
    await signIn(app, stack.idp.users[1]!);
    let page = app.page;
    await showDay(page, day);

    // 1. VDX commits, the answer never comes, and the console dies waiting for it.
    const hung = subjectFor('G');
    const creates = stack.vdx.committedWrites.create;
    stack.vdx.setWriteFault('commit-then-hang');
    await bookVisit(page, { subject: hung, day, time: '14:00' });
    await expect.poll(() => stack.vdx.committedWrites.create).toBe(creates + 1);
    // 2. Then, offline, another booking waits to be sent; the console dies again before it can.
    const queued = subjectFor('H');
    stack.vdx.setDown(true);
    await bookVisit(page, { subject: queued, day, time: '14:30' });
    await expect(row(page, queued)).toHaveAttribute('data-pending', 'book');
    killHard(app);
    stack.vdx.setDown(false);
    stack.vdx.setWriteFault(null);

    app = await launchConsole({ userDataDir: app.userDataDir });
    page = app.page;
    await showDay(page, day);
    await expectBooked(page, hung);
    await expectBooked(page, queued);
    expect(inVdx(stack, hung)).toHaveLength(1);
    expect(inVdx(stack, queued)).toHaveLength(1);
    expect(stack.vdx.committedWrites.create).toBe(creates + 2);
  });

  test('a sign-out with a booking not yet sent asks first; staying keeps it, and it is sent before the next sign-out', async ({ consoleApp: app, stack }) => {
    await signIn(app, stack.idp.users[1]!);
    const page = app.page;
    const subject = subjectFor('I');
    const day = dayFromToday(2);
    await showDay(page, day);
    stack.vdx.setDown(true);
    try {
      await bookVisit(page, { subject, day, time: '15:00' });
      await expect(row(page, subject)).toHaveAttribute('data-pending', 'book');
      await page.getByRole('button', { name: 'Sign out' }).click();
      const ask = page.getByRole('alertdialog', { name: 'Bookings not sent' });
      await expect(ask).toContainText('1 booking not yet sent to VDX; sign out anyway?');
      await ask.getByRole('button', { name: 'Stay signed in' }).click();
      await expect(ask).toHaveCount(0);
      await expect(page.getByTestId('account-name')).toBeVisible();
      await expect(row(page, subject)).toHaveAttribute('data-pending', 'book');
    } finally {
      stack.vdx.setDown(false);
    }
    // VDX is back: Sign out sends it first (whatever the outbox's back-off), then signs out without asking.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible({ timeout: 30_000 });
    expect(inVdx(stack, subject)).toHaveLength(1);
  });
});
