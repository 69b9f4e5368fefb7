/**
 * The browser host's secrets at rest (host/secret-box.ts): in the OS keyring where there is
 * one (a real Secret Service: gnome-keyring in a private D-Bus session, kept in a temporary
 * HOME, so the key survives a restart of the session as it survives a logout), in a key file
 * only when policy allows plain storage, and otherwise nowhere at all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHostSecretBox } from '../../../host/secret-box';
import { createLogger } from '../../../main/log/logger';
import { tempDir } from '../../support/temp-dir';

const root = join(__dirname, '..', '..', '..');

/** One run of the probe in its own D-Bus session with an unlocked login keyring in `home`. */
function inKeyringSession(home: string, args: string[]): { store: string; plain?: string } {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const probe = join(root, 'test', 'support', 'secret-box-probe.ts');
  const script = `printf invented-keyring-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$0" "$@"`;
  const out = execFileSync('dbus-run-session', ['--', 'sh', '-c', script, tsx, probe, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 30_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { store: string; plain?: string };
}

describe('the browser host secret box', () => {
  it('keeps its key in the Secret Service: what one session encrypted, the next decrypts, and no key file is written', () => {
    const home = tempDir('cc-keyring-home-');
    const profile = tempDir('cc-keyring-profile-');
    const file = join(profile, 'sealed.bin');
    expect(inKeyringSession(home, ['encrypt', profile, file])).toEqual({ store: 'keyring' });
    expect(inKeyringSession(home, ['decrypt', profile, file])).toEqual({ store: 'keyring', plain: 'invented secret' });
    expect(existsSync(join(profile, 'host-secret.key'))).toBe(false);
    // Another profile folder has another key: it cannot read this one's secrets.
    const other = tempDir('cc-keyring-profile-');
    expect(() => inKeyringSession(home, ['decrypt', other, file])).toThrow();
  });

  it('without a keyring: a 0600 key file only where policy allows plain storage; otherwise nothing is kept', () => {
    const log = createLogger([]);
    const profile = tempDir('cc-nokeyring-');
    const noKeyring = () => null;

    const plain = createHostSecretBox({ profileDir: profile, allowPlainStorage: true, log, keyring: noKeyring });
    expect(plain.store).toBe('plain-file');
    expect(statSync(join(profile, 'host-secret.key')).mode & 0o777).toBe(0o600);
    const sealed = plain.encryptString('invented secret');
    expect(createHostSecretBox({ profileDir: profile, allowPlainStorage: true, log, keyring: noKeyring }).decryptString(sealed)).toBe('invented secret');

    // Policy no longer allows it: the key file goes, and nothing can be sealed.
    const none = createHostSecretBox({ profileDir: profile, allowPlainStorage: false, log, keyring: noKeyring });
    expect(none.store).toBe('none');
    expect(none.isAvailable()).toBe(false);
    expect(existsSync(join(profile, 'host-secret.key'))).toBe(false);
    expect(() => none.encryptString('x')).toThrow(expect.objectContaining({ code: 'secret-storage-unavailable' }));
    expect(() => none.decryptString(sealed)).toThrow();
  });

  it('finds no keyring where no Secret Service runs (no session bus)', () => {
    const profile = tempDir('cc-nobus-');
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/bus';
    try {
      expect(createHostSecretBox({ profileDir: profile, allowPlainStorage: false, log: createLogger([]) }).store).toBe('none');
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});
