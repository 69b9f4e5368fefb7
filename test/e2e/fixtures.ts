/**
 * The e2e fixture: the same specs drive the real Electron app where its binary exists,
 * and the browser host (real main-process core under Node, real renderer in Chromium)
 * where it does not. Specs talk only to `ConsoleApp`.
 *
 * The stack (identity provider, VDX sandbox, Janus in its own network namespace) is real
 * and started once per worker.
 */
import { _electron, chromium, test as base, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { consoleSettingsFor, startStack, type Stack } from '../stack/stack';
import { chromiumLaunchOptions } from '../support/chromium';
import { recordConsoleArtifacts, recordStackSecrets, watchBrowserHost } from './privacy-manifest';
import { electronBinary, projectRoot } from '../support/electron';

export interface ConsoleApp {
  kind: 'electron' | 'browser';
  /** The main window (sign-in and day view). */
  page: Page;
  userDataDir: string;
  /** The process id of the console's main process (Electron's main, or the browser host). */
  pid: number;
  /** The "system browser" tab that sign-in opens (the identity provider's page). */
  waitForExternalPage(): Promise<Page>;
  waitForCallWindow(): Promise<Page>;
  /** Hands the app a clinician-console:// link, as the OS does. */
  openDeepLink(link: string): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Reuse a profile (a restart of the same app). */
  userDataDir?: string;
  /** The UI language the OS would report, e.g. 'fi-FI'. */
  locale?: string;
  /** Extra environment for the console's main process (e.g. CLINICIAN_CONSOLE_POLICY). */
  env?: Record<string, string>;
  /** Settings written over the stack's own (e.g. a wrong clientId, a short signInTimeoutSeconds). */
  settings?: Record<string, unknown>;
}

type WorkerFixtures = {
  stack: Stack;
  browser: Browser;
  /** The IdP's access-token lifetime for this worker's stack (`test.use` it in a describe; default 3600). */
  accessTokenTtlSeconds: number | undefined;
};
type TestFixtures = { launchConsole: (opts?: LaunchOptions) => Promise<ConsoleApp>; consoleApp: ConsoleApp };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  accessTokenTtlSeconds: [undefined, { scope: 'worker', option: true }],
  stack: [
    async ({ accessTokenTtlSeconds }, use) => {
      const stack = await startStack({ withJanus: true, withPexip: true, ...(accessTokenTtlSeconds !== undefined ? { accessTokenTtlSeconds } : {}) });
      await use(stack);
      recordStackSecrets(stack);
      await stack.stop();
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  browser: [
    async ({ stack }, use) => {
      // The "system browser" must trust the IdP's certificate from the run's own CA.
      const browser = await chromium.launch(chromiumLaunchOptions({ trustSpki: stack.ca.serverSpkiSha256 }));
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  launchConsole: async ({ stack, browser }, use, testInfo) => {
    const launched: ConsoleApp[] = [];
    await use(async (opts = {}) => {
      // In the test's own output folder: Playwright empties it at the start of each run,
      // the privacy audit reads it after the suite, and a failure's profile sits by its trace.
      const userDataDir = opts.userDataDir ?? mkdtempSync(testInfo.outputPath('profile-'));
      const configPath = join(userDataDir, 'settings.json');
      writeFileSync(configPath, JSON.stringify({ ...consoleSettingsFor(stack), ...opts.settings }));
      // This machine has no OS keyring (no Secret Service): as IT would on such Linux
      // workstations, the policy allows plain secret storage, so sign-in and the offline
      // schedule survive a restart. A spec passes its own CLINICIAN_CONSOLE_POLICY (or '') to
      // see the console without it.
      const policyPath = join(userDataDir, 'policy.json');
      writeFileSync(policyPath, JSON.stringify({ allowBasicTextSecretStorage: true }));
      const env = {
        CLINICIAN_CONSOLE_POLICY: policyPath,
        CLINICIAN_CONSOLE_CONFIG: configPath,
        CLINICIAN_CONSOLE_USER_DATA: userDataDir,
        NODE_EXTRA_CA_CERTS: stack.ca.caCertPath,
        ...opts.env,
      };
      const logFile = testInfo.outputPath(`console-${launched.length}.stderr.log`);
      const binary = electronBinary();
      const app = binary
        ? await launchElectron(binary, env, userDataDir, stack.ca.serverSpkiSha256, opts.locale)
        : await launchBrowserHost(browser, env, userDataDir, logFile, opts.locale);
      launched.push(app);
      recordConsoleArtifacts([userDataDir, logFile]);
      return app;
    });
    for (const app of launched) await app.close();
  },
  consoleApp: async ({ launchConsole }, use) => {
    await use(await launchConsole());
  },
});

export { expect } from '@playwright/test';

async function launchBrowserHost(
  browser: Browser,
  env: Record<string, string>,
  userDataDir: string,
  logFile: string,
  locale?: string,
): Promise<ConsoleApp> {
  const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
  const host = spawn(tsx, ['host/main.ts'], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  host.stderr!.pipe(createWriteStream(logFile));
  const { url, control } = await firstJsonLine<{ url: string; control: string }>(host);
  const context: BrowserContext = await browser.newContext(locale ? { locale } : {});
  const recordHostSecrets = watchBrowserHost(context, { url, control });
  const page = await context.newPage();
  await page.goto(url);
  return {
    kind: 'browser',
    page,
    userDataDir,
    pid: host.pid!,
    waitForExternalPage: () => context.waitForEvent('page'),
    waitForCallWindow: () => context.waitForEvent('page', { predicate: (p) => p.url().includes('call.html') }),
    // As the OS would: from outside any page, with the credential only the starter has.
    async openDeepLink(link) {
      const response = await fetch(new URL('/__host/deeplink', url), { method: 'POST', headers: { authorization: `Bearer ${control}` }, body: link });
      if (!response.ok) throw new Error(`the host refused the deep link (${response.status})`);
    },
    async close() {
      await recordHostSecrets();
      await context.close();
      // Still running (a spec may have killed it: then exitCode stays null and signalCode is set).
      if (host.exitCode === null && host.signalCode === null) {
        const exited = new Promise((ok) => host.once('exit', ok));
        host.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function launchElectron(
  binary: string,
  env: Record<string, string>,
  userDataDir: string,
  trustSpki: string,
  locale?: string,
): Promise<ConsoleApp> {
  const app = await _electron.launch({ executablePath: binary, args: [projectRoot, ...(locale ? [`--lang=${locale}`] : [])], env: { ...(process.env as Record<string, string>), ...env } });
  const page = await app.firstWindow();
  // The system browser cannot be driven from here: catch the URL main would open and
  // open it in a Chromium page instead.
  await app.evaluate(({ shell }) => {
    const urls: string[] = [];
    (globalThis as { __externalUrls?: string[] }).__externalUrls = urls;
    shell.openExternal = async (url: string) => {
      urls.push(url);
    };
  });
  const external = await chromium.launch(chromiumLaunchOptions({ trustSpki }));
  // One profile for every tab, as in a real system browser: the IdP's session cookie outlives a tab.
  const externalProfile = await external.newContext();
  return {
    kind: 'electron',
    page,
    userDataDir,
    pid: app.process().pid!,
    async waitForExternalPage() {
      const url = await waitFor(() => app.evaluate(() => (globalThis as { __externalUrls?: string[] }).__externalUrls?.shift()));
      const tab = await externalProfile.newPage();
      await tab.goto(url);
      return tab;
    },
    waitForCallWindow: () => app.waitForEvent('window', { predicate: (p) => p.url().includes('call.html') }),
    async openDeepLink(link) {
      await app.evaluate(({ app: electronApp }, url) => electronApp.emit('open-url', { preventDefault() {} }, url), link);
    },
    async close() {
      await external.close();
      await app.close();
    },
  };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

function firstJsonLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error('the console host printed something other than its address'));
      }
    });
    child.once('exit', (code) => reject(new Error(`the console host exited early (code ${code})`)));
  });
}
