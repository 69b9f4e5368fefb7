/**
 * Call figures for `npm run bench` (or on its own, with the built out/renderer:
 * `tsx bench/call.ts`), all against the
 * real stack (IdP, VDX sandbox, Janus in its namespace) and Debian's Chromium:
 *
 *  - join to first remote frame, console: from the call window opening to its first
 *    presented remote video frame (the guest is already in the room);
 *  - the same for a minimal guest (the test guest page: the official janus.js client through
 *    renderer/call/janus-room.ts) joining the same room in the same run, from pressing Join;
 *  - the console renderer's CPU share during a 3-party call (console + two guests): CPU time
 *    of the console's Chromium renderer processes (CDP SystemInfo.getProcessInfo) over a
 *    sampling window, as % of one core; plus the call window's main-thread task time (CDP
 *    Performance metrics).
 *
 * The console runs in its own Chromium, the guests in another, so the renderer figures are
 * the console's alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { localDay } from '../common/days';
import { canJoin } from '../common/meeting-status';
import { buildGuestPage, serveGuestPage } from '../test/stack/guest/build.mjs';
import { consoleSettingsFor, startStack } from '../test/stack/stack';
import { chromiumLaunchOptions } from '../test/support/chromium';
import type { Bench } from './bench';

export interface CallBenchResult {
  consoleJoinToFirstRemoteFrameMs: number;
  guestJoinToFirstRemoteFrameMs: number;
  /** CPU time of the console's renderer processes / wall time, in % of one core. */
  consoleRendererCpuPercent: number;
  /** The call window's main-thread busy time / wall time, in %. */
  callWindowMainThreadPercent: number;
  sampleSeconds: number;
}

const SAMPLE_MS = 10_000;

/** The call figures as a module of `npm run bench` (bench/run.ts). */
export const callBench: Bench = {
  name: 'call',
  async run(ctx) {
    const r = await runCallBench({ rendererDir: await ctx.rendererDir(), log: (line) => ctx.note(line) });
    return [
      { label: 'console join to first remote frame (call window opened → first remote frame shown)', value: r.consoleJoinToFirstRemoteFrameMs, unit: 'ms' },
      { label: 'guest join to first remote frame (janus.js guest page, Join pressed → first remote frame)', value: r.guestJoinToFirstRemoteFrameMs, unit: 'ms' },
      { label: `console renderer CPU, 3-party call (% of one core over ${r.sampleSeconds} s)`, value: r.consoleRendererCpuPercent, unit: '%' },
      { label: 'call window main-thread busy time, 3-party call', value: r.callWindowMainThreadPercent, unit: '%' },
    ];
  },
};

