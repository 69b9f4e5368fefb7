/**
 * The call window's mini view is on unless IT turns it off: `callMiniView` in a policy
 * (JSON or the Windows registry as a DWORD) wins over a user's settings file and is locked;
 * a value that is not a boolean stops the start, naming the key.
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

describe('callMiniView', () => {
  it('is on by default', () => {
    const { settings, sources } = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [] });
    expect(settings.callMiniView).toBe(true);
    expect(sources.callMiniView).toBe('default');
  });

  it('a policy turns it off over the user settings file, and locks it', () => {
    const user = file(JSON.stringify({ callMiniView: true }));
    const policy = file(JSON.stringify({ callMiniView: false }), 'policy.json');
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: user }, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] });
    expect(effective.settings.callMiniView).toBe(false);
    expect(effective.sources.callMiniView).toBe('policy');
    expect(effective.locked).toContain('callMiniView');
  });

  it('comes from the registry as a DWORD', () => {
    const registry = registryPolicy(fakeWindowsPolicyHost({ registry: { callMiniView: 0 } }));
    expect(registry.read()).toEqual({ callMiniView: false });
    const effective = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [registry] });
    expect(effective.settings.callMiniView).toBe(false);
  });

  it('refuses anything but a boolean, naming the key', () => {
    const policy = file(JSON.stringify({ callMiniView: 'off' }), 'policy.json');
    expect(() => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] })).toThrow(/callMiniView/);
  });
});
