/**
 * Sign-out on a shared workstation, with the console's real auth module (real MSAL), the real
 * test IdP and a real Chromium profile as the system browser behind the real openExternal
 * guard: the provider's session is ended at its end_session_endpoint, the next sign-in asks
 * for an account, and nothing of the first person's is used for the second.
 *
 * TLS: this fork started before the run's CA existed, so the console's fetch is one that
 * trusts exactly that CA (what NODE_EXTRA_CA_CERTS does for the app).
 */
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '../../../main/auth/msal-auth';
import type { SecretBox } from '../../../main/core/ports';
import { createLogger } from '../../../main/log/logger';
import { allowedOriginsFrom, createExternalOpener } from '../../../main/platform/open-external';
import { parseSettings } from '../../../main/settings/settings';
import { createTestCa, trustingFetch, type TestCa } from '../../stack/ca';
import { startIdp, type IdpHandle } from '../../stack/idp';
import { chromiumLaunchOptions } from '../../support/chromium';

let dir: string;
let ca: TestCa;
let idp: IdpHandle;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sign-out-test-'));
  ca = await createTestCa(dir);
  idp = await startIdp({ tls: ca });
  browser = await chromium.launch(chromiumLaunchOptions({ trustSpki: ca.serverSpkiSha256 }));
});

