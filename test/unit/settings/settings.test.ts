import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEffectiveSettings } from '../../../main/settings/load';
import { jsonFilePolicy, managedPreferencesPolicy, registryPolicy } from '../../../main/settings/policy';
import { isConfigured } from '../../../main/settings/settings';
import { fakeWindowsPolicyHost } from '../../support/fake-windows-policy-host';
import { tempDir } from '../../support/temp-dir';

function file(content: string, name = 'settings.json'): string {
  const path = join(tempDir('cc-settings-'), name);
  writeFileSync(path, content);
  return path;
}

const noPolicy = { allowEnvPolicy: false, policies: [] };

describe('settings', () => {
  it('defaults to Entra ID and is not configured without a client and booking API', () => {
    const { settings, sources, locked } = loadEffectiveSettings({ env: {}, ...noPolicy });
    expect(settings.authority).toBe('https://login.microsoftonline.com/organizations/');
    expect(settings.protocolMode).toBe('AAD');
    expect(settings.updateChannel).toBe('off');
    expect(sources.authority).toBe('default');
    expect(locked).toEqual([]);
    expect(isConfigured(settings)).toBe(false);
  });

  it('reads the file named by CLINICIAN_CONSOLE_CONFIG', () => {
    const path = file(JSON.stringify({ clientId: 'abc', scopes: ['api://x/y'], bookingApiUrl: 'https://vdx.invalid' }));
    const { settings, sources } = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path }, ...noPolicy });
    expect(settings.clientId).toBe('abc');
    expect(sources.clientId).toBe('settings file');
    expect(isConfigured(settings)).toBe(true);
  });

  it('names the bad key in its error', () => {
    const path = file(JSON.stringify({ bookingApiUrl: 'ftp://nope', wipeScheduleOnSignOut: 'yes' }));
    expect(() => loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path }, ...noPolicy })).toThrow(
      /bookingApiUrl.*wipeScheduleOnSignOut|wipeScheduleOnSignOut.*bookingApiUrl/s,
    );
  });

  it('refuses unknown keys rather than ignoring a typo', () => {
    const path = file(JSON.stringify({ bookingApiURL: 'https://vdx.invalid' }));
    expect(() => loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path }, ...noPolicy })).toThrow(/"bookingApiURL"/);
  });

  it('requires https: and wss: for every server, except on this computer (loopback)', () => {
    const cases: Array<[Record<string, unknown>, boolean]> = [
      [{ bookingApiUrl: 'http://vdx.hospital.invalid' }, false],
      [{ bookingApiUrl: 'http://127.0.0.1:8080' }, true],
      [{ bookingApiUrl: 'http://localhost:8080' }, true],
      [{ bookingApiUrl: 'http://[::1]:8080' }, true],
      [{ bookingApiUrl: 'http://127.0.0.1.evil.invalid' }, false],
      [{ smsGatewayUrl: 'http://sms.hospital.invalid/send' }, false],
      [{ invitationBaseUrl: 'http://portal.hospital.invalid/' }, false],
      [{ conferenceServers: [{ domain: 'vdx.invalid', provider: 'janus', url: 'ws://janus.hospital.invalid', guardUrl: 'https://guard.hospital.invalid' }] }, false],
      [{ conferenceServers: [{ domain: 'vdx.invalid', provider: 'janus', url: 'wss://janus.hospital.invalid', guardUrl: 'http://guard.hospital.invalid' }] }, false],
      [{ conferenceServers: [{ domain: 'vdx.invalid', provider: 'pexip', url: 'http://pexip.hospital.invalid' }] }, false],
      [{ conferenceServers: [{ domain: 'vdx.invalid', provider: 'janus', url: 'ws://127.0.0.1:8188', guardUrl: 'http://127.0.0.1:8090' }] }, true],
      [{ conferenceServers: [{ domain: 'vdx.invalid', provider: 'pexip', url: 'https://pexip.hospital.invalid' }] }, true],
    ];
    for (const [values, ok] of cases) {
      const load = () => loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: file(JSON.stringify(values)) }, ...noPolicy });
      if (ok) expect(load, JSON.stringify(values)).not.toThrow();
      else expect(load, JSON.stringify(values)).toThrow(/must be (https|wss):/);
    }
  });

  it('explains a file that is not JSON', () => {
    const path = file('{ not json');
    expect(() => loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path }, ...noPolicy })).toThrow(/could not read the settings file/i);
  });
});

