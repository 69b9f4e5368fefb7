/** Steps the schedule specs share: choosing a day, reading the day view, placing meetings. */
import type { Page } from '@playwright/test';
import { expect } from './expect';
import { addDays, localDay, startOfDay } from '../../common/days';
import type { Stack } from '../stack/stack';

export const today = () => localDay(new Date());
export const dayFromToday = (delta: number) => addDays(today(), delta);

/** A local instant on a day, e.g. at(day, 9, 30). */
export function at(day: string, hour: number, minute = 0): Date {
  const d = startOfDay(day);
  d.setHours(hour, minute);
  return d;
}

/** Shows a day with the day picker (the keyboard- and screen-reader-usable date field). */
export async function showDay(page: Page, day: string): Promise<void> {
  await page.getByLabel('Choose a day').fill(day);
  await expect(page.getByLabel('Choose a day')).toHaveValue(day);
}

export function rowIds(page: Page): Promise<string[]> {
  return page.getByTestId('meeting').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-meeting-id') ?? ''));
}

/** What the clinician sees of each row: time, subject and status, in order. */
export function rowTexts(page: Page): Promise<string[]> {
  return page.getByTestId('meeting').evaluateAll((rows) => rows.map((r) => (r as unknown as { innerText: string }).innerText));
}

/**
 * The sandbox's meetings for a day in the day view's order: by start, and meetings that start
 * together by id (as the cache's ORDER BY start_time, id compares text). The sandbox itself
 * leaves such ties in booking order (VDX documents no order), so a visit booked by an earlier
 * spec at a seeded visit's time once made the comparison below fail by chance.
 */
export function dayViewOrder(stack: Stack, day: string): string[] {
  return stack.vdx
    .meetingsOn(day)
    .map((m) => ({ start: Date.parse(m.startTime), id: m.uuid }))
    .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((m) => m.id);
}

/** The day view lists exactly the sandbox's meetings for the day, in start order, with their subjects. */
export async function expectSandboxDay(page: Page, stack: Stack, day: string, timeout?: number): Promise<void> {
  await expect.poll(() => rowIds(page), { timeout }).toEqual(dayViewOrder(stack, day));
  for (const m of stack.vdx.meetingsOn(day)) {
    await expect(page.locator(`[data-meeting-id="${m.uuid}"]`).getByTestId('meeting-subject')).toHaveText(m.subject);
  }
}

export const banner = (page: Page) => page.getByTestId('sync-banner');
