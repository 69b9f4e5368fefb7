/**
 * The Janus launcher (test/stack/janus.ts) against Debian's real Janus: it answers, loads
 * only what it should, keeps its URLs across restart, and leaves no process, namespace or
 * interface behind, also when the process that started it is terminated or killed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, onTestFinished, test } from 'vitest';
import { createRoom, JanusApiError, startJanus, videoroomRequest, type JanusHandle } from '../../stack/janus';
import { until } from '../../support/until';

const started: JanusHandle[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((j) => j.stop()));
});

async function start(): Promise<JanusHandle> {
  const j = await startJanus();
  started.push(j);
  return j;
}

async function info(j: JanusHandle): Promise<Record<string, unknown>> {
  const res = await fetch(`${j.httpUrl}/info`, { signal: AbortSignal.timeout(5_000) });
  return (await res.json()) as Record<string, unknown>;
}

/** Running (a zombie waiting for a reaper that is not us counts as gone). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

function ipLink(): string {
  return spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' }).stdout;
}

const isolatedHere = process.getuid?.() === 0;

describe('startJanus', () => {
  test('answers info with only the VideoRoom plugin and the HTTP + WebSocket transports', async () => {
    const j = await start();
    expect(j.isolated).toBe(isolatedHere);
    const body = await info(j);
    expect(body.janus).toBe('server_info');
    expect(body.version_string).toMatch(/^1\./);
    expect(Object.keys(body.plugins as object)).toEqual(['janus.plugin.videoroom']);
    expect(Object.keys(body.transports as object).sort()).toEqual([
      'janus.transport.http',
      'janus.transport.websockets',
    ]);
    expect(Object.keys((body.events as object | undefined) ?? {})).toEqual([]);
    if (j.isolated) {
      expect(j.httpUrl).toBe(`http://${j.iceAddress}:8088/janus`);
      // The WebSocket API through the loopback forwarder (clients speak plain ws only on loopback).
      expect(j.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      expect(j.iceAddress).toMatch(/^10\.77\.\d+\.1$/);
      expect(j.hostInterface && linkExists(j.hostInterface)).toBe(true);
    }
  });

  test('room ids are strings and a wrong secret is reported as an error', async () => {
    const j = await start();
    const room = await createRoom(j, { adminKey: j.adminKey, pin: '2468', secret: 'room-secret-1' });
    expect(room).toMatch(/^[0-9a-f]{32}$/);
    const exists = await videoroomRequest(j, { request: 'exists', room });
    expect(exists.exists).toBe(true);
    const err = await videoroomRequest(j, { request: 'destroy', room, secret: 'wrong' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JanusApiError);
    expect((err as JanusApiError).code).toBe(433);
  });

  test('restart keeps the URLs; permanent rooms come back, others do not', async () => {
    const j = await start();
    const before = { httpUrl: j.httpUrl, wsUrl: j.wsUrl, iceAddress: j.iceAddress, pid: j.pid };
    const kept = await createRoom(j, { adminKey: j.adminKey, pin: '1357', secret: 'room-secret-2', permanent: true });
    const lost = await createRoom(j, { adminKey: j.adminKey, pin: '1357', secret: 'room-secret-3' });

    await j.restart();

    expect({ httpUrl: j.httpUrl, wsUrl: j.wsUrl, iceAddress: j.iceAddress }).toEqual({
      httpUrl: before.httpUrl,
      wsUrl: before.wsUrl,
      iceAddress: before.iceAddress,
    });
    expect(j.pid).not.toBe(before.pid);
    expect(isAlive(before.pid)).toBe(false);
    expect((await info(j)).janus).toBe('server_info');
    expect((await videoroomRequest(j, { request: 'exists', room: kept })).exists).toBe(true);
    expect((await videoroomRequest(j, { request: 'exists', room: lost })).exists).toBe(false);
  });

  test('stop leaves no process and no interface behind', async () => {
    const j = await startJanus();
    const { pid, hostInterface } = j;
    await j.stop();
    await j.stop(); // idempotent
    expect(isAlive(pid)).toBe(false);
    if (hostInterface) {
      expect(linkExists(hostInterface)).toBe(false);
      expect(ipLink()).not.toContain(hostInterface);
    }
  });

  // The parent dying must not leave Janus or the veth behind: SIGTERM runs the handlers,
  // SIGKILL relies on PR_SET_PDEATHSIG and the holder's stdin closing.
  test.each(['SIGTERM', 'SIGKILL'] as const)('a parent ended by %s leaves nothing behind', async (signal) => {
    // Our folder: a killed parent cannot remove the temp folder it would have made.
    const dir = mkdtempSync(join(tmpdir(), 'janus-parent-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { startJanus } from ${JSON.stringify(new URL('../../stack/janus.ts', import.meta.url).pathname)};
         const j = await startJanus({ dir: ${JSON.stringify(dir)} });
         console.log(JSON.stringify({ pid: j.pid, hostInterface: j.hostInterface }));
         setInterval(() => {}, 60_000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      rl.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    const { pid, hostInterface } = JSON.parse(line) as { pid: number; hostInterface: string | null };
    expect(isAlive(pid)).toBe(true);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;

    await until(() => !isAlive(pid), { what: 'Janus to exit' });
    if (hostInterface) await until(() => !linkExists(hostInterface), { what: 'the veth to go away' });
  });
});
