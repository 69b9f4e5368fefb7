/**
 * Policy that survives a fleet (issue 20): an unknown key is ignored and listed, a source
 * that cannot be read or that a non-administrator can write is reported and not applied,
 * and a bad value for a known key still stops the start. The Linux permission check runs
 * for real on files this test makes (as root, the way CI runs it); the Windows ACL check and
 * known-folder lookup run against a fake of the platform seam with real-world SDDL.
 */
import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEffectiveSettings } from '../../../main/settings/load';
import { jsonFilePolicy, managedPreferencesPolicy, platformPolicySources, registryPolicy, resolveSettings } from '../../../main/settings/policy';
import { sddlWritableOnlyByAdmins, writableOnlyByRoot } from '../../../main/settings/policy-file-trust';
import { powerShellPolicyHost, systemDirectory } from '../../../main/settings/windows-policy-host';
import { fakeWindowsPolicyHost } from '../../support/fake-windows-policy-host';
import { tempDir } from '../../support/temp-dir';

const asRoot = process.getuid?.() === 0;

function policyFile(values: Record<string, unknown>): { dir: string; path: string } {
  const dir = join(tempDir('cc-policy-'), 'clinician-console');
  mkdirSync(dir, { mode: 0o755 });
  const path = join(dir, 'policy.json');
  writeFileSync(path, JSON.stringify(values), { mode: 0o644 });
  chmodSync(dir, 0o755);
  chmodSync(path, 0o644);
  return { dir, path };
}

