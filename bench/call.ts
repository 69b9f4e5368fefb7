/**
 * Call figures for `npm run bench` (or on its own, with the built out/renderer:
 * `tsx bench/call.ts`), all against the real stack (IdP, VDX sandbox, Janus in its
 * namespace behind the room guard, the Pexip double with its media relay) and Debian's
 * Chromium, for each conference server:
 *
 *  - join to first remote frame, console (the median of RUNS joins): from the call window opening (Join clicked again
 *    after leaving, two guests in the room) to its first presented remote video frame;
 *  - the same for the bare client of that server in the same run (the median of RUNS guests), in a plain page (the
 *    test guest page: janus.js through call/providers/janus/window/janus-room.ts, or @pexip/infinity):
 *    from Join pressed (Pexip) or from the guard's admission (Janus, whose guests wait for
 *    the host to admit them) to its first remote frame;
 *  - the console renderer's CPU share during a 3-party call (console + two guests): CPU time
 *    of the console's Chromium renderer processes (CDP SystemInfo.getProcessInfo) over a
 *    sampling window, as % of one core; plus the call window's main-thread task time (CDP
 *    Performance metrics);
 *  - Pexip only: the CPU of this process, which runs the sandbox (the Pexip double's media
 *    relay, whose forwarding is most of it, beside the IdP, VDX sandbox and guard, and
 *    Playwright's idle driver), in the same 3-party call without and then with a guest
 *    presenting (the relay forwarding the presentation stream to both others as well).
 *
 * The console runs in its own Chromium, the guests in another, so the renderer figures are
 * the console's alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { localDay } from '../common/days';
import { canJoin } from '../common/meeting-status';
import { startGuestPage } from '../test/stack/guest/build.mjs';
import { consoleSettingsFor, startStack } from '../test/stack/stack';
import { chromiumLaunchOptions } from '../test/support/chromium';
import { percentile, type Bench } from './bench';
import { sampled } from './median';

/** The fake camera's frames per second in the bench: Chromium's default, not the e2e suite's lighter rate. */
const BENCH_CAMERA_FPS = 20;

export interface CallBenchResult {
  provider: Platform;
  consoleJoinToFirstRemoteFrameMs: number;
  /** The same, from when the call window's code ran (page loaded): what the window's own join costs. */
  consoleCodeToFirstRemoteFrameMs: number;
  bareClientJoinToFirstRemoteFrameMs: number;
  /** CPU time of the console's renderer processes / wall time, in % of one core. */
  consoleRendererCpuPercent: number;
  /** The call window's main-thread busy time / wall time, in %. */
  callWindowMainThreadPercent: number;
  sampleSeconds: number;
  /** Each run behind the figures above (bench/median.ts prints their median, min and max). */
  runs: { console: number[]; consoleFromCode: number[]; bare: number[]; ratio: number[]; cpu: number[]; mainThread: number[] };
  /** Pexip: this process's CPU (% of one core) in the 3-party call, without and with a guest's presentation. */
  sandboxCpu?: { withoutContent: number[]; withContent: number[] };
}

type Platform = 'janus' | 'pexip';

/** The 3-party call's CPU is sampled in RUNS windows of this length, one after the other. */
const SAMPLE_MS = 2_000;
/** Joins measured per provider and client; the figures are their medians. */
const RUNS = 5;

/** The call figures as a module of `npm run bench` (bench/run.ts). */
export const callBench: Bench = {
  name: 'call',
  async run(ctx) {
    const results = await runCallBench({ rendererDir: await ctx.rendererDir(), log: (line) => ctx.note(line) });
    return results.flatMap((r) => {
      const server = r.provider === 'pexip' ? 'Pexip' : 'Janus';
      const bare = r.provider === 'pexip' ? '@pexip/infinity page, Join pressed' : 'janus.js page, admitted';
      // Each figure carries its runs, so the harness runs this (long) module once.
      return [
        sampled(`${server}: console join to first remote frame (call window opened → first remote frame shown)`, r.runs.console, 'ms'),
        sampled(`${server}: console join from its code running (page loaded → first remote frame shown)`, r.runs.consoleFromCode, 'ms'),
        sampled(`${server}: bare client join to first remote frame (${bare} → first remote frame)`, r.runs.bare, 'ms'),
        // Run i's console join over run i's bare join (both the i-th of their series).
        sampled(`${server}: join ratio, console / bare client (target ≤ 1.0)`, r.runs.ratio, 'x'),
        sampled(`${server}: console renderer CPU, 3-party call (% of one core, ${r.sampleSeconds} s windows)`, r.runs.cpu, '%'),
        sampled(`${server}: call window main-thread busy time, 3-party call`, r.runs.mainThread, '%'),
        ...(r.sandboxCpu
          ? [
              sampled(`${server}: sandbox process CPU (the double's relay), 3-party call, no content (% of one core)`, r.sandboxCpu.withoutContent, '%'),
              sampled(`${server}: sandbox process CPU (the double's relay), 3-party call, a guest presenting (% of one core)`, r.sandboxCpu.withContent, '%'),
            ]
          : []),
      ];
    });
  },
};

