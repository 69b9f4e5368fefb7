/**
 * A real STUN/TURN server for the test stack: Debian's coturn (`turnserver`, installed by
 * scripts/setup.mjs) on 127.0.0.1, its own port, UDP and TCP without TLS, one static
 * long-term-credential user (random per run), no CLI, its database, pid file and log in a
 * temp folder. The Pexip double hands it out in its request_token answers (`stun`/`turn`),
 * as a Conferencing Node hands out IT's configured TURN server.
 *
 * Started only where the binary exists (startTurn answers null otherwise, and the double
 * then sends no `stun`/`turn`, as before). Relay ports come from a random 200-port window
 * above 50000, so several stacks on one machine rarely share one (coturn picks a free port
 * inside the window either way).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseIceUrl, stunBinding } from '../../call/main/readiness/stun-client';
import { until } from '../support/until';

export const TURNSERVER_PATHS = ['/usr/bin/turnserver', '/usr/local/bin/turnserver'];

export interface TurnHandle {
  /** `stun:127.0.0.1:<port>` */
  stunUrl: string;
  /** `turn:127.0.0.1:<port>` (UDP) and `turn:127.0.0.1:<port>?transport=tcp` */
  turnUrls: string[];
  username: string;
  credential: string;
  realm: string;
  /** Stops the server (a test's "TURN is down"); start() brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its folder (the stack's stop). */
  close(): Promise<void>;
}

export function turnserverBinary(): string | null {
  return TURNSERVER_PATHS.find((p) => existsSync(p)) ?? null;
}

/** A port free for both UDP and TCP on 127.0.0.1 now. */
async function freeUdpTcpPort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

export async function startTurn(opts: { realm?: string } = {}): Promise<TurnHandle | null> {
  const bin = turnserverBinary();
  if (!bin) return null;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clinician-turn-'));
  const port = await freeUdpTcpPort();
  const minPort = randomInt(50_000, 64_000);
  const realm = opts.realm ?? 'turn.sandbox.test';
  const username = `console-${randomBytes(4).toString('hex')}`;
  const credential = randomBytes(18).toString('base64url');
  const logFile = path.join(dir, 'turnserver.log');
  const args = [
    '-n',
    '--no-cli',
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 199}`,
    '--no-tls',
    '--no-dtls',
    '--lt-cred-mech',
    `--user=${username}:${credential}`,
    `--realm=${realm}`,
    `--userdb=${path.join(dir, 'turndb')}`,
    `--pidfile=${path.join(dir, 'turnserver.pid')}`,
    '--log-file=stdout',
    '--simple-log',
    // The relay's peers (the double's media relay, Chromium) are on loopback too.
    '--allow-loopback-peers',
    '--no-software-attribute',
  ];
  let child: ChildProcess | null = null;
  const stunServer = parseIceUrl(`stun:127.0.0.1:${port}`)!;

  async function start(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const fd = openSync(logFile, 'a');
    try {
      child = spawn(bin!, args, { stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    const c = child;
    c.on('error', () => undefined);
    await until(
      async () => {
        if (c.exitCode !== null || c.signalCode !== null) throw new Error(`turnserver exited (${c.exitCode ?? c.signalCode}): ${readFileSync(logFile, 'utf8').split('\n').slice(-10).join('\n')}`);
        return (await stunBinding(stunServer, 300)).ok;
      },
      { what: 'coturn to answer a STUN binding request', timeoutMs: 15_000 },
    );
  }

  async function stopChild(): Promise<void> {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  await start();
  return {
    stunUrl: `stun:127.0.0.1:${port}`,
    turnUrls: [`turn:127.0.0.1:${port}`, `turn:127.0.0.1:${port}?transport=tcp`],
    username,
    credential,
    realm,
    start,
    stop: stopChild,
    close: async () => {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
