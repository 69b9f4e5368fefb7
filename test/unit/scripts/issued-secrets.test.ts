/**
 * The recorder that tells the privacy audit what the stack handed out: it sees credentials
 * in the JSON answers and redirects of any HTTP server in the process (the room guard's and
 * Pexip's included, without a hook in them), and nothing that is not one.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issuedSecrets, recordIssuedSecrets } from '../../stack/issued-secrets';

const session = randomBytes(24).toString('base64url');
const janusToken = randomBytes(16).toString('base64url');
const pexipToken = randomBytes(32).toString('base64url');
const code = randomBytes(20).toString('base64url');
let base = '';

const server = createServer((req, res) => {
  if (req.url === '/host') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ session, expiresInMs: 28_800_000 }));
  if (req.url === '/prepare') {
    // Written in two pieces, as a streaming server might.
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    const body = JSON.stringify({ feedId: 'h1', token: janusToken });
    res.write(body.slice(0, 10));
    return void res.end(body.slice(10));
  }
  if (req.url === '/request_token') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', result: { token: pexipToken, expires: '120' } }));
  if (req.url === '/authorize') return void res.writeHead(302, { location: `http://localhost:5555/?code=${code}&state=abc` }).end();
  res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'secret-storage-unavailable', token: 'short' }));
});

beforeAll(async () => {
  recordIssuedSecrets();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

it('records the sessions, tokens and codes the servers hand out, and nothing else', async () => {
  for (const path of ['/host', '/prepare', '/request_token', '/authorize', '/other']) await (await fetch(base + path, { redirect: 'manual' })).text();
  // The 'finish' event comes after the client has the body; let it pass.
  await new Promise((ok) => setImmediate(ok));
  const recorded = issuedSecrets();
  expect(recorded).toEqual(expect.arrayContaining([session, janusToken, pexipToken, code]));
  expect(recorded).not.toContain('short');
  expect(recorded).not.toContain('secret-storage-unavailable');
  expect(recorded).not.toContain('abc');
});
