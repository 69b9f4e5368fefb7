/**
 * MSAL's token cache, kept encrypted by the OS (SecretBox) in one file. Never plain JSON
 * on disk, never in logs. Written atomically (temp file + rename) so a crash cannot leave
 * a half-written cache.
 *
 * Without protected storage (no keyring, and IT's policy does not allow plain storage) the
 * cache lives in memory only: the clinician stays signed in for this run and signs in again
 * at the next start; any cache file left from before is removed.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretBox } from '../core/ports';
import type { Logger } from '../log/logger';

export function createEncryptedCachePlugin(path: string, box: SecretBox, log: Logger): ICachePlugin & { wipe(): void } {
  let inMemory: string | null = null;
  const persistent = () => box.isAvailable();
  return {
    async beforeCacheAccess(context: TokenCacheContext) {
      if (!persistent()) {
        rmSync(path, { force: true });
        if (inMemory !== null) context.tokenCache.deserialize(inMemory);
        return;
      }
      if (!existsSync(path)) return;
      try {
        context.tokenCache.deserialize(box.decryptString(readFileSync(path)));
      } catch (error) {
        // An unreadable cache only means signing in again; keep going without it.
        log.warn('auth: the token cache could not be read; a new sign-in will be needed', error);
      }
    },
    async afterCacheAccess(context: TokenCacheContext) {
      if (!context.cacheHasChanged) return;
      if (!persistent()) {
        inMemory = context.tokenCache.serialize();
        return;
      }
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const temp = `${path}.tmp`;
      writeFileSync(temp, box.encryptString(context.tokenCache.serialize()), { mode: 0o600 });
      renameSync(temp, path);
    },
    wipe() {
      inMemory = null;
      rmSync(path, { force: true });
    },
  };
}