describe("IT's managed policy", () => {
  const userFile = () => file(JSON.stringify({ bookingApiUrl: 'https://user-choice.invalid', wipeScheduleOnSignOut: false }));

  it('from a JSON file (Linux /etc, Windows ProgramData) beats the user and locks the key', () => {
    const policy = file(JSON.stringify({ bookingApiUrl: 'https://vdx.hospital.invalid', updateChannel: 'off' }), 'policy.json');
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: userFile() }, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] });
    expect(effective.settings.bookingApiUrl).toBe('https://vdx.hospital.invalid');
    expect(effective.sources.bookingApiUrl).toBe('policy');
    expect(effective.sources.wipeScheduleOnSignOut).toBe('settings file');
    expect(effective.settings.wipeScheduleOnSignOut).toBe(false);
    expect(effective.locked.sort()).toEqual(['bookingApiUrl', 'updateChannel']);
    expect(effective.policySources).toEqual([policy]);
  });

  it('from the Windows registry, with DWORD booleans and multi-string lists', () => {
    // As Windows types the values (powerShellPolicyHost): REG_SZ a string, REG_DWORD a number, REG_MULTI_SZ a list.
    const host = fakeWindowsPolicyHost({
      registry: {
        bookingApiUrl: 'https://vdx.hospital.invalid',
        wipeScheduleOnSignOut: 1,
        requestTimeoutMs: 30000,
        scopes: ['api://vdx/meetings.read', 'api://vdx/other'],
        conferenceServers: ['{"domain":"vdx.hospital.invalid","provider":"pexip","url":"https://pexip.hospital.invalid/"}'],
      },
    });
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: userFile() }, allowEnvPolicy: false, policies: [registryPolicy(host)] });
    expect(effective.settings.wipeScheduleOnSignOut).toBe(true);
    expect(effective.settings.requestTimeoutMs).toBe(30000);
    expect(effective.sources.scopes).toBe('policy');
    // A list of objects in the registry: one JSON object a line.
    expect(effective.settings.conferenceServers).toEqual([{ domain: 'vdx.hospital.invalid', provider: 'pexip', url: 'https://pexip.hospital.invalid/' }]);
    expect(effective.policySources).toEqual(['HKLM\\Software\\Policies\\ClinicianConsole']);
    expect(registryPolicy(fakeWindowsPolicyHost({ registry: null })).read()).toBeNull();
  });

  it('from macOS managed preferences (plist converted by plutil)', () => {
    const plistPath = file('<plist/>', 'eu.clinicianconsole.app.plist');
    const servers = [{ domain: 'video.hospital.invalid', provider: 'pexip', url: 'https://pexip.hospital.invalid/' }];
    const source = managedPreferencesPolicy(plistPath, () => JSON.stringify({ conferenceServers: servers }));
    const effective = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [source] });
    expect(effective.settings.conferenceServers).toEqual(servers);
    expect(effective.locked).toEqual(['conferenceServers']);
  });

  it('names the bad key and the policy source of an invalid policy', () => {
    const policy = file(JSON.stringify({ updateChannel: 'nightly' }), 'policy.json');
    expect(() => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] })).toThrow(
      new RegExp(`Invalid policy in ${policy.replace(/[/.]/g, '\\$&')}: updateChannel`),
    );
    // Text that is no URL at all is a settings error naming the key, never a crash.
    const notUrl = file(JSON.stringify({ bookingApiUrl: 'not a url' }), 'policy.json');
    expect(() => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(notUrl)] })).toThrow(
      expect.objectContaining({ name: 'SettingsError', message: expect.stringContaining('bookingApiUrl') }),
    );
  });

  it('keeps security keys for IT: a settings file that sets one is refused, naming it', () => {
    for (const key of ['allowBasicTextSecretStorage', 'updateChannel', 'externalAllowlist', 'proxyMode', 'allowUserSettingsFile']) {
      const value = key === 'updateChannel' ? 'private-feed' : key === 'proxyMode' ? 'direct' : key === 'externalAllowlist' ? ['https://x.invalid'] : true;
      const path = file(JSON.stringify({ [key]: value }));
      expect(() => loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path }, ...noPolicy }), key).toThrow(new RegExp(`"${key}" can only be set by IT's policy`));
    }
    const policy = file(JSON.stringify({ allowBasicTextSecretStorage: true }), 'policy.json');
    expect(loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(policy)] }).settings.allowBasicTextSecretStorage).toBe(true);
  });

  it('an installed console ignores the settings file unless the policy allows it', () => {
    const env = { CLINICIAN_CONSOLE_CONFIG: userFile() };
    expect(loadEffectiveSettings({ env, allowEnvPolicy: false, installed: true, policies: [] }).settings.bookingApiUrl).toBe('');
    const allow = file(JSON.stringify({ allowUserSettingsFile: true }), 'policy.json');
    const allowed = loadEffectiveSettings({ env, allowEnvPolicy: false, installed: true, policies: [jsonFilePolicy(allow)] });
    expect(allowed.settings.bookingApiUrl).toBe('https://user-choice.invalid');
    expect(allowed.sources.bookingApiUrl).toBe('settings file');
  });

  it('honours CLINICIAN_CONSOLE_POLICY only when allowed (never in an installed build)', () => {
    const policy = file(JSON.stringify({ clientId: 'from-policy' }), 'policy.json');
    expect(loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_POLICY: policy }, allowEnvPolicy: true, policies: [] }).settings.clientId).toBe('from-policy');
    expect(loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_POLICY: policy }, allowEnvPolicy: false, policies: [] }).settings.clientId).toBe('');
  });
});
