/**
 * On/off keys that are on unless IT turns them off (`callMiniView`, the call window's mini
 * view; `pexipLockOnHostJoin`, Pexip's lock as the host joins): a policy (JSON, or the Windows
 * registry as a DWORD) wins over a user's settings file and locks the key; a value that is
 * not a boolean stops the start, naming the key.
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

describe.each(['callMiniView', 'pexipLockOnHostJoin'] as const)('%s', (key) => {
  it('is on by default', () => {
    const { settings, sources } = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [] });
    expect(settings[key]).toBe(true);
    expect(sources[key]).toBe('default');
  });

  it.each([true, false])('a policy setting it to %s wins over the user settings file, and locks it', (value) => {
    const user = file(JSON.stringify({ [key]: !value }));
    const policy = file(JSON.stringify({ [key]: value }), 'policy.json');
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: user }, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] });
    expect(effective.settings[key]).toBe(value);
    expect(effective.sources[key]).toBe('policy');
    expect(effective.locked).toContain(key);
  });

  it('comes from the registry as a DWORD', () => {
    const registry = registryPolicy(fakeWindowsPolicyHost({ registry: { [key]: 0 } }));
    expect(registry.read()).toEqual({ [key]: false });
    const effective = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [registry] });
    expect(effective.settings[key]).toBe(false);
  });

  it('refuses anything but a boolean, naming the key', () => {
    const policy = file(JSON.stringify({ [key]: 'yes' }), 'policy.json');
    expect(() => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] })).toThrow(new RegExp(key));
  });
});
