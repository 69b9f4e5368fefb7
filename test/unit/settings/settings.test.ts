import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isConfigured, loadSettings } from '../../../main/settings/settings';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cc-settings-')), 'settings.json');
  writeFileSync(path, content);
  return path;
}

describe('settings', () => {
  it('defaults to Entra ID and is not configured without a client and booking API', () => {
    const settings = loadSettings({ env: {} });
    expect(settings.authority).toBe('https://login.microsoftonline.com/organizations/');
    expect(settings.protocolMode).toBe('AAD');
    expect(isConfigured(settings)).toBe(false);
  });

  it('reads the file named by CLINICIAN_CONSOLE_CONFIG', () => {
    const path = file(JSON.stringify({ clientId: 'abc', scopes: ['api://x/y'], bookingApiUrl: 'https://vdx.invalid' }));
    const settings = loadSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path } });
    expect(settings.clientId).toBe('abc');
    expect(isConfigured(settings)).toBe(true);
  });

  it('names the bad key in its error', () => {
    const path = file(JSON.stringify({ bookingApiUrl: 'ftp://nope', wipeScheduleOnSignOut: 'yes' }));
    expect(() => loadSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path } })).toThrow(/bookingApiUrl.*wipeScheduleOnSignOut|wipeScheduleOnSignOut.*bookingApiUrl/s);
  });

  it('refuses unknown keys rather than ignoring a typo', () => {
    const path = file(JSON.stringify({ bookingApiURL: 'https://vdx.invalid' }));
    expect(() => loadSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path } })).toThrow(/bookingApiURL/);
  });

  it('explains a file that is not JSON', () => {
    const path = file('{ not json');
    expect(() => loadSettings({ env: { CLINICIAN_CONSOLE_CONFIG: path } })).toThrow(/could not read the settings file/i);
  });
});
