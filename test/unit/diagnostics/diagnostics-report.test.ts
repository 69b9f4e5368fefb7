/**
 * "Copy diagnostics" goes into IT tickets: URLs lose credentials, query and fragment (an SMS
 * gateway's ?apikey=), and the updater's state or the reason it is off is in the report.
 */
import { describe, expect, it } from 'vitest';
import { diagnosticsText } from '../../../common/diagnostics-text';
import { buildDiagnostics, safeUrl } from '../../../main/diagnostics/diagnostics';
import { resolveSettings } from '../../../main/settings/policy';

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
});
