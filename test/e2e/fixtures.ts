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
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { consoleSettingsFor, startStack, type Stack } from '../stack/stack';
import { chromiumLaunchOptions } from '../support/chromium';
import { recordConsoleArtifacts, recordStackSecrets, watchBrowserHost } from './privacy-manifest';
import { electronTarget, packagedProfile, projectRoot, type ElectronTarget } from '../support/electron';
import { until } from '../support/until';
import { scriptedBrowser, type ScriptedBrowser } from './scripted-browser';

/** The console's product name: its profile folder's name (package.json productName). */
const PRODUCT_NAME = 'Clinician Console';

export interface ConsoleApp {
  kind: 'electron' | 'browser';
  /** The main window (sign-in and day view). */
  page: Page;
  userDataDir: string;
  /** The process id of the console's main process (Electron's main, or the browser host). */
  pid: number;
  /** The "system browser" tab that sign-in opens (the identity provider's page). */
  waitForExternalPage(): Promise<Page>;
  /**
   * Runs `trigger`, and answers the URL main then opens in the system browser, taken instead
   * of opened: for the scripted browser (scripted-browser.ts).
   */
  takeExternalUrl(trigger: () => Promise<void>): Promise<string>;
  /** The system browser as a script, trusting the run's CA. */
  scriptedBrowser: ScriptedBrowser;
  waitForCallWindow(): Promise<Page>;
  /** Hands the app a clinician-console:// link, as the OS does. */
  openDeepLink(link: string): Promise<void>;
  /** The simulated workstation (launched with `workstation: true`; browser host only). */
  workstation?: WorkstationDriver;
  close(): Promise<void>;
}

/** Drives the simulated workstation the console watches for the shared-workstation policy. */
export interface WorkstationDriver {
  /** Time passes on the workstation: nobody touches it, unless `active`. */
  pass(seconds: number, opts?: { active?: boolean }): void;
  /** The screen locks. */
  lock(): void;
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
  /**
   * A sync interval shorter than the product's 15 s (ms, at least 1000), so that a cost test
   * sees several intervals in seconds: see main/settings/sync-interval.ts.
   */
  syncIntervalMs?: number;
  /** Run the console on a simulated workstation the spec drives (idle time, screen lock). */
  workstation?: boolean;
}

type WorkerFixtures = {
  stack: Stack;
  browser: Browser;
  /** The IdP's access-token lifetime for this worker's stack (`test.use` it in a describe; default 3600). */
  accessTokenTtlSeconds: number | undefined;
  /** The Pexip double's session-token lifetime for this worker's stack (default 120; the library refreshes every third). */
  pexipTokenExpiresSeconds: number | undefined;
};
type TestFixtures = { launchConsole: (opts?: LaunchOptions) => Promise<ConsoleApp>; consoleApp: ConsoleApp };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  accessTokenTtlSeconds: [undefined, { scope: 'worker', option: true }],
  pexipTokenExpiresSeconds: [undefined, { scope: 'worker', option: true }],
  stack: [
    async ({ accessTokenTtlSeconds, pexipTokenExpiresSeconds }, use) => {
      const stack = await startStack({
        withJanus: true,
        // CORS as a real node's proxy: no page origin until a console or guest page opens (allowOrigin).
        withPexip: { corsOrigins: [], ...(pexipTokenExpiresSeconds !== undefined ? { tokenExpiresSeconds: pexipTokenExpiresSeconds } : {}) },
        ...(accessTokenTtlSeconds !== undefined ? { accessTokenTtlSeconds } : {}),
      });
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
      const target = electronTarget();
      // A packaged console (the release gates) reads IT's machine policy only, as installed,
      // which the release workflow sets once for the runner: a spec that brings its own
      // policy tests what the browser host and the development Electron cover.
      if (target?.packaged && opts.env?.CLINICIAN_CONSOLE_POLICY !== undefined)
        testInfo.skip(true, 'a packaged console ignores CLINICIAN_CONSOLE_POLICY (machine policy only)');
      // In the test's own output folder: Playwright empties it at the start of each run,
      // the privacy audit reads it after the suite, and a failure's profile sits by its trace.
      let userDataDir = opts.userDataDir ?? mkdtempSync(testInfo.outputPath('profile-'));
      let profileEnv: Record<string, string> = {};
      if (target?.packaged) {
        // A restart hands back the profile folder itself, whose parent is its config home.
        const configHome = opts.userDataDir && basename(opts.userDataDir) === PRODUCT_NAME ? dirname(opts.userDataDir) : userDataDir;
        ({ userDataDir, env: profileEnv } = packagedProfile({ platform: process.platform, productName: PRODUCT_NAME, configHome, env: process.env, home: homedir() }));
        mkdirSync(userDataDir, { recursive: true });
      }
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
        ...profileEnv,
        ...(opts.syncIntervalMs !== undefined ? { CLINICIAN_CONSOLE_SYNC_INTERVAL_MS: String(opts.syncIntervalMs) } : {}),
        ...opts.env,
      };
      const logFile = testInfo.outputPath(`console-${launched.length}.stderr.log`);
      const driver = target
        ? await launchElectron(target, env, userDataDir, stack.ca.serverSpkiSha256, opts.locale)
        : await launchBrowserHost(browser, env, userDataDir, logFile, opts.locale, opts.workstation === true);
      const app: ConsoleApp = { ...driver, scriptedBrowser: scriptedBrowser(stack.ca.caCertPath) };
      launched.push(app);
      // The call window's origin (the app's scheme, or the browser host's page): the Pexip node lets it in.
      stack.pexip?.allowOrigin(new URL(app.page.url()).origin);
      recordConsoleArtifacts([userDataDir, logFile]);
      return app;
    });
    for (const app of launched) await app.close();
  },
  consoleApp: async ({ launchConsole }, use) => {
    await use(await launchConsole());
  },
});

