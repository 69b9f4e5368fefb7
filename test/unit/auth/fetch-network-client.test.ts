/**
 * MSAL's network client over the console's fetch: token requests (refresh tokens in, access
 * and refresh tokens out) and the provider's metadata are never kept in an HTTP cache. With
 * Node's real fetch against a real loopback server that records what arrives: fetch's
 * `cache: 'no-store'` shows on the wire as `Cache-Control: no-cache`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchNetworkClient } from '../../../main/auth/fetch-network-client';

let server: Server;
let base: string;
const received: Array<{ method: string; headers: IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' }).end('{"token_type":"Bearer"}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('MSAL network client', () => {
  it('sends metadata and token requests with cache: no-store, even where the server allows caching', async () => {
    const client = fetchNetworkClient(fetch);
    const meta = await client.sendGetRequestAsync<{ token_type: string }>(`${base}/.well-known/openid-configuration`, { headers: {} }, 5000);
    const token = await client.sendPostRequestAsync<{ token_type: string }>(`${base}/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token',
    });
    expect(meta.body.token_type).toBe('Bearer');
    expect(token).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
    expect(received.map((r) => [r.method, r.headers['cache-control']])).toEqual([
      ['GET', 'no-cache'],
      ['POST', 'no-cache'],
    ]);
    expect(received[1]!.body).toBe('grant_type=refresh_token');
  });
});
