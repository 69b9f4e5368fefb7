/**
 * `npm run check-servers`, the readiness check's command-line form, run as IT runs it (a real
 * process, a settings file and a policy file) against the Pexip double and coturn: the table
 * on stdout and exit 0 when everything passes; exit 1 with the failing step named when the
 * status password is wrong; exit 2 on bad input. Nothing secret in its output.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPexip, type PexipHandle } from '../../stack/pexip';
import { startTurn, turnserverBinary, type TurnHandle } from '../../stack/turn';
import { tempDir } from '../../support/temp-dir';

const root = join(import.meta.dirname, '..', '..', '..');
const ALIAS = 'readiness-check@pexip.sandbox.test';
let pexip: PexipHandle;
let turn: TurnHandle | null;
let dir: string;

beforeAll(async () => {
  pexip = await startPexip();
  pexip.addRoom({ alias: ALIAS, hostPin: '', guestPin: '' });
  turn = await startTurn();
  if (turn) pexip.setIceServers({ stun: [{ url: turn.stunUrl }], turn: [{ urls: turn.turnUrls, username: turn.username, credential: turn.credential }] });
  pexip.setCorsOrigins(['app://console']);
  dir = tempDir('check-servers-');
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ conferenceServers: [{ domain: pexip.domain, provider: 'pexip', url: pexip.url }], pexipTestAlias: ALIAS }));
  const account = (password: string) => ({ pexipStatusApi: [{ domain: pexip.domain, url: pexip.statusApi.url, username: pexip.statusApi.username, password }] });
  writeFileSync(join(dir, 'policy.json'), JSON.stringify(account(pexip.statusApi.password)));
  writeFileSync(join(dir, 'wrong-policy.json'), JSON.stringify(account('not-the-status-password')));
}, 30_000);
afterAll(async () => {
  await turn?.close();
  await pexip?.stop();
});

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/check-servers.ts'), ...args], { cwd: root, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!turnserverBinary())('npm run check-servers', () => {
  it('prints the table and exits 0 when every step passes', async () => {
    const { code, stdout } = await run('--settings', join(dir, 'settings.json'), '--policy', join(dir, 'policy.json'));
    expect(stdout).toMatch(/^Conference server readiness, .* from origin app:\/\/console: passed$/m);
    for (const step of ['dns', 'client-api', 'cors', 'request-token', 'events', 'release-token', 'stun', 'turn', 'management-status', 'management-vmr']) {
      expect(stdout).toMatch(new RegExp(`^OK\\s+\\S+ \\S+\\s+${step}\\s`, 'm'));
    }
    expect(code).toBe(0);
    expect(stdout).not.toContain(pexip.statusApi.password);
    expect(stdout).not.toContain(turn!.credential);
  }, 30_000);

  it('exits 1 and names the Management step when the status password is wrong', async () => {
    const { code, stdout } = await run('--settings', join(dir, 'settings.json'), '--policy', join(dir, 'wrong-policy.json'), '--json');
    const report = JSON.parse(stdout) as { rows: Array<{ step: string; state: string; code: string }> };
    expect(report.rows.filter((r) => r.state === 'failed')).toEqual([expect.objectContaining({ step: 'management-status', code: 'account-refused' })]);
    expect(code).toBe(1);
    expect(stdout).not.toContain('not-the-status-password');
  }, 30_000);

  it('exits 2 on an unknown option or a settings file the console would refuse', async () => {
    expect((await run('--setings', 'x.json')).code).toBe(2);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ pexipTestAlias: 'has space' }));
    const bad = await run('--settings', join(dir, 'bad.json'));
    expect(bad.stderr).toContain('pexipTestAlias');
    expect(bad.code).toBe(2);
  }, 30_000);
});