export async function runCallBench(opts: { log?: (line: string) => void; rendererDir?: string } = {}): Promise<CallBenchResult[]> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stack = await startStack({ withJanus: true, withPexip: true });
  const cleanups: Array<() => Promise<unknown>> = [() => stack.stop()];
  try {
    const guests = await startGuestPage();
    cleanups.push(() => guests.stop());
    // Chromium's own fake-camera rate (20 fps), as every earlier figure was measured with.
    const guestBrowser = await chromium.launch(chromiumLaunchOptions({ cameraFps: BENCH_CAMERA_FPS }));
    cleanups.push(() => guestBrowser.close());

    // The console: its own Chromium and browser host, signed in once.
    const consoleBrowser = await chromium.launch(chromiumLaunchOptions({ trustSpki: stack.ca.serverSpkiSha256, cameraFps: BENCH_CAMERA_FPS }));
    cleanups.push(() => consoleBrowser.close());
    const host = await startHost(stack, opts.rendererDir);
    cleanups.push(() => host.stop());
    const context = await consoleBrowser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    await signIn(page, stack.idp.users[0]!);

    const results: CallBenchResult[] = [];
    for (const provider of ['janus', 'pexip'] as const) {
      const meeting = meetingOnNow(stack, provider);
      const info = stack.vdx.schedulingInfo(meeting.uuid);
      const pin = String(info.guestPin);
      const url = (name: string, role: string) =>
        provider === 'pexip'
          ? guests.pageUrl({ provider, node: stack.pexip!.url, alias: info.uriWithDomain, name, role })
          : guests.pageUrl({ provider, server: stack.janus!.wsUrl, guard: stack.guard!.url, room: info.provisionVmrId!, name, role });
      const join = async () => {
        const callPromise = context.waitForEvent('page', { predicate: (p) => p.url().includes('call.html') });
        await page.locator(`[data-meeting-id="${meeting.uuid}"]`).getByRole('button', { name: /^Join/ }).click();
        const call = await callPromise;
        // The device check, the first time: skipped from then on, so the measured join has none.
        const check = call.getByTestId('check-join');
        await check.or(call.getByTestId('call-state')).waitFor({ timeout: 30_000 });
        if (await check.isVisible()) {
          await call.getByTestId('check-skip').check();
          await check.click({ timeout: 30_000 });
        }
        await call.getByTestId('call-state').and(call.locator('[data-state="joined"]')).waitFor({ timeout: 30_000 });
        return call;
      };
      // Both servers hold guests in the lobby until the host admits them (Pexip: the console
      // locks the meeting as the host joins).
      const admit = async (call: Page, name: string) => {
        await call.getByTestId('waiting-guest').getByRole('button', { name: `Admit ${name}` }).click({ timeout: 30_000 });
      };

      // The host opens the meeting; guest A comes in and sends video.
      let call = await join();
      const guestA = await openGuest(guestBrowser, url('Bench Guest A', 'relative'), pin);
      await admit(call, 'Bench Guest A');
      await waitFor(() => guestA.evaluate(() => (globalThis as unknown as GuestWin).guestTimings.joinedAt !== undefined), 'guest A to join');
      // Guest B, the bare client measured, joins and waits for the first remote frame; RUNS
      // times, each a new guest (the last one stays for the console's joins and the CPU figure).
      const bareRuns: number[] = [];
      let guestB: Page | undefined;
      for (let run = 1; run <= RUNS; run++) {
        if (guestB) await guestB.context().close();
        const name = `Bench Guest B${run}`;
        guestB = await openGuest(guestBrowser, url(name, 'patient'), pin);
        await admit(call, name);
        const page = guestB;
        bareRuns.push(
          await waitFor(
            () =>
              page.evaluate(() => {
                const t = (globalThis as unknown as GuestWin).guestTimings;
                const from = t.admittedAt ?? t.joinPressedAt;
                return t.firstRemoteFrameAt !== undefined && from !== undefined ? t.firstRemoteFrameAt - from : undefined;
              }),
            'the bare client to show a remote frame',
          ),
        );
      }
      log(`call (${provider}): bare client join to first remote frame ${bareRuns.map((ms) => Math.round(ms)).join(', ')} ms`);

      // The host leaves (the meeting goes on) and joins again, RUNS times: measured with both guests in.
      const consoleRuns: number[] = [];
      /** The same joins from the moment the window's code ran (startAt): without opening the window and loading its page. */
      const consoleFromCodeRuns: number[] = [];
      for (let run = 1; run <= RUNS; run++) {
        const left = call.waitForEvent('close');
        await call.getByRole('button', { name: 'Leave call' }).click();
        await call.getByRole('button', { name: 'Leave', exact: true }).click();
        // The window stays for its end screen (issue 21) until it is closed.
        await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
        await left;
        call = await join();
        const page = call;
        const timings = await waitFor(
          () =>
            page.evaluate(() => {
              const t = (globalThis as unknown as { callTimings?: { startAt?: number; firstRemoteFrameAt?: number } }).callTimings;
              return t?.firstRemoteFrameAt !== undefined && t.startAt !== undefined ? { startAt: t.startAt, firstRemoteFrameAt: t.firstRemoteFrameAt } : undefined;
            }),
          'the call window to show a remote frame',
        ).catch(async (e) => {
          const alias = stack.vdx.schedulingInfo(meeting.uuid).uriWithDomain;
          log(`on failure: run ${run} state ${await page.getByTestId('call-state').getAttribute('data-state')} stage ${await page.getByTestId('stage').count()} frames ${await page.locator('[data-frames-decoded]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') + ':' + e.getAttribute('data-frames-decoded')).join(' '))}`);
          log(`on failure: timings ${JSON.stringify(await page.evaluate(() => (globalThis as unknown as { callTimings?: unknown }).callTimings))}`);
          if (provider === 'pexip') {
            log(`on failure: participants: ${JSON.stringify(stack.pexip!.participants(alias).map((p) => [p.displayName, p.role, p.serviceType, p.hasMedia, p.callType]))}`);
            log(`on failure: media: ${JSON.stringify(stack.pexip!.media(alias))}`);
          }
          throw e;
        });
        consoleRuns.push(timings.firstRemoteFrameAt);
        consoleFromCodeRuns.push(timings.firstRemoteFrameAt - timings.startAt);
      }
      log(`call (${provider}): console join to first remote frame ${consoleRuns.map((ms) => Math.round(ms)).join(', ')} ms`);
      const bareMs = percentile(bareRuns, 50);
      const consoleMs = percentile(consoleRuns, 50);
      const consoleFromCodeMs = percentile(consoleFromCodeRuns, 50);
      // Where the console's time goes (ms since the window opened), to know what to cut.
      const steps = await call.evaluate(() => {
        // (The bench is type-checked without the DOM library: the entry's field, by name.)
        const nav = (performance.getEntriesByType as (type: string) => Array<{ domContentLoadedEventEnd?: number }>)('navigation')[0];
        const t = (globalThis as unknown as { callTimings?: Record<string, number> }).callTimings ?? {};
        return { domContentLoaded: nav?.domContentLoadedEventEnd, ...t };
      });
      log(`call (${provider}): console steps ${Object.entries(steps).map(([k, v]) => `${k} ${Math.round(Number(v))}`).join(', ')}`);

      // 3-party call: console + two guests, the console decoding. Sample the console's CPU.
      await waitFor(
        async () =>
          (await call.locator('[data-testid="remote-tile"], [data-testid="stage"]').evaluateAll((ts) => ts.filter((t) => Number(t.getAttribute('data-frames-decoded')) > 0).length)) >=
            (provider === 'pexip' ? 1 : 2) || undefined,
        'the console to decode the guests',
      );
      const browserCdp = await consoleBrowser.newBrowserCDPSession();
      const pageCdp = await context.newCDPSession(call);
      await pageCdp.send('Performance.enable');
      const cpuRuns: number[] = [];
      const taskRuns: number[] = [];
      let wall = 0;
      for (let run = 0; run < RUNS; run++) {
        const cpu0 = await rendererCpuSeconds(browserCdp);
        const task0 = await taskDuration(pageCdp);
        const t0 = Date.now();
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
        wall = (Date.now() - t0) / 1000;
        cpuRuns.push(Number(((((await rendererCpuSeconds(browserCdp)) - cpu0) / wall) * 100).toFixed(1)));
        taskRuns.push(Number(((((await taskDuration(pageCdp)) - task0) / wall) * 100).toFixed(1)));
      }
      const cpu = percentile(cpuRuns, 50) / 100;
      const task = percentile(taskRuns, 50) / 100;
      log(`call (${provider}): console renderer CPU ${cpuRuns.join(', ')} % of one core per ${wall.toFixed(1)} s (3-party call)`);

      // Pexip: the double's relay, without and with content (guest A presents; the console
      // must be decoding the content tile before the second sampling starts).
      let sandboxCpu: CallBenchResult['sandboxCpu'];
      if (provider === 'pexip') {
        const withoutContent = await sampleProcessCpu();
        await guestA.getByRole('button', { name: 'Present' }).click();
        const tile = call.getByTestId('content-tile');
        await waitFor(async () => Number(await tile.getAttribute('data-frames-decoded', { timeout: 30_000 })) > 0 || undefined, 'the console to decode the content').catch(async (e) => {
          const alias = stack.vdx.schedulingInfo(meeting.uuid).uriWithDomain;
          log(`on failure: presenting: ${JSON.stringify(stack.pexip!.participants(alias).map((p) => [p.displayName, p.isPresenting, p.callType]))}`);
          log(`on failure: tiles: ${await tile.count()} ${await guestA.locator('#present').textContent()} ${await guestA.getByTestId('status').textContent()}`);
          log(`on failure: media: ${JSON.stringify(stack.pexip!.media(alias))}`);
          throw e;
        });
        const withContent = await sampleProcessCpu();
        await guestA.getByRole('button', { name: 'Stop presenting' }).click();
        await tile.waitFor({ state: 'detached', timeout: 30_000 });
        sandboxCpu = { withoutContent, withContent };
        log(`call (pexip): sandbox process CPU ${withoutContent.join(', ')} % without content, ${withContent.join(', ')} % with a guest presenting`);
      }
      results.push({
        provider,
        consoleJoinToFirstRemoteFrameMs: Math.round(consoleMs),
        consoleCodeToFirstRemoteFrameMs: Math.round(consoleFromCodeMs),
        bareClientJoinToFirstRemoteFrameMs: Math.round(bareMs),
        consoleRendererCpuPercent: Number((cpu * 100).toFixed(1)),
        callWindowMainThreadPercent: Number((task * 100).toFixed(1)),
        sampleSeconds: Number(wall.toFixed(1)),
        runs: {
          console: consoleRuns.map(Math.round),
          consoleFromCode: consoleFromCodeRuns.map(Math.round),
          bare: bareRuns.map(Math.round),
          ratio: consoleRuns.map((ms, i) => Number((ms / bareRuns[i]!).toFixed(2))),
          cpu: cpuRuns,
          mainThread: taskRuns,
        },
        ...(sandboxCpu ? { sandboxCpu } : {}),
      });

      // End for everyone, so the next provider's call starts alone.
      const ended = call.waitForEvent('close');
      await call.getByRole('button', { name: 'Leave call' }).click();
      await call.getByRole('button', { name: 'End for everyone' }).click();
      await call.getByTestId('end-screen').getByRole('button', { name: 'Close window' }).click();
      await ended;
      await guestA.context().close();
      await guestB!.context().close();
    }
    return results;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

interface GuestWin {
  guestTimings: { joinPressedAt?: number; admittedAt?: number; joinedAt?: number; firstRemoteFrameAt?: number };
}

function meetingOnNow(stack: Awaited<ReturnType<typeof startStack>>, provider: Platform): { uuid: string } {
  const open = stack.vdx.meetingsOn(localDay(new Date())).find((m) => {
    if (stack.vdx.platformOf(m.uuid) !== provider) return false;
    const info = stack.vdx.schedulingInfo(m.uuid);
    const joinOpensAt = new Date(Date.parse(m.startTime) - info.vmrAvailableBefore * 60_000).toISOString();
    return canJoin({ startTime: m.startTime, endTime: m.endTime, joinOpensAt, joinable: true }, new Date());
  });
  if (!open) throw new Error(`the sandbox has no meeting on ${provider} open for joining now`);
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
  const child: ChildProcess = spawn(join(process.cwd(), 'node_modules', '.bin', 'tsx'), ['host/main.ts'], {
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

/** This process's CPU (user + system) in RUNS windows of SAMPLE_MS, each as % of one core. */
async function sampleProcessCpu(): Promise<number[]> {
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    const used = process.cpuUsage(cpu0);
    const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
    runs.push(Number((((used.user + used.system) / wallUs) * 100).toFixed(1)));
  }
  return runs;
}

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
    .then((results) => {
      process.stdout.write(`${JSON.stringify({ call: results })}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`call bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
