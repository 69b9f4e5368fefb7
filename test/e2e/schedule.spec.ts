/**
 * The day view against the real VDX sandbox: days are the sandbox's days, by mouse and by
 * keyboard. (Changes upstream reaching the screen by themselves: schedule-cost.spec.ts.)
 */
import { expect, test } from './fixtures';
import { dayFromToday, expectSandboxDay, showDay, today } from './schedule-steps';
import { signIn } from './steps';

test('navigating days shows the sandbox meetings for each day', async ({ consoleApp: app, stack }) => {
  await signIn(app, stack.idp.users[0]!);
  const page = app.page;
  await expectSandboxDay(page, stack, today());
  await expect(page.getByTestId('now-marker')).toHaveCount(1);

  await page.getByRole('button', { name: 'Next day' }).click();
  await expect(page.getByLabel('Choose a day')).toHaveValue(dayFromToday(1));
  await expectSandboxDay(page, stack, dayFromToday(1));
  await expect(page.getByTestId('now-marker')).toHaveCount(0);

  await page.getByRole('button', { name: 'Previous day' }).click();
  await page.getByRole('button', { name: 'Previous day' }).click();
  await expectSandboxDay(page, stack, dayFromToday(-1));

  await showDay(page, dayFromToday(5));
  await expectSandboxDay(page, stack, dayFromToday(5));

  // A day the sandbox has nothing on says so.
  await showDay(page, dayFromToday(20));
  await expect(page.getByTestId('day-state')).toHaveAttribute('data-state', 'empty');
  await expect(page.getByText('No appointments on this day.')).toBeVisible();

  await page.getByRole('button', { name: 'Today' }).click();
  await expectSandboxDay(page, stack, today());
});

test('the day view works from the keyboard alone and says what changed', async ({ consoleApp: app, stack }) => {
  await signIn(app, stack.idp.users[0]!);
  const page = app.page;
  await expectSandboxDay(page, stack, today());

  const next = page.getByRole('button', { name: 'Next day' });
  await next.focus();
  await page.keyboard.press('Enter');
  await expectSandboxDay(page, stack, dayFromToday(1));
  await expect(next).toBeFocused(); // repeated presses keep working
  await expect(page.getByTestId('day-announcement')).toContainText(`${stack.vdx.meetingsOn(dayFromToday(1)).length} appointments`);

  await page.keyboard.press('Alt+ArrowRight');
  await expect(page.getByLabel('Choose a day')).toHaveValue(dayFromToday(2));
  await page.keyboard.press('Alt+Home');
  await expectSandboxDay(page, stack, today());

  // Focus on a Join button that goes away with the day moves to the day's heading.
  const join = page.getByRole('button', { name: /^Join / }).first();
  await join.focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(page.getByRole('heading', { level: 2 })).toBeFocused();
});