afterAll(async () => {
  await browser?.close();
  await idp?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Not the OS's encryption (none here); the token cache's protection is not under test. */
const plainBox: SecretBox = {
  isAvailable: () => true,
  encryptString: (plain) => Buffer.from(plain, 'utf8'),
  decryptString: (encrypted) => encrypted.toString('utf8'),
};

interface Workstation {
  auth: Auth;
  /** The shared system browser: one profile, so the IdP's session cookie outlives a tab. */
  browser: BrowserContext;
  /** Every URL the console had the system browser open, in order. */
  opened: string[];
  /** The tab each opened URL got, in order. */
  tabs: Page[];
  /** The `cache` option of every request the console's fetch made. */
  cacheModes: Array<string | undefined>;
  logLines: string[];
  cachePath: string;
}

const workstations: Workstation[] = [];
afterEach(async () => {
  for (const w of workstations.splice(0)) await w.browser.close();
});

async function workstation(): Promise<Workstation> {
  const context = await browser.newContext();
  const opened: string[] = [];
  const tabs: Page[] = [];
  const cacheModes: Array<string | undefined> = [];
  const logLines: string[] = [];
  const log = createLogger([(line) => logLines.push(line)], 'test', 'debug');
  const settings = parseSettings(
    {
      authority: idp.issuer,
      protocolMode: 'OIDC',
      knownAuthorities: [idp.knownAuthority],
      clientId: idp.clientId,
      scopes: [idp.apiScope],
      signInTimeoutSeconds: 60,
    },
    'test',
  );
  const external = createExternalOpener({
    open: async (url) => {
      opened.push(url);
      const tab = await context.newPage();
      tabs.push(tab);
      // Not awaited, like a real system browser: the console only asks for it to open.
      void tab.goto(url).catch(() => undefined);
    },
    allowedOrigins: allowedOriginsFrom(settings),
    log,
  });
  const trusting = trustingFetch(ca.caCertPem);
  const cachePath = path.join(await mkdtemp(path.join(dir, 'profile-')), 'auth', 'token-cache.bin');
  const auth = createAuth({
    settings,
    secretBox: plainBox,
    openExternal: external.open,
    cachePath,
    fetch: ((input: string, init?: Parameters<typeof trusting>[1] & { cache?: string }) => {
      cacheModes.push(init?.cache);
      return trusting(input, init);
    }) as unknown as typeof fetch,
    log,
  });
  const w = { auth, browser: context, opened, tabs, cacheModes, logLines, cachePath };
  workstations.push(w);
  return w;
}

/** The sign-in tab the console opened last (the IdP's page), once it shows something. */
function lastTab(w: Workstation): Page {
  const tab = w.tabs.at(-1);
  if (!tab) throw new Error('the console opened no browser tab');
  return tab;
}

async function waitForTab(w: Workstation, count: number): Promise<Page> {
  // The first sign-in also reads the IdP's metadata and checks the registration first.
  await expect.poll(() => w.tabs.length, { timeout: 20_000 }).toBe(count);
  return lastTab(w);
}

async function fillForm(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const clinician = () => idp.users[0]!;
const nurse = () => idp.users[1]!;

/** A first sign-in on this workstation: the IdP's form (no session to pick from yet). */
async function signInWithForm(w: Workstation, who: { username: string; password: string }): Promise<void> {
  const tabs = w.tabs.length;
  const signingIn = w.auth.signIn();
  const page = await waitForTab(w, tabs + 1);
  await fillForm(page, who);
  await signingIn;
}

describe('sign-out on a shared workstation', () => {
  it("opens the IdP's end-session page with client_id only; confirmed there, the IdP's session is gone", async () => {
    const w = await workstation();
    await signInWithForm(w, clinician());
    expect(await w.auth.currentAccount()).toMatchObject({ username: clinician().username });
    expect(existsSync(w.cachePath)).toBe(true);
    const sessions = idp.signedInSessions(clinician().username);
    const requests = idp.endSessionRequests.length;

    await w.auth.signOut();
    expect(await w.auth.state()).toEqual({ status: 'signed-out' });
    expect(existsSync(w.cachePath), 'token cache removed').toBe(false);

    // The second URL the console opened is the provider's end_session_endpoint from discovery.
    expect(w.opened).toHaveLength(2);
    const endSession = new URL(w.opened[1]!);
    expect(`${endSession.origin}${endSession.pathname}`).toBe(`${idp.issuer}session/end`);
    expect([...endSession.searchParams.keys()]).toEqual(['client_id']);
    expect(endSession.searchParams.get('client_id')).toBe(idp.clientId);

    const page = lastTab(w);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'You signed out of your account' }).waitFor();
    expect(idp.signedInSessions(clinician().username)).toBe(sessions - 1);
    expect(idp.endSessionRequests.slice(requests)).toEqual([
      expect.objectContaining({ clientId: idp.clientId, idTokenHint: false, postLogoutRedirectUri: false, status: 200 }),
    ]);

    // Neither the sign-out URL nor any name or token reached the log.
    const log = w.logLines.join('\n');
    expect(log).toContain("opened the sign-in service's sign-out page");
    expect(log).not.toContain('session/end');
    expect(log).not.toContain(clinician().name);
    for (const t of idp.issuedTokens) expect(log).not.toContain(t.accessToken);
  });

  it('asks for an account at every interactive sign-in: the next person picks "Use another account" and never gets the previous one', async () => {
    const w = await workstation();
    await signInWithForm(w, clinician());
    const authorize = new URL(w.opened[0]!);
    expect(authorize.searchParams.get('prompt')).toBe('select_account');

    // The clinician signs out and leaves the IdP's "Sign out?" page unanswered.
    await w.auth.signOut();
    expect(w.opened).toHaveLength(2);
    const sessions = idp.signedInSessions(clinician().username);
    expect(sessions).toBeGreaterThan(0);

    // The nurse's sign-in: the picker shows the clinician's browser session; nobody is signed
    // in until the nurse has chosen.
    const signingIn = w.auth.signIn();
    const page = await waitForTab(w, 3);
    expect(new URL(w.opened[2]!).searchParams.get('prompt')).toBe('select_account');
    await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
    expect(await page.getByRole('list', { name: 'Accounts' }).textContent()).toContain(clinician().username);
    expect(await w.auth.currentAccount()).toBeNull();
    await page.getByRole('button', { name: 'Use another account' }).click();
    await fillForm(page, nurse());
    const account = await signingIn;

    expect(account).toEqual({ name: nurse().name, username: nurse().username });
    expect(await w.auth.currentAccount()).toEqual(account);
    // The token the console now holds is the nurse's.
    const token = await w.auth.getAccessToken();
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { preferred_username?: string };
    expect(payload.preferred_username).toBe(nurse().username);
    // Another account in the same browser replaced the clinician's IdP session.
    expect(idp.signedInSessions(clinician().username)).toBe(sessions - 1);
  });

  it('sends every token and discovery request with cache: no-store', async () => {
    const w = await workstation();
    await signInWithForm(w, clinician());
    await w.auth.getAccessToken({ forceRefresh: true });
    await w.auth.signOut();
    expect(w.cacheModes.length).toBeGreaterThan(2);
    expect(new Set(w.cacheModes)).toEqual(new Set(['no-store']));
  });

  it('signs out locally even when the IdP cannot be reached, and says so in the log without any address', async () => {
    const w = await workstation();
    await signInWithForm(w, clinician());
    await idp.setDown(true);
    try {
      await w.auth.signOut();
    } finally {
      await idp.setDown(false);
    }
    expect(await w.auth.state()).toEqual({ status: 'signed-out' });
    expect(existsSync(w.cachePath)).toBe(false);
    expect(w.opened, 'no end-session page without its address').toHaveLength(1);
    const log = w.logLines.join('\n');
    expect(log).toContain("the sign-in service's session was not ended: no discovery document (unreachable)");
    expect(log).not.toContain('127.0.0.1');
  });

  it('opens nothing when nobody was signed in', async () => {
    const w = await workstation();
    await w.auth.signOut();
    expect(await w.auth.state()).toEqual({ status: 'signed-out' });
    expect(w.opened).toEqual([]);
  });
});
