/**
 * The browser host as a local attacker meets it: another user on the machine (who may run a
 * web server on another loopback port, and so receive what the clinician's browser sends to
 * loopback), or a web page the clinician has open (DNS rebinding, cross-site requests).
 * Every request is real, against the host process `npm start` runs (host/main.ts), from Node
 * (any headers) and from Chromium pages.
 */
import type { Browser, Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { consoleSettingsFor, type Stack } from '../stack/stack';
import { projectRoot } from '../support/electron';
import { meetingOnNow, openMeeting } from './call/call-steps';
import { browserHostTabs, expect, takeExternalOpens, test, type ConsoleApp } from './fixtures';
import { scriptedBrowser } from './scripted-browser';
import { signIn } from './steps';

interface Host {
  url: string;
  origin: string;
  port: number;
  control: string;
  stop(): Promise<void>;
}

const hosts: Host[] = [];
test.afterEach(async () => {
  for (const host of hosts.splice(0)) await host.stop();
});

async function startHost(env: Record<string, string>): Promise<Host> {
  const child: ChildProcess = spawn(join(projectRoot, 'node_modules', '.bin', 'tsx'), ['host/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`the host exited (${code})`)));
  });
  const { url, control } = JSON.parse(line) as { url: string; control: string };
  const origin = new URL(url).origin;
  const host: Host = {
    url,
    origin,
    port: Number(new URL(url).port),
    control,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    },
  };
  hosts.push(host);
  return host;
}

/** A raw request with exactly the headers given (fetch would fix the Host header). */
function raw(host: Host, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((ok, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${host.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

function profileEnv(stack: Parameters<typeof consoleSettingsFor>[0] & { ca: { caCertPath: string } }, policy?: Record<string, unknown>): Record<string, string> {
  const dir = mkdtempSync(test.info().outputPath('profile-'));
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(consoleSettingsFor(stack)));
  const env: Record<string, string> = {
    CLINICIAN_CONSOLE_CONFIG: join(dir, 'settings.json'),
    CLINICIAN_CONSOLE_USER_DATA: dir,
    NODE_EXTRA_CA_CERTS: stack.ca.caCertPath,
    CLINICIAN_CONSOLE_POLICY: '',
  };
  if (policy) {
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(policy));
    env.CLINICIAN_CONSOLE_POLICY = join(dir, 'policy.json');
  }
  return env;
}

/** The console in a fresh browser profile, on the host's printed address, as a spec's ConsoleApp. */
async function openConsole(browser: Browser, host: Host, stack: Stack, userDataDir = ''): Promise<ConsoleApp> {
  const context = await browser.newContext();
  await context.addInitScript(takeExternalOpens);
  const page = await context.newPage();
  await page.goto(host.url);
  return {
    kind: 'browser',
    page,
    userDataDir,
    pid: 0,
    ...browserHostTabs(context, page),
    scriptedBrowser: scriptedBrowser(stack.ca.caCertPath),
    openDeepLink: async () => undefined,
    close: async () => context.close(),
  };
}

/** The credential a console page's bridge holds (sessionStorage: this tab and this origin only). */
const credentialIn = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('clinician-host-window'));

/** Another local user's web server on another loopback port: what the clinician's browser sends it. */
async function otherLoopbackServer(): Promise<{ origin: string; received: Array<Record<string, string | string[] | undefined>>; close(): Promise<void> }> {
  const received: Array<Record<string, string | string[] | undefined>> = [];
  const server = createServer((req, res) => {
    received.push(req.headers);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>another user</title>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}

test('a foreign Host, a foreign Origin, no credential or a used launch secret get nothing', async ({ stack }) => {
  const host = await startHost(profileEnv(stack));
  const secret = new URL(host.url).hash.replace('#k=', '');
  expect(secret.length).toBeGreaterThanOrEqual(40);

  // DNS rebinding: a page on rebind.example that resolves to 127.0.0.1 sends its own name.
  expect((await raw(host, { path: '/', headers: { host: 'rebind.example' } })).status).toBe(403);
  expect((await raw(host, { path: '/', headers: { host: `localhost:${host.port}` } })).status).toBe(403);

  // The page itself is served, and carries no credential of any kind.
  const page = await raw(host, { path: '/' });
  expect(page.status).toBe(200);
  expect(page.body).not.toContain(secret);
  expect(page.body).not.toMatch(/data-token|x-host-token/);
  expect(page.headers['set-cookie']).toBeUndefined();

  // No credential: the bridge and the event stream answer 401, and no window credential is minted.
  const invoke = { method: 'POST', path: '/__host/invoke', headers: { origin: host.origin, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'app.info', request: {} }) };
  expect((await raw(host, invoke)).status).toBe(401);
  expect((await raw(host, { path: '/__host/events' })).status).toBe(401);
  expect((await raw(host, { method: 'POST', path: '/__host/window', headers: { origin: host.origin }, body: '{}' })).status).toBe(403);

  // Another site's page cannot even try the secret (Origin), and the deep-link stand-in wants
  // the starter's credential and no page at all.
  const exchange = (origin: string) =>
    raw(host, { method: 'POST', path: '/__host/session', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ secret }) });
  expect((await exchange('http://evil.example')).status).toBe(403);
  expect((await raw(host, { method: 'POST', path: '/__host/deeplink', body: 'clinician-console://x' })).status).toBe(401);
  expect((await raw(host, { method: 'POST', path: '/__host/deeplink', headers: { origin: host.origin, authorization: `Bearer ${host.control}` }, body: 'x' })).status).toBe(401);

  // The secret buys the main window's credential, once, in the answer's body: no cookie.
  const first = await exchange(host.origin);
  expect(first.status).toBe(200);
  expect(first.headers['set-cookie']).toBeUndefined();
  expect((await exchange(host.origin)).status).toBe(403);

  // With the credential but a foreign Origin, nothing changes state.
  const mainCredential = (JSON.parse(first.body) as { credential: string }).credential;
  const call = (credential: string, channel: string, origin = host.origin) =>
    raw(host, {
      method: 'POST',
      path: '/__host/invoke',
      headers: { origin, 'x-window-credential': credential, 'content-type': 'application/json' },
      body: JSON.stringify({ channel, request: {} }),
    });
  expect((await call(mainCredential, 'app.info', 'http://evil.example')).status).toBe(403);
  expect(JSON.parse((await call(mainCredential, 'app.info')).body)).toMatchObject({ ok: true });

  // The window's kind is the server's: a main window's credential cannot use a call window's
  // channel, and no credential means no window at all.
  expect(JSON.parse((await call(mainCredential, 'call.ticket')).body)).toEqual({ ok: false, error: { code: 'forbidden', params: { channel: 'call.ticket' } } });
  expect((await call('made-up', 'app.info')).status).toBe(401);
  // The credential counts in its header only, not as a cookie or in the address.
  expect((await raw(host, { ...invoke, headers: { ...invoke.headers, cookie: `cc_host_${host.port}=${mainCredential}` } })).status).toBe(401);
  expect((await raw(host, { path: `/__host/events?w=${mainCredential}` })).status).toBe(401);
  // A call window's credential needs a ticket main put in the call window's address.
  expect((await raw(host, { method: 'POST', path: '/__host/window', headers: { origin: host.origin }, body: JSON.stringify({ ticket: 'guessed' }) })).status).toBe(403);
});

