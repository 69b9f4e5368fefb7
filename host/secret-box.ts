/**
 * The browser host's SecretBox (Electron has safeStorage; this host has the OS keyring).
 *
 * The token cache and the schedule database's key are encrypted with AES-256-GCM under a
 * master key. Where that key lives decides what "encrypted at rest" is worth:
 *  - `keyring`: in the OS keyring through @napi-rs/keyring (Windows Credential Manager,
 *    macOS Keychain, the Secret Service on Linux: gnome-keyring, KWallet). Never the kernel
 *    keyutils store, which forgets everything at logout and so would only look persistent.
 *  - `plain-file`: in a 0600 file next to the data, only where IT's policy allows plain
 *    storage (allowBasicTextSecretStorage, as for Electron's basic_text on Linux). Anyone
 *    who can read the profile can read the secrets.
 *  - `none`: no keyring and no such policy. isAvailable() is false: the console keeps the
 *    sign-in and the schedule for this run only (the clinician signs in at each start).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Entry } from '@napi-rs/keyring';
import { UserFacingError } from '../main/core/errors';
import type { SecretBox } from '../main/core/ports';
import type { Logger } from '../main/log/logger';

export type SecretStore = 'keyring' | 'plain-file' | 'none';

export interface HostSecretBox extends SecretBox {
  readonly store: SecretStore;
}

const SERVICE = 'Clinician Console';

/** The master key in the OS keyring, one per profile folder; null when there is no usable keyring. */
export function keyringKey(profileDir: string, log: Logger): Buffer | null {
  const account = `secret-box:${createHash('sha256').update(profileDir).digest('hex').slice(0, 32)}`;
  try {
    // On Linux only the Secret Service persists; the constructor throws when it is absent.
    const entry = new Entry(SERVICE, account, { linux: { store: 'secret-service' } });
    const stored = entry.getPassword();
    if (stored && /^[0-9a-f]{64}$/.test(stored)) return Buffer.from(stored, 'hex');
    const key = randomBytes(32);
    entry.setPassword(key.toString('hex'));
    // Read back: some stores accept a write they cannot keep (a locked collection).
    if (entry.getPassword() !== key.toString('hex')) throw new Error('the keyring did not keep the key');
    return key;
  } catch (error) {
    log.info(`secrets: no usable OS keyring (${(error as Error)?.name ?? 'error'})`);
    return null;
  }
}

export function createHostSecretBox(opts: {
  profileDir: string;
  /** IT's policy allowBasicTextSecretStorage: a key file next to the data is acceptable. */
  allowPlainStorage: boolean;
  log: Logger;
  /** The keyring lookup (tests pass one bound to a private Secret Service). */
  keyring?: (profileDir: string, log: Logger) => Buffer | null;
}): HostSecretBox {
  const keyFile = `${opts.profileDir}/host-secret.key`;
  const fromKeyring = (opts.keyring ?? keyringKey)(opts.profileDir, opts.log);
  let key: Buffer | null = fromKeyring;
  let store: SecretStore = fromKeyring ? 'keyring' : 'none';
  if (!key && opts.allowPlainStorage) {
    key = plainFileKey(keyFile);
    store = 'plain-file';
  }
  // A key file left from plain storage that policy no longer allows is removed, not used.
  if (store !== 'plain-file' && existsSync(keyFile)) rmSync(keyFile, { force: true });
  opts.log.info(`secrets: ${store === 'keyring' ? 'OS keyring' : store === 'plain-file' ? 'plain key file (allowed by policy)' : 'not kept between runs'}`);

  const usable = (): Buffer => {
    if (!key) throw new UserFacingError('secret-storage-unavailable');
    return key;
  };
  return {
    store,
    isAvailable: () => key !== null,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', usable(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', usable(), data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

function plainFileKey(path: string): Buffer {
  if (existsSync(path)) {
    const key = readFileSync(path);
    if (key.length === 32) return key;
  }
  const key = randomBytes(32);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, key, { mode: 0o600 });
  return key;
}