describe('an unknown policy key', () => {
  it('is ignored and listed (key and source, no value); the rest of the source applies', () => {
    const { path } = policyFile({ bookingApiUrl: 'https://vdx.hospital.invalid', futureKey: 'https://secret.invalid/?token=x' });
    const effective = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(path)] });
    expect(effective.settings.bookingApiUrl).toBe('https://vdx.hospital.invalid');
    expect(effective.ignoredPolicyKeys).toEqual([{ key: 'futureKey', source: path }]);
    expect(JSON.stringify(effective.ignoredPolicyKeys)).not.toContain('secret');
    expect(effective.policySources).toEqual([path]);
  });

  it('from the registry too', () => {
    const effective = resolveSettings({ policies: [registryPolicy(fakeWindowsPolicyHost({ registry: { newerSwitch: 1, callMiniView: 0 } }))] });
    expect(effective.settings.callMiniView).toBe(false);
    expect(effective.ignoredPolicyKeys).toEqual([{ key: 'newerSwitch', source: 'HKLM\\Software\\Policies\\ClinicianConsole' }]);
  });

  it('inside a known key (a newer field of a conference server or a status account) is ignored and listed by its path, not its value', () => {
    const { path } = policyFile({
      conferenceServers: [
        { domain: 'vmr.hospital.invalid', provider: 'pexip', url: 'https://pexip.hospital.invalid', futureTls: 'pin-me-not-shown' },
        { domain: 'video.hospital.invalid', provider: 'janus', url: 'wss://janus.hospital.invalid/', guardUrl: 'https://guard.hospital.invalid' },
      ],
      pexipStatusApi: [{ domain: 'vmr.hospital.invalid', url: 'https://mgmt.hospital.invalid', username: 'status', password: 'pw-not-shown', futureScope: 'x' }],
    });
    const effective = loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(path)] });
    expect(effective.settings.conferenceServers).toEqual([
      { domain: 'vmr.hospital.invalid', provider: 'pexip', url: 'https://pexip.hospital.invalid' },
      { domain: 'video.hospital.invalid', provider: 'janus', url: 'wss://janus.hospital.invalid/', guardUrl: 'https://guard.hospital.invalid' },
    ]);
    expect(effective.settings.pexipStatusApi).toEqual([{ domain: 'vmr.hospital.invalid', url: 'https://mgmt.hospital.invalid', username: 'status', password: 'pw-not-shown' }]);
    expect(effective.ignoredPolicyKeys).toEqual([
      { key: 'conferenceServers[0].futureTls', source: path },
      { key: 'pexipStatusApi[0].futureScope', source: path },
    ]);
    expect(JSON.stringify(effective.ignoredPolicyKeys)).not.toMatch(/not-shown/);
  });

  it('inside a registry line of JSON too', () => {
    const line = JSON.stringify({ domain: 'vmr.hospital.invalid', provider: 'pexip', url: 'https://pexip.hospital.invalid', newerField: 1 });
    const effective = resolveSettings({ policies: [registryPolicy(fakeWindowsPolicyHost({ registry: { conferenceServers: [line] } }))] });
    expect(effective.settings.conferenceServers).toEqual([{ domain: 'vmr.hospital.invalid', provider: 'pexip', url: 'https://pexip.hospital.invalid' }]);
    expect(effective.ignoredPolicyKeys).toEqual([{ key: 'conferenceServers[0].newerField', source: 'HKLM\\Software\\Policies\\ClinicianConsole' }]);
  });

  it("in the user's own settings file still stops the start (a typo there is theirs to fix), nested too", () => {
    const user = policyFile({ conferenceServers: [{ domain: 'vmr.hospital.invalid', provider: 'pexip', url: 'https://pexip.hospital.invalid', tls: 1 }] });
    expect(() => loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_CONFIG: user.path }, allowEnvPolicy: false, policies: [] })).toThrow(
      expect.objectContaining({ name: 'SettingsError', message: expect.stringContaining('conferenceServers') }),
    );
  });

  it('a nested field with a bad value for a known field still stops the start', () => {
    const { path } = policyFile({ conferenceServers: [{ domain: 'vmr.hospital.invalid', provider: 'pexip', url: 'http://pexip.elsewhere.invalid', futureTls: 1 }] });
    expect(() => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(path)] })).toThrow(
      expect.objectContaining({ name: 'SettingsError', message: expect.stringContaining('conferenceServers') }),
    );
  });

  it('does not excuse a bad value for a known key: that still stops the start, naming key and source', () => {
    const { path } = policyFile({ futureKey: true, smsGatewayUrl: 'http://sms.elsewhere.invalid/' });
    expect(() => loadEffectiveSettings({ env: {}, allowEnvPolicy: false, policies: [jsonFilePolicy(path)] })).toThrow(
      expect.objectContaining({ name: 'SettingsError', message: expect.stringMatching(new RegExp(`Invalid policy in ${path.replace(/[/.]/g, '\\$&')}: smsGatewayUrl`)) }),
    );
  });
});

describe('a policy source that cannot be used', () => {
  it('is reported with its reason, never silently "no policy"', () => {
    const registry = registryPolicy(fakeWindowsPolicyHost({ registry: { callMiniView: 0 }, fail: ['registryValues'] }));
    const effective = resolveSettings({ policies: [registry] });
    expect(effective.policyProblems).toEqual([{ source: 'HKLM\\Software\\Policies\\ClinicianConsole', reason: 'reader-failed', detail: 'EPERM' }]);
    expect(effective.policySources).toEqual([]);
    expect(effective.settings.callMiniView).toBe(true);
  });

  it.runIf(asRoot)('a policy file root cannot read for a user is reported as unreadable (a folder in its place)', () => {
    const { path } = policyFile({});
    const dir = join(path, '..', 'folder.json');
    mkdirSync(dir);
    const effective = resolveSettings({ policies: [jsonFilePolicy(dir)] });
    expect(effective.policyProblems).toEqual([{ source: dir, reason: 'unreadable', detail: 'EISDIR' }]);
  });

  it('macOS: managed preferences plutil cannot convert are reported', () => {
    const { path } = policyFile({});
    const source = managedPreferencesPolicy(path, () => {
      throw Object.assign(new Error('plutil refused'), { code: 'ENOENT' });
    });
    expect(resolveSettings({ policies: [source] }).policyProblems).toEqual([{ source: path, reason: 'reader-failed', detail: 'ENOENT' }]);
  });

  it('an installed console with an unreadable policy does not fall back to the user settings file', () => {
    const registry = registryPolicy(fakeWindowsPolicyHost({ registry: { allowUserSettingsFile: 1 }, fail: ['registryValues'] }));
    const effective = resolveSettings({ settingsFile: { bookingApiUrl: 'https://user.invalid' }, policies: [registry], installed: true });
    expect(effective.settings.bookingApiUrl).toBe('');
  });
});

