/**
 * Sign-out on a shared workstation: nothing of the previous clinician's stays in the
 * Electron session the next one uses.
 *
 * In the installed app main's requests (booking API, sign-in) go through `net.fetch`, that is
 * Chromium's network stack and its HTTP cache on disk. They are sent with `cache: 'no-store'`,
 * but an answer cached before that (or by a request added later without it) would outlive the
 * sign-out. So sign-out empties, for every origin:
 *  - the HTTP cache (`clearCache`);
 *  - web storage: local storage, IndexedDB, Cache Storage, service workers, file systems and
 *    the shader cache (`clearStorageData`). The renderer keeps nothing there by design; this
 *    is for whatever a conference server's page or a library put there;
 *  - cookies, one by one through `session.cookies`, NOT through clearStorageData: Electron
 *    resets the media-device id salt whenever clearStorageData clears cookies, which changes
 *    every camera and microphone id and so loses the call window's remembered devices (kept by
 *    electron-store in a file of their own, platform/device-preferences-store.ts, per
 *    workstation rather than per person).
 *
 * Behind a small interface that Electron's `Session` satisfies, so it runs under Node tests.
 */
import type { Logger } from '../log/logger';

/** Every storage type of Electron's clearStorageData except cookies (see above). */
export const CLEARED_STORAGES = ['filesystem', 'indexdb', 'localstorage', 'shadercache', 'serviceworkers', 'cachestorage'] as const;
export type ClearedStorage = (typeof CLEARED_STORAGES)[number];

export interface SessionCookie {
  name: string;
  domain?: string;
  path?: string;
  secure?: boolean;
}

/** The part of Electron's Session this needs (`session.defaultSession` in the app). */
export interface BrowsingDataSession {
  clearCache(): Promise<void>;
  clearStorageData(options?: { storages?: ClearedStorage[] }): Promise<void>;
  cookies: {
    get(filter: Record<string, never>): Promise<SessionCookie[]>;
    remove(url: string, name: string): Promise<void>;
  };
}

/** The URL Electron's cookies.remove needs to name a cookie: its scheme, host and path. */
export function cookieUrl(cookie: SessionCookie): string | null {
  const host = (cookie.domain ?? '').replace(/^\./, '');
  if (host === '') return null;
  return `${cookie.secure ? 'https' : 'http'}://${host}${cookie.path ?? '/'}`;
}

/**
 * Clears the session's HTTP cache, web storage and cookies. Every part is tried even when
 * another fails; then it rejects naming the parts that failed (never an origin or a cookie).
 */
export function createBrowsingDataCleaner(session: BrowsingDataSession, log: Logger): () => Promise<void> {
  async function clearCookies(): Promise<number> {
    const cookies = await session.cookies.get({});
    let failed = 0;
    for (const cookie of cookies) {
      const url = cookieUrl(cookie);
      if (!url) {
        failed++;
        continue;
      }
      await session.cookies.remove(url, cookie.name).catch(() => failed++);
    }
    if (failed > 0) throw new Error(`${failed} of ${cookies.length} cookies`);
    return cookies.length;
  }

  return async () => {
    const [cache, storage, cookies] = await Promise.allSettled([
      session.clearCache(),
      session.clearStorageData({ storages: [...CLEARED_STORAGES] }),
      clearCookies(),
    ]);
    const failed = [
      cache.status === 'rejected' ? 'the HTTP cache' : null,
      storage.status === 'rejected' ? 'web storage' : null,
      cookies.status === 'rejected' ? 'cookies' : null,
    ].filter((part): part is string => part !== null);
    if (failed.length > 0) throw new Error(`Not cleared at sign-out: ${failed.join(', ')}.`);
    log.info(`session: HTTP cache, web storage and ${cookies.status === 'fulfilled' ? cookies.value : 0} cookie(s) cleared`);
  };
}
