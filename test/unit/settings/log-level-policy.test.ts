/**
 * `logLevel`: error, warn, info or debug (default info); set by IT's policy (JSON, or the
 * Windows registry as REG_SZ) it wins over a user's settings file and is locked; any other
 * value stops the start, naming the key.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEffectiveSettings } from '../../../main/settings/load';
import { jsonFilePolicy, registryPolicy } from '../../../main/settings/policy';
import { POLICY_ONLY_KEYS } from '../../../main/settings/settings';
import { policyKeys } from '../../../scripts/policy-templates/keys';
import { fakeWindowsPolicyHost } from '../../support/fake-windows-policy-host';
import { tempDir } from '../../support/temp-dir';

function file(content: string, name = 'settings.json'): string {
  const path = join(tempDir('cc-settings-'), name);
  writeFileSync(path, content);
  return path;
}

describe('logLevel', () => {
  it('is info by default', () => {
    const { settings, sources, locked } = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [] });
    expect(settings.logLevel).toBe('info');
    expect(sources.logLevel).toBe('default');
    expect(locked).not.toContain('logLevel');
  });

  it('a user may raise it for a support case in their settings file (it is not policy-only)', () => {
    const user = file(JSON.stringify({ logLevel: 'debug' }));
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: user }, allowEnvPolicy: false, policies: [] });
    expect(effective.settings.logLevel).toBe('debug');
    expect(effective.sources.logLevel).toBe('settings file');
    expect(POLICY_ONLY_KEYS as readonly string[]).not.toContain('logLevel');
  });

  it.each(['error', 'warn', 'info', 'debug'] as const)('a policy of %s wins over the settings file and locks it', (level) => {
    const user = file(JSON.stringify({ logLevel: level === 'debug' ? 'error' : 'debug' }));
    const policy = file(JSON.stringify({ logLevel: level }), 'policy.json');
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: user }, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] });
    expect(effective.settings.logLevel).toBe(level);
    expect(effective.sources.logLevel).toBe('policy');
    expect(effective.locked).toContain('logLevel');
  });

  it('comes from the registry as a string', () => {
    const registry = registryPolicy(fakeWindowsPolicyHost({ registry: { logLevel: 'warn' } }));
    const effective = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [registry] });
    expect(effective.settings.logLevel).toBe('warn');
    expect(effective.locked).toContain('logLevel');
  });

  it.each(['verbose', 'INFO', 3, ''])('refuses %j, naming the key', (value) => {
    const policy = file(JSON.stringify({ logLevel: value }), 'policy.json');
    expect(() => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] })).toThrow(/logLevel/);
  });

  it('is a choice of the four levels in the policy templates', () => {
    const key = policyKeys().find((k) => k.name === 'logLevel');
    expect(key).toEqual({ name: 'logLevel', kind: { type: 'enum', values: ['error', 'warn', 'info', 'debug'] }, default: 'info', policyOnly: false });
  });
});
