/**
 * A test update feed on 127.0.0.1, and the console's update logic against it: electron-
 * updater's real NsisUpdater (its feed parsing, version check, download and sha512 check,
 * and its call into our signature hook), armed by main/updates/update-guard.ts exactly as
 * the packaged console arms it.
 *
 * What is real here and what is not:
 *  - real: the HTTP feed (latest.yml and installer files), electron-updater's download and
 *    sha512 verification, our pre-download assessment, our sha512 recomputation, our
 *    publisher and signer comparison, and the refusals' effect (no "downloaded", nothing
 *    scheduled for install at quit);
 *  - stood in for: Electron's `app` (an AppAdapter object: Electron cannot run here), its
 *    net module (Node's http, same download code as electron-updater's Electron executor),
 *    the platform (electron-updater is told "win32" through its test-only option, so it
 *    reads latest.yml), and Get-AuthenticodeSignature, which exists only on Windows: a
 *    stand-in gives each served file the verdict Windows would give it (valid from our
 *    publisher, unsigned, or signed by someone else), looked up by the file's real content.
 *    That a real signature verifies is checked only on the Windows release runner and PCs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { NsisUpdater, type AppUpdater } from 'electron-updater';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../main/log/logger';
import { armUpdater } from '../../../main/updates/update-guard';
import { CHECK_EVERY_MS } from '../../../main/updates/update-policy';
import { assessUpdate, sha512OfFile, windowsUpdateVerifier, type AuthenticodeResult } from '../../../main/updates/update-verification';
import { tempDir } from '../../support/temp-dir';

const require = createRequire(import.meta.url);
const runtime = require('builder-util-runtime') as {
  configureRequestUrl(url: URL, options: object): void;
  configureRequestOptions(options: object): object;
};
const { NodeHttpExecutor } = require('builder-util/out/nodeHttpExecutor') as {
  NodeHttpExecutor: new () => { doDownload(requestOptions: object, options: object, redirectCount: number): void };
};

/** Node's http with the download method electron-updater's Electron executor has (same code, Node transport). */
class NodeDownloadExecutor extends NodeHttpExecutor {
  download(url: URL, destination: string, options: { headers?: object; cancellationToken: { createPromise<T>(f: (resolve: (v: T) => void, reject: (e: Error) => void, onCancel: (c: () => void) => void) => void): Promise<T> } }) {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers || undefined, redirect: 'manual' };
      runtime.configureRequestUrl(url, requestOptions);
      runtime.configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error: Error | null) => (error == null ? resolve(destination) : reject(error)), responseHandler: null }, 0);
    });
  }
}

// Invented publishers. The console under test runs as version 1.2.0, signed by OURS.
const OURS = 'CN=Example Clinic Software ApS, O=Example Clinic Software ApS, L=Aarhus, C=DK';
const LOOKALIKE = 'CN=Example Clinic Software ApS, O=Look Alike Ltd, L=London, C=GB';
const CURRENT = '1.2.0';

const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('base64');
const installer = (label: string) => Buffer.concat([Buffer.from(`MZ invented installer: ${label}\n`), randomBytes(64 * 1024)]);

/** What Get-AuthenticodeSignature would say about each served file, by content. */
const verdicts = new Map<string, AuthenticodeResult>();
const authenticode = async (path: string): Promise<AuthenticodeResult> => verdicts.get(await sha512OfFile(path)) ?? { status: 'unknown' };

interface FeedCase {
  version: string;
  payload: Buffer;
  /** The sha512 latest.yml states (the payload's own, unless the feed lies). */
  stated?: string | null;
  /** Where latest.yml says the file is (relative to the feed, or absolute). */
  url?: string;
}
const good = installer('good');
const tampered = installer('tampered');
const unsigned = installer('unsigned');
const otherSigner = installer('look-alike');
verdicts.set(sha512(good), { status: 'valid', subject: OURS });
verdicts.set(sha512(tampered), { status: 'valid', subject: OURS });
verdicts.set(sha512(unsigned), { status: 'not-signed' });
verdicts.set(sha512(otherSigner), { status: 'valid', subject: LOOKALIKE });

let server: Server;
let base: string;
const requests: string[] = [];
const feeds: Record<string, FeedCase> = {
  good: { version: '1.3.0', payload: good },
  // The file on the server is not the one latest.yml describes.
  tampered: { version: '1.3.0', payload: tampered, stated: sha512(good) },
  unsigned: { version: '1.3.0', payload: unsigned },
  'other-signer': { version: '1.3.0', payload: otherSigner },
  downgrade: { version: '1.1.0', payload: good },
  prerelease: { version: '1.3.0-beta.1', payload: good },
  'no-sha512': { version: '1.3.0', payload: good, stated: null },
  offsite: { version: '1.3.0', payload: good, url: 'http://127.0.0.2:9/Clinician-Console-Setup-1.3.0.exe' },
};