test('what the clinician\'s browser sends to another loopback port opens nothing on the host', async ({ stack, browser }) => {
  const host = await startHost(profileEnv(stack, { allowBasicTextSecretStorage: true }));
  const app = await openConsole(browser, host, stack);
  await signIn(app, stack.idp.users[0]!);
  const credential = await credentialIn(app.page);
  expect(credential).toBeTruthy();

  // Another local user's page on another port, visited in the same browser, and a fetch
  // from it to itself: it receives whatever the browser sends to loopback on its own.
  const other = await otherLoopbackServer();
  try {
    const visit = await app.page.context().newPage();
    await visit.goto(`${other.origin}/`);
    await visit.evaluate(async (url) => void (await fetch(url, { credentials: 'include' })), `${other.origin}/probe`);
    expect(other.received.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(other.received)).not.toContain(credential!);
    const cookie = other.received.map((headers) => headers.cookie).find((value) => value !== undefined);

    // Replayed from outside any browser, with the Host and Origin a page could never forge:
    // every route that carries state refuses.
    const forged = { origin: host.origin, 'content-type': 'application/json', ...(cookie ? { cookie: String(cookie) } : {}) };
    const post = (path: string, body: unknown) => raw(host, { method: 'POST', path, headers: forged, body: JSON.stringify(body) });
    expect((await post('/__host/window', {})).status).toBe(403);
    expect((await post('/__host/window', { ticket: 'guessed' })).status).toBe(403);
    expect((await post('/__host/session', {})).status).toBe(403);
    expect((await post('/__host/invoke', { channel: 'meetings.day', request: {} })).status).toBe(401);
    expect((await post('/__host/invoke', { channel: 'call.prepare', request: {} })).status).toBe(401);
    expect((await raw(host, { path: '/__host/events', headers: forged })).status).toBe(401);
    expect((await raw(host, { method: 'POST', path: '/__host/deeplink', headers: { ...forged, origin: '' }, body: 'clinician-console://x' })).status).toBe(401);
    // The static files are the same for everyone: whatever is sent along, they carry no state.
    for (const path of ['/', '/call.html', '/__host/bridge.js']) {
      const withCookie = await raw(host, { path, headers: forged });
      const without = await raw(host, { path });
      expect(withCookie.status, path).toBe(200);
      expect(withCookie.body, path).toBe(without.body);
      expect(withCookie.headers['set-cookie'], path).toBeUndefined();
      expect(withCookie.body, path).not.toContain(credential!);
    }
  } finally {
    await other.close();
  }

  // The console itself still works with the credential only its tab holds.
  await app.page.reload();
  await expect(app.page.getByTestId('account-name')).toBeVisible();
  await app.close();
});

