/**
 * "Copy diagnostics" goes into IT tickets: URLs lose credentials, query and fragment (an SMS
 * gateway's ?apikey=), and the updater's state or the reason it is off is in the report.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticsText } from '../../../common/diagnostics-text';
import { buildDiagnostics, safeUrl } from '../../../main/diagnostics/diagnostics';
import { registryPolicy, resolveSettings, type PolicySource } from '../../../main/settings/policy';
import { Diagnostics } from '../../../preload/contract';
import { fakeWindowsPolicyHost } from '../../support/fake-windows-policy-host';

describe('the diagnostics report', () => {
  it('keeps URLs without credentials, query or fragment, and leaves other values alone', () => {
    expect(safeUrl('https://sms.hospital.example/send?apikey=invented-key-123')).toBe('https://sms.hospital.example/send?…');
    expect(safeUrl('https://user:pass@feed.hospital.example/updates/')).toBe('https://feed.hospital.example/updates/');
    expect(safeUrl('https://@feed.hospital.example/x')).toBe('https://feed.hospital.example/x');
    expect(safeUrl('wss://janus.hospital.example/#token')).toBe('wss://janus.hospital.example/?…');
    expect(safeUrl('https://vdx.region.example/api')).toBe('https://vdx.region.example/api');
    expect(safeUrl('OIDC')).toBe('OIDC');
  });

  it('shows no gateway key or feed credential anywhere in the copied text, and says why updates are off', async () => {
    const effective = resolveSettings({
      settingsFile: { smsGatewayUrl: 'https://sms.hospital.example/send?apikey=invented-key-123', bookingApiUrl: 'http://127.0.0.1:9/api' },
      policies: [],
    });
    const report = await buildDiagnostics({
      version: '0.0.0-test',
      host: 'electron',
      effective,
      fetch: async () => {
        throw new TypeError('offline');
      },
      timeoutMs: 100,
      updates: { enabled: false, reason: 'updates are off by policy' },
    });
    const text = diagnosticsText(report);
    expect(text).not.toContain('invented-key-123');
    expect(report.settings.find((s) => s.key === 'smsGatewayUrl')?.value).toBe('https://sms.hospital.example/send?…');
    expect(report.updates).toEqual({ enabled: false, detail: 'updates are off by policy' });
    expect(text).toContain('Updates: off (updates are off by policy)');
  });

  it("shows a Janus test room's host PIN as hidden, never as it is", async () => {
    const room = { domain: 'video.hospital.example', room: 'readiness-check-room', hostPin: '60491827' };
    const effective = resolveSettings({ policies: [{ name: 'test policy', read: () => ({ janusTestRooms: [room] }) }] });
    const report = await buildDiagnostics({ version: '0.0.0-test', host: 'electron', effective, fetch: async () => new Response(null), timeoutMs: 100 });
    expect(JSON.parse(report.settings.find((s) => s.key === 'janusTestRooms')!.value)).toEqual([{ ...room, hostPin: '(hidden)' }]);
    expect(diagnosticsText(report)).not.toContain('60491827');
  });
});

describe('policy in the diagnostics report (issue 20)', () => {
  it('lists ignored unknown keys by key and source (no value) and sources not applied with their reason', async () => {
    const registry = registryPolicy(fakeWindowsPolicyHost({ registry: null, fail: ['registryValues'] }));
    const newer: PolicySource = { name: '/etc/clinician-console/policy.json', read: () => ({ callMiniView: false, futureGateway: 'https://elsewhere.invalid/?key=invented-key-456' }) };
    const effective = resolveSettings({ policies: [newer, registry] });
    const report = Diagnostics.parse(await buildDiagnostics({ version: '0.0.0-test', host: 'electron', effective, fetch: async () => new Response(null), timeoutMs: 100 }));
    expect(report.policySources).toEqual(['/etc/clinician-console/policy.json']);
    expect(report.policyIgnoredKeys).toEqual([{ key: 'futureGateway', source: '/etc/clinician-console/policy.json' }]);
    expect(report.policyProblems).toEqual([{ source: 'HKLM\\Software\\Policies\\ClinicianConsole', reason: 'reader-failed', detail: 'EPERM' }]);
    const text = diagnosticsText(report);
    expect(text).toContain('ignored unknown key: futureGateway in /etc/clinician-console/policy.json');
    expect(text).toContain('not applied: HKLM\\Software\\Policies\\ClinicianConsole (reader-failed, EPERM)');
    expect(text).not.toContain('invented-key-456');
    expect(JSON.stringify(report)).not.toContain('elsewhere.invalid');
  });

  it('says what a policy change while running applied at once and what waits for a restart, or that it was invalid', async () => {
    const effective = resolveSettings({ policies: [] });
    const changed = await buildDiagnostics({ version: '1.0.0', host: 'browser', effective, fetch: async () => new Response(''), policyReload: { live: ['signOutAfterIdleMinutes'], restart: ['bookingApiUrl'], invalid: false } });
    expect(Diagnostics.parse(changed).policyReload).toEqual({ live: ['signOutAfterIdleMinutes'], restart: ['bookingApiUrl'], invalid: false });
    expect(diagnosticsText(changed)).toContain('changed while running; applied now: signOutAfterIdleMinutes\n  changed, applies at the next start: bookingApiUrl');
    const invalid = await buildDiagnostics({ version: '1.0.0', host: 'browser', effective, fetch: async () => new Response(''), policyReload: { live: [], restart: [], invalid: true } });
    expect(diagnosticsText(invalid)).toContain('changed while running, but invalid');
    const none = await buildDiagnostics({ version: '1.0.0', host: 'browser', effective, fetch: async () => new Response('') });
    expect(diagnosticsText(none)).not.toContain('changed while running');
  });

  it('lists waiting badges that may stay dark, each with its reason, and nothing when there are none', async () => {
    const effective = resolveSettings({ policies: [] });
    const waiting = [
      { subject: 'vmr-1234@vmr.region.example', problem: 'no-vmr' as const },
      { subject: 'vmr.region.example', problem: 'rate-limited' as const },
    ];
    const report = await buildDiagnostics({ version: '1.0.0', host: 'browser', effective, fetch: async () => new Response(''), waiting });
    expect(Diagnostics.parse(report).waiting).toEqual(waiting);
    expect(diagnosticsText(report)).toContain('Waiting badges:\n  no-vmr: vmr-1234@vmr.region.example\n  rate-limited: vmr.region.example');
    const none = await buildDiagnostics({ version: '1.0.0', host: 'browser', effective, fetch: async () => new Response(''), waiting: [] });
    expect(none.waiting).toBeUndefined();
    expect(diagnosticsText(none)).not.toContain('Waiting badges');
  });
});