describe('CLINICIAN_CONSOLE_MACHINE_POLICY (development and tests: Linux machine policy file elsewhere)', () => {
  it.runIf(process.platform === 'linux')('is checked as the machine policy file: in a folder anyone can write it is ignored and reported', () => {
    const { dir, path } = policyFile({ callMiniView: false });
    chmodSync(dir, 0o777);
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_MACHINE_POLICY: path }, allowEnvPolicy: true });
    expect(effective.policyProblems).toEqual([{ source: path, reason: 'writable-by-others' }]);
    expect(effective.settings.callMiniView).toBe(true);
  });

  it.runIf(process.platform === 'linux' && asRoot)("applies when root's alone", () => {
    const { path } = policyFile({ callMiniView: false });
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_MACHINE_POLICY: path }, allowEnvPolicy: true });
    expect(effective.policySources).toEqual([path]);
    expect(effective.settings.callMiniView).toBe(false);
  });

  it('counts nowhere an environment may not name policy (an installed build)', () => {
    const { dir, path } = policyFile({ callMiniView: false });
    chmodSync(dir, 0o777);
    const effective = loadEffectiveSettings({ env: { CLINICIAN_CONSOLE_MACHINE_POLICY: path }, allowEnvPolicy: false });
    expect(JSON.stringify(effective.policyProblems)).not.toContain(path);
    expect(effective.policySources).not.toContain(path);
  });
});

describe('Linux: /etc/clinician-console/policy.json counts only when root alone can write it (checked for real)', () => {
  it('is the platform source, with the check', () => {
    const [source] = platformPolicySources('linux');
    expect(source?.name).toBe('/etc/clinician-console/policy.json');
  });

  it.runIf(asRoot)('a root-owned file in a root-owned folder, neither writable by others, applies', () => {
    const { path } = policyFile({ callMiniView: false });
    expect(writableOnlyByRoot(path)).toBe(true);
    const effective = resolveSettings({ policies: [jsonFilePolicy(path, { trusted: writableOnlyByRoot })] });
    expect(effective.settings.callMiniView).toBe(false);
    expect(effective.policyProblems).toEqual([]);
  });

  const planted: Array<[string, (p: { dir: string; path: string }) => void]> = [
    ['a world-writable file', ({ path }) => chmodSync(path, 0o666)],
    ['a group-writable file', ({ path }) => chmodSync(path, 0o664)],
    ['a file owned by a user', ({ path }) => chownSync(path, 1000, 1000)],
    ['a world-writable folder', ({ dir }) => chmodSync(dir, 0o777)],
    ['a folder owned by a user', ({ dir }) => chownSync(dir, 1000, 1000)],
    [
      'a link to a file in a folder a user can write',
      ({ path }) => {
        const elsewhere = tempDir('cc-planted-');
        chmodSync(elsewhere, 0o777);
        writeFileSync(join(elsewhere, 'policy.json'), JSON.stringify({ smsGatewayUrl: 'https://sms.elsewhere.invalid/' }), { mode: 0o644 });
        writeFileSync(path, '');
        symlinkSync(join(elsewhere, 'policy.json'), `${path}.link`);
      },
    ],
  ];
  for (const [what, plant] of planted) {
    it.runIf(asRoot)(`${what}: ignored and reported`, () => {
      const file = policyFile({ smsGatewayUrl: 'https://sms.elsewhere.invalid/' });
      plant(file);
      const path = what.startsWith('a link') ? `${file.path}.link` : file.path;
      expect(writableOnlyByRoot(path)).toBe(false);
      const effective = resolveSettings({ policies: [jsonFilePolicy(path, { trusted: writableOnlyByRoot })] });
      expect(effective.settings.smsGatewayUrl).toBe('');
      expect(effective.policySources).toEqual([]);
      expect(effective.policyProblems).toEqual([{ source: path, reason: 'writable-by-others' }]);
    });
  }
});

