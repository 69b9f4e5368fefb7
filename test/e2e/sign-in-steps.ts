/** Steps and checks the sign-in specs share (sign-in.spec.ts, sign-in-renewal.spec.ts, sign-out.spec.ts). */
import type { Page } from '@playwright/test';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_USERS } from '../stack/idp';
import { expect, type ConsoleApp } from './fixtures';
import { signIn } from './steps';

export const tokenCacheOf = (app: ConsoleApp) => join(app.userDataDir, 'auth', 'token-cache.bin');
export const usersDirOf = (app: ConsoleApp) => join(app.userDataDir, 'users');

export function grants(app: { idp: { issuedTokens: readonly { grantType: string }[] } }, type: string): number {
  return app.idp.issuedTokens.filter((t) => t.grantType === type).length;
}

/** Clicks "Sign in" and returns the identity provider's page, once the browser was asked to open it. */
export async function startSignIn(app: ConsoleApp, button: string | RegExp = 'Sign in'): Promise<Page> {
  const external = app.waitForExternalPage();
  await app.page.getByRole('button', { name: button, exact: true }).click();
  const idp = await external;
  await expect(idp.getByLabel('Username')).toBeVisible();
  return idp;
}

/**
 * Clicks "Sign in" where the system browser holds someone's IdP session: returns the IdP's
 * account picker (`prompt=select_account`), once it shows.
 */
export async function startSignInAtPicker(app: ConsoleApp): Promise<Page> {
  const external = app.waitForExternalPage();
  await app.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const idp = await external;
  await expect(idp.getByRole('heading', { name: 'Pick an account' })).toBeVisible();
  return idp;
}

/** Clicks "Sign out" and returns the IdP's sign-out page that the console opened in the system browser. */
export async function signOut(app: ConsoleApp): Promise<Page> {
  const external = app.waitForExternalPage();
  await app.page.getByRole('button', { name: 'Sign out' }).click();
  const idp = await external;
  await expect(idp.getByRole('heading', { name: 'Sign out?' })).toBeVisible();
  return idp;
}

export async function fillIdpForm(idp: Page, user: { username: string; password: string }): Promise<void> {
  await idp.getByLabel('Username').fill(user.username);
  await idp.getByLabel('Password').fill(user.password);
  await idp.getByRole('button', { name: 'Sign in' }).click();
  await expect(idp.getByText('You are signed in')).toBeVisible();
}

export async function expectSignInError(app: ConsoleApp, code: string): Promise<void> {
  const error = app.page.getByTestId('sign-in-error');
  await expect(error).toHaveAttribute('data-code', code);
  // Our own words only: MSAL's messages quote URLs and error links.
  await expect(error).not.toContainText('http');
  await expect(error).not.toContainText('msal');
}

export async function checkNoSecretsLeak(
  launchConsole: (opts?: { userDataDir?: string }) => Promise<ConsoleApp>,
  stack: { idp: { users: Array<{ username: string; password: string; name: string }>; issuedTokens: readonly { accessToken: string; refreshToken?: string; idToken?: string }[] } },
  outputDir: string,
): Promise<void> {
  // One more full round in this worker: sign in, sync, restart (tokens read back from the cache).
  const app = await launchConsole();
  await signIn(app, stack.idp.users[0]!);
  await expect(app.page.getByTestId('meeting').first()).toBeVisible();
  await app.close();
  const again = await launchConsole({ userDataDir: app.userDataDir });
  await expect(again.page.getByTestId('meeting').first()).toBeVisible();
  await again.close();

  // Every token this worker's IdP issued during the suite, and every demo person's name.
  const needles = new Set<string>();
  for (const t of stack.idp.issuedTokens) {
    for (const v of [t.accessToken, t.refreshToken, t.idToken]) if (v) needles.add(v);
  }
  for (const u of DEMO_USERS) needles.add(u.name);
  expect(needles.size).toBeGreaterThan(DEMO_USERS.length);

  // The token cache and every log of this run so far: the profiles (with their logs) and
  // the captured host stderr all live under the run's output folder (see fixtures.ts).
  const files = [tokenCacheOf(app), ...filesUnder(outputDir).filter((f) => f.endsWith('.log'))];
  expect(files.filter((f) => f.includes(app.userDataDir) && f.endsWith('.log')).length, 'this run wrote a log').toBeGreaterThan(0);

  // One assertion at the end: an expect per file and token would be hundreds of thousands.
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    for (const needle of needles) {
      if (text.includes(needle)) found.push(`${file}: ${needle.length > 20 ? 'a token' : 'a name'}`);
    }
  }
  expect(files.length).toBeGreaterThan(1);
  expect(found, 'no token or name in the token cache or any log').toEqual([]);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

export function expSeconds(jwt: string): number {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number };
  return payload.exp;
}
