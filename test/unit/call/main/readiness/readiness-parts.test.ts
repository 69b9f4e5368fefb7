/**
 * The readiness check's small parts: how a server's address is shown (no credentials, query
 * or fragment in a ticket), which ICE URLs are understood (RFC 7064/7065 forms Pexip hands
 * out), and the text table's verdict.
 */
import { describe, expect, it } from 'vitest';
import { readinessPassed, type ReadinessReport } from '../../../../../common/readiness';
import { readinessText } from '../../../../../common/readiness-text';
import { shownAddress } from '../../../../../call/main/readiness/rows';
import { parseIceUrl } from '../../../../../call/main/readiness/stun-client';

describe('readiness parts', () => {
  it('shows a server without user, password, query or fragment', () => {
    expect(shownAddress('https://it-admin:Secret1@pexip-mgmt.region.example:8443/?apikey=abc#x')).toBe('https://pexip-mgmt.region.example:8443');
    expect(shownAddress('wss://janus.hospital.example/janus?token=abc')).toBe('wss://janus.hospital.example/janus');
    expect(shownAddress('pexip.region.example')).toBe('pexip.region.example');
  });

  it('reads stun/turn/turns URLs with their default ports and transports, and refuses anything else', () => {
    expect(parseIceUrl('stun:stun.region.example')).toEqual({ scheme: 'stun', host: 'stun.region.example', port: 3478, transport: 'udp' });
    expect(parseIceUrl('turn:[2001:db8::1]:3479?transport=tcp')).toEqual({ scheme: 'turn', host: '2001:db8::1', port: 3479, transport: 'tcp' });
    expect(parseIceUrl('turns:turn.region.example')).toEqual({ scheme: 'turns', host: 'turn.region.example', port: 5349, transport: 'tcp' });
    for (const bad of ['http://turn.example', 'turn:', 'turn:host:99999', 'stuns:host', 'turn:host?transport=sctp']) expect(parseIceUrl(bad), bad).toBeNull();
  });

  it('says passed only when no row failed (skipped rows do not fail it)', () => {
    const report: ReadinessReport = {
      at: '2031-05-14T08:00:00.000Z',
      origin: 'app://console',
      rows: [
        { kind: 'pexip', server: 'https://pexip.region.example', step: 'tls', state: 'skipped', code: 'not-tls' },
        { kind: 'turn', server: 'turn:turn.region.example', step: 'turn', state: 'ok', code: 'turn-answered', inferred: true },
      ],
    };
    expect(readinessPassed(report)).toBe(true);
    expect(readinessText(report)).toContain(': passed');
    report.rows.push({ kind: 'pexip', server: 'https://pexip.region.example', step: 'cors', state: 'failed', code: 'cors-refused', params: { origin: 'app://console', status: 403 } });
    expect(readinessPassed(report)).toBe(false);
    expect(readinessText(report).split('\n').at(-1)).toMatch(/^FAILED\s+pexip https:\/\/pexip\.region\.example\s+cors\s+cors-refused \(origin=app:\/\/console, status=403\)$/);
  });
});
