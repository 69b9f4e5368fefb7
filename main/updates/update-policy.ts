/**
 * Update policy: no surprise updates in a clinic.
 *  - Off unless IT's policy names a private feed (updateChannel 'private-feed' with an
 *    https updateFeedUrl); never the public internet.
 *  - Never checked, downloaded or applied during a call. A downloaded update is applied
 *    only when the console quits (which ends any call first), never by a forced restart.
 */
import type { Settings } from '../settings/settings';

export type UpdaterConfig =
  | { enabled: false; reason: string }
  | { enabled: true; feed: { provider: 'generic'; url: string }; checkEveryMs: number };

export function updaterConfig(settings: Pick<Settings, 'updateChannel' | 'updateFeedUrl'>, isPackaged: boolean): UpdaterConfig {
  if (!isPackaged) return { enabled: false, reason: 'development build' };
  if (settings.updateChannel !== 'private-feed') return { enabled: false, reason: 'updates are off by policy' };
  if (!settings.updateFeedUrl) return { enabled: false, reason: 'no update feed is configured' };
  return { enabled: true, feed: { provider: 'generic', url: settings.updateFeedUrl }, checkEveryMs: 4 * 60 * 60 * 1000 };
}

/** Whether a check (and its download) may start now. */
export function mayCheckNow(state: { callActive: boolean }): boolean {
  return !state.callActive;
}
