/**
 * Sign-out's clearing of the Electron session (main/platform/browsing-data.ts), with a fake
 * session that keeps real state (cached answers, stored data, cookies by domain and path) and
 * resets its media-device id salt the way Electron's clearStorageData does when it clears
 * cookies: the remembered camera and microphone must survive a sign-out.
 */
import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/log/logger';
import {
  CLEARED_STORAGES,
  cookieUrl,
  createBrowsingDataCleaner,
  type BrowsingDataSession,
  type ClearedStorage,
  type SessionCookie,
} from '../../../main/platform/browsing-data';

// Compile-time: Electron's own Session is what the app passes in (session.defaultSession).
const electronSessionFits = (session: Session): BrowsingDataSession => session;
void electronSessionFits;

type AnyStorage = ClearedStorage | 'cookies';
const ALL_STORAGES: readonly AnyStorage[] = [...CLEARED_STORAGES, 'cookies'];

class FakeSession implements BrowsingDataSession {
  httpCache = new Set<string>();
  storage = new Map<AnyStorage, Set<string>>();
  jar: SessionCookie[] = [];
  mediaDeviceSalt = 'salt-1';
  failCache = false;
  failRemoving = new Set<string>();

  constructor() {
    for (const type of ALL_STORAGES) this.storage.set(type, new Set());
  }

  async clearCache(): Promise<void> {
    if (this.failCache) throw new Error('disk busy');
    this.httpCache.clear();
  }

  async clearStorageData(options?: { storages?: AnyStorage[] }): Promise<void> {
    const types = options?.storages ?? ALL_STORAGES;
    // As Electron does (electron_api_session.cc): clearing cookies resets the salt of every
    // media device id, so remembered devices no longer match.
    if (types.includes('cookies')) {
      this.mediaDeviceSalt = `${this.mediaDeviceSalt}'`;
      this.jar = [];
    }
    for (const type of types) this.storage.get(type)?.clear();
  }

  cookies = {
    get: async (_filter: Record<string, never>): Promise<SessionCookie[]> => this.jar.map((c) => ({ ...c })),
    remove: async (url: string, name: string): Promise<void> => {
      const target = new URL(url);
      if (this.failRemoving.has(name)) throw new Error('cookie store busy');
      this.jar = this.jar.filter((c) => {
        const host = (c.domain ?? '').replace(/^\./, '');
        const matches = c.name === name && host === target.hostname && target.pathname.startsWith(c.path ?? '/');
        return !matches;
      });
    },
  };
}

function filled(): FakeSession {
  const session = new FakeSession();
  session.httpCache.add('GET https://vdx.example/v2/meetings?from-start-time=2026-01-05T00:00:00');
  session.storage.get('localstorage')!.add('https://vmr.example');
  session.storage.get('indexdb')!.add('https://vmr.example');
  session.storage.get('serviceworkers')!.add('https://portal.example');
  session.jar = [
    { name: 'fpc', domain: '.idp.example', path: '/', secure: true },
    { name: 'lb', domain: 'vmr.example', path: '/api/client', secure: true },
    { name: 'plain', domain: 'intranet.example', path: '/', secure: false },
  ];
  return session;
}

function recordingLog(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger([(line) => lines.push(line)], 'test'), lines };
}

describe('clearing browsing data at sign-out', () => {
  it('empties the HTTP cache, every web storage and every cookie, and keeps the media-device ids', async () => {
    const session = filled();
    const { log, lines } = recordingLog();
    await createBrowsingDataCleaner(session, log)();

    expect(session.httpCache.size).toBe(0);
    for (const type of ALL_STORAGES) expect(session.storage.get(type)!.size, type).toBe(0);
    expect(session.jar).toEqual([]);
    expect(session.mediaDeviceSalt, 'remembered devices still match').toBe('salt-1');
    expect(lines.join('\n')).toContain('HTTP cache, web storage and 3 cookie(s) cleared');
    // Neither an origin nor a cookie's name in the log.
    expect(lines.join('\n')).not.toMatch(/example|fpc/);
  });

  it('tries every part when one fails, then rejects naming only the failed parts', async () => {
    const session = filled();
    session.failCache = true;
    session.failRemoving.add('lb');
    const { log } = recordingLog();
    await expect(createBrowsingDataCleaner(session, log)()).rejects.toThrow('Not cleared at sign-out: the HTTP cache, cookies.');
    expect(session.storage.get('localstorage')!.size).toBe(0);
    expect(session.jar.map((c) => c.name)).toEqual(['lb']);
  });

  it('names a cookie by the scheme, host and path Electron matches it on', () => {
    expect(cookieUrl({ name: 'a', domain: '.idp.example', path: '/', secure: true })).toBe('https://idp.example/');
    expect(cookieUrl({ name: 'b', domain: 'intranet.example', path: '/app', secure: false })).toBe('http://intranet.example/app');
    expect(cookieUrl({ name: 'c' })).toBeNull();
  });
});
