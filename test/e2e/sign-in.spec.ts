/**
 * Sign-in a hospital can trust, end to end against the test IdP with the real MSAL:
 * staying signed in across restarts, silent renewal, revoked sessions that keep the day
 * view, clear errors with a way back and no loopback listener left open, and no token or
 * name in any log. Sign-out, and the next person after it: sign-out.spec.ts.
 */
import { localDay } from '../../common/days';
import { expect, test } from './fixtures';
import { listeningPorts } from './listening-ports';
import { checkNoSecretsLeak, expectSignInError, fillIdpForm, grants, startSignIn } from './sign-in-steps';
import { signIn, signInInBrowser } from './steps';

test('sign in shows the account; a restart with the same profile is signed in without the browser', async ({ launchConsole, stack }) => {
  const user = stack.idp.users[0]!;
  const app = await launchConsole();
  await signInInBrowser(app, user);
  await expect(app.page.getByTestId('account-name')).toContainText(user.name);
  await expect(app.page.getByTestId('account-username')).toHaveText(user.username);
  await expect(app.page.getByTestId('meeting')).toHaveCount(stack.vdx.meetingsOn(localDay(new Date())).length);
  const interactiveSignIns = grants(stack, 'authorization_code');
  await app.close();

  const again = await launchConsole({ userDataDir: app.userDataDir });
  await expect(again.page.getByTestId('account-name')).toContainText(user.name);
  await expect(again.page.getByTestId('meeting').first()).toBeVisible();
  await expect(again.page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(0);
  expect(grants(stack, 'authorization_code'), 'no new interactive sign-in').toBe(interactiveSignIns);
});

test('offline start: the cached account and schedule, marked offline, with no request to sign in', async ({ launchConsole, stack }) => {
  const app = await launchConsole();
  await signIn(app, stack.idp.users[1]!);
  const rows = app.page.getByTestId('meeting');
  await expect(rows.first()).toBeVisible();
  const shown = await rows.count();
  await app.close();

  // No identity provider and no booking service (nothing listens on the discard port).
  await stack.idp.setDown(true);
  try {
    const offline = await launchConsole({ userDataDir: app.userDataDir, settings: { bookingApiUrl: 'http://127.0.0.1:9' } });
    await expect(offline.page.getByTestId('account-name')).toContainText(stack.idp.users[1]!.name);
    await expect(offline.page.getByTestId('sync-banner')).toHaveAttribute('data-sync-state', 'offline');
    await expect(offline.page.getByTestId('meeting')).toHaveCount(shown);
    await expect(offline.page.getByTestId('reauth-banner')).toHaveCount(0);
    await expect(offline.page.getByRole('button', { name: 'Sign in', exact: true })).toHaveCount(0);
  } finally {
    await stack.idp.setDown(false);
  }
});

test('a cancelled sign-in (in the app, or on the IdP page) says so, offers a way back and leaves no listener open', async ({ launchConsole }) => {
  const app = await launchConsole();
  await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  const before = listeningPorts(app.pid);

  // Cancelled from the console while the browser waits.
  const idp = await startSignIn(app);
  const during = listeningPorts(app.pid);
  const loopback = during.filter((p) => !before.includes(p));
  expect(loopback, 'MSAL listens on one loopback port while the browser is out').toHaveLength(1);
  await app.page.getByRole('button', { name: 'Cancel sign-in' }).click();
  await expectSignInError(app, 'sign-in-cancelled');
  await expect.poll(() => listeningPorts(app.pid)).toEqual(before);
  await idp.close();

  // Cancelled on the identity provider's page: the error comes back through the listener.
  const idp2 = await startSignIn(app, 'Try again');
  expect(listeningPorts(app.pid).filter((p) => !before.includes(p))).toHaveLength(1);
  await idp2.getByRole('button', { name: 'Cancel' }).click();
  await expectSignInError(app, 'sign-in-cancelled');
  await expect.poll(() => listeningPorts(app.pid)).toEqual(before);
  await expect(app.page.getByRole('button', { name: 'Try again' })).toBeEnabled();
});

test('a sign-in left unfinished in the browser times out, closes its listener, and can be tried again', async ({ launchConsole, stack }) => {
  const app = await launchConsole({ settings: { signInTimeoutSeconds: 5 } });
  await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  const before = listeningPorts(app.pid);
  const idp = await startSignIn(app);
  await expect(app.page.getByRole('status').filter({ hasText: 'Complete sign-in in your browser' })).toBeVisible();
  await expectSignInError(app, 'sign-in-timeout');
  await expect.poll(() => listeningPorts(app.pid)).toEqual(before);
  await idp.close();

  const idp2 = await startSignIn(app, 'Try again');
  await fillIdpForm(idp2, stack.idp.users[1]!);
  await expect(app.page.getByTestId('account-name')).toContainText(stack.idp.users[1]!.name);
});

test('a wrong client id gives a clear message before any browser opens, and no listener', async ({ launchConsole }) => {
  const app = await launchConsole({ settings: { clientId: 'not-a-registered-console' } });
  await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  const before = listeningPorts(app.pid);
  let opened = 0;
  app.page.context().on('page', () => opened++);
  await app.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectSignInError(app, 'sign-in-not-registered');
  await expect(app.page.getByTestId('sign-in-error')).toContainText('contact IT');
  expect(listeningPorts(app.pid)).toEqual(before);
  expect(opened, 'no browser tab for a sign-in that cannot succeed').toBe(0);
  await expect(app.page.getByRole('button', { name: 'Try again' })).toBeEnabled();
});

test('an unreachable identity provider gives a clear message; Try again works once it is back', async ({ launchConsole, stack }) => {
  const app = await launchConsole();
  await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  const before = listeningPorts(app.pid);
  await stack.idp.setDown(true);
  try {
    await app.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectSignInError(app, 'sign-in-unreachable');
    expect(listeningPorts(app.pid)).toEqual(before);
  } finally {
    await stack.idp.setDown(false);
  }
  const idp = await startSignIn(app, 'Try again');
  await fillIdpForm(idp, stack.idp.users[0]!);
  await expect(app.page.getByTestId('account-name')).toBeVisible();
});

test('a 401 from the booking API is answered with one silent renewal and one retry', async ({ launchConsole, stack }) => {
  const app = await launchConsole();
  await signIn(app, stack.idp.users[0]!);
  await expect(app.page.getByTestId('meeting').first()).toBeVisible();

  stack.vdx.setFault('unauthorized', 'meetings');
  try {
    const renewalsBefore = grants(stack, 'refresh_token');
    stack.vdx.clearRequestLog();
    await app.page.getByRole('button', { name: 'Refresh' }).click();
    await expect(app.page.getByTestId('sync-banner')).toHaveAttribute('data-sync-state', 'error');
    // Each sync: a 401, one forced renewal at the IdP, one retry (another 401), then it stops.
    // The console's own 15-second sync may be half-way through its pair when we look, so
    // wait until the counts agree: without the retry they would be equal, with more
    // retries they would be three to one or more, never two to one.
    const counts = () => ({
      rejected: stack.vdx.requestLog.filter((r) => r.path === '/v2/meetings' && r.status === 401).length,
      renewals: grants(stack, 'refresh_token') - renewalsBefore,
    });
    await expect.poll(() => { const c = counts(); return c.renewals >= 1 && c.rejected === 2 * c.renewals; }).toBe(true);
    // The sign-in itself still works: this is the API refusing, not an expired sign-in.
    await expect(app.page.getByTestId('reauth-banner')).toHaveCount(0);
  } finally {
    stack.vdx.setFault(null);
  }
  await app.page.getByRole('button', { name: 'Refresh' }).click();
  await expect(app.page.getByTestId('sync-banner')).toHaveAttribute('data-sync-state', 'ok');
});

test('no token and no name in the token cache or in any log of the suite', async ({ launchConsole, stack }, testInfo) => {
  await checkNoSecretsLeak(launchConsole, stack, testInfo.project.outputDir);
});
