/**
 * The day view on screen, with the real main-process core under Node (the browser host)
 * and Debian's Chromium, a signed-in profile whose days are already in the encrypted cache:
 *
 *   - services up to the cached 200-meeting day painted: from the host printing its address
 *     (core created, server listening; the window is open and waiting, as Electron's is
 *     while main starts) to the frame after the first screen of rows is on the page (the
 *     renderer's `cc:day-painted` mark, read on the same clock), and to all 200 rows;
 *   - switching to a cached 500-meeting day: from the click to that day's first screen;
 *   - scrolling a 2,000-meeting day from top to bottom: frame times (p95, worst) and how many
 *     frames took longer than 50 ms;
 *   - an idle minute with a watched day: requests to the booking API, and CPU used by the
 *     console's main process and by the page's main thread.
 * Each figure is given as its 5 runs (bench/median.ts): 5 starts, 5 switches, 5 scrolls from
 * the top, 5 idle minutes in a row.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { addDays, localDay } from '../common/days';
import { consoleSettingsFor, startStack, type Stack } from '../test/stack/stack';
import { chromiumLaunchOptions } from '../test/support/chromium';
import { projectRoot } from '../test/support/electron';
import { cpuSeconds } from '../test/support/processes';
import { percentile, round, type Bench, type Figure } from './bench';
import { RUNS, sampled } from './median';
import { fillDay } from './fill-day';

const MEETINGS = 200;
const SWITCH_MEETINGS = 500;
const SCROLL_MEETINGS = 2000;
const STARTS = RUNS;
const SWITCHES = RUNS;
const SCROLLS = RUNS;
const IDLE_MINUTES = RUNS;
const IDLE_MS = 60_000;

interface Host {
  url: string;
  pid: number;
  /** Epoch ms when the host said it was up. */
  upAt: number;
  stop(): Promise<void>;
}

