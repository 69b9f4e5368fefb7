/**
 * Policy changes while the console runs (Linux's policy file, macOS's managed preferences):
 * the policy files' folders are watched (a file replaced by rename, as editors, MDM agents and
 * configuration tools write, is seen too), changes are debounced, the whole policy is read and
 * validated again, and what can change live is applied; the rest waits for a restart, and
 * Diagnostics says which. The Windows registry has no change event without a native module, so
 * there policy is read at start only (README).
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../log/logger';
import type { EffectiveSettings, SettingKey } from './policy';

/** Keys whose new value the running console takes at once; any other waits for a restart. */
export const LIVE_POLICY_KEYS: readonly SettingKey[] = ['signOutWhenLocked', 'signOutAfterIdleMinutes'];

/** After the last change event: a file is often written in several steps. */
export const POLICY_DEBOUNCE_MS = 500;

export interface PolicyChange {
  /** Changed keys applied now. */
  live: SettingKey[];
  /** Changed keys that apply at the next start. */
  restart: SettingKey[];
}

/** Which keys the new policy changes, split into those applied live and those that need a restart. */
export function policyChange(current: EffectiveSettings, next: EffectiveSettings): PolicyChange {
  const keys = Object.keys(next.settings) as SettingKey[];
  const changed = keys.filter(
    (k) => JSON.stringify(current.settings[k]) !== JSON.stringify(next.settings[k]) || current.sources[k] !== next.sources[k],
  );
  return { live: changed.filter((k) => LIVE_POLICY_KEYS.includes(k)), restart: changed.filter((k) => !LIVE_POLICY_KEYS.includes(k)) };
}

/**
 * Watches `files` and calls `onChange` with the policy read again after they change, or
 * `onInvalid` when it no longer validates (the running console keeps what it has).
 */
export function watchPolicyFiles(opts: {
  files: readonly string[];
  reload(): EffectiveSettings;
  onChange(next: EffectiveSettings): void;
  onInvalid(error: Error): void;
  log: Logger;
  debounceMs?: number;
}): { close(): void } {
  const watchers: FSWatcher[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounceMs = opts.debounceMs ?? POLICY_DEBOUNCE_MS;

  function changed(): void {
    clearTimeout(timer);
    timer = setTimeout(() => {
      let next: EffectiveSettings;
      try {
        next = opts.reload();
      } catch (error) {
        opts.onInvalid(error as Error);
        return;
      }
      opts.onChange(next);
    }, debounceMs);
    timer.unref();
  }

  const byFolder = new Map<string, Set<string>>();
  for (const file of opts.files) {
    const names = byFolder.get(dirname(file)) ?? new Set<string>();
    names.add(basename(file));
    byFolder.set(dirname(file), names);
  }
  for (const [folder, names] of byFolder) {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, name) => {
        // Some platforms do not say which file changed: read again anyway.
        if (name === null || names.has(String(name))) changed();
      });
      watcher.on('error', (error) => opts.log.warn(`policy: stopped watching ${folder}`, error));
      watchers.push(watcher);
    } catch (error) {
      // No folder (no policy here yet): read at the next start.
      opts.log.info(`policy: ${folder} is not watched (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
