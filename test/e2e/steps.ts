/** Steps the specs share: what a clinician does, said once. */
import type { Page } from '@playwright/test';
import { expect } from './expect';
import type { ConsoleApp } from './fixtures';

/** Signs in through the identity provider's page in the "system browser". */
export async function signIn(app: ConsoleApp, user: { username: string; password: string }): Promise<Page> {
  const external = app.waitForExternalPage();
  await app.page.getByRole('button', { name: 'Sign in' }).click();
  const idp = await external;
  await idp.getByLabel('Username').fill(user.username);
  await idp.getByLabel('Password').fill(user.password);
  await idp.getByRole('button', { name: 'Sign in' }).click();
  await expect(idp.getByText('You are signed in')).toBeVisible();
  await expect(app.page.getByTestId('account-name')).toBeVisible();
  return idp;
}
