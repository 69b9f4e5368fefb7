/**
 * Silent renewal with short-lived access tokens (this file's worker starts its own stack
 * whose IdP issues them): an expired token is renewed without the browser, and a revoked
 * refresh token asks the clinician to sign in again over the day view they were on.
 */
import { expect, test } from './fixtures';
import { checkNoSecretsLeak, expSeconds, fillIdpForm, grants, startSignIn } from './sign-in-steps';
import { signIn } from './steps';

// MSAL renews any access token that is within 5 minutes of expiry, so 60-second and
// 5-second tokens behave alike; 5 s keeps the wait for a real expiry short (it was 20 s,
// most of this file's time).
const TTL = 5;
test.use({ accessTokenTtlSeconds: TTL });

test('after the access token expired, the next booking call succeeds through silent renewal', async ({ launchConsole, stack }) => {
  test.setTimeout(90_000 + TTL * 1000);
  const app = await launchConsole();
  await signIn(app, stack.idp.users[0]!);
  await expect(app.page.getByTestId('meeting').first()).toBeVisible();
  const first = stack.idp.issuedTokens.findLast((t) => t.grantType === 'authorization_code')!;
  const expiresAt = expSeconds(first.accessToken) * 1000;
  const interactive = grants(stack, 'authorization_code');

  // Wait for the real expiry (a condition, bounded), then ask for the day again.
  await expect.poll(() => Date.now() > expiresAt + 1000, { timeout: (TTL + 15) * 1000, intervals: [1000] }).toBe(true);
  stack.vdx.clearRequestLog();
  await app.page.getByRole('button', { name: 'Refresh' }).click();
  await expect.poll(() => stack.vdx.requestLog.some((r) => r.path === '/v2/meetings' && r.status === 200)).toBe(true);
  await expect(app.page.getByTestId('sync-banner')).toHaveAttribute('data-sync-state', 'ok');
  expect(stack.idp.issuedTokens.some((t) => t.grantType === 'refresh_token' && t.at > expiresAt), 'renewed from the refresh token').toBe(true);
  expect(grants(stack, 'authorization_code'), 'without the browser').toBe(interactive);
  await expect(app.page.getByTestId('reauth-banner')).toHaveCount(0);
});

test('with the refresh token revoked, the console asks to sign in again and keeps the day view', async ({ launchConsole, stack }) => {
  const user = stack.idp.users[0]!;
  const app = await launchConsole();
  await signIn(app, user);
  const rows = app.page.getByTestId('meeting');
  await expect(rows.first()).toBeVisible();
  const shown = await rows.count();
  const dayView = await app.page.locator('section.day-view').elementHandle();

  await stack.idp.revokeRefreshTokens(user.username);
  // The next renewal (at once: the token is short-lived) fails at the IdP.
  await app.page.getByRole('button', { name: 'Refresh' }).click();
  const banner = app.page.getByTestId('reauth-banner');
  await expect(banner).toBeVisible();
  await expect(rows).toHaveCount(shown);
  await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(0);

  // Signing in again from the banner: the same day view, never replaced by the sign-in screen.
  const idp = await startSignIn(app, 'Sign in again');
  await fillIdpForm(idp, user);
  await expect(banner).toHaveCount(0);
  expect(await dayView!.evaluate((el) => el.isConnected)).toBe(true);
  await app.page.getByRole('button', { name: 'Refresh' }).click();
  await expect(app.page.getByTestId('sync-banner')).toHaveAttribute('data-sync-state', 'ok');
});

test('no token and no name in the token cache or in any log, with renewals too', async ({ launchConsole, stack }, testInfo) => {
  await checkNoSecretsLeak(launchConsole, stack, testInfo.project.outputDir);
});
