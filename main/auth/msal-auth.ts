/**
 * Sign-in with Microsoft Entra ID (or any OIDC provider configured like it) through MSAL
 * Node: silent first, otherwise the system browser with auth code + PKCE and MSAL's own
 * loopback redirect listener. Tokens live only in MSAL's cache, which is encrypted at rest.
 *
 * The state the UI sees: signed-out, signing-in (a browser attempt is under way),
 * signed-in, or needs-sign-in (an account is cached but its refresh token no longer works:
 * the day view stays, with a prompt to sign in again). The account comes from the cache,
 * so an offline start needs no network; a network failure while renewing is "offline",
 * never "signed out".
 *
 * Shared workstations: every interactive sign-in asks the identity provider for its account
 * picker (`prompt=select_account`), and sign-out also ends the provider's browser session
 * (end-session.ts), so the next person is never signed in as the previous one.
 */
import {
  InteractionRequiredAuthError,
  LogLevel,
  PromptValue,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
} from '@azure/msal-node';
import type { Account, AuthState } from '../../preload/contract';
import { UserFacingError } from '../core/errors';
import type { OpenExternal, SecretBox } from '../core/ports';
import type { Logger } from '../log/logger';
import type { Settings } from '../settings/settings';
import { SignInAbortedError, startSignInAttempt, type SignInAttempt } from './sign-in-attempt';
import { MAX_CLOCK_SKEW_SECONDS, clockSkewSeconds, explainSignInError, isNetworkError } from './sign-in-errors';
import { signInPage } from './sign-in-pages';
import { DiscoveryError, endSessionUrl } from './end-session';
import { fetchNetworkClient } from './fetch-network-client';
import { createEncryptedCachePlugin } from './token-cache-plugin';

export interface Auth {
  /** What the UI shows; from the cache only (no network). */
  state(): Promise<AuthState>;
  /** The account in the cache, if any (no network). */
  currentAccount(): Promise<Account | null>;
  signIn(): Promise<Account>;
  /** Stops the sign-in under way (closing MSAL's loopback listener); false if none was. */
  cancelSignIn(): boolean;
  /**
   * Forgets the account and its tokens, then (when someone was signed in) opens the identity
   * provider's sign-out page in the system browser. Never fails for the provider's part.
   */
  signOut(): Promise<void>;
  /** A valid access token for the booking API, renewed silently when needed. */
  getAccessToken(opts?: { forceRefresh?: boolean }): Promise<string>;
  /** A stable, non-personal key for the signed-in account (names the user's cache folder). */
  accountKey(): Promise<string | null>;
}

/** Thrown when renewal could not reach the identity provider: the schedule shows "offline". */
export class AuthUnreachableError extends Error {
  override name = 'AuthUnreachableError';
  constructor() {
    super('The sign-in service cannot be reached.');
  }
}

/** A refresh token nobody was issued: the token endpoint's answer tells a known client from an unknown one. */
const REGISTRATION_PROBE = 'registration-check';

/** Sign-out waits at most this long for the provider's discovery document (the UI already says "signed out"). */
const END_SESSION_DISCOVERY_TIMEOUT_MS = 5_000;

