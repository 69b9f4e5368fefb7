/**
 * axe-core (WCAG 2.x A and AA rules) in the sign-in view and the day view, including the
 * day view's offline banner and empty state: no serious or critical violation.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { banner, dayFromToday, expectSandboxDay, showDay, today } from './schedule-steps';
import { signIn } from './steps';

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.afterEach(({ stack }) => stack.vdx.setDown(false));

test('the sign-in view has no serious or critical accessibility violation', async ({ consoleApp: app }) => {
  await expect(app.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await seriousViolations(app.page)).toEqual([]);
});

test('the day view has no serious or critical accessibility violation', async ({ consoleApp: app, stack }) => {
  await signIn(app, stack.idp.users[0]!);
  const page = app.page;
  await expectSandboxDay(page, stack, today());
  await expect(page.getByTestId('now-marker')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  // Offline, with its banner.
  stack.vdx.setDown(true);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(banner(page)).toHaveAttribute('data-sync-state', 'offline');
  expect(await seriousViolations(page)).toEqual([]);
  stack.vdx.setDown(false);

  // An empty day.
  await showDay(page, dayFromToday(25));
  await expect(page.getByTestId('day-state')).toHaveAttribute('data-state', 'empty', { timeout: 30_000 });
  expect(await seriousViolations(page)).toEqual([]);
});
