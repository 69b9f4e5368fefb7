/**
 * `pexipLockOnHostJoin`: on unless turned off; a policy wins over a user's settings file and
 * locks the key; the registry gives it as a DWORD; anything but a boolean stops the start,
 * naming the key.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEffectiveSettings } from '../../../main/settings/load';
import { jsonFilePolicy, registryPolicy } from '../../../main/settings/policy';
import { fakeWindowsPolicyHost } from '../../support/fake-windows-policy-host';
import { tempDir } from '../../support/temp-dir';

function file(content: string, name = 'settings.json'): string {
  const path = join(tempDir('cc-settings-'), name);
  writeFileSync(path, content);
  return path;
}

describe('pexipLockOnHostJoin', () => {
  it('is on by default', () => {
    const { settings, sources } = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [] });
    expect(settings.pexipLockOnHostJoin).toBe(true);
    expect(sources.pexipLockOnHostJoin).toBe('default');
  });

  it('a policy wins over the user settings file, and locks it', () => {
    const user = file(JSON.stringify({ pexipLockOnHostJoin: false }));
    const policy = file(JSON.stringify({ pexipLockOnHostJoin: true }), 'policy.json');
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: user }, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] });
    expect(effective.settings.pexipLockOnHostJoin).toBe(true);
    expect(effective.sources.pexipLockOnHostJoin).toBe('policy');
    expect(effective.locked).toContain('pexipLockOnHostJoin');
  });

  it('comes from the registry as a DWORD', () => {
    const registry = registryPolicy(fakeWindowsPolicyHost({ registry: { pexipLockOnHostJoin: 0 } }));
    expect(registry.read()).toEqual({ pexipLockOnHostJoin: false });
    const effective = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [registry] });
    expect(effective.settings.pexipLockOnHostJoin).toBe(false);
  });

  it('refuses anything but a boolean, naming the key', () => {
    const policy = file(JSON.stringify({ pexipLockOnHostJoin: 'yes' }), 'policy.json');
    expect(() => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] })).toThrow(/pexipLockOnHostJoin/);
  });
});
