/**
 * The bounded, cancellable sign-in attempt around msal-node 7's acquireTokenInteractive,
 * with the real MSAL and its real loopback listener against the real test IdP. The
 * browser is never opened: these are the cases where the user does not finish.
 */
import { ProtocolMode, PublicClientApplication, type AuthenticationResult } from '@azure/msal-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInAbortedError, startSignInAttempt } from '../../../main/auth/sign-in-attempt';
import { nullLogger } from '../../../main/log/logger';
import { createTestCa } from '../../stack/ca';
import { createMsalNetworkClient, startIdp, type IdpHandle } from '../../stack/idp';

let dir: string;
let idp: IdpHandle;
let pca: PublicClientApplication;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'attempt-test-'));
  const ca = await createTestCa(dir);
  idp = await startIdp({ tls: ca });
  pca = new PublicClientApplication({
    auth: { clientId: idp.clientId, authority: idp.issuer, knownAuthorities: [idp.knownAuthority] },
    system: { protocolMode: ProtocolMode.OIDC, networkClient: createMsalNetworkClient(ca.caCertPem) },
  });
});

afterAll(async () => {
  await idp?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** True when something accepts TCP connections on 127.0.0.1:port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function interactive(openBrowser: (url: string) => Promise<void>): Promise<AuthenticationResult> {
  return pca.acquireTokenInteractive({ scopes: [idp.apiScope], openBrowser });
}

/** An attempt whose "browser" only records that it was asked to open. */
function attempt(opts: { timeoutMs: number }) {
  let opened!: () => void;
  const browserOpened = new Promise<void>((resolve) => (opened = resolve));
  const a = startSignInAttempt({
    run: interactive,
    openExternal: async () => opened(),
    timeoutMs: opts.timeoutMs,
    log: nullLogger,
  });
  return { attempt: a, browserOpened };
}

describe('startSignInAttempt', () => {
  it('cancel settles MSAL and closes its loopback listener', async () => {
    const { attempt: a, browserOpened } = attempt({ timeoutMs: 60_000 });
    await browserOpened;
    const port = a.loopbackPort();
    expect(port).toBeGreaterThan(0);
    expect(await isListening(port!)).toBe(true);
    a.cancel();
    const error = await a.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInAbortedError);
    expect((error as SignInAbortedError).reason).toBe('cancelled');
    expect(await isListening(port!)).toBe(false);
  });

  it('times out by itself and closes the listener', async () => {
    const { attempt: a, browserOpened } = attempt({ timeoutMs: 300 });
    await browserOpened;
    const port = a.loopbackPort()!;
    const error = await a.result.catch((e: unknown) => e);
    expect((error as SignInAbortedError).reason).toBe('timeout');
    expect(await isListening(port)).toBe(false);
  });

  it('cancelled before the browser opens: MSAL is refused the browser and closes the listener itself', async () => {
    let listenerPort: number | null = null;
    const a = startSignInAttempt({
      run: (openBrowser) =>
        interactive(async (url) => {
          listenerPort = Number(new URL(new URL(url).searchParams.get('redirect_uri')!).port);
          a.cancel(); // the user cancels at this very moment
          await openBrowser(url);
        }),
      openExternal: async () => {
        throw new Error('the browser must not open after a cancel');
      },
      timeoutMs: 60_000,
      log: nullLogger,
    });
    const error = await a.result.catch((e: unknown) => e);
    expect((error as SignInAbortedError).reason).toBe('cancelled');
    expect(listenerPort).toBeGreaterThan(0);
    expect(await isListening(listenerPort!)).toBe(false);
  });

  it('an error page that never redirects cannot hang it: the timeout still ends the attempt', async () => {
    // A flow that never settles and never hands over an address (the worst case).
    const a = startSignInAttempt<never>({
      run: () => new Promise<never>(() => undefined),
      openExternal: async () => undefined,
      timeoutMs: 50,
      settleMs: 50,
      log: nullLogger,
    });
    const error = await a.result.catch((e: unknown) => e);
    expect((error as SignInAbortedError).reason).toBe('timeout');
  });

  it('passes MSAL failures through unchanged when nobody cancelled', async () => {
    const failure = new Error('from MSAL');
    const a = startSignInAttempt({ run: async () => Promise.reject(failure), openExternal: async () => undefined, timeoutMs: 60_000, log: nullLogger });
    await expect(a.result).rejects.toBe(failure);
  });
});
