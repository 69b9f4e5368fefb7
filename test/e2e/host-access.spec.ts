/**
 * The browser host as a local attacker meets it: another user on the machine, or a web page
 * the clinician has open (DNS rebinding, cross-site requests). Every request is real, against
 * the host process `npm start` runs (host/main.ts), from Node (no cookies, any headers) and
 * from Chromium pages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request as httpRequest } from 'node:http';
import { consoleSettingsFor } from '../stack/stack';
import { projectRoot } from '../support/electron';
import { expect, test } from './fixtures';
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

test('a foreign Host, a foreign Origin, a missing cookie or a used launch secret get nothing', async ({ stack }) => {
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

  // No cookie: the bridge and the event stream answer 401.
  const invoke = { method: 'POST', path: '/__host/invoke', headers: { origin: host.origin, 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'app.info', request: {} }) };
  expect((await raw(host, invoke)).status).toBe(401);
  expect((await raw(host, { path: '/__host/events?w=x' })).status).toBe(401);
  expect((await raw(host, { method: 'POST', path: '/__host/window', headers: { origin: host.origin }, body: '{}' })).status).toBe(401);

  // Another site's page cannot even try the secret (Origin), and the deep-link stand-in wants
  // the starter's credential and no page at all.
  const exchange = (origin: string) =>
    raw(host, { method: 'POST', path: '/__host/session', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ secret }) });
  expect((await exchange('http://evil.example')).status).toBe(403);
  expect((await raw(host, { method: 'POST', path: '/__host/deeplink', body: 'clinician-console://x' })).status).toBe(401);
  expect((await raw(host, { method: 'POST', path: '/__host/deeplink', headers: { origin: host.origin, authorization: `Bearer ${host.control}` }, body: 'x' })).status).toBe(401);

  // The secret buys one session, once: an HttpOnly, SameSite=Strict cookie.
  const first = await exchange(host.origin);
  expect(first.status).toBe(200);
  const cookie = String(first.headers['set-cookie']);
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  expect((await exchange(host.origin)).status).toBe(403);

  // With the cookie but a foreign Origin, nothing changes state.
  const session = cookie.split(';')[0]!;
  const mainCredential = (JSON.parse(first.body) as { credential: string }).credential;
  const call = (credential: string, channel: string, origin = host.origin) =>
    raw(host, {
      method: 'POST',
      path: '/__host/invoke',
      headers: { origin, cookie: session, 'x-window-credential': credential, 'content-type': 'application/json' },
      body: JSON.stringify({ channel, request: {} }),
    });
  expect((await call(mainCredential, 'app.info', 'http://evil.example')).status).toBe(403);
  expect(JSON.parse((await call(mainCredential, 'app.info')).body)).toMatchObject({ ok: true });

  // The window's kind is the server's: a main window's credential cannot use a call window's
  // channel, and no credential means no window at all.
  expect(JSON.parse((await call(mainCredential, 'call.ticket')).body)).toEqual({ ok: false, error: { code: 'forbidden', params: { channel: 'call.ticket' } } });
  expect((await call('made-up', 'app.info')).status).toBe(403);
  // A call window's credential needs a ticket main put in the call window's address.
  expect((await raw(host, { method: 'POST', path: '/__host/window', headers: { origin: host.origin, cookie: session }, body: JSON.stringify({ ticket: 'guessed' }) })).status).toBe(403);
});

test('the call window gets a credential of its own through its one-time ticket; a reload keeps it', async ({ stack, browser }) => {
  const host = await startHost(profileEnv(stack, { allowBasicTextSecretStorage: true }));
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(host.url);
  // The launch secret leaves the address bar once used.
  await expect(page).toHaveURL(`${host.origin}/`);
  const app = {
    kind: 'browser' as const,
    page,
    userDataDir: '',
    pid: 0,
    waitForExternalPage: () => context.waitForEvent('page'),
    waitForCallWindow: () => context.waitForEvent('page', { predicate: (p) => p.url().includes('call.html') }),
    openDeepLink: async () => undefined,
    close: async () => context.close(),
  };
  await signIn(app, stack.idp.users[0]!);
  await page.reload();
  await expect(page.getByTestId('account-name')).toBeVisible();

  // Another browser (another local user, a page elsewhere) opening the printed address gets nothing.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(host.url);
  await expect(stranger.getByRole('button', { name: 'Sign in' }).or(stranger.getByText(/console service is not running/))).toBeVisible();
  expect(await stranger.evaluate(async () => (await (globalThis as unknown as { clinician: { invoke(c: string, r: unknown): Promise<unknown> } }).clinician.invoke('auth.state', {})))).toEqual({
    ok: false,
    error: { code: 'host-unreachable' },
  });
  await stranger.context().close();
  await context.close();
});

test('without an OS keyring and without policy allowing plain storage, nothing secret is kept on disk: the next start asks to sign in', async ({ stack, browser }) => {
  const env = profileEnv(stack);
  for (const round of [1, 2]) {
    const host = await startHost(env);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    const app = {
      kind: 'browser' as const,
      page,
      userDataDir: env.CLINICIAN_CONSOLE_USER_DATA!,
      pid: 0,
      waitForExternalPage: () => context.waitForEvent('page'),
      waitForCallWindow: () => context.waitForEvent('page', { predicate: (p) => p.url().includes('call.html') }),
      openDeepLink: async () => undefined,
      close: async () => context.close(),
    };
    // Each start begins signed out: the previous run's sign-in was kept in memory only.
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await signIn(app, stack.idp.users[0]!);
    await expect(page.getByTestId('meeting').first()).toBeVisible();
    await context.close();
    await host.stop();
    hosts.splice(hosts.indexOf(host), 1);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(env.CLINICIAN_CONSOLE_USER_DATA!, 'auth', 'token-cache.bin')), `round ${round}: no token cache on disk`).toBe(false);
    expect(existsSync(join(env.CLINICIAN_CONSOLE_USER_DATA!, 'host-secret.key')), `round ${round}: no key file`).toBe(false);
  }
});
