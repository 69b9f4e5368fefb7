/**
 * Policy that changes while the console runs (Linux and macOS: a watched policy file): a real
 * temp file is rewritten, replaced by rename, or broken, and the watcher reads the whole policy
 * again; what may change live is told apart from what waits for a restart.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEffectiveSettings } from '../../../main/settings/load';
import { jsonFilePolicy, type EffectiveSettings } from '../../../main/settings/policy';
import { LIVE_POLICY_KEYS, policyChange, watchPolicyFiles } from '../../../main/settings/policy-watch';
import { createLogger } from '../../../main/log/logger';
import { tempDir } from '../../support/temp-dir';

const log = createLogger([() => undefined]);
const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

function policyAt(values: Record<string, unknown>): string {
  const dir = join(tempDir('cc-policy-watch-'), 'clinician-console');
  mkdirSync(dir);
  const path = join(dir, 'policy.json');
  writeFileSync(path, JSON.stringify(values));
  return path;
}

const read = (path: string) => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(path)] });

/** Watches `path`; resolves with the next policy read, or the error when it no longer validates. */
function watchOnce(path: string): Promise<EffectiveSettings | Error> {
  return new Promise((resolve) => {
    const watcher = watchPolicyFiles({ files: [path], reload: () => read(path), onChange: resolve, onInvalid: resolve, log, debounceMs: 20 });
    closers.push(watcher.close);
  });
}

describe('policyChange', () => {
  it('applies the shared-workstation keys live and leaves the rest for the next start', () => {
    const before = read(policyAt({ signOutAfterIdleMinutes: 30, bookingApiUrl: 'https://vdx.hospital.invalid' }));
    const after = read(policyAt({ signOutAfterIdleMinutes: 10, signOutWhenLocked: true, bookingApiUrl: 'https://other.hospital.invalid' }));
    expect(policyChange(before, after)).toEqual({ live: ['signOutWhenLocked', 'signOutAfterIdleMinutes'], restart: ['bookingApiUrl'] });
    expect(policyChange(after, after)).toEqual({ live: [], restart: [] });
    expect(LIVE_POLICY_KEYS).toEqual(['signOutWhenLocked', 'signOutAfterIdleMinutes']);
  });

  it('counts a key that policy now sets to its default value as changed (it is locked now)', () => {
    const before = read(policyAt({}));
    const after = read(policyAt({ signOutWhenLocked: false }));
    expect(policyChange(before, after).live).toEqual(['signOutWhenLocked']);
  });
});

describe('watchPolicyFiles (a real file)', () => {
  it('reads the policy again after the file is rewritten', async () => {
    const path = policyAt({ signOutAfterIdleMinutes: 30 });
    const next = watchOnce(path);
    writeFileSync(path, JSON.stringify({ signOutAfterIdleMinutes: 15 }));
    expect(((await next) as EffectiveSettings).settings.signOutAfterIdleMinutes).toBe(15);
  });

  it('sees a file replaced by rename, as configuration tools write it', async () => {
    const path = policyAt({ signOutWhenLocked: false });
    const next = watchOnce(path);
    const staged = join(path, '..', '.policy.json.tmp');
    writeFileSync(staged, JSON.stringify({ signOutWhenLocked: true }));
    renameSync(staged, path);
    expect(((await next) as EffectiveSettings).settings.signOutWhenLocked).toBe(true);
  });

  it('says when the new policy is invalid, naming the key', async () => {
    const path = policyAt({ signOutAfterIdleMinutes: 30 });
    const next = watchOnce(path);
    writeFileSync(path, JSON.stringify({ signOutAfterIdleMinutes: -1 }));
    expect(await next).toEqual(expect.objectContaining({ name: 'SettingsError', message: expect.stringContaining('signOutAfterIdleMinutes') }));
  });

  it('watches nothing, and fails nothing, where the policy folder does not exist', () => {
    const path = join(tempDir('cc-policy-watch-'), 'absent', 'policy.json');
    const watcher = watchPolicyFiles({ files: [path], reload: () => read(path), onChange: () => undefined, onInvalid: () => undefined, log });
    watcher.close();
  });
});
