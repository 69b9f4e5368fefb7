/**
 * The schedule database's key: 32 random bytes, stored only encrypted by the OS
 * (SecretBox), next to the database. Losing it (a new OS profile, a reset keychain) only
 * costs the offline copy: the database is then unreadable and gets rebuilt from the API.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretBox } from '../core/ports';

export function loadOrCreateKey(path: string, box: SecretBox): Buffer {
  // Without protected storage the key is never written: the schedule is kept for this run
  // only (encrypted all the same), and the next run starts afresh without the old key.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!box.isAvailable()) {
    rmSync(path, { force: true });
    return randomBytes(32);
  }
  if (existsSync(path)) {
    try {
      return Buffer.from(box.decryptString(readFileSync(path)), 'hex');
    } catch {
      // Unreadable key: fall through to a new key; the old database will be moved aside.
    }
  }
  const key = randomBytes(32);
  writeFileSync(path, box.encryptString(key.toString('hex')), { mode: 0o600 });
  return key;
}