// Playwright's expect, with expect.poll checking every 50 ms (why: expect.ts).
export { expect } from './expect';

async function launchBrowserHost(
  browser: Browser,
  env: Record<string, string>,
  userDataDir: string,
  logFile: string,
  locale?: string,
  workstation = false,
): Promise<Omit<ConsoleApp, 'scriptedBrowser'>> {
  // The built host (npm run build: out/host/main.js, as the renderer is the built one): plain
  // Node starts it in a third of tsx's CPU. The simulated workstation's host is test code that
  // takes its commands on stdin (test/support/workstation-host.ts), run from source.
  const [command, args] = workstation
    ? [join(projectRoot, 'node_modules', '.bin', 'tsx'), ['test/support/workstation-host.ts']]
    : [process.execPath, [join(projectRoot, 'out', 'host', 'main.js')]];
  const host = spawn(command, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: [workstation ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  host.stderr!.pipe(createWriteStream(logFile));
  // The page's tab opens while the host starts: both take about half a second, one in
  // Chromium and one in Node, and the machine has two cores.
  const tab = browser.newContext(locale ? { locale } : {}).then(async (context: BrowserContext) => {
    await context.addInitScript(takeExternalOpens);
    return { context, page: await context.newPage() };
  });
  const started = await firstJsonLine<{ url: string; control: string }>(host).catch(async (error: unknown) => {
    await tab.then(({ context }) => context.close()).catch(() => undefined);
    throw error;
  });
  const { url, control } = started;
  const { context, page } = await tab.catch((error: unknown) => {
    host.kill('SIGTERM');
    throw error;
  });
  const recordHostSecrets = watchBrowserHost(context, { url, control });
  await page.goto(url);
  return {
    kind: 'browser',
    page,
    userDataDir,
    pid: host.pid!,
    ...browserHostTabs(context, page),
    ...(workstation
      ? {
          workstation: {
            pass: (seconds, o = {}) => void host.stdin!.write(JSON.stringify({ pass: seconds, active: o.active === true }) + '\n'),
            lock: () => void host.stdin!.write(JSON.stringify({ lock: true }) + '\n'),
          },
        }
      : {}),
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

/** A page's window, as the init script below sees it (the Node program has no DOM types). */
type TakingWindow = { __ccTakenUrls?: string[]; open: (url?: string | URL, target?: string, features?: string) => unknown };

/**
 * In every page of a browser host's context (`context.addInitScript`): while a test has set
 * `__ccTakenUrls`, a tab the page would open for main (the system browser: window.open with
 * '_blank') is not opened; its URL is kept there for the test. The call window (a named
 * target) still opens.
 */
export function takeExternalOpens(): void {
  const page = globalThis as unknown as TakingWindow;
  const open = page.open.bind(page);
  page.open = (url, target, features) => {
    const taken = page.__ccTakenUrls;
    if (taken && target === '_blank' && url !== undefined) {
      taken.push(String(url));
      return null;
    }
    return open(url, target, features);
  };
}

/** The tabs a browser host's main page opens: the system browser's and the call window. */
export function browserHostTabs(context: BrowserContext, page: Page): Pick<ConsoleApp, 'waitForExternalPage' | 'takeExternalUrl' | 'waitForCallWindow'> {
  return {
    waitForExternalPage: () => context.waitForEvent('page'),
    async takeExternalUrl(trigger) {
      await page.evaluate(() => void ((globalThis as unknown as TakingWindow).__ccTakenUrls = []));
      try {
        await trigger();
        return await until(() => page.evaluate(() => (globalThis as unknown as TakingWindow).__ccTakenUrls?.shift()), {
          what: 'the URL main opens in the system browser',
          timeoutMs: 15_000,
          everyMs: 20,
        });
      } finally {
        // Later opens (the IdP's sign-out page, say) open as tabs again, even after a failure.
        await page.evaluate(() => void delete (globalThis as unknown as TakingWindow).__ccTakenUrls).catch(() => undefined);
      }
    },
    waitForCallWindow: () => context.waitForEvent('page', { predicate: (p) => p.url().includes('call.html') }),
  };
}

async function launchElectron(
  target: ElectronTarget,
  env: Record<string, string>,
  userDataDir: string,
  trustSpki: string,
  locale?: string,
): Promise<Omit<ConsoleApp, 'scriptedBrowser'>> {
  const app = await _electron.launch({
    executablePath: target.binary,
    args: [...target.appArgs, ...(locale ? [`--lang=${locale}`] : [])],
    env: { ...(process.env as Record<string, string>), ...env },
    // Playwright passes --no-sandbox on Linux unless told otherwise; the console runs sandboxed
    // (the release workflow gives Chromium its setuid helper).
    chromiumSandbox: true,
  });
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
  const nextExternalUrl = () =>
    until(() => app.evaluate(() => (globalThis as { __externalUrls?: string[] }).__externalUrls?.shift()), { what: 'the URL main opens in the system browser', timeoutMs: 15_000, everyMs: 100 });
  return {
    kind: 'electron',
    page,
    userDataDir,
    pid: app.process().pid!,
    async waitForExternalPage() {
      const url = await nextExternalUrl();
      const tab = await externalProfile.newPage();
      await tab.goto(url);
      return tab;
    },
    async takeExternalUrl(trigger) {
      // Only a URL the trigger opened (as the browser host's, which starts an empty list).
      await app.evaluate(() => void (globalThis as { __externalUrls?: string[] }).__externalUrls?.splice(0));
      await trigger();
      return nextExternalUrl();
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