export function createAuth(opts: {
  settings: Settings;
  secretBox: SecretBox;
  openExternal: OpenExternal;
  cachePath: string;
  /** MSAL's requests go through this (see fetch-network-client.ts). */
  fetch?: typeof fetch;
  log: Logger;
  /** Called whenever state() may answer differently. */
  onChanged?: () => void;
  now?: () => Date;
}): Auth {
  const { settings, log } = opts;
  const now = opts.now ?? (() => new Date());
  const changed = () => opts.onChanged?.();
  const cachePlugin = createEncryptedCachePlugin(opts.cachePath, opts.secretBox, log);
  const pca = new PublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      knownAuthorities: settings.knownAuthorities,
    },
    cache: { cachePlugin },
    system: {
      protocolMode: settings.protocolMode,
      ...(opts.fetch ? { networkClient: fetchNetworkClient(opts.fetch) } : {}),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message, containsPii) => {
          if (!containsPii) log.debug(`msal: ${message}`);
        },
      },
    },
  });
  const scopes = settings.scopes;
  let attempt: SignInAttempt<AuthenticationResult> | null = null;
  let needsSignIn = false;
  /** From the click to the end of the attempt (the registration check runs before the browser opens). */
  let starting = false;
  let silent: Promise<string> | null = null;

  async function account(): Promise<AccountInfo | null> {
    const accounts = await pca.getTokenCache().getAllAccounts();
    return accounts[0] ?? null;
  }

  function setNeedsSignIn(value: boolean): void {
    if (needsSignIn === value) return;
    needsSignIn = value;
    changed();
  }

  /**
   * Before opening a browser: is the identity provider there, and does it know our client
   * id? An unknown client id gets an error page in the browser and never a redirect, so
   * MSAL would only wait; the token endpoint answers at once (invalid_client or
   * unauthorized_client, where a known client gets invalid_grant for the probe).
   */
  async function checkRegistration(): Promise<void> {
    try {
      await pca.acquireTokenByRefreshToken({ refreshToken: REGISTRATION_PROBE, scopes });
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) return;
      const problem = explainSignInError(error);
      if (problem.code === 'sign-in-not-registered' || problem.code === 'sign-in-unreachable') {
        log.warn(`auth: sign-in not started: ${problem.code} (${codeOf(error)})`);
        throw new UserFacingError(problem.code);
      }
      // Anything else is not a reason to keep the user from trying.
      log.info(`auth: the registration check answered ${codeOf(error)}; signing in anyway`);
    }
  }

  async function interactive(hint: AccountInfo | null): Promise<AuthenticationResult> {
    const current = startSignInAttempt<AuthenticationResult>({
      run: (openBrowser) =>
        pca.acquireTokenInteractive({
          scopes,
          openBrowser,
          successTemplate: signInPage('success'),
          errorTemplate: signInPage('error'),
          // Always, not only after a sign-out: the system browser may hold anyone's session
          // (another app, an end-session page left unconfirmed, a sign-out while offline),
          // and the console cannot know whose. Entra then shows its account picker with
          // "Use another account"; the cost is one click on an interactive sign-in, which
          // is rare (renewal is silent).
          prompt: PromptValue.SELECT_ACCOUNT,
          ...(hint ? { loginHint: hint.username } : {}),
        }),
      openExternal: opts.openExternal,
      timeoutMs: settings.signInTimeoutSeconds * 1000,
      log,
    });
    attempt = current;
    changed();
    try {
      return await current.result;
    } catch (error) {
      if (error instanceof SignInAbortedError) {
        const code = error.reason === 'timeout' ? 'sign-in-timeout' : 'sign-in-cancelled';
        throw new UserFacingError(code);
      }
      const problem = explainSignInError(error);
      log.warn(`auth: interactive sign-in failed: ${problem.code} (${codeOf(error)})`);
      throw new UserFacingError(problem.code);
    } finally {
      attempt = null;
      changed();
    }
  }

  async function signInOnce(): Promise<Account> {
    const previous = await account();
    await checkRegistration();
    const result = await interactive(previous);
    const signedIn = result.account;
    if (!signedIn) throw new UserFacingError('sign-in-failed');
    const cache = pca.getTokenCache();
    const skew = clockSkewSeconds((result.idTokenClaims as { iat?: number }).iat, now());
    if (skew > MAX_CLOCK_SKEW_SECONDS) {
      log.warn(`auth: the clock differs from the sign-in service's by ${skew} s; sign-in refused`);
      await cache.removeAccount(signedIn);
      throw new UserFacingError('sign-in-clock-skew');
    }
    // One person per console: a different account signing in replaces the previous one.
    for (const other of await cache.getAllAccounts()) {
      if (other.homeAccountId !== signedIn.homeAccountId) await cache.removeAccount(other);
    }
    setNeedsSignIn(false);
    log.info('auth: signed in');
    return toAccount(signedIn);
  }

  /**
   * Opens the identity provider's sign-out page (end-session.ts says what it carries and
   * why). Best effort: offline, or with a provider that has no end_session_endpoint, the
   * browser session stays, and the account picker on the next sign-in is what protects.
   */
  async function endProviderSession(): Promise<void> {
    let url: URL | null;
    try {
      url = await endSessionUrl({
        authority: settings.authority,
        protocolMode: settings.protocolMode,
        clientId: settings.clientId,
        fetch: opts.fetch ?? fetch,
        timeoutMs: Math.min(settings.requestTimeoutMs, END_SESSION_DISCOVERY_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = error instanceof DiscoveryError ? error.reason : codeOf(error);
      log.warn(`auth: the sign-in service's session was not ended: no discovery document (${reason})`);
      return;
    }
    if (!url) {
      log.warn("auth: the sign-in service has no end_session_endpoint; its browser session was not ended");
      return;
    }
    try {
      // Through the openExternal guard: the endpoint's origin must be an allowed one (the authority's).
      await opts.openExternal(url.href); // eng-disable OPEN_EXTERNAL_JS_CHECK (the platform opener checks the allowlist)
      log.info("auth: opened the sign-in service's sign-out page");
    } catch (error) {
      const code = error instanceof UserFacingError ? error.code : codeOf(error);
      log.warn(`auth: the sign-in service's sign-out page was not opened (${code})`);
    }
  }

  async function acquireSilently(forceRefresh: boolean): Promise<string> {
    const a = await account();
    if (!a) throw new UserFacingError('not-signed-in');
    try {
      // MSAL renews from the refresh token when the access token is expired or close to
      // it (within 5 minutes), or when forced after a 401.
      const result = await pca.acquireTokenSilent({ account: a, scopes, forceRefresh });
      setNeedsSignIn(false);
      return result.accessToken;
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) {
        log.info('auth: silent renewal needs the user to sign in again');
        setNeedsSignIn(true);
        throw new UserFacingError('sign-in-required');
      }
      if (isNetworkError(error)) {
        log.info(`auth: the sign-in service cannot be reached to renew the token (${codeOf(error)})`);
        throw new AuthUnreachableError();
      }
      log.warn(`auth: silent renewal failed (${codeOf(error)})`);
      // Not MSAL's error itself: its message can quote the authority's URL.
      throw new Error(`Token renewal failed (${codeOf(error)}).`);
    }
  }

  return {
    async state() {
      const a = await account();
      if (attempt) return a ? { status: 'signing-in', account: toAccount(a) } : { status: 'signing-in' };
      if (!a) return { status: 'signed-out' };
      return { status: needsSignIn ? 'needs-sign-in' : 'signed-in', account: toAccount(a) };
    },

    async currentAccount() {
      const a = await account();
      return a ? toAccount(a) : null;
    },

    async signIn() {
      if (starting || attempt) throw new UserFacingError('sign-in-busy');
      starting = true;
      try {
        return await signInOnce();
      } finally {
        starting = false;
        // The cache may have changed after the attempt ended (clock check, other accounts removed).
        changed();
      }
    },

    cancelSignIn() {
      if (!attempt) return false;
      attempt.cancel();
      return true;
    },

    async signOut() {
      attempt?.cancel();
      const cache = pca.getTokenCache();
      const accounts = await cache.getAllAccounts();
      for (const a of accounts) await cache.removeAccount(a);
      cachePlugin.wipe();
      needsSignIn = false;
      log.info('auth: signed out');
      // The console is signed out now, whatever the provider does next.
      changed();
      // Nobody was signed in: no provider session of theirs to end, no browser tab to open.
      if (accounts.length > 0) await endProviderSession();
    },

    getAccessToken(options) {
      // One renewal at a time: a day's sync asks for a token per request, and parallel
      // refreshes with one refresh token race each other where the IdP rotates them.
      const force = options?.forceRefresh ?? false;
      if (silent && !force) return silent;
      const run = (silent ?? Promise.resolve()).catch(() => undefined).then(() => acquireSilently(force));
      silent = run;
      const done = () => {
        if (silent === run) silent = null;
      };
      run.then(done, done);
      return run;
    },

    async accountKey() {
      const a = await account();
      return a ? a.homeAccountId : null;
    },
  };
}

function toAccount(a: AccountInfo): Account {
  return { name: a.name ?? a.username, username: a.username };
}

/** MSAL's error code alone (never its message, which can quote URLs and ids). */
function codeOf(error: unknown): string {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === 'string' && /^[\w.-]{1,60}$/.test(code) ? code : (error as Error | null)?.name ?? 'unknown';
}