function startHost(env: Record<string, string>): Promise<Host> {
  const child: ChildProcess = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), ['host/main.ts'], {
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
      const upAt = Date.now();
      try {
        resolve({ url: (JSON.parse(line) as { url: string }).url, pid: child.pid!, upAt, stop });
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

// Page-side helpers: functions, not strings (the console's CSP forbids eval); typed by
// hand because this file is checked without the DOM library.
// (Each page function casts globalThis itself: it runs in the page, where nothing of this
// module exists.)
type Page$ = {
  document: { querySelectorAll(s: string): { length: number } };
  performance: { timeOrigin: number; now(): number; getEntriesByName(n: string): Array<{ startTime: number }> };
};

const rowsInPage = (page: Page, count: number) =>
  page.waitForFunction((n: number) => (globalThis as unknown as Page$).document.querySelectorAll('[data-testid="meeting"]').length >= n, count, { polling: 'raf', timeout: 60_000 });

/** The n-th `cc:day-painted` mark (one per day shown), as epoch ms. */
async function paintedAt(page: Page, nth: number): Promise<number> {
  await page.waitForFunction((n: number) => (globalThis as unknown as Page$).performance.getEntriesByName('cc:day-painted').length >= n, nth, { timeout: 60_000 });
  return page.evaluate((n: number) => {
    const p = (globalThis as unknown as Page$).performance;
    return p.timeOrigin + p.getEntriesByName('cc:day-painted')[n - 1]!.startTime;
  }, nth);
}

export const firstPaintBench: Bench = {
  name: 'day view on screen',
  async run(ctx) {
    const rendererDir = await ctx.rendererDir();
    const stack = await startStack({ seed: false });
    const profile = mkdtempSync(join(tmpdir(), 'cc-bench-profile-'));
    let browser: Browser | undefined;
    const today = localDay(new Date());
    const switchDay = addDays(today, 1);
    const scrollDay = addDays(today, 2);
    try {
      fillDay((m) => stack.vdx.addMeeting(m), today, MEETINGS);
      fillDay((m) => stack.vdx.addMeeting(m), switchDay, SWITCH_MEETINGS);
      fillDay((m) => stack.vdx.addMeeting(m), scrollDay, SCROLL_MEETINGS);
      const settingsPath = join(profile, 'settings.json');
      writeFileSync(settingsPath, JSON.stringify(consoleSettingsFor(stack)));
      // No OS keyring here: the policy allows plain secret storage, so restarts stay signed in.
      const policyPath = join(profile, 'policy.json');
      writeFileSync(policyPath, JSON.stringify({ allowBasicTextSecretStorage: true }));
      const env = {
        CLINICIAN_CONSOLE_POLICY: policyPath,
        CLINICIAN_CONSOLE_CONFIG: settingsPath,
        CLINICIAN_CONSOLE_USER_DATA: profile,
        CLINICIAN_CONSOLE_RENDERER_DIR: rendererDir,
        NODE_EXTRA_CA_CERTS: stack.ca.caCertPath,
      };
      browser = await chromium.launch(chromiumLaunchOptions({ trustSpki: stack.ca.serverSpkiSha256 }));

      // First start: sign in and bring the three days into the cache.
      ctx.note('signing in and filling the cache');
      const first = await startHost(env);
      const setup = await browser.newContext();
      const page = await setup.newPage();
      await page.goto(first.url);
      await signIn(page, stack);
      await rowsInPage(page, MEETINGS);
      for (const [day, count] of [[switchDay, SWITCH_MEETINGS], [scrollDay, SCROLL_MEETINGS]] as const) {
        await page.getByLabel('Choose a day').fill(day);
        await rowsInPage(page, count);
      }
      await setup.close();
      await first.stop();

      const figures: Figure[] = [];
      const painted: number[] = [];
      const complete: number[] = [];
      for (let i = 1; i <= STARTS; i++) {
        ctx.note(`start ${i} of ${STARTS}`);
        const context = await browser.newContext();
        const p = await context.newPage();
        const host = await startHost(env);
        await p.goto(host.url);
        painted.push((await paintedAt(p, 1)) - host.upAt);
        await rowsInPage(p, MEETINGS);
        complete.push(Date.now() - host.upAt);
        await context.close();
        await host.stop();
      }
      figures.push(
        sampled(`services up to the cached ${MEETINGS}-meeting day painted (first screen)`, painted, 'ms'),
        sampled(`services up to all ${MEETINGS} rows in the page`, complete, 'ms'),
      );

      ctx.note(`switching days, scrolling and ${IDLE_MINUTES} idle minutes`);
      const context = await browser.newContext();
      const p = await context.newPage();
      const host = await startHost(env);
      try {
        await p.goto(host.url);
        await rowsInPage(p, MEETINGS);
        figures.push(...(await switching(p, switchDay, today)));
        figures.push(...(await scrolling(p, scrollDay)));
        await p.getByLabel('Choose a day').fill(today);
        await rowsInPage(p, MEETINGS);
        figures.push(...(await idleMinute(p, stack, host)));
      } finally {
        await context.close();
        await host.stop();
      }
      return figures;
    } finally {
      await browser?.close();
      await stack.stop();
      rmSync(profile, { recursive: true, force: true });
    }
  },
};

/** Today -> the cached 500-meeting day, several times: click to that day's first screen. */
async function switching(page: Page, day: string, back: string): Promise<Figure[]> {
  const times: number[] = [];
  let marks = await page.evaluate(() => (globalThis as unknown as Page$).performance.getEntriesByName('cc:day-painted').length);
  for (let i = 0; i < SWITCHES; i++) {
    const clickedAt = await page.evaluate(() => (globalThis as unknown as Page$).performance.timeOrigin + (globalThis as unknown as Page$).performance.now());
    await page.getByLabel('Choose a day').fill(day);
    times.push((await paintedAt(page, ++marks)) - clickedAt);
    await rowsInPage(page, SWITCH_MEETINGS);
    await page.getByLabel('Choose a day').fill(back);
    await paintedAt(page, ++marks);
  }
  return [sampled(`switch to a cached ${SWITCH_MEETINGS}-meeting day, first screen painted`, times, 'ms')];
}

/** Scrolls the whole 2,000-meeting day a few hundred pixels a frame, from the top, several times, and times the frames. */
async function scrolling(page: Page, day: string): Promise<Figure[]> {
  await page.getByLabel('Choose a day').fill(day);
  await rowsInPage(page, SCROLL_MEETINGS);
  // tsx names this file's functions with a helper the page does not have; give it one.
  await page.evaluate(() => {
    (globalThis as unknown as { __name: (f: unknown) => unknown }).__name = (f) => f;
  });
  const passes: number[][] = [];
  for (let pass = 0; pass < SCROLLS; pass++) passes.push(await scrollOnce(page));
  return [
    sampled(`scrolling a ${SCROLL_MEETINGS}-meeting day: frames`, passes.map((f) => f.length), 'count'),
    sampled(`scrolling a ${SCROLL_MEETINGS}-meeting day: frame time p95`, passes.map((f) => round(percentile(f, 95))), 'ms'),
    sampled(`scrolling a ${SCROLL_MEETINGS}-meeting day: worst frame`, passes.map((f) => round(Math.max(...f))), 'ms'),
    sampled(`scrolling a ${SCROLL_MEETINGS}-meeting day: frames over 50 ms`, passes.map((f) => f.filter((t) => t > 50).length), 'count'),
  ];
}

/** One pass from the top to the bottom: the time between frames. */
async function scrollOnce(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const w = globalThis as unknown as {
          scrollBy(x: number, y: number): void;
          scrollY: number;
          innerHeight: number;
          requestAnimationFrame(f: (t: number) => void): void;
          document: { documentElement: { scrollHeight: number } };
        };
        w.scrollBy(0, -w.document.documentElement.scrollHeight);
        const deltas: number[] = [];
        let last = 0;
        const step = (t: number) => {
          if (last) deltas.push(t - last);
          last = t;
          if (w.scrollY + w.innerHeight >= w.document.documentElement.scrollHeight - 1 || deltas.length > 2000) return resolve(deltas);
          w.scrollBy(0, 400);
          w.requestAnimationFrame(step);
        };
        w.requestAnimationFrame(step);
      }),
  );
}

/** A watched day, nobody touching anything, for a minute (several minutes in a row): what each costs. */
async function idleMinute(page: Page, stack: Stack, host: Host): Promise<Figure[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  };
  const requests: number[] = [];
  const perMeeting: number[] = [];
  const mainPercent: number[] = [];
  const pagePercent: number[] = [];
  for (let minute = 0; minute < IDLE_MINUTES; minute++) {
    stack.vdx.clearRequestLog();
    const mainBefore = cpuSeconds(host.pid);
    const pageBefore = await taskSeconds();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const counts = stack.vdx.requestCounts();
    const mainCpu = cpuSeconds(host.pid) - mainBefore;
    const pageCpu = (await taskSeconds()) - pageBefore;
    requests.push(Object.values(counts).reduce((a, b) => a + b, 0));
    perMeeting.push(counts['scheduling-info']);
    mainPercent.push(round((mainCpu / (IDLE_MS / 1000)) * 100, 2));
    pagePercent.push(round((pageCpu / (IDLE_MS / 1000)) * 100, 2));
  }
  return [
    sampled('idle minute: requests to the booking API', requests, 'count'),
    sampled('idle minute: of which per-meeting scheduling-info', perMeeting, 'count'),
    sampled("idle minute: console's main process CPU", mainPercent, '%'),
    sampled("idle minute: day view's main thread busy", pagePercent, '%'),
  ];
}