describe('Windows: the policy file where the OS says, only when administrators alone can write it', () => {
  const hardenedFolder = 'O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)';
  // An administrator's new folder in ProgramData inherits "Users may create files" (DCLCRPCR = 0x116).
  const inheritedFolder = 'O:BAG:SYD:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)';
  const userFolder = 'O:S-1-5-21-1004336348-1177238915-682003330-1001G:S-1-5-21-1004336348-1177238915-682003330-513D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)(A;OICIID;0x1200a9;;;BU)';
  const adminFile = 'O:BAG:SYD:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)';
  const usersModifyFile = 'O:BAG:SYD:AI(A;;0x1301bf;;;BU)(A;ID;FA;;;SY)(A;ID;FA;;;BA)';

  it('reads SDDL as Windows writes it', () => {
    expect(sddlWritableOnlyByAdmins(hardenedFolder)).toBe(true);
    expect(sddlWritableOnlyByAdmins(adminFile)).toBe(true);
    expect(sddlWritableOnlyByAdmins('O:SYG:SYD:P(D;;FA;;;BU)(A;;FA;;;S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464)')).toBe(true);
    expect(sddlWritableOnlyByAdmins(inheritedFolder)).toBe(false);
    expect(sddlWritableOnlyByAdmins(userFolder)).toBe(false);
    expect(sddlWritableOnlyByAdmins(usersModifyFile)).toBe(false);
    expect(sddlWritableOnlyByAdmins('O:BAG:SYD:(A;;GW;;;AU)')).toBe(false);
    expect(sddlWritableOnlyByAdmins('O:BAG:SYD:(A;;WD;;;WD)')).toBe(false); // Everyone may change the permissions
    expect(sddlWritableOnlyByAdmins('O:BAG:SYD:(A;;ZZ;;;BU)')).toBe(false); // a right it does not know: not trusted
    expect(sddlWritableOnlyByAdmins('O:BAG:SYD:NO_ACCESS_CONTROL')).toBe(false);
    expect(sddlWritableOnlyByAdmins('')).toBe(false);
  });

  // The known folder: a real folder here, so that the file a trusted ACL lets through is really read.
  const data = tempDir('cc-programdata-');
  const dir = join(data, 'ClinicianConsole');
  const path = join(dir, 'policy.json');
  mkdirSync(dir);
  writeFileSync(path, JSON.stringify({ smsGatewayUrl: 'https://sms.hospital.invalid/' }));
  const sources = (sddl: Record<string, string>, fail: Parameters<typeof fakeWindowsPolicyHost>[0]['fail'] = []) =>
    platformPolicySources('win32', () => fakeWindowsPolicyHost({ commonAppData: data, sddl, registry: null, fail }));

  it('takes the folder from the known folder, not %ProgramData%, and reads the registry after it', () => {
    expect(sources({}).map((s) => s.name)).toEqual([path, 'HKLM\\Software\\Policies\\ClinicianConsole']);
  });

  it('a file that would plant policy is ignored and reported; one that only administrators can write applies', () => {
    for (const [folder, file] of [
      [inheritedFolder, adminFile],
      [userFolder, adminFile],
      [hardenedFolder, usersModifyFile],
    ] as const) {
      const effective = resolveSettings({ policies: sources({ [dir]: folder, [path]: file }) });
      expect(effective.settings.smsGatewayUrl, `${folder} ${file}`).toBe('');
      expect(effective.policyProblems).toEqual([{ source: path, reason: 'writable-by-others' }]);
    }
    const trusted = resolveSettings({ policies: sources({ [dir]: hardenedFolder, [path]: adminFile }) });
    expect(trusted.settings.smsGatewayUrl).toBe('https://sms.hospital.invalid/');
    expect(trusted.policyProblems).toEqual([]);
    // No file (Get-Acl finds none): no policy from it, and nothing to report.
    expect(resolveSettings({ policies: sources({ [dir]: hardenedFolder }) }).policyProblems).toEqual([]);
  });

  it('a known-folder lookup or ACL read that fails is reported', () => {
    const lookup = resolveSettings({ policies: sources({}, ['commonAppData']) });
    expect(lookup.policyProblems).toEqual([{ source: 'CommonApplicationData\\ClinicianConsole\\policy.json', reason: 'location-unknown', detail: 'EPERM' }]);
    const acl = resolveSettings({ policies: sources({ [dir]: hardenedFolder, [path]: adminFile }, ['securityDescriptor']) });
    expect(acl.policyProblems).toEqual([{ source: path, reason: 'reader-failed', detail: 'EPERM' }]);
    expect(acl.settings.smsGatewayUrl).toBe('');
  });
});

