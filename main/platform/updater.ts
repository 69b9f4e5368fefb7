/**
 * Electron-only wiring of the update policy (main/updates/update-policy.ts): when IT's
 * policy names a private feed, check it at start and every few hours, but never during a
 * call; a downloaded update is applied only when the console quits. Nothing else ever
 * restarts the app.
 */
import type { Logger } from '../log/logger';
import type { Settings } from '../settings/settings';
import { mayCheckNow, updaterConfig } from '../updates/update-policy';

export async function startUpdater(opts: {
  settings: Settings;
  isPackaged: boolean;
  callActive: () => boolean;
  log: Logger;
}): Promise<() => void> {
  const config = updaterConfig(opts.settings, opts.isPackaged);
  if (!config.enabled) {
    opts.log.info(`updates: off (${config.reason})`);
    return () => {};
  }
  // Loaded only when enabled: it reads the app's files and talks to the feed.
  const { autoUpdater } = (await import('electron-updater')).default;
  autoUpdater.setFeedURL(config.feed);
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.allowDowngrade = false;
  autoUpdater.on('error', (error) => opts.log.warn('updates: check failed', error));
  autoUpdater.on('update-downloaded', (info) => opts.log.info(`updates: ${info.version} downloaded; applied when the console quits`));

  const check = () => {
    if (!mayCheckNow({ callActive: opts.callActive() })) return;
    autoUpdater.checkForUpdates().catch((error: unknown) => opts.log.warn('updates: check failed', error));
  };
  check();
  const timer = setInterval(check, config.checkEveryMs);
  return () => clearInterval(timer);
}
