/**
 * Puts our checks around an electron-updater updater (main/updates/update-verification.ts
 * says which layer checks what). No Electron import: the unit tests arm a real NsisUpdater,
 * built with a stand-in for Electron's app, against a feed served on 127.0.0.1.
 *
 *  - Nothing is downloaded by itself (autoDownload off): on "update-available" the offer is
 *    assessed first (newer, a release, files on the feed's own server, sha512s given), and
 *    only an approved update is downloaded, never while a call is on.
 *  - Windows: our fail-closed verifier replaces NsisUpdater.verifyUpdateCodeSignature; it
 *    runs on the downloaded installer before electron-updater accepts it, so a refused
 *    installer is never marked downloaded and never installed at quit.
 *  - Applied only when the console quits (autoInstallOnAppQuit), never by a restart.
 *  - electron-updater's own log lines go through our (redacting) logger, not to stdout.
 */
import type { AppUpdater, NsisUpdater, UpdateInfo } from 'electron-updater';
import type { Logger } from '../log/logger';
import { mayCheckNow, type UpdaterConfig } from './update-policy';
import { assessUpdate, windowsUpdateVerifier, type ApprovedUpdate, type AuthenticodeResult } from './update-verification';

export type UpdaterStatus =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      feedUrl: string;
      state: 'idle' | 'checking' | 'up-to-date' | 'downloading' | 'downloaded' | 'refused' | 'failed';
      /** The version concerned (offered, downloading, downloaded, refused). */
      version?: string;
      /** Why an update was refused or a check failed. */
      detail?: string;
    };

/**
 * A failure in words fit for Diagnostics (which IT copies and pastes): electron-updater's
 * messages can hold paths with the user's name, so only known cases and error codes.
 */
export function describeUpdateFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/sha512 checksum mismatch/i.test(message)) return 'the downloaded file does not match the sha512 the feed lists';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return `electron-updater: ${code}`;
  return error instanceof Error ? error.name : 'unknown error';
}

export interface ArmedUpdater {
  /** Checks the feed now, unless a call is on or a download is running. */
  check(): void;
  status(): UpdaterStatus;
}

export function armUpdater(
  updater: AppUpdater,
  deps: {
    config: Extract<UpdaterConfig, { enabled: true }>;
    log: Logger;
    callActive: () => boolean;
    /** Runs Get-AuthenticodeSignature on a file (Windows only; main/platform/updater.ts). */
    authenticode: (path: string) => Promise<AuthenticodeResult>;
  },
): ArmedUpdater {
  const { config, log } = deps;
  let status: UpdaterStatus = { enabled: true, feedUrl: config.feed.url, state: 'idle' };
  const set = (next: Omit<Extract<UpdaterStatus, { enabled: true }>, 'enabled' | 'feedUrl'>) => {
    status = { enabled: true, feedUrl: config.feed.url, ...next };
  };
  let approved: ApprovedUpdate | null = null;

  updater.logger = {
    info: (message?: unknown) => log.debug(`electron-updater: ${String(message)}`),
    warn: (message?: unknown) => log.warn(`electron-updater: ${String(message)}`),
    error: (message?: unknown) => log.warn(`electron-updater: ${String(message)}`),
  };
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = true;
  updater.allowDowngrade = false;
  updater.allowPrerelease = false;
  // A web installer downloads its payload separately, without the signature check.
  updater.disableWebInstaller = true;
  updater.setFeedURL(config.feed);

  if (config.platform === 'win32') {
    if (!('verifyUpdateCodeSignature' in updater)) {
      // Not the NSIS updater: nothing would check the installer. Never download.
      set({ state: 'refused', detail: 'this updater offers no signature check' });
      return { check() {}, status: () => status };
    }
    (updater as NsisUpdater).verifyUpdateCodeSignature = windowsUpdateVerifier({
      approved: () => approved,
      runningSigner: config.signer,
      authenticode: deps.authenticode,
    });
  }

  const refuse = (version: string | undefined, reason: string) => {
    log.warn(`updates: refused ${version ?? 'an update'}: ${reason}`);
    set({ state: 'refused', ...(version ? { version } : {}), detail: reason });
  };

  updater.on('update-available', (info: UpdateInfo) => {
    const assessment = assessUpdate(info, { currentVersion: updater.currentVersion.version, feedUrl: config.feed.url });
    if (!assessment.ok) {
      approved = null;
      refuse(info.version, assessment.reason);
      return;
    }
    if (!mayCheckNow({ callActive: deps.callActive() })) {
      log.info(`updates: ${info.version} available; not downloaded during a call`);
      set({ state: 'idle', version: info.version });
      return;
    }
    approved = assessment.update;
    set({ state: 'downloading', version: info.version });
    updater.downloadUpdate().catch((error: unknown) => {
      if ((error as { code?: unknown } | null)?.code === 'ERR_UPDATER_INVALID_SIGNATURE') {
        // electron-updater's message ends with our verifier's reason, which names no path.
        const message = error instanceof Error ? error.message : String(error);
        refuse(info.version, message.replace(/^.*?is not signed by the application owner: /s, ''));
      } else {
        log.warn(`updates: download of ${info.version} failed`, error);
        set({ state: 'failed', version: info.version, detail: describeUpdateFailure(error) });
      }
    });
  });
  updater.on('update-not-available', () => {
    if (status.enabled && status.state === 'checking') set({ state: 'up-to-date' });
  });
  updater.on('update-downloaded', (info) => {
    log.info(`updates: ${info.version} downloaded; applied when the console quits`);
    set({ state: 'downloaded', version: info.version });
  });
  updater.on('error', (error) => log.warn('updates: error', error));

  return {
    check() {
      if (!mayCheckNow({ callActive: deps.callActive() })) return;
      if (status.enabled && (status.state === 'downloading' || status.state === 'downloaded' || status.state === 'checking')) return;
      set({ state: 'checking' });
      updater.checkForUpdates().then(
        () => {
          // An answer without an event (e.g. the updater found itself inactive): not stuck in "checking".
          if (status.enabled && status.state === 'checking') set({ state: 'idle' });
        },
        (error: unknown) => {
          log.warn('updates: check failed', error);
          set({ state: 'failed', detail: describeUpdateFailure(error) });
        },
      );
    },
    status: () => status,
  };
}
