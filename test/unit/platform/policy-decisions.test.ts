import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fetchNetworkClient } from '../../../main/auth/fetch-network-client';
import { proxyConfigFor } from '../../../main/platform/proxy';
import { mayCheckNow, updaterConfig, type InstallFacts } from '../../../main/updates/update-policy';

describe('update policy', () => {
  const off = { updateChannel: 'off' as const, updateFeedUrl: '' };
  // A signed NSIS installation on Windows: the one case where the install allows updates.
  const signedNsis: InstallFacts = {
    platform: 'win32',
    installKind: 'nsis',
    signature: { valid: true, signer: 'CN=Example Publisher, O=Example Publisher, C=DK' },
    updateConfig: { present: true, publisherName: true },
  };
  it('is off by default, in development builds, and without a feed', () => {
    expect(updaterConfig(off, true, signedNsis)).toMatchObject({ enabled: false, reason: 'updates are off by policy' });
    expect(updaterConfig({ updateChannel: 'private-feed', updateFeedUrl: 'https://updates.hospital.invalid/cc/' }, false, signedNsis)).toMatchObject({ enabled: false });
    expect(updaterConfig({ updateChannel: 'private-feed', updateFeedUrl: '' }, true, signedNsis)).toMatchObject({ enabled: false });
  });
  it('uses only the private feed IT names', () => {
    expect(updaterConfig({ updateChannel: 'private-feed', updateFeedUrl: 'https://updates.hospital.invalid/cc/' }, true, signedNsis)).toMatchObject({
      enabled: true,
      feed: { provider: 'generic', url: 'https://updates.hospital.invalid/cc/' },
    });
  });
  it('never checks during a call', () => {
    expect(mayCheckNow({ callActive: true })).toBe(false);
    expect(mayCheckNow({ callActive: false })).toBe(true);
  });
});

describe('proxy settings', () => {
  it('follows the system proxy by default, or what IT fixes', () => {
    expect(proxyConfigFor({ proxyMode: 'system', proxyRules: '', proxyBypassRules: '' })).toEqual({ mode: 'system' });
    expect(proxyConfigFor({ proxyMode: 'direct', proxyRules: '', proxyBypassRules: '' })).toEqual({ mode: 'direct' });
    expect(proxyConfigFor({ proxyMode: 'fixed', proxyRules: 'proxy.hospital.invalid:8080', proxyBypassRules: '' })).toEqual({
      mode: 'fixed_servers',
      proxyRules: 'proxy.hospital.invalid:8080',
      proxyBypassRules: '<local>',
    });
    expect(() => proxyConfigFor({ proxyMode: 'fixed', proxyRules: '', proxyBypassRules: '' })).toThrow(/proxyRules/);
  });
});

describe('MSAL network client over fetch', () => {
  it('sends GET and POST with headers and body, and returns status, headers and JSON', async () => {
    const seen: Array<{ method?: string; body: string; header?: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, body, header: req.headers['x-test'] as string | undefined });
        res.writeHead(req.method === 'POST' ? 400 : 200, { 'content-type': 'application/json', 'x-answer': 'yes' });
        res.end(req.method === 'POST' ? '{"error":"invalid_grant"}' : 'not json');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    try {
      const client = fetchNetworkClient(fetch);
      const get = await client.sendGetRequestAsync<object>(url, { headers: { 'x-test': 'a' } }, 2000);
      expect(get).toEqual({ status: 200, body: {}, headers: expect.objectContaining({ 'x-answer': 'yes' }) });
      const post = await client.sendPostRequestAsync<{ error: string }>(url, { body: 'grant_type=x' });
      expect(post.status).toBe(400);
      expect(post.body.error).toBe('invalid_grant');
      expect(seen).toEqual([
        { method: 'GET', body: '', header: 'a' },
        { method: 'POST', body: 'grant_type=x', header: undefined },
      ]);
    } finally {
      server.close();
    }
  });
});
