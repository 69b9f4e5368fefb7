// Proves the local identity provider behaves like Entra ID for a desktop public client,
// using the real @azure/msal-node and a real (headless) Chromium on the real sign-in page.
//
// TLS trust: MSAL's default network client is global fetch, which only learns extra CAs
// from NODE_EXTRA_CA_CERTS at process start. This vitest fork started before the per-run
// CA existed, so MSAL gets `system.networkClient` built on node:https with exactly that
// CA (createMsalNetworkClient). The app itself keeps MSAL's default client and gets
// NODE_EXTRA_CA_CERTS; the last test proves that path with a fresh Node process.
// Chromium is told to accept exactly the IdP's server key (--ignore-certificate-errors-spki-list),
// not to ignore certificate errors in general.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  InteractionRequiredAuthError,
  ProtocolMode,
  PublicClientApplication,
  type AuthenticationResult,
  type InteractiveRequest,
} from '@azure/msal-node';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestCa, trustingFetch, type TestCa } from '../../stack/ca';
import { createMsalNetworkClient, startIdp, type IdpHandle } from '../../stack/idp';

const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SUCCESS_PAGE = 'Signed in. You can close this window.';
const ERROR_PAGE = 'Sign-in failed. You can close this window.';
const ACCESS_TOKEN_TTL = 60; // the short lifetime later tests of token renewal rely on

let dir: string;
let ca: TestCa;
let idp: IdpHandle;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'idp-test-'));
  ca = await createTestCa(dir);
  idp = await startIdp({ tls: ca, accessTokenTtlSeconds: ACCESS_TOKEN_TTL });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS, `--ignore-certificate-errors-spki-list=${ca.serverSpkiSha256}`],
  });
});

