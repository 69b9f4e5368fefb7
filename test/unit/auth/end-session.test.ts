/**
 * Where sign-out finds the identity provider's end_session_endpoint. The test IdP covers the
 * OIDC path end to end (sign-out.test.ts); Entra ID cannot run here, so its address rules are
 * checked against a loopback server serving metadata shaped like Entra's, and failures
 * against answers a provider can really give.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscoveryError, discoveryUrlFor, endSessionUrl } from '../../../main/auth/end-session';

describe('discovery address (as MSAL reads it)', () => {
  it("uses Entra's v2.0 metadata for AAD and the issuer's own for OIDC", () => {
    expect(discoveryUrlFor('https://login.microsoftonline.com/organizations/', 'AAD').href).toBe(
      'https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration',
    );
    expect(discoveryUrlFor('https://login.microsoftonline.com/contoso.example', 'AAD').href).toBe(
      'https://login.microsoftonline.com/contoso.example/v2.0/.well-known/openid-configuration',
    );
    expect(discoveryUrlFor('https://idp.example/v2.0/', 'AAD').href).toBe('https://idp.example/v2.0/.well-known/openid-configuration');
    expect(discoveryUrlFor('https://idp.example/', 'OIDC').href).toBe('https://idp.example/.well-known/openid-configuration');
  });
});

describe('end-session address', () => {
  let server: Server;
  let base: string;
  /** What the metadata path answers: status and body. */
  let answer: { status: number; body: string } = { status: 200, body: '{}' };
  const asked: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  const find = (authority: string, protocolMode: 'AAD' | 'OIDC' = 'AAD') =>
    endSessionUrl({ authority, protocolMode, clientId: 'console-client', fetch, timeoutMs: 2000 });

  it("reads Entra's logout endpoint from the tenant's v2.0 metadata and adds only client_id", async () => {
    answer = { status: 200, body: JSON.stringify({ issuer: `${base}/tenant-a/v2.0`, end_session_endpoint: `${base}/tenant-a/oauth2/v2.0/logout` }) };
    asked.length = 0;
    const url = await find(`${base}/tenant-a/`);
    expect(asked).toEqual(['/tenant-a/v2.0/.well-known/openid-configuration']);
    expect(url?.href).toBe(`${base}/tenant-a/oauth2/v2.0/logout?client_id=console-client`);
  });

  it("fills Entra's {tenant} placeholder with the authority's tenant, as MSAL does", async () => {
    answer = { status: 200, body: JSON.stringify({ end_session_endpoint: `${base}/{tenant}/oauth2/v2.0/logout` }) };
    expect((await find(`${base}/organizations/`))?.pathname).toBe('/organizations/oauth2/v2.0/logout');
  });

  it('is null for a provider without an end_session_endpoint', async () => {
    answer = { status: 200, body: JSON.stringify({ issuer: base }) };
    expect(await find(`${base}/`, 'OIDC')).toBeNull();
  });

  it('fails with a reason and no address for an error status, a non-JSON answer, a bad endpoint or no server', async () => {
    answer = { status: 404, body: '{"error":"not_found"}' };
    await expect(find(`${base}/`)).rejects.toMatchObject({ name: 'DiscoveryError', reason: 'HTTP 404' });
    answer = { status: 200, body: '<html>' };
    await expect(find(`${base}/`)).rejects.toMatchObject({ reason: 'not JSON' });
    answer = { status: 200, body: JSON.stringify({ end_session_endpoint: 'javascript:alert(1)' }) };
    await expect(find(`${base}/`)).rejects.toMatchObject({ reason: 'end_session_endpoint scheme' });
    answer = { status: 200, body: JSON.stringify({ end_session_endpoint: 42 }) };
    await expect(find(`${base}/`)).rejects.toMatchObject({ reason: 'unexpected document' });
    const error = await find('http://127.0.0.1:9/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).reason).toBe('unreachable');
    expect((error as Error).message).not.toContain('127.0.0.1');
  });
});
