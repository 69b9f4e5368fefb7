/**
 * The browser host's stand-in for Electron's safeStorage (the OS keychain cannot exist
 * here): AES-256-GCM with a random key kept in a 0600 file in the profile folder. Same
 * SecretBox interface, so the token cache and the database key are encrypted the same
 * way in tests as in the app; only where the master key lives differs.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretBox } from '../../main/core/ports';

export function createFileSecretBox(keyPath: string): SecretBox {
  let key: Buffer;
  if (existsSync(keyPath)) key = readFileSync(keyPath);
  else {
    key = randomBytes(32);
    mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
    writeFileSync(keyPath, key, { mode: 0o600 });
  }
  return {
    isAvailable: () => true,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
