/**
 * Start-and-sign-in smoke test of the real Electron app, for the release runners (Windows and
 * macOS in .github/workflows/release.yml, and Linux with the rest of the suite). Skipped
 * where no Electron binary exists, as on this project's development machine, where the
 * browser host covers the same steps.
 *
 * Windows and macOS runners have no Janus, and this test needs no call, so this file starts
 * the test stack without Janus (or the Pexip double): it overrides the fixture's worker-scoped
 * `stack`, which always asks for them. Playwright runs files with a different worker fixture
 * in a worker of their own, so the other specs keep their full stack.
 */
import { localDay } from '../../common/days';
import { startStack, type Stack } from '../stack/stack';
import { electronBinary } from '../support/electron';
import { expect, test as base } from './fixtures';
import { recordStackSecrets } from './privacy-manifest';
import { signInInBrowser } from './steps';

const test = base.extend<object, { stack: Stack }>({
  stack: [
    async ({}, use) => {
      const stack = await startStack({ withJanus: false });
      await use(stack);
      recordStackSecrets(stack);
      await stack.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

test.skip(!electronBinary(), 'no Electron binary here (it cannot be downloaded on this machine); the release workflow runs this test');

test('the real Electron app starts, signs in through the system browser and shows the day', async ({ launchConsole, stack }) => {
  const app = await launchConsole();
  // The fixture falls back to the browser host without a binary; this test is about Electron.
  expect(app.kind).toBe('electron');
  const user = stack.idp.users[0]!;
  await signInInBrowser(app, user);
  await expect(app.page.getByTestId('account-name')).toContainText(user.name);
  await expect(app.page.getByTestId('meeting')).toHaveCount(stack.vdx.meetingsOn(localDay(new Date())).length);
});
