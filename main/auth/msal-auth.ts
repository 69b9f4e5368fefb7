/**
 * Sign-in with Microsoft Entra ID (or any OIDC provider configured like it) through MSAL
 * Node: silent first, otherwise the system browser with auth code + PKCE and MSAL's own
 * loopback redirect listener. Tokens live only in MSAL's cache, which is encrypted at rest.
 */
import {
  InteractionRequiredAuthError,
  LogLevel,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
} from '@azure/msal-node';
import type { Account } from '../../preload/contract';
import { UserFacingError } from '../core/errors';
import type { OpenExternal, SecretBox } from '../core/ports';
import type { Logger } from '../log/logger';
import type { Settings } from '../settings/settings';
import { signInPage } from './sign-in-pages';
import { createEncryptedCachePlugin } from './token-cache-plugin';

export interface Auth {
  /** The account in the cache, if any (no network). */
  currentAccount(): Promise<Account | null>;
  signIn(): Promise<Account>;
  signOut(): Promise<void>;
  /** A valid access token for the booking API, renewed silently when needed. */
  getAccessToken(opts?: { forceRefresh?: boolean }): Promise<string>;
  /** A stable, non-personal key for the signed-in account (names the user's cache folder). */
  accountKey(): Promise<string | null>;
}

export function createAuth(opts: {
  settings: Settings;
  secretBox: SecretBox;
  openExternal: OpenExternal;
  cachePath: string;
  log: Logger;
}): Auth {
  const { settings, log } = opts;
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

  async function account(): Promise<AccountInfo | null> {
    const accounts = await pca.getTokenCache().getAllAccounts();
    return accounts[0] ?? null;
  }

  return {
    async currentAccount() {
      const a = await account();
      return a ? toAccount(a) : null;
    },

    async signIn() {
      let result: AuthenticationResult;
      try {
        result = await pca.acquireTokenInteractive({
          scopes,
          openBrowser: opts.openExternal,
          successTemplate: signInPage('success'),
          errorTemplate: signInPage('error'),
        });
      } catch (error) {
        log.warn('auth: interactive sign-in failed', error);
        throw new UserFacingError('sign-in-failed', explainSignInError(error), { cause: error });
      }
      if (!result.account) throw new UserFacingError('sign-in-failed', 'Sign-in returned no account.');
      log.info('auth: signed in');
      return toAccount(result.account);
    },

    async signOut() {
      const cache = pca.getTokenCache();
      for (const a of await cache.getAllAccounts()) await cache.removeAccount(a);
      cachePlugin.wipe();
      log.info('auth: signed out');
    },

    async getAccessToken(options) {
      const a = await account();
      if (!a) throw new UserFacingError('not-signed-in', 'Please sign in.');
      try {
        const result = await pca.acquireTokenSilent({ account: a, scopes, forceRefresh: options?.forceRefresh ?? false });
        return result.accessToken;
      } catch (error) {
        if (error instanceof InteractionRequiredAuthError) {
          log.info('auth: silent renewal needs the user to sign in again');
          throw new UserFacingError('sign-in-required', 'Your sign-in has expired. Please sign in again.', { cause: error });
        }
        throw error;
      }
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

/** MSAL's error codes to plain words; the raw message can quote URLs, so it is not shown. */
function explainSignInError(error: unknown): string {
  const code = (error as { errorCode?: string }).errorCode ?? '';
  if (code === 'access_denied' || code === 'user_cancelled') return 'Sign-in was cancelled.';
  if (code.includes('endpoints_resolution') || code.includes('network') || code === 'openid_config_error')
    return 'The sign-in service cannot be reached. Check the network and try again.';
  if (code === 'invalid_client' || code === 'unauthorized_client') return 'This console is not registered with the sign-in service. Contact IT.';
  return 'Sign-in did not complete. Please try again.';
}