afterAll(async () => {
  await browser?.close();
  await idp?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function newPca(): PublicClientApplication {
  return new PublicClientApplication({
    auth: { clientId: idp.clientId, authority: idp.issuer, knownAuthorities: [idp.knownAuthority] },
    system: { protocolMode: ProtocolMode.OIDC, networkClient: createMsalNetworkClient(ca.caCertPem) },
  });
}

function user(name: 'clinician' | 'nurse') {
  const u = idp.users.find((x) => x.username.startsWith(name === 'clinician' ? 'dr.' : 'nurse.'));
  if (!u) throw new Error(`no demo ${name}`);
  return u;
}

/**
 * Runs acquireTokenInteractive with a browser page as the "system browser". `drive` acts
 * on the sign-in page like a person; JavaScript is off to prove the pages work without it.
 */
async function interactive(
  pca: PublicClientApplication,
  drive: (page: Page) => Promise<void>,
  extra: Pick<InteractiveRequest, 'prompt' | 'loginHint'> = {},
  /** A browser profile to reuse (its IdP session cookie with it); default a new one. */
  reuse?: BrowserContext,
): Promise<{ result: Promise<AuthenticationResult>; page: Page; context: BrowserContext }> {
  const context = reuse ?? (await browser.newContext({ javaScriptEnabled: false }));
  const page = await context.newPage();
  let driveDone!: (v: void) => void;
  let driveFailed!: (e: unknown) => void;
  const driving = new Promise<void>((resolve, reject) => {
    driveDone = resolve;
    driveFailed = reject;
  });
  // Once MSAL has settled, a drive cut short by closing the page is not a failure.
  driving.catch(() => undefined);
  const acquired = pca.acquireTokenInteractive({
    ...extra,
    scopes: [idp.apiScope],
    successTemplate: SUCCESS_PAGE,
    errorTemplate: ERROR_PAGE,
    openBrowser: async (url) => {
      // Not awaited: MSAL only needs the browser started, like a real system browser.
      page.goto(url).then(() => drive(page)).then(driveDone, driveFailed);
    },
  });
  // A failing drive must fail the test at once instead of leaving MSAL waiting forever.
  const result = Promise.all([acquired, driving]).then(([r]) => r);
  return { result, page, context };
}

async function fillAndSubmit(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** oidc-provider answers with form_post (MSAL demands it); without JS a person clicks Continue. */
async function continueToApp(page: Page, expectedText: string) {
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText(expectedText).waitFor();
}

async function signIn(pca: PublicClientApplication, who: 'clinician' | 'nurse') {
  const u = user(who);
  const { result, context } = await interactive(pca, async (page) => {
    await fillAndSubmit(page, u.username, u.password);
    await continueToApp(page, SUCCESS_PAGE);
  });
  try {
    return await result;
  } finally {
    await context.close();
  }
}

async function jwks(): Promise<ReturnType<typeof createLocalJWKSet>> {
  const res = await trustingFetch(ca.caCertPem)(idp.jwksUri);
  return createLocalJWKSet((await res.json()) as JSONWebKeySet);
}

describe('local identity provider (Entra stand-in)', () => {
  it('publishes discovery at the MSAL authority and requires PKCE', async () => {
    const f = trustingFetch(ca.caCertPem);
    const disc = (await (await f(`${idp.issuer}.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(disc.issuer).toBe(idp.issuer);
    expect(disc.jwks_uri).toBe(idp.jwksUri);
    expect(disc.code_challenge_methods_supported).toContain('S256');

    // An authorization request without code_challenge is refused back to the redirect URI.
    const q = new URLSearchParams({
      client_id: idp.clientId,
      redirect_uri: 'http://localhost:1',
      response_type: 'code',
      scope: `openid ${idp.apiScope}`,
    });
    const res = await f(`${idp.issuer}auth?${q}`);
    expect(res.status).toBe(303);
    const loc = new URL(res.headers.get('location') ?? '');
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('signs a clinician in through the form and issues an API access token, an account and a refresh token', async () => {
    const pca = newPca();
    const first = await signIn(pca, 'clinician');

    expect(first.account?.username).toBe('dr.demo@example.org');
    expect(first.account?.name).toBe('Dr. Demo Clinician');
    expect(first.idTokenClaims).toMatchObject({ tid: expect.any(String), oid: expect.any(String) });

    const { payload, protectedHeader } = await jwtVerify(first.accessToken, await jwks(), {
      issuer: idp.issuer,
      audience: idp.resource,
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(String(payload.scope).split(' ')).toContain(idp.apiScope);
    expect(payload.scp).toBe('meetings.read');
    expect(payload.roles).toEqual(['meeting-planner']);
    expect(payload.preferred_username).toBe('dr.demo@example.org');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(ACCESS_TOKEN_TTL);

    // A refresh token exists: forcing a refresh goes to the token endpoint and succeeds.
    const account = first.account!;
    const refreshed = await pca.acquireTokenSilent({ account, scopes: [idp.apiScope], forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(decodeJwt(refreshed.accessToken).aud).toBe(idp.resource);

    // The directly minted token has the same claim names as the token endpoint's.
    const minted = await idp.mintAccessToken('dr.demo@example.org');
    const mintedPayload = (await jwtVerify(minted, await jwks(), { issuer: idp.issuer, audience: idp.resource })).payload;
    expect(Object.keys(mintedPayload).sort()).toEqual(Object.keys(payload).sort());
    expect(mintedPayload.scope).toBe(payload.scope);

    // After revocation, silent renewal fails the way MSAL reports it for Entra.
    await idp.revokeRefreshTokens('dr.demo@example.org');
    await expect(
      pca.acquireTokenSilent({ account, scopes: [idp.apiScope], forceRefresh: true }),
    ).rejects.toBeInstanceOf(InteractionRequiredAuthError);
  });

  it('re-shows the form with an error on a wrong password, then accepts the right one', async () => {
    const pca = newPca();
    const nurse = user('nurse');
    let errorText = '';
    let keptUsername = '';
    let passwordAfter = 'not read';
    const { result, context } = await interactive(pca, async (page) => {
      await fillAndSubmit(page, nurse.username, 'not-the-password');
      errorText = (await page.getByRole('alert').textContent()) ?? '';
      keptUsername = await page.getByLabel('Username').inputValue();
      passwordAfter = await page.getByLabel('Password').inputValue();
      await fillAndSubmit(page, nurse.username, nurse.password);
      await continueToApp(page, SUCCESS_PAGE);
    });
    try {
      const r = await result;
      expect(r.account?.username).toBe(nurse.username);
      expect(r.account?.name).toBe(nurse.name);
    } finally {
      await context.close();
    }
    expect(errorText).toBe('Incorrect username or password.');
    expect(keptUsername).toBe(nurse.username);
    expect(passwordAfter).toBe('');
  });

  it("accepts Entra's prompt=select_account and still issues a refresh token", async () => {
    const pca = newPca();
    const clinician = user('clinician');
    const { result, context } = await interactive(
      pca,
      async (page) => {
        await fillAndSubmit(page, clinician.username, clinician.password);
        await continueToApp(page, SUCCESS_PAGE);
      },
      { prompt: 'select_account' },
    );
    try {
      const r = await result;
      const again = await pca.acquireTokenSilent({ account: r.account!, scopes: [idp.apiScope], forceRefresh: true });
      expect(again.account?.username).toBe(clinician.username);
    } finally {
      await context.close();
    }
  });

  it("shows Entra's account picker for prompt=select_account while the browser holds a session; another account replaces it", async () => {
    const clinician = user('clinician');
    const nurse = user('nurse');
    // One browser profile throughout, as on a shared workstation.
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const sessionsBefore = { clinician: idp.signedInSessions(clinician.username), nurse: idp.signedInSessions(nurse.username) };
      // Nothing signed in in this browser yet: no picker, the form.
      const first = await interactive(
        newPca(),
        async (page) => {
          await fillAndSubmit(page, clinician.username, clinician.password);
          await continueToApp(page, SUCCESS_PAGE);
        },
        { prompt: 'select_account' },
        context,
      );
      expect((await first.result).account?.username).toBe(clinician.username);
      expect(idp.signedInSessions(clinician.username)).toBe(sessionsBefore.clinician + 1);

      // Without a prompt the browser's session signs the clinician in again with no question
      // at all (only form_post's Continue, which JavaScript would press): the hazard.
      let formShown = true;
      const silent = await interactive(
        newPca(),
        async (page) => {
          formShown = (await page.getByLabel('Password').count()) > 0;
          await continueToApp(page, SUCCESS_PAGE);
        },
        {},
        context,
      );
      expect((await silent.result).account?.username).toBe(clinician.username);
      expect(formShown).toBe(false);

      // With select_account: the picker lists the signed-in account; its tile continues without a password.
      let listed = '';
      const picked = await interactive(
        newPca(),
        async (page) => {
          await page.getByRole('heading', { name: 'Pick an account' }).waitFor();
          listed = (await page.getByRole('list', { name: 'Accounts' }).textContent()) ?? '';
          expect(await page.getByLabel('Password').count()).toBe(0);
          await page.getByRole('button', { name: new RegExp(clinician.username.replace(/\./g, '\\.')) }).click();
          await continueToApp(page, SUCCESS_PAGE);
        },
        { prompt: 'select_account' },
        context,
      );
      expect((await picked.result).account?.username).toBe(clinician.username);
      expect(listed).toContain(clinician.name);
      expect(listed).toContain(clinician.username);
      expect(listed).not.toContain(nurse.username);

      // "Use another account": the empty form; the nurse signs in and the clinician's
      // session in this browser ends (oidc-provider confirms that step with a form_post).
      let prefilled = 'not read';
      const other = await interactive(
        newPca(),
        async (page) => {
          await page.getByRole('button', { name: 'Use another account' }).click();
          prefilled = await page.getByLabel('Username').inputValue();
          await fillAndSubmit(page, nurse.username, nurse.password);
          await page.getByRole('button', { name: 'Continue' }).click();
          await continueToApp(page, SUCCESS_PAGE);
        },
        { prompt: 'select_account' },
        context,
      );
      expect((await other.result).account?.username).toBe(nurse.username);
      expect(prefilled).toBe('');
      expect(idp.signedInSessions(clinician.username)).toBe(sessionsBefore.clinician);
      expect(idp.signedInSessions(nurse.username)).toBe(sessionsBefore.nurse + 1);
    } finally {
      await context.close();
    }
  });

  it('ends the browser session at the end_session_endpoint from discovery (RP-initiated logout), after asking', async () => {
    const f = trustingFetch(ca.caCertPem);
    const disc = (await (await f(`${idp.issuer}.well-known/openid-configuration`)).json()) as { end_session_endpoint?: string };
    expect(disc.end_session_endpoint).toBe(`${idp.issuer}session/end`);
    const endSession = new URL(disc.end_session_endpoint!);
    endSession.searchParams.set('client_id', idp.clientId);

    const clinician = user('clinician');
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const signedIn = await interactive(
        newPca(),
        async (page) => {
          await fillAndSubmit(page, clinician.username, clinician.password);
          await continueToApp(page, SUCCESS_PAGE);
        },
        {},
        context,
      );
      await signedIn.result;
      const sessions = idp.signedInSessions(clinician.username);
      const requests = idp.endSessionRequests.length;
      const page = await context.newPage();

      // "Stay signed in" keeps the session.
      await page.goto(endSession.href);
      await page.getByRole('heading', { name: 'Sign out?' }).waitFor();
      expect(await page.getByText(clinician.username).count()).toBe(1);
      await page.getByRole('button', { name: 'Stay signed in' }).click();
      await page.waitForURL((u) => u.pathname !== '/session/end');
      expect(idp.signedInSessions(clinician.username)).toBe(sessions);

      // "Sign out" ends it.
      await page.goto(endSession.href);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.getByRole('heading', { name: 'You signed out of your account' }).waitFor();
      expect(idp.signedInSessions(clinician.username)).toBe(sessions - 1);
      expect(idp.endSessionRequests.slice(requests)).toEqual([
        expect.objectContaining({ clientId: idp.clientId, idTokenHint: false, postLogoutRedirectUri: false, status: 200 }),
        expect.objectContaining({ clientId: idp.clientId, idTokenHint: false, postLogoutRedirectUri: false, status: 200 }),
      ]);

      // Nothing left to pick in this browser: select_account shows the form at once.
      let formFirst = false;
      const next = await interactive(
        newPca(),
        async (p) => {
          formFirst = (await p.getByLabel('Password').count()) === 1;
          await fillAndSubmit(p, clinician.username, clinician.password);
          await continueToApp(p, SUCCESS_PAGE);
        },
        { prompt: 'select_account' },
        context,
      );
      await next.result;
      expect(formFirst).toBe(true);

      // A client the IdP does not know is refused.
      const unknown = new URL(endSession);
      unknown.searchParams.set('client_id', 'not-a-registered-console');
      const response = await page.goto(unknown.href);
      expect(response?.status()).toBe(400);
      expect(idp.endSessionRequests.at(-1)).toMatchObject({ clientId: 'not-a-registered-console', status: 400 });
    } finally {
      await context.close();
    }
  });

  it('ends the sign-in with access_denied when the user presses Cancel', async () => {
    const pca = newPca();
    const { result, context } = await interactive(pca, async (page) => {
      await page.getByLabel('Username').fill('someone@example.org');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await continueToApp(page, ERROR_PAGE);
    });
    try {
      await expect(result).rejects.toMatchObject({ errorCode: 'access_denied' });
    } finally {
      await context.close();
    }
  });

  it("revokes one user's refresh tokens only, and can play unreachable", async () => {
    const clinicianPca = newPca();
    const nursePca = newPca();
    const c = await signIn(clinicianPca, 'clinician');
    const n = await signIn(nursePca, 'nurse');

    await idp.revokeRefreshTokens(user('nurse').username);
    await expect(
      nursePca.acquireTokenSilent({ account: n.account!, scopes: [idp.apiScope], forceRefresh: true }),
    ).rejects.toBeInstanceOf(InteractionRequiredAuthError);
    const still = await clinicianPca.acquireTokenSilent({ account: c.account!, scopes: [idp.apiScope], forceRefresh: true });
    expect(still.accessToken).toBeTruthy();

    await idp.setDown(true);
    try {
      expect(idp.isDown()).toBe(true);
      await expect(
        clinicianPca.acquireTokenSilent({ account: c.account!, scopes: [idp.apiScope], forceRefresh: true }),
      ).rejects.toThrow();
    } finally {
      await idp.setDown(false);
    }
    const back = await clinicianPca.acquireTokenSilent({ account: c.account!, scopes: [idp.apiScope], forceRefresh: true });
    expect(back.account?.username).toBe('dr.demo@example.org');
  });

  it('is trusted by a fresh Node process through NODE_EXTRA_CA_CERTS (what the app uses), and only through it', async () => {
    // Global fetch is what MSAL's default network client uses.
    const script = `fetch(process.argv[1]).then(r => r.json()).then(d => { process.stdout.write(d.issuer); }, e => { process.stdout.write('ERR ' + (e.cause?.code ?? e.message)); process.exitCode = 3; })`;
    const run = (env: NodeJS.ProcessEnv) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(
          process.execPath,
          ['-e', script, `${idp.issuer}.well-known/openid-configuration`],
          { env, timeout: 20_000 },
          (err, stdout) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout }),
        );
      });
    const { NODE_EXTRA_CA_CERTS: _ignored, NODE_OPTIONS: _opts, ...base } = process.env;
    const trusted = await run({ ...base, NODE_EXTRA_CA_CERTS: ca.caCertPath });
    expect(trusted).toEqual({ code: 0, out: idp.issuer });
    const untrusted = await run(base);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.out).toMatch(/^ERR /);
  });
});
