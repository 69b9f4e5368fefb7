/**
 * Shared workstations (issue 20): with IT's signOutAfterIdleMinutes, a console left idle signs
 * out completely (tokens, the offline schedule, the identity provider's session), and a call in
 * progress is never cut: the main window says the sign-out waits, and it happens when the call
 * ends. The workstation is a simulated one the spec drives (the OS's idle time cannot be faked
 * in a real session, and no spec waits half an hour): it reports 31 idle minutes at once.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type ConsoleApp, type WorkstationDriver } from './fixtures';
import { hostMeeting, meetingOnNow } from './call/call-steps';
import { tokenCacheOf, usersDirOf } from './sign-in-steps';
import { signInInBrowser } from './steps';

async function idlePolicyConsole(launchConsole: (opts: { workstation: boolean; env: Record<string, string> }) => Promise<ConsoleApp>) {
  const policy = test.info().outputPath('policy.json');
  // As the fixture's own policy (no keyring on this machine), plus the idle limit.
  writeFileSync(policy, JSON.stringify({ allowBasicTextSecretStorage: true, signOutAfterIdleMinutes: 30 }));
  const app = await launchConsole({ workstation: true, env: { CLINICIAN_CONSOLE_POLICY: policy } });
  test.skip(app.workstation === undefined, 'the simulated workstation runs in the browser host only');
  return { app, workstation: app.workstation as WorkstationDriver };
}

async function expectSignedOutCompletely(app: ConsoleApp): Promise<void> {
  await expect(app.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await expect(app.page.getByTestId('account-name')).toHaveCount(0);
  await expect(app.page.getByTestId('signed-out-by')).toHaveAttribute('data-reason', 'idle');
  await expect(app.page.getByTestId('signed-out-by')).toHaveText('You were signed out because this workstation was not used for a while.');
  expect(!existsSync(tokenCacheOf(app)) || statSync(tokenCacheOf(app)).size === 0, 'token cache gone or empty').toBe(true);
  await expect.poll(() => readdirSync(usersDirOf(app)), { message: 'the cached schedule folder is removed' }).toEqual([]);
}

test('signOutAfterIdleMinutes signs an idle console out completely, and the sign-in screen says why', async ({ launchConsole, stack }) => {
  const { app, workstation } = await idlePolicyConsole(launchConsole);
  await signInInBrowser(app, stack.idp.users[0]!);
  await expect(app.page.getByTestId('meeting').first()).toBeVisible();
  await expect.poll(() => (existsSync(usersDirOf(app)) ? readdirSync(usersDirOf(app)).length : 0)).toBe(1);
  const endSessions = stack.idp.endSessionRequests.length;

  // Someone works for 20 minutes, then walks away for 31: no sign-out while they work.
  workstation.pass(20 * 60, { active: true });
  await expect(app.page.getByTestId('account-name')).toBeVisible();
  const idpSignOut = app.waitForExternalPage();
  workstation.pass(31 * 60);
  await expectSignedOutCompletely(app);
  // The whole sign-out: the identity provider's session is asked to end too (no ID token).
  await idpSignOut;
  expect(stack.idp.endSessionRequests.slice(endSessions)).toEqual([expect.objectContaining({ clientId: stack.idp.clientId, idTokenHint: false })]);
});

test('an idle console in a call is not signed out until the call ends, and the main window says so', async ({ launchConsole, stack }) => {
  const { app, workstation } = await idlePolicyConsole(launchConsole);
  await signInInBrowser(app, stack.idp.users[0]!);
  const call = await hostMeeting(app, meetingOnNow(stack));

  workstation.pass(31 * 60);
  const pending = app.page.getByTestId('sign-out-pending');
  await expect(pending).toHaveAttribute('data-reason', 'idle');
  await expect(pending).toContainText('You will be signed out when this call ends.');
  // The call goes on, the clinician still signed in.
  await expect(call.getByTestId('call-state')).toHaveAttribute('data-state', 'joined');
  await expect(app.page.getByTestId('account-name')).toBeVisible();

  const idpSignOut = app.waitForExternalPage();
  const closed = call.waitForEvent('close');
  await call.getByRole('button', { name: 'Leave call' }).click();
  await call.getByRole('alertdialog', { name: 'Leave the call?' }).getByRole('button', { name: 'Leave', exact: true }).click();
  await closed;
  await expectSignedOutCompletely(app);
  await expect(app.page.getByTestId('sign-out-pending')).toHaveCount(0);
  await idpSignOut;
});

test('an idle limit IT sets while the console runs applies without a restart (a watched policy file), and Diagnostics says so', async ({ launchConsole, stack }) => {
  const policy = test.info().outputPath('policy.json');
  writeFileSync(policy, JSON.stringify({ allowBasicTextSecretStorage: true }));
  const app = await launchConsole({ workstation: true, env: { CLINICIAN_CONSOLE_POLICY: policy } });
  test.skip(app.workstation === undefined, 'the simulated workstation runs in the browser host only');
  await signInInBrowser(app, stack.idp.users[0]!);
  await expect(app.page.getByTestId('meeting').first()).toBeVisible();

  // IT adds the limit (and a key that needs a restart); the console's log says when it has read it.
  writeFileSync(policy, JSON.stringify({ allowBasicTextSecretStorage: true, signOutAfterIdleMinutes: 30, requestTimeoutMs: 20_000 }));
  const log = join(app.userDataDir, 'logs', 'main.log');
  await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : '')).toContain('policy changed: applied now: signOutAfterIdleMinutes; at the next start: requestTimeoutMs');
  await app.page.getByRole('button', { name: 'Diagnostics' }).click();
  const panel = app.page.getByTestId('diagnostics');
  await expect(panel.locator('[data-testid="policy-reload"][data-state="live"]')).toContainText('signOutAfterIdleMinutes');
  await expect(panel.locator('[data-testid="policy-reload"][data-state="restart"]')).toContainText('requestTimeoutMs');
  await expect(panel.locator('[data-testid="setting"][data-key="signOutAfterIdleMinutes"]')).toHaveAttribute('data-source', 'policy');
  await expect(panel.locator('[data-testid="setting"][data-key="requestTimeoutMs"]')).not.toHaveAttribute('data-source', 'policy');

  const idpSignOut = app.waitForExternalPage();
  app.workstation!.pass(31 * 60);
  await expectSignedOutCompletely(app);
  await idpSignOut;
});
