/** Steps the specs share: what a clinician does, said once. */
import type { Page } from '@playwright/test';
import { expect } from './expect';
import type { ConsoleApp } from './fixtures';

/**
 * Signs in as the specs that are not about sign-in do: the URL main opens is followed by the
 * scripted system browser (real IdP, real loopback listener, no tab: scripted-browser.ts).
 */
export async function signIn(app: ConsoleApp, user: { username: string; password: string }): Promise<void> {
  const url = await app.takeExternalUrl(() => app.page.getByRole('button', { name: 'Sign in' }).click());
  await app.scriptedBrowser.signIn(url, user);
  await expect(app.page.getByTestId('account-name')).toBeVisible();
}

/** Signs in through the identity provider's page in the "system browser" tab, which keeps the IdP's session. */
export async function signInInBrowser(app: ConsoleApp, user: { username: string; password: string }): Promise<Page> {
  const external = app.waitForExternalPage();
  await app.page.getByRole('button', { name: 'Sign in' }).click();
  const idp = await external;
  await idp.getByLabel('Username').fill(user.username);
  await idp.getByLabel('Password').fill(user.password);
  await idp.getByRole('button', { name: 'Sign in' }).click();
  await expect(idp.getByText('You are signed in')).toBeVisible();
  // Back to the console, as the clinician goes: left behind the IdP's tab, Chromium would
  // draw the console's page about once in two seconds for the rest of the test.
  await app.page.bringToFront();
  await expect(app.page.getByTestId('account-name')).toBeVisible();
  return idp;
}