function latestYml(feed: FeedCase): string {
  const file = feed.url ?? `Clinician-Console-Setup-${feed.version}.exe`;
  const stated = feed.stated === undefined ? sha512(feed.payload) : feed.stated;
  const shaLine = stated === null ? '' : `\n    sha512: ${stated}`;
  return `version: ${feed.version}\nfiles:\n  - url: ${file}${shaLine}\n    size: ${feed.payload.length}\npath: ${file}\n${stated === null ? '' : `sha512: ${stated}\n`}releaseDate: '2026-12-01T10:00:00.000Z'\n`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const [, name, file] = /^\/([^/]+)\/(.+)$/.exec(path) ?? [];
    const feed = name ? feeds[name] : undefined;
    if (feed && file === 'latest.yml') {
      res.writeHead(200, { 'content-type': 'text/yaml' }).end(latestYml(feed));
    } else if (feed && file === `Clinician-Console-Setup-${feed.version}.exe`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': feed.payload.length }).end(feed.payload);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

/** A real NsisUpdater for a console at CURRENT, with its own cache folder, armed by the console's code. */
function consoleUpdater(feed: string, opts: { callActive?: boolean; publisherNames?: string[] } = {}) {
  const dir = tempDir('cc-update-');
  // What electron-builder writes into the installed app's resources.
  const names = opts.publisherNames ?? ['Example Clinic Software ApS'];
  writeFileSync(
    join(dir, 'app-update.yml'),
    `provider: generic\nurl: https://updates.invalid/clinician-console/\n${names.length ? `publisherName:\n${names.map((n) => `  - ${n}`).join('\n')}\n` : ''}updaterCacheDirName: clinician-console-updater\n`,
  );
  const quitHandlers: Array<(code: number) => void> = [];
  const app = {
    version: CURRENT,
    name: 'Clinician Console',
    isPackaged: true,
    appUpdateConfigPath: join(dir, 'app-update.yml'),
    userDataPath: dir,
    baseCachePath: dir,
    whenReady: () => Promise.resolve(),
    relaunch() {},
    quit() {},
    onQuit: (handler: (code: number) => void) => void quitHandlers.push(handler),
  };
  const updater = new NsisUpdater(null, app);
  const internals = updater as unknown as { httpExecutor: unknown; _testOnlyOptions: { platform: string } };
  internals.httpExecutor = new NodeDownloadExecutor();
  internals._testOnlyOptions = { platform: 'win32' }; // latest.yml, as on Windows
  const lines: string[] = [];
  const log: Logger = { debug: () => {}, info: (m) => void lines.push(m), warn: (m) => void lines.push(m), error: (m) => void lines.push(m), child: () => log };
  const downloaded: string[] = [];
  updater.on('update-downloaded', (info) => void downloaded.push(info.version));
  const armed = armUpdater(updater as AppUpdater, {
    config: { enabled: true, feed: { provider: 'generic', url: `${base}/${feed}/` }, checkEveryMs: CHECK_EVERY_MS, platform: 'win32', signer: OURS },
    log,
    callActive: () => opts.callActive ?? false,
    authenticode,
  });
  const pendingFiles = () => {
    const pending = join(dir, 'clinician-console-updater', 'pending');
    return existsSync(pending) ? readdirSync(pending).filter((f) => f.endsWith('.exe')) : [];
  };
  return { updater, armed, lines, downloaded, quitHandlers, pendingFiles };
}

/** Checks once and waits (polling, no fixed sleep) until the updater has come to a decision. */
async function checkAndSettle(u: ReturnType<typeof consoleUpdater>) {
  u.armed.check();
  await vi.waitFor(
    () => {
      const status = u.armed.status();
      expect(status.enabled && ['downloaded', 'refused', 'failed', 'up-to-date', 'idle'].includes(status.state)).toBe(true);
    },
    { timeout: 10_000, interval: 20 },
  );
  return u.armed.status();
}

describe('the update logic against a local test feed', () => {
  it('downloads a newer, intact installer signed by this installation’s publisher, for install at quit', async () => {
    const u = consoleUpdater('good');
    const status = await checkAndSettle(u);
    expect(status).toMatchObject({ enabled: true, state: 'downloaded', version: '1.3.0' });
    expect(u.downloaded).toEqual(['1.3.0']);
    expect(u.pendingFiles()).toEqual(['Clinician-Console-Setup-1.3.0.exe']);
    expect(u.quitHandlers).toHaveLength(1);
    expect(u.updater.autoDownload).toBe(false);
    expect(u.updater.autoInstallOnAppQuit).toBe(true);
    expect(u.updater.allowDowngrade).toBe(false);
  });

  it('refuses a tampered installer (its sha512 is not the feed’s): nothing downloaded, nothing at quit', async () => {
    const u = consoleUpdater('tampered');
    const status = await checkAndSettle(u);
    expect(status).toMatchObject({ enabled: true, state: 'failed', version: '1.3.0' });
    expect(status.enabled && status.detail).toBe('the downloaded file does not match the sha512 the feed lists');
    expect(u.downloaded).toEqual([]);
    expect(u.pendingFiles()).toEqual([]);
    expect(u.quitHandlers).toHaveLength(0);
  });

  it('our own verifier refuses the served tampered file too, had electron-updater’s check passed it', async () => {
    const dir = tempDir('cc-tampered-');
    const response = await fetch(`${base}/tampered/Clinician-Console-Setup-1.3.0.exe`);
    const path = join(dir, 'Setup.exe');
    writeFileSync(path, Buffer.from(await response.arrayBuffer()));
    const yml = await (await fetch(`${base}/tampered/latest.yml`)).text();
    const stated = /^sha512: (.+)$/m.exec(yml)![1]!;
    const assessment = assessUpdate({ version: '1.3.0', files: [{ url: 'Clinician-Console-Setup-1.3.0.exe', sha512: stated }] }, { currentVersion: CURRENT, feedUrl: `${base}/tampered/` });
    expect(assessment.ok).toBe(true);
    const verify = windowsUpdateVerifier({ approved: () => (assessment.ok ? assessment.update : null), runningSigner: OURS, authenticode });
    expect(await verify(['Example Clinic Software ApS'], path)).toMatch(/sha512 differs/);
  });

  it('refuses an unsigned installer: removed, nothing at quit', async () => {
    const u = consoleUpdater('unsigned');
    const status = await checkAndSettle(u);
    expect(status).toMatchObject({ enabled: true, state: 'refused', version: '1.3.0' });
    expect(status.enabled && status.detail).toBe('the installer is not validly signed (not-signed)');
    expect(u.downloaded).toEqual([]);
    expect(u.pendingFiles()).toEqual([]);
    expect(u.quitHandlers).toHaveLength(0);
    expect(u.lines.some((l) => l.startsWith('updates: refused 1.3.0'))).toBe(true);
  });

  it('refuses an installer signed by a look-alike publisher with the same common name', async () => {
    const u = consoleUpdater('other-signer');
    const status = await checkAndSettle(u);
    expect(status).toMatchObject({ enabled: true, state: 'refused' });
    expect(status.enabled && status.detail).toMatch(/not signed by the signer of this installation/);
    expect(u.quitHandlers).toHaveLength(0);
  });

  it('shows why the policy insists on a publisherName: without one, electron-updater accepts even an unsigned installer', async () => {
    // electron-updater 6 skips the signature check (and never calls our verifier) when
    // app-update.yml has no publisherName; update-policy keeps such a build from arming the
    // updater at all (update-policy.test.ts). Should a later electron-updater close this gap,
    // this test fails and the comment in update-verification.ts can be simplified.
    const u = consoleUpdater('unsigned', { publisherNames: [] });
    const status = await checkAndSettle(u);
    expect(status).toMatchObject({ enabled: true, state: 'downloaded' });
  });

  it('does not downgrade', async () => {
    const u = consoleUpdater('downgrade');
    const status = await checkAndSettle(u);
    expect(status).toMatchObject({ enabled: true, state: 'up-to-date' });
    expect(requests).not.toContain('/downgrade/Clinician-Console-Setup-1.1.0.exe');
  });

  it.each([
    ['prerelease', /pre-release/, '/prerelease/Clinician-Console-Setup-1.3.0-beta.1.exe'],
    ['no-sha512', /no valid sha512/, '/no-sha512/Clinician-Console-Setup-1.3.0.exe'],
    ['offsite', /not on the feed’s server/, '/offsite/Clinician-Console-Setup-1.3.0.exe'],
  ])('refuses a %s offer before downloading anything', async (feed, reason, file) => {
    const u = consoleUpdater(feed);
    const status = await checkAndSettle(u);
    expect(status).toMatchObject({ enabled: true, state: 'refused' });
    expect(status.enabled && status.detail).toMatch(reason);
    expect(requests).toContain(`/${feed}/latest.yml`);
    expect(requests).not.toContain(file);
    expect(u.downloaded).toEqual([]);
  });

  it('neither checks nor downloads during a call', async () => {
    const inCall = consoleUpdater('good', { callActive: true });
    const before = requests.length;
    inCall.armed.check();
    expect(inCall.armed.status()).toMatchObject({ state: 'idle' });
    expect(requests.length).toBe(before);
  });
});