export async function runCallBench(opts: { log?: (line: string) => void; rendererDir?: string } = {}): Promise<CallBenchResult> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stack = await startStack({ withJanus: true });
  const cleanups: Array<() => Promise<unknown>> = [() => stack.stop()];
  try {
    const guestDir = await mkdtemp(join(tmpdir(), 'bench-guest-'));
    cleanups.push(async () => rmSync(guestDir, { recursive: true, force: true }));
    await buildGuestPage(guestDir);
    const guests = await serveGuestPage(guestDir);
    cleanups.push(() => guests.stop());

    const meeting = meetingOnNow(stack);
    const info = stack.vdx.schedulingInfo(meeting.uuid);
    const room = info.provisionVmrId!;
    const pin = String(info.guestPin);
    const guestBrowser = await chromium.launch(chromiumLaunchOptions());
    cleanups.push(() => guestBrowser.close());

    // Guest A publishes first; guest B (measured) then joins and waits for A's video.
    // No lobby exists yet (the host has not opened the meeting), so both join directly.
    const guestA = await openGuest(guestBrowser, guests.pageUrl({ server: stack.janus!.wsUrl, room, name: 'Bench Guest A', role: 'relative' }), pin);
    await waitFor(() => guestA.evaluate(() => (globalThis as unknown as GuestWin).guestTimings.joinedAt !== undefined), 'guest A to join');
    const guestB = await openGuest(guestBrowser, guests.pageUrl({ server: stack.janus!.wsUrl, room, name: 'Bench Guest B', role: 'patient' }), pin);
    const guestMs = await waitFor(
      () =>
        guestB.evaluate(() => {
          const t = (globalThis as unknown as GuestWin).guestTimings;
          return t.firstRemoteFrameAt !== undefined && t.joinPressedAt !== undefined ? t.firstRemoteFrameAt - t.joinPressedAt : undefined;
        }),
      'the guest to show a remote frame',
    );
    log(`call: guest join to first remote frame ${Math.round(guestMs)} ms`);

    // The console: its own Chromium and browser host, signed in, joins the meeting.
    const consoleBrowser = await chromium.launch(chromiumLaunchOptions({ trustSpki: stack.ca.serverSpkiSha256 }));
    cleanups.push(() => consoleBrowser.close());
    const host = await startHost(stack, opts.rendererDir);
    cleanups.push(() => host.stop());
    const context = await consoleBrowser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    await signIn(page, stack.idp.users[0]!);
    const callPromise = context.waitForEvent('page', { predicate: (p) => p.url().includes('call.html') });
    await page.locator(`[data-meeting-id="${meeting.uuid}"]`).getByRole('button', { name: /^Join/ }).click();
    const call = await callPromise;
    const consoleMs = await waitFor(
      () => call.evaluate(() => (globalThis as unknown as { callTimings?: { firstRemoteFrameAt?: number } }).callTimings?.firstRemoteFrameAt),
      'the call window to show a remote frame',
    );
    log(`call: console join to first remote frame ${Math.round(consoleMs)} ms`);

    // 3-party call: console + two guests, everybody decoding. Sample the console's CPU.
    await waitFor(
      async () => (await call.getByTestId('remote-tile').evaluateAll((ts) => ts.filter((t) => Number(t.getAttribute('data-frames-decoded')) > 0).length)) >= 2 || undefined,
      'the console to decode both guests',
    );
    const browserCdp = await consoleBrowser.newBrowserCDPSession();
    const pageCdp = await context.newCDPSession(call);
    await pageCdp.send('Performance.enable');
    const cpu0 = await rendererCpuSeconds(browserCdp);
    const task0 = await taskDuration(pageCdp);
    const t0 = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const wall = (Date.now() - t0) / 1000;
    const cpu = ((await rendererCpuSeconds(browserCdp)) - cpu0) / wall;
    const task = ((await taskDuration(pageCdp)) - task0) / wall;
    log(`call: console renderer CPU ${(cpu * 100).toFixed(1)} % of one core over ${wall.toFixed(1)} s (3-party call)`);
    return {
      consoleJoinToFirstRemoteFrameMs: Math.round(consoleMs),
      guestJoinToFirstRemoteFrameMs: Math.round(guestMs),
      consoleRendererCpuPercent: Number((cpu * 100).toFixed(1)),
      callWindowMainThreadPercent: Number((task * 100).toFixed(1)),
      sampleSeconds: Number(wall.toFixed(1)),
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

interface GuestWin {
  guestTimings: { joinPressedAt?: number; joinedAt?: number; firstRemoteFrameAt?: number };
}

function meetingOnNow(stack: Awaited<ReturnType<typeof startStack>>): { uuid: string } {
  const open = stack.vdx.meetingsOn(localDay(new Date())).find((m) => {
    const info = stack.vdx.schedulingInfo(m.uuid);
    const joinOpensAt = new Date(Date.parse(m.startTime) - info.vmrAvailableBefore * 60_000).toISOString();
    return canJoin({ startTime: m.startTime, endTime: m.endTime, joinOpensAt, joinable: true }, new Date());
  });
  if (!open) throw new Error('the sandbox has no meeting open for joining now');
  return { uuid: open.uuid };
}

async function openGuest(browser: Browser, url: string, pin: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.getByLabel('Meeting PIN').fill(pin);
  await page.getByRole('button', { name: 'Join the meeting' }).click();
  return page;
}

async function signIn(page: Page, user: { username: string; password: string }): Promise<void> {
  const idpPromise = page.context().waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const idp = await idpPromise;
  await idp.getByLabel('Username').fill(user.username);
  await idp.getByLabel('Password').fill(user.password);
  await idp.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('account-name').waitFor({ timeout: 30_000 });
  // Its renderer would otherwise count towards the console's CPU figure.
  await idp.close();
}

async function startHost(stack: Awaited<ReturnType<typeof startStack>>, rendererDir?: string): Promise<{ url: string; stop(): Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const configPath = join(userDataDir, 'settings.json');
  writeFileSync(configPath, JSON.stringify(consoleSettingsFor(stack)));
  const child: ChildProcess = spawn(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['test/host/main.ts'], {
    env: {
      ...process.env,
      CLINICIAN_CONSOLE_CONFIG: configPath,
      CLINICIAN_CONSOLE_USER_DATA: userDataDir,
      NODE_EXTRA_CA_CERTS: stack.ca.caCertPath,
      ...(rendererDir ? { CLINICIAN_CONSOLE_RENDERER_DIR: rendererDir } : {}),
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`the console host exited (${code})`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(userDataDir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

type Cdp = { send(method: string, params?: object): Promise<unknown> };

/** Total CPU seconds of every renderer process of one Chromium. */
async function rendererCpuSeconds(cdp: Cdp): Promise<number> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; cpuTime: number }> };
  return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0);
}

async function taskDuration(cdp: Cdp): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/** Polls (bounded, 60 s) until probe gives a value. */
async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCallBench()
    .then((result) => {
      process.stdout.write(`${JSON.stringify({ call: result })}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`call bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
