/**
 * Main's half of the check before joining: whether the meeting's conference server answers,
 * against the Pexip double over real HTTP (up, then down as a node that went away) and an
 * address nothing listens on (a blocked or stopped server). No PIN is sent and the room is not
 * touched: the node's log shows no token request.
 */
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer, probeTargets } from '../../../../call/main/server-check';
import { startPexip, type PexipHandle } from '../../../stack/pexip';

let pexip: PexipHandle;
beforeAll(async () => {
  pexip = await startPexip();
});
afterAll(() => pexip?.stop());

/** A loopback port with nothing listening on it (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('checkServer', () => {
  it('asks the node of a Pexip meeting, the Janus server and the room guard of a Janus one', () => {
    expect(probeTargets({ domain: 'vmr.example.org', provider: 'pexip', url: 'https://pexip.example.org/' })).toEqual([
      { service: 'conference-server', url: 'https://pexip.example.org/api/client/v2/status' },
    ]);
    expect(probeTargets({ domain: 'video.example.org', provider: 'janus', url: 'wss://janus.example.org/ws', guardUrl: 'https://guard.example.org/' })).toEqual([
      { service: 'conference-server', url: 'https://janus.example.org/ws' },
      { service: 'room-guard', url: 'https://guard.example.org/v1/rooms' },
    ]);
  });

  it('says a running node answers, and the same node down does not, without asking for a token', async () => {
    const server = { domain: pexip.domain, provider: 'pexip' as const, url: pexip.url };
    pexip.clearRequestLog();
    expect(await checkServer(server, { fetch, timeoutMs: 3000 })).toEqual({ services: [{ service: 'conference-server', state: 'reachable' }] });
    pexip.setDown(true);
    try {
      expect(await checkServer(server, { fetch, timeoutMs: 3000 })).toEqual({ services: [{ service: 'conference-server', state: 'unreachable' }] });
    } finally {
      pexip.setDown(false);
    }
    expect(pexip.requestLog.filter((e) => e.path.includes('/conferences/'))).toEqual([]);
  });

  it('says which part of a Janus site does not answer', async () => {
    const port = await closedPort();
    const check = await checkServer(
      { domain: 'video.sandbox.test', provider: 'janus', url: `ws://127.0.0.1:${port}/`, guardUrl: pexip.url },
      { fetch, timeoutMs: 3000 },
    );
    expect(check.services).toEqual([
      { service: 'conference-server', state: 'unreachable' },
      { service: 'room-guard', state: 'reachable' },
    ]);
  });

  it('gives up on a server that accepts but never answers, after the timeout', async () => {
    // A blackholed firewall: the connection opens, nothing comes back.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const check = await checkServer({ domain: 'vmr.sandbox.test', provider: 'pexip', url: `http://127.0.0.1:${port}` }, { fetch, timeoutMs: 300 });
      expect(check.services).toEqual([{ service: 'conference-server', state: 'unreachable' }]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