describe('the Windows policy host (PowerShell)', () => {
  it('reads JSON whose non-ASCII characters came escaped, whatever the console code page', () => {
    const scripts: string[] = [];
    const host = powerShellPolicyHost((script) => {
      scripts.push(script);
      if (script.includes('Get-ItemProperty -LiteralPath $p')) return '{"proxyBypassRules":"*.sj\\u00e4lland.invalid","requestTimeoutMs":30000,"scopes":["a"]}\r\n';
      if (script.includes('Get-Acl')) return '"O:BAG:SYD:(A;;FA;;;SY)"\r\n';
      return '"C:\\\\ProgramData"\r\n';
    });
    expect(host.registryValues('HKLM\\Software\\Policies\\ClinicianConsole')).toEqual({ proxyBypassRules: '*.själland.invalid', requestTimeoutMs: 30000, scopes: ['a'] });
    expect(host.commonAppData()).toBe('C:\\ProgramData');
    expect(host.securityDescriptor("C:\\ProgramData\\it's")).toBe('O:BAG:SYD:(A;;FA;;;SY)');
    // Nothing that Constrained Language Mode refuses, no reg.exe, and a quoted path.
    expect(scripts.join('\n')).not.toMatch(/OutputEncoding|reg(\.exe)? query/i);
    expect(scripts[0]).toContain("'Registry::HKEY_LOCAL_MACHINE\\Software\\Policies\\ClinicianConsole'");
    expect(scripts[2]).toContain("'C:\\ProgramData\\it''s'");
  });

  it('tells a missing key or file (none) from a failure (an error)', () => {
    const none = powerShellPolicyHost(() => 'NONE\r\n');
    expect(none.registryValues('HKLM\\X')).toBeNull();
    expect(none.securityDescriptor('C:\\X')).toBeNull();
    expect(() => none.commonAppData()).toThrow();
    expect(() => powerShellPolicyHost(() => 'garbled').registryValues('HKLM\\X')).toThrow();
    expect(powerShellPolicyHost(() => 'null').registryValues('HKLM\\X')).toEqual({});
  });

  it('runs the PowerShell of the folder Windows loaded ntdll.dll from, never one found through the environment', () => {
    expect(systemDirectory({ sharedObjects: ['C:\\Program Files\\Clinician Console\\x.dll', 'D:\\WINNT\\SYSTEM32\\ntdll.dll'] })).toBe('D:\\WINNT\\SYSTEM32');
    expect(systemDirectory(undefined)).toBe('C:\\Windows\\System32');
  });
});
