/**
 * Sign-out on a shared workstation, end to end with the real MSAL, the test IdP and a real
 * browser as the system browser: the console forgets the tokens and the schedule, asks the
 * IdP to end its browser session, and the next person's sign-in asks which account, so
 * clinician B never lands in clinician A's day (A and B: two invented demo users).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { expect, test } from './fixtures';
import { fillIdpForm, signOut, startSignInAtPicker, tokenCacheOf, usersDirOf } from './sign-in-steps';
import { signInInBrowser } from './steps';

test("sign-out ends the IdP's session too, removes the tokens and the cached schedule; a fresh start shows the sign-in screen", async ({ launchConsole, stack }) => {
  const user = stack.idp.users[0]!;
  const app = await launchConsole();
  await signInInBrowser(app, user);
  await expect(app.page.getByTestId('meeting').first()).toBeVisible();
  expect(existsSync(tokenCacheOf(app))).toBe(true);
  await expect.poll(() => (existsSync(usersDirOf(app)) ? readdirSync(usersDirOf(app)).length : 0)).toBe(1);
  const sessions = stack.idp.signedInSessions(user.username);
  const endSessions = stack.idp.endSessionRequests.length;

  const idpSignOut = await signOut(app);
  await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  expect(!existsSync(tokenCacheOf(app)) || statSync(tokenCacheOf(app)).size === 0, 'token cache gone or empty').toBe(true);
  expect(readdirSync(usersDirOf(app)), 'the cached schedule folder is removed').toEqual([]);

  // The console opened the IdP's end_session_endpoint for itself, with no ID token in the
  // shared browser's history; the person confirms there and the IdP's session is gone.
  expect(stack.idp.endSessionRequests.slice(endSessions)).toEqual([
    expect.objectContaining({ clientId: stack.idp.clientId, idTokenHint: false, status: 200 }),
  ]);
  await idpSignOut.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(idpSignOut.getByRole('heading', { name: 'You signed out of your account' })).toBeVisible();
  expect(stack.idp.signedInSessions(user.username)).toBe(sessions - 1);
  await app.close();

  const again = await launchConsole({ userDataDir: app.userDataDir });
  await expect(again.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(again.page.getByTestId('account-name')).toHaveCount(0);
});

test("after A signs out and walks away from the IdP's sign-out page, B's sign-in shows the account picker and never A's day", async ({ launchConsole, stack }) => {
  const a = stack.idp.users[0]!;
  const b = stack.idp.users[1]!;
  const app = await launchConsole();
  await signInInBrowser(app, a);
  await expect(app.page.getByTestId('account-username')).toHaveText(a.username);
  await expect(app.page.getByTestId('meeting').first()).toBeVisible();
  const aSessions = stack.idp.signedInSessions(a.username);
  const endSessions = stack.idp.endSessionRequests.length;

  // A signs out in the console but leaves the IdP's "Sign out?" page unanswered: the system
  // browser still holds A's session at the IdP.
  const idpSignOut = await signOut(app);
  await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(app.page.getByTestId('meeting')).toHaveCount(0);
  expect(stack.idp.endSessionRequests.slice(endSessions)).toEqual([expect.objectContaining({ clientId: stack.idp.clientId })]);
  await idpSignOut.close();
  expect(stack.idp.signedInSessions(a.username)).toBe(aSessions);

  // B clicks "Sign in": the IdP asks which account instead of signing A in again, and the
  // console stays signed out behind the picker.
  const idp = await startSignInAtPicker(app);
  await expect(idp.getByRole('list', { name: 'Accounts' })).toContainText(a.username);
  await expect(app.page.getByTestId('account-name')).toHaveCount(0);
  await expect(app.page.getByTestId('meeting')).toHaveCount(0);
  await idp.getByRole('button', { name: 'Use another account' }).click();
  await expect(idp.getByLabel('Username')).toHaveValue('');
  await fillIdpForm(idp, b);

  await expect(app.page.getByTestId('account-username')).toHaveText(b.username);
  await expect(app.page.getByTestId('account-name')).toContainText(b.name);
  await expect(app.page.getByTestId('meeting').first()).toBeVisible();
  await expect(app.page.getByTestId('account-name')).not.toContainText(a.name);
  // Only B's schedule on disk (A's went at the sign-out), and A's IdP session in this
  // browser was replaced by B's.
  expect(readdirSync(usersDirOf(app))).toHaveLength(1);
  expect(stack.idp.signedInSessions(a.username)).toBe(aSessions - 1);
});
