/**
 * The Pexip status account behind the waiting badge is IT's: a settings file may not set it
 * (refused, naming the key), policy may (a JSON object, or a JSON line per REG_MULTI_SZ
 * entry); a URL with credentials in it is refused. Diagnostics never shows its password,
 * says when there is none (no badge for those meetings), and checks it at the Pexip double's
 * Management API: accepted, or refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDiagnostics } from '../../../../main/diagnostics/diagnostics';
import { resolveSettings, type EffectiveSettings, type PolicySource } from '../../../../main/settings/policy';
import { SettingsSchema } from '../../../../main/settings/settings';
import { diagnosticsText } from '../../../../common/diagnostics-text';
import { startPexip, type PexipHandle } from '../../../stack/pexip';

const DOMAIN = 'vmr.region.invalid';
const policy = (values: Record<string, unknown>): PolicySource => ({ name: 'test policy', read: () => values });
const entry = { domain: DOMAIN, url: 'https://pexip-manager.region.invalid', username: 'console-status', password: 'an invented password 42' };

describe('the Pexip status account in the settings', () => {
  it('may only come from policy', () => {
    expect(() => resolveSettings({ settingsFile: { pexipStatusApi: [entry] }, policies: [] })).toThrow(/"pexipStatusApi" can only be set by IT's policy/);
    const effective = resolveSettings({ policies: [policy({ pexipStatusApi: [entry] })] });
    expect(effective.settings.pexipStatusApi).toEqual([entry]);
    expect(effective.locked).toContain('pexipStatusApi');
  });

  it('takes a JSON line per registry entry, and refuses credentials in the URL or a domain twice', () => {
    const effective = resolveSettings({ policies: [policy({ pexipStatusApi: [JSON.stringify(entry)] })] });
    expect(effective.settings.pexipStatusApi).toEqual([entry]);
    expect(() => resolveSettings({ policies: [policy({ pexipStatusApi: [{ ...entry, url: 'https://someone:secret@pexip-manager.region.invalid' }] })] })).toThrow(/pexipStatusApi/);
    expect(() => resolveSettings({ policies: [policy({ pexipStatusApi: [entry, { ...entry, username: 'another' }] })] })).toThrow(/each domain may be listed once/);
    expect(() => resolveSettings({ policies: [policy({ pexipStatusApi: [{ ...entry, url: 'http://pexip-manager.region.invalid' }] })] })).toThrow(/pexipStatusApi/);
  });

  it('never puts the password in an error message', () => {
    let message = '';
    try {
      resolveSettings({ policies: [policy({ pexipStatusApi: [{ ...entry, password: 42, extra: entry.password }] })] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/pexipStatusApi/);
    expect(message).not.toContain(entry.password);
  });
});

describe('Diagnostics and the Pexip status account', () => {
  let pexip: PexipHandle;
  beforeAll(async () => {
    pexip = await startPexip();
  });
  afterAll(() => pexip?.stop());

  function effective(accounts: unknown[]): EffectiveSettings {
    const settings = SettingsSchema.parse({
      // Test traffic stays on loopback: nothing listens on port 1, so that probe fails at once.
      authority: 'http://127.0.0.1:1/',
      conferenceServers: [{ domain: pexip.domain, provider: 'pexip', url: pexip.url }],
      pexipStatusApi: accounts,
    });
    const sources = Object.fromEntries(Object.keys(settings).map((k) => [k, 'default'])) as EffectiveSettings['sources'];
    return { settings, sources: { ...sources, pexipStatusApi: 'policy' }, locked: ['pexipStatusApi'], policySources: ['test policy'], ignoredPolicyKeys: [], policyProblems: [] };
  }

  const statusOf = async (accounts: unknown[]) => {
    const report = await buildDiagnostics({ version: '0.0.0-test', host: 'browser', effective: effective(accounts), fetch, timeoutMs: 3000 });
    return { report, status: report.reachability.filter((r) => r.service === 'pexip-status') };
  };

  it('checks the account at the Management API and never shows the password', async () => {
    const good = { domain: pexip.domain, url: pexip.statusApi.url, username: pexip.statusApi.username, password: pexip.statusApi.password };
    const { report, status } = await statusOf([good]);
    expect(status).toEqual([{ service: 'pexip-status', url: pexip.statusApi.url, state: 'reachable', detail: 'HTTP 200' }]);
    const shown = report.settings.find((s) => s.key === 'pexipStatusApi');
    expect(shown).toMatchObject({ source: 'policy', locked: true });
    expect(JSON.parse(shown!.value)).toEqual([{ ...good, password: '(hidden)' }]);
    expect(JSON.stringify(report)).not.toContain(good.password);
    expect(diagnosticsText(report)).not.toContain(good.password);
  });

  it('says when the Management API refuses the account', async () => {
    const { status } = await statusOf([{ domain: pexip.domain, url: pexip.statusApi.url, username: pexip.statusApi.username, password: 'not-the-password-1234' }]);
    expect(status).toEqual([{ service: 'pexip-status', url: pexip.statusApi.url, state: 'reachable', detail: 'HTTP 401, account refused' }]);
  });

  it('says when there is no account: those meetings get no badge', async () => {
    const { status } = await statusOf([]);
    expect(status).toEqual([{ service: 'pexip-status', url: pexip.domain, state: 'not-configured', detail: 'no waiting badge for these meetings' }]);
  });
});
