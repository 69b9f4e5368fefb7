/**
 * The browser host's event streams (host/event-streams.ts) over a real loopback server and
 * real host access rules: an event reaches only live windows of its kind, and revoking a
 * call window's credential ends its stream, so the next call's events never reach it.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostAccess, CREDENTIAL_HEADER } from '../../../host/access';
import { createEventStreams } from '../../../host/event-streams';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
});

async function start() {
  const access = createHostAccess(0);
  const closed: Array<{ kind: string; remaining: number }> = [];
  const streams = createEventStreams({ isLive: access.isLive, onClosed: (kind, remaining) => closed.push({ kind, remaining }) });
  const server = createServer((req, res) => {
    const window = access.windowOf(req);
    if (!window) return void res.writeHead(401).end();
    streams.open(res, window);
  });
  servers.push(server);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return { access, streams, closed, port };
}

/** An open stream: the events received so far, and whether the server ended it. */
function listen(port: number, credential: string) {
  const got: string[] = [];
  let firstChunk!: () => void;
  const connected = new Promise<void>((ok) => (firstChunk = ok));
  let status = 0;
  const ended = new Promise<void>((ok, fail) => {
    request({ host: '127.0.0.1', port, path: '/', headers: { [CREDENTIAL_HEADER]: credential } }, (res: IncomingMessage) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.startsWith('data: ')) got.push((JSON.parse(line.slice(6)) as { event: string }).event);
        firstChunk();
      });
      res.on('end', ok);
      if (status !== 200) firstChunk();
    })
      .on('error', fail)
      .end();
  });
  return { got, connected, ended, status: () => status };
}

describe('browser host event streams', () => {
  it('revoking a call credential ends its stream; the next call window hears the next call, the old one nothing', async () => {
    const { access, streams, closed, port } = await start();
    const main = listen(port, access.exchange(new URL(access.launchUrl).hash.slice(3))!);
    const firstCall = listen(port, access.redeemCallTicket(access.newCallTicket())!);
    await Promise.all([main.connected, firstCall.connected]);
    expect(streams.count('call')).toBe(1);

    streams.push('call', 'call.first', {});
    streams.push('main', 'main.first', {});
    streams.end(access.endCallWindows());
    await firstCall.ended;
    expect(firstCall.got).toEqual(['call.first']);
    // The server's side closes after the client has read the end: polled, not assumed.
    await expect.poll(() => closed).toEqual([{ kind: 'call', remaining: 0 }]);

    const nextCall = listen(port, access.redeemCallTicket(access.newCallTicket())!);
    await nextCall.connected;
    streams.push('call', 'call.next', {});
    streams.push('main', 'main.next', {});
    await expect.poll(() => nextCall.got).toEqual(['call.next']);
    await expect.poll(() => main.got).toEqual(['main.first', 'main.next']);
    // The first call's stream ended before the next call began: it heard nothing of it.
    expect(firstCall.got).toEqual(['call.first']);
  });

  it('a revoked credential opens no new stream, and an event is written only while its credential is live', async () => {
    const { access, streams, port } = await start();
    const credential = access.redeemCallTicket(access.newCallTicket())!;
    const open = listen(port, credential);
    await open.connected;
    // Revoked without ending the stream: the check before each event still holds it back.
    access.endCallWindows();
    streams.push('call', 'after.revoke', {});
    const again = listen(port, credential);
    await again.ended;
    expect(again.status()).toBe(401);
    streams.end([credential]);
    await open.ended;
    expect(open.got).toEqual([]);
  });
});
