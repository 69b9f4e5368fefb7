/**
 * clinician-console://meeting/<shortId or uuid>: the OS hands the console a link; the day
 * view shows that meeting's day with the meeting in focus. Anything else is refused with
 * a clear message and never opens a call.
 */
import { addDays, localDay } from '../../common/days';
import { expect, test } from './fixtures';
import { signIn } from './steps';

test('a link by short id opens another day with that meeting in focus', async ({ consoleApp, stack }) => {
  await signIn(consoleApp, stack.idp.users[0]!);
  const tomorrow = addDays(localDay(new Date()), 1);
  const meeting = stack.vdx.meetingsOn(tomorrow)[1]!;
  await consoleApp.openDeepLink(`clinician-console://meeting/${meeting.shortId}`);
  const row = consoleApp.page.locator(`[data-meeting-id="${meeting.uuid}"]`);
  await expect(row).toHaveAttribute('aria-current', 'true');
  await expect(row).toBeFocused();
  await expect(consoleApp.page.getByTestId('meeting')).toHaveCount(stack.vdx.meetingsOn(tomorrow).length);
});

test('a link by uuid works too, and a broken or unknown link says why without changing the day', async ({ consoleApp, stack }) => {
  await signIn(consoleApp, stack.idp.users[0]!);
  const today = stack.vdx.meetingsOn(localDay(new Date()));
  await expect(consoleApp.page.getByTestId('meeting')).toHaveCount(today.length);

  await consoleApp.openDeepLink('clinician-console://meeting/abcdefghijkl?join=now');
  await expect(consoleApp.page.getByTestId('link-error')).toContainText('not a link to an appointment');
  await consoleApp.openDeepLink('clinician-console://meeting/zzzzzzzzzzzz');
  await expect(consoleApp.page.getByTestId('link-error')).toContainText('not in your schedule');
  await expect(consoleApp.page.getByTestId('meeting')).toHaveCount(today.length);

  const target = today[0]!;
  await consoleApp.openDeepLink(`clinician-console://meeting/${target.uuid.toUpperCase()}`);
  await expect(consoleApp.page.locator(`[data-meeting-id="${target.uuid}"]`)).toHaveAttribute('aria-current', 'true');
  await expect(consoleApp.page.getByTestId('link-error')).toHaveCount(0);
});