test('the main window keeps its credential over a reload; no other tab or browser gets one', async ({ stack, browser }) => {
  const host = await startHost(profileEnv(stack, { allowBasicTextSecretStorage: true }));
  const app = await openConsole(browser, host, stack);
  // The launch secret leaves the address bar once used.
  await expect(app.page).toHaveURL(`${host.origin}/`);
  await signIn(app, stack.idp.users[0]!);
  await app.page.reload();
  await expect(app.page.getByTestId('account-name')).toBeVisible();

  const unreachable = { ok: false, error: { code: 'host-unreachable' } };
  const invokeIn = (page: Page) =>
    page.evaluate(async () => (globalThis as unknown as { clinician: { invoke(c: string, r: unknown): Promise<unknown> } }).clinician.invoke('auth.state', {}));

  // A new tab of the same browser on the bare address: the credential is that tab's, not the browser's.
  const tab = await app.page.context().newPage();
  await tab.goto(`${host.origin}/`);
  expect(await invokeIn(tab)).toEqual(unreachable);
  await expect(tab.getByTestId('account-name')).toHaveCount(0);

  // Another browser (another local user, a page elsewhere) opening the printed address gets nothing.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(host.url);
  await expect(stranger.getByRole('button', { name: 'Sign in' }).or(stranger.getByText(/console service is not running/))).toBeVisible();
  expect(await invokeIn(stranger)).toEqual(unreachable);
  await stranger.context().close();
  await app.close();
});

test('ending a call revokes its window\'s credential and closes its event stream; the next call gets a new one', async ({ stack, browser }) => {
  const host = await startHost(profileEnv(stack, { allowBasicTextSecretStorage: true }));
  const app = await openConsole(browser, host, stack);
  await signIn(app, stack.idp.users[0]!);
  const mainCredential = await credentialIn(app.page);
  const meeting = meetingOnNow(stack);

  const call = await openMeeting(app, meeting);
  // The window's bridge has redeemed its ticket once its screen asks the host for anything.
  await expect(call.getByTestId('check-join').or(call.getByTestId('call-state'))).toBeVisible({ timeout: 30_000 });
  const callCredential = await credentialIn(call);
  expect(callCredential).toBeTruthy();
  expect(callCredential).not.toBe(mainCredential);

  // Whoever holds the call window's credential has an event stream of their own.
  const stream = openStream(host, callCredential!);
  await stream.connected;

  // Leave, then the end screen's Close, as the buttons do: main closes the window, and the stream with it.
  const closed = call.waitForEvent('close');
  void call
    .evaluate(async () => {
      const bridge = (globalThis as unknown as { clinician: { invoke(c: string, r: unknown): Promise<unknown> } }).clinician;
      await bridge.invoke('call.leave', {});
      await bridge.invoke('call.close', {});
    })
    .catch(() => undefined);
  await closed;
  await stream.ended;
  const reopened = await raw(host, { path: '/__host/events', headers: { 'x-window-credential': callCredential! } });
  expect(reopened.status).toBe(401);

  // The next call's window has a credential of its own (the ended stream hears none of it).
  const next = await openMeeting(app, meeting);
  await expect(next.getByTestId('check-join').or(next.getByTestId('call-state'))).toBeVisible({ timeout: 30_000 });
  const nextCredential = await credentialIn(next);
  expect(nextCredential).toBeTruthy();
  expect(nextCredential).not.toBe(callCredential);
  await app.close();
});

/** An event stream opened from outside the browser with a window credential: when it is open, when the host ends it. */
function openStream(host: Host, credential: string): { connected: Promise<void>; ended: Promise<void> } {
  let connect!: () => void;
  const connected = new Promise<void>((ok) => (connect = ok));
  const ended = new Promise<void>((ok, fail) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: host.port, path: '/__host/events', headers: { host: `127.0.0.1:${host.port}`, 'x-window-credential': credential } },
      (res) => {
        if (res.statusCode !== 200) return fail(new Error(`the event stream answered ${res.statusCode}`));
        res.setEncoding('utf8');
        res.on('data', connect);
        res.on('end', ok);
      },
    );
    req.on('error', fail);
    req.end();
  });
  return { connected, ended };
}

test('without an OS keyring and without policy allowing plain storage, nothing secret is kept on disk: the next start asks to sign in', async ({ stack, browser }) => {
  const env = profileEnv(stack);
  for (const round of [1, 2]) {
    const host = await startHost(env);
    const app = await openConsole(browser, host, stack, env.CLINICIAN_CONSOLE_USER_DATA!);
    // Each start begins signed out: the previous run's sign-in was kept in memory only.
    await expect(app.page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await signIn(app, stack.idp.users[0]!);
    await expect(app.page.getByTestId('meeting').first()).toBeVisible();
    await app.close();
    await host.stop();
    hosts.splice(hosts.indexOf(host), 1);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(env.CLINICIAN_CONSOLE_USER_DATA!, 'auth', 'token-cache.bin')), `round ${round}: no token cache on disk`).toBe(false);
    expect(existsSync(join(env.CLINICIAN_CONSOLE_USER_DATA!, 'host-secret.key')), `round ${round}: no key file`).toBe(false);
  }
});
