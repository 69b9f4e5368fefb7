/** Steps the schedule specs share: choosing a day, reading the day view, placing meetings. */
import { expect, type Page } from '@playwright/test';
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

/** The day view lists exactly the sandbox's meetings for the day, in start order, with their subjects. */
export async function expectSandboxDay(page: Page, stack: Stack, day: string, timeout?: number): Promise<void> {
  await expect.poll(() => rowIds(page), { timeout }).toEqual(stack.vdx.meetingsOn(day).map((m) => m.uuid));
  for (const m of stack.vdx.meetingsOn(day)) {
    await expect(page.locator(`[data-meeting-id="${m.uuid}"]`).getByTestId('meeting-subject')).toHaveText(m.subject);
  }
}

export const banner = (page: Page) => page.getByTestId('sync-banner');
