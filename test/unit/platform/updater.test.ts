/**
 * main/platform/updater.ts: when the updater starts at all, what it hands electron-updater,
 * and how it asks Windows and macOS about signatures (the commands are checked here; their
 * answers only mean something on those systems).
 */
import { EventEmitter } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../main/log/logger';
import { appBundleOf, probeAuthenticode, probeCodesign, startUpdater, type RunFile } from '../../../main/platform/updater';
import type { Settings } from '../../../main/settings/settings';
import type { InstallFacts } from '../../../main/updates/update-policy';

/** A stand-in for electron-updater's autoUpdater (the real one needs Electron). */
const fake = vi.hoisted(() => ({ updater: undefined as unknown }));
vi.mock('electron-updater', () => ({ default: { get autoUpdater() { return fake.updater; } } }));

class FakeNsisUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = false;
  allowDowngrade = true;
  allowPrerelease = true;
  disableWebInstaller = false;
  logger: unknown = console;
  currentVersion = { version: '1.2.0' };
  feeds: unknown[] = [];
  checks = 0;
  verifyUpdateCodeSignature: unknown = 'electron-updater default';
  setFeedURL(feed: unknown) {
    this.feeds.push(feed);
  }
  checkForUpdates() {
    this.checks++;
    return Promise.resolve(null);
  }
  downloadUpdate() {
    return Promise.resolve([]);
  }
}

const lines: string[] = [];
const log: Logger = { debug: () => {}, info: (m) => void lines.push(m), warn: (m) => void lines.push(m), error: (m) => void lines.push(m), child: () => log };
const settings = (overrides: Partial<Settings>) => ({ updateChannel: 'private-feed', updateFeedUrl: 'https://updates.hospital.invalid/cc/', ...overrides }) as Settings;
const signedNsis: InstallFacts = {
  platform: 'win32',
  installKind: 'nsis',
  signature: { valid: true, signer: 'CN=Example Publisher, O=Example Publisher, C=DK' },
  updateConfig: { present: true, publisherName: true },
};

afterEach(() => {
  lines.length = 0;
  vi.useRealTimers();
});

describe('startUpdater', () => {
  it('does not even look at the installation when the policy says no', async () => {
    const probe = vi.fn(async () => signedNsis);
    const handle = await startUpdater({ settings: settings({ updateChannel: 'off' }), isPackaged: true, callActive: () => false, log, probe });
    expect(probe).not.toHaveBeenCalled();
    expect(handle.status()).toEqual({ enabled: false, reason: 'updates are off by policy' });
    expect(lines).toEqual(['updates: off (updates are off by policy)']);
    handle();
  });

  it('stays off for an MSI installation, and says why (for Diagnostics)', async () => {
    fake.updater = new FakeNsisUpdater();
    const handle = await startUpdater({ settings: settings({}), isPackaged: true, callActive: () => false, log, probe: async () => ({ ...signedNsis, installKind: 'msi' }) });
    expect(handle.status()).toMatchObject({ enabled: false, reason: expect.stringMatching(/MSI package/) });
    expect((fake.updater as FakeNsisUpdater).checks).toBe(0);
    expect((fake.updater as FakeNsisUpdater).feeds).toEqual([]);
  });

  it('arms electron-updater with the policy’s feed and our checks, checks at start and every 4 hours, and stops', async () => {
    vi.useFakeTimers();
    const updater = new FakeNsisUpdater();
    fake.updater = updater;
    const handle = await startUpdater({ settings: settings({}), isPackaged: true, callActive: () => false, log, probe: async () => signedNsis });
    expect(updater.feeds).toEqual([{ provider: 'generic', url: 'https://updates.hospital.invalid/cc/' }]);
    expect(updater).toMatchObject({ autoDownload: false, autoInstallOnAppQuit: true, allowDowngrade: false, allowPrerelease: false, disableWebInstaller: true });
    expect(updater.verifyUpdateCodeSignature).toBeTypeOf('function');
    expect(updater.logger).not.toBe(console);
    expect(updater.checks).toBe(1);
    expect(handle.status()).toMatchObject({ enabled: true, feedUrl: 'https://updates.hospital.invalid/cc/' });

    await vi.advanceTimersByTimeAsync(4 * 60 * 60 * 1000);
    expect(updater.checks).toBe(2);
    handle();
    await vi.advanceTimersByTimeAsync(8 * 60 * 60 * 1000);
    expect(updater.checks).toBe(2);
  });

  it('refuses to arm a Windows updater that has no signature hook', async () => {
    const updater = new FakeNsisUpdater();
    delete (updater as { verifyUpdateCodeSignature?: unknown }).verifyUpdateCodeSignature;
    fake.updater = updater;
    const handle = await startUpdater({ settings: settings({}), isPackaged: true, callActive: () => false, log, probe: async () => signedNsis });
    expect(handle.status()).toMatchObject({ enabled: true, state: 'refused', detail: 'this updater offers no signature check' });
    expect(updater.checks).toBe(0);
    handle();
  });
});

