/**
 * From the main services being up to the day view painted with 200 meetings: the browser
 * host (the real main-process core under Node) and Debian's Chromium, a signed-in profile
 * with the day already in the encrypted cache, as on a clinician's second start of the day.
 *
 * "Up" is the moment the host prints its address (core created, server listening); "painted"
 * is the first animation frame in which the 200th row is in the page.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { localDay } from '../common/days';
import { consoleSettingsFor, startStack, type Stack } from '../test/stack/stack';
import { chromiumLaunchOptions } from '../test/support/chromium';
import { projectRoot } from '../test/support/electron';
import { percentile, round, type Bench } from './bench';
import { fillDay } from './schedule';

const MEETINGS = 200;
const STARTS = 5;

interface Host {
  url: string;
  /** performance.now() when the host said it was up. */
  upAt: number;
  stop(): Promise<void>;
}

function startHost(env: Record<string, string>): Promise<Host> {
  const child: ChildProcess = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), ['test/host/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const upAt = performance.now();
      try {
        resolve({ url: (JSON.parse(line) as { url: string }).url, upAt, stop });
      } catch {
        reject(new Error('the browser host printed something other than its address'));
      }
    });
    child.once('exit', (code) => reject(new Error(`the browser host exited early (code ${code})`)));
  });
}

async function signIn(page: Page, stack: Stack): Promise<void> {
  const user = stack.idp.users[0]!;
  const external = page.context().waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const idp = await external;
  await idp.getByLabel('Username').fill(user.username);
  await idp.getByLabel('Password').fill(user.password);
  await idp.getByRole('button', { name: 'Sign in' }).click();
  await idp.getByText('You are signed in').waitFor();
  await idp.close();
}

const rowsPainted = (count: number) => (page: Page) =>
  page.waitForFunction(
    // A function, not a string (the console's CSP forbids eval); typed by hand because this
    // file is checked without the DOM library.
    (n: number) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid="meeting"]').length >= n,
    count,
    { polling: 'raf', timeout: 60_000 },
  );

export const firstPaintBench: Bench = {
  name: 'day view first paint',
  async run(ctx) {
    const rendererDir = await ctx.rendererDir();
    const stack = await startStack({ seed: false });
    const profile = mkdtempSync(join(tmpdir(), 'cc-bench-profile-'));
    let browser: Browser | undefined;
    try {
      fillDay((m) => stack.vdx.addMeeting(m), localDay(new Date()), MEETINGS);
      const settingsPath = join(profile, 'settings.json');
      writeFileSync(settingsPath, JSON.stringify(consoleSettingsFor(stack)));
      const env = {
        CLINICIAN_CONSOLE_CONFIG: settingsPath,
        CLINICIAN_CONSOLE_USER_DATA: profile,
        CLINICIAN_CONSOLE_RENDERER_DIR: rendererDir,
        NODE_EXTRA_CA_CERTS: stack.ca.caCertPath,
      };
      browser = await chromium.launch(chromiumLaunchOptions({ trustSpki: stack.ca.serverSpkiSha256 }));

      // First start: sign in and let the day reach the cache.
      ctx.note('signing in and filling the cache');
      const first = await startHost(env);
      const setup = await browser.newContext();
      const page = await setup.newPage();
      await page.goto(first.url);
      await signIn(page, stack);
      await rowsPainted(MEETINGS)(page);
      await setup.close();
      await first.stop();

      const times: number[] = [];
      for (let i = 1; i <= STARTS; i++) {
        ctx.note(`start ${i} of ${STARTS}`);
        const host = await startHost(env);
        const context = await browser.newContext();
        const p = await context.newPage();
        await p.goto(host.url);
        await rowsPainted(MEETINGS)(p);
        times.push(performance.now() - host.upAt);
        await context.close();
        await host.stop();
      }
      return [
        { label: `services up to day view painted with ${MEETINGS} meetings (cached), first of ${STARTS}`, value: round(times[0]!), unit: 'ms' },
        { label: `services up to day view painted with ${MEETINGS} meetings (cached), median of ${STARTS}`, value: round(percentile(times, 50)), unit: 'ms' },
      ];
    } finally {
      await browser?.close();
      await stack.stop();
      rmSync(profile, { recursive: true, force: true });
    }
  },
};
