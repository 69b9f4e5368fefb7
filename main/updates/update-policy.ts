/**
 * Update policy: no surprise updates in a clinic, and no update that cannot be verified.
 *  - Off unless IT's policy names a private feed (updateChannel 'private-feed' with an
 *    https updateFeedUrl); never the public internet.
 *  - Off for an installation the updater must not touch: an MSI installation on Windows (IT
 *    deploys a newer MSI; electron-updater only knows NSIS installers and would install a
 *    second copy beside it), anything not installed by the NSIS installer, Linux (AppImage
 *    and deb updates carry no publisher signature electron-updater could check).
 *  - Off for a build whose updates could not be verified: an unsigned Windows build, or one
 *    without a publisherName in app-update.yml (electron-updater then skips the signature
 *    check); on macOS a build not signed with a Developer ID (Squirrel.Mac checks an update
 *    against the running app's own signature, so an unsigned or ad-hoc app can never be
 *    updated safely).
 *  - Never checked, downloaded or applied during a call. A downloaded update is applied
 *    only when the console quits (which ends any call first), never by a forced restart.
 *
 * Every "off" carries the reason, in words IT can act on: Diagnostics shows it.
 */
import type { Settings } from '../settings/settings';

/** What the running installation is, as main/platform/updater.ts finds out (see there how). */
export interface InstallFacts {
  platform: NodeJS.Platform;
  /** Windows: see windowsInstallKind; macOS: 'app-bundle'; elsewhere: 'other'. */
  installKind: 'nsis' | 'msi' | 'unknown' | 'app-bundle' | 'other';
  /**
   * The running app's code signature: Windows Authenticode of the executable (signer = its
   * subject DN), macOS codesign (signer = the Developer ID authority).
   */
  signature: { valid: true; signer: string } | { valid: false; detail: string };
  /** resources/app-update.yml, which electron-builder writes for a publish configuration. */
  updateConfig: { present: boolean; publisherName: boolean };
}

export type UpdaterConfig =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      feed: { provider: 'generic'; url: string };
      checkEveryMs: number;
      platform: 'win32' | 'darwin';
      /** The running app's signer: an update must come from the same one. */
      signer: string;
    };

export const CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

type UpdateSettings = Pick<Settings, 'updateChannel' | 'updateFeedUrl'>;

/**
 * The decision that needs no look at the installation (so the console does not run
 * PowerShell or codesign at every start when updates are off anyway). Null: go on.
 */
export function policyGate(settings: UpdateSettings, isPackaged: boolean): { enabled: false; reason: string } | null {
  if (!isPackaged) return { enabled: false, reason: 'development build' };
  if (settings.updateChannel !== 'private-feed') return { enabled: false, reason: 'updates are off by policy' };
  if (!settings.updateFeedUrl) return { enabled: false, reason: 'no update feed is configured' };
  let feed: URL;
  try {
    feed = new URL(settings.updateFeedUrl);
  } catch {
    return { enabled: false, reason: 'the update feed URL is not a URL' };
  }
  if (feed.protocol !== 'https:') return { enabled: false, reason: 'the update feed must be https' };
  return null;
}

export function updaterConfig(settings: UpdateSettings, isPackaged: boolean, install: InstallFacts): UpdaterConfig {
  const gate = policyGate(settings, isPackaged);
  if (gate) return gate;
  const off = (reason: string) => ({ enabled: false as const, reason });

  switch (install.platform) {
    case 'win32': {
      if (install.installKind === 'msi') {
        return off('installed by the MSI package: IT deploys new versions as MSI packages; the console does not update an MSI installation itself');
      }
      if (install.installKind !== 'nsis') {
        return off('not installed by the console’s installer (no uninstaller next to the program): nothing can update this copy safely');
      }
      if (!install.updateConfig.present || !install.updateConfig.publisherName) {
        return off('this build names no code-signing publisher (app-update.yml without publisherName), so an update’s signature could not be checked');
      }
      if (!install.signature.valid) return off(`this build is not code-signed (${install.signature.detail}); updates need a signed build`);
      return enabled(settings, 'win32', install.signature.signer);
    }
    case 'darwin': {
      if (!install.signature.valid) {
        return off(`this build is not signed with a Developer ID (${install.signature.detail}); macOS checks an update against the app’s own signature`);
      }
      if (!install.updateConfig.present) return off('this build has no update configuration (app-update.yml)');
      return enabled(settings, 'darwin', install.signature.signer);
    }
    default:
      return off('updates on this system come from your software distribution (AppImage and deb updates carry no publisher signature the console could check)');
  }
}

function enabled(settings: UpdateSettings, platform: 'win32' | 'darwin', signer: string): UpdaterConfig {
  return { enabled: true, feed: { provider: 'generic', url: settings.updateFeedUrl }, checkEveryMs: CHECK_EVERY_MS, platform, signer };
}

/** Whether a check (and its download) may start now. */
export function mayCheckNow(state: { callActive: boolean }): boolean {
  return !state.callActive;
}