describe('asking Windows about a signature', () => {
  it('runs Windows PowerShell by its full path, without a shell, with the file in the environment', async () => {
    const calls: Array<{ file: string; args: readonly string[]; env?: NodeJS.ProcessEnv }> = [];
    const run: RunFile = async (file, args, options) => {
      calls.push({ file, args, env: options.env });
      // As Out-File -Encoding utf8 writes it in Windows PowerShell 5.1: a BOM, then the JSON.
      writeFileSync(options.env!.CC_AUTHENTICODE_OUT!, '\uFEFF{"Status":0,"SignerCertificate":{"Subject":"CN=Exämple Publisher, C=DK"},"Path":"C:\\\\a b\';calc;\'.exe"}\r\n');
      return { stdout: '', stderr: '', code: 0 };
    };
    const target = "C:\\a b';calc;'.exe";
    const result = await probeAuthenticode(target, run, { SystemRoot: 'C:\\WINDOWS', PSModulePath: 'C:\\pwsh7\\Modules', PATH: 'C:\\evil' });
    expect(result).toEqual({ status: 'valid', subject: 'CN=Exämple Publisher, C=DK', path: target });
    // The answer's private folder is gone afterwards.
    expect(existsSync(calls[0]!.env!.CC_AUTHENTICODE_OUT!)).toBe(false);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.file).toBe('C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(calls[0]!.args.slice(0, 4)).toEqual(['-NoProfile', '-NonInteractive', '-InputFormat', 'None']);
    expect(calls[0]!.args.join(' ')).not.toContain(target);
    expect(calls[0]!.args.at(-1)).toContain('Get-AuthenticodeSignature -LiteralPath $env:CC_AUTHENTICODE_FILE');
    expect(calls[0]!.env).toMatchObject({ CC_AUTHENTICODE_FILE: target });
    expect(calls[0]!.env).not.toHaveProperty('PSModulePath');
  });

  it('answers "unknown" (a refusal) when PowerShell fails, times out or prints nonsense', async () => {
    expect(await probeAuthenticode('C:\\x.exe', async () => ({ stdout: '', stderr: 'blocked by policy', code: 1 }), {})).toEqual({ status: 'unknown' });
    expect(await probeAuthenticode('C:\\x.exe', async () => ({ stdout: '', stderr: '', code: null }), {})).toEqual({ status: 'unknown' });
    expect(await probeAuthenticode('C:\\x.exe', async () => ({ stdout: 'WARNING: something', stderr: '', code: 0 }), {})).toEqual({ status: 'unknown' });
    expect(
      await probeAuthenticode('C:\\x.exe', async (_f, _a, o) => {
        writeFileSync(o.env!.CC_AUTHENTICODE_OUT!, 'WARNING: something');
        return { stdout: '', stderr: '', code: 0 };
      }, {}),
    ).toEqual({ status: 'unknown' });
    expect(
      await probeAuthenticode(
        'C:\\x.exe',
        async () => {
          throw new Error('spawn ENOENT');
        },
        {},
      ),
    ).toEqual({ status: 'unknown' });
  });
});

describe('asking macOS about a signature', () => {
  it('finds the app bundle of the running executable', () => {
    expect(appBundleOf('/Applications/Clinician Console.app/Contents/MacOS/Clinician Console')).toBe('/Applications/Clinician Console.app');
    expect(appBundleOf('/usr/lib/clinician-console/clinician-console')).toBeNull();
  });

  it('needs codesign --verify to pass and a Developer ID', async () => {
    const bundle = '/Applications/Clinician Console.app';
    const signed: RunFile = async (_file, args) =>
      args[0] === '--verify'
        ? { stdout: '', stderr: '', code: 0 }
        : { stdout: '', stderr: 'Authority=Developer ID Application: Example Publisher (ABCDE12345)\nTeamIdentifier=ABCDE12345\n', code: 0 };
    expect(await probeCodesign(bundle, signed)).toEqual({ valid: true, signer: 'Developer ID Application: Example Publisher (ABCDE12345)' });
    const broken: RunFile = async (_file, args) => (args[0] === '--verify' ? { stdout: '', stderr: 'a sealed resource is missing or invalid', code: 1 } : signed(_file, args, { timeout: 1 }));
    expect(await probeCodesign(bundle, broken)).toEqual({ valid: false, detail: 'codesign --verify failed' });
    const adhoc: RunFile = async (_file, args) => (args[0] === '--verify' ? { stdout: '', stderr: '', code: 0 } : { stdout: '', stderr: 'Signature=adhoc\nTeamIdentifier=not set\n', code: 0 });
    expect(await probeCodesign(bundle, adhoc)).toEqual({ valid: false, detail: 'ad-hoc signature' });
  });
});
