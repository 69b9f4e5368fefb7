/**
 * The SecretBox port on Electron's safeStorage (DPAPI on Windows, Keychain on macOS,
 * libsecret/KWallet on Linux).
 *
 * On Linux, when no keyring is reachable, Chromium falls back to the 'basic_text' backend:
 * the key is a constant baked into the binary, so "encrypted" data is in effect plain text.
 * That backend is refused unless IT explicitly allows it in the settings, and the reason is
 * exposed so the core can tell the user why sign-in is not remembered.
 */
import { safeStorage } from 'electron';
import { UserFacingError } from '../core/errors';
import type { SecretBox } from '../core/ports';
import type { Logger } from '../log/logger';

export type SafeStorageBackend = ReturnType<typeof safeStorage.getSelectedStorageBackend>;

export type SafeStorageStatus =
  | { usable: true; backend: SafeStorageBackend | 'os' }
  | { usable: false; reason: 'unavailable' | 'basic-text-refused'; message: string };

export interface SafeStorageFacts {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  /** Only meaningful on Linux, after `ready`. */
  backend?: SafeStorageBackend;
  allowBasicText: boolean;
}

/** Plain decision: can secrets be stored, and if not, why. */
export function assessSafeStorage(facts: SafeStorageFacts): SafeStorageStatus {
  if (!facts.encryptionAvailable) {
    return {
      usable: false,
      reason: 'unavailable',
      message: 'The operating system offers no protected storage, so the console cannot keep you signed in.',
    };
  }
  if (facts.platform !== 'linux') return { usable: true, backend: 'os' };
  const backend = facts.backend ?? 'unknown';
  if (backend === 'basic_text' && !facts.allowBasicText) {
    return {
      usable: false,
      reason: 'basic-text-refused',
      message:
        'No keyring (GNOME Keyring or KWallet) is available, so secrets could only be stored unprotected. ' +
        'The console will not keep you signed in.',
    };
  }
  if (backend === 'unknown') {
    return { usable: false, reason: 'unavailable', message: 'Protected storage is not ready yet.' };
  }
  return { usable: true, backend };
}

export interface SecretBoxOptions {
  /** From the settings: accept Linux's 'basic_text' backend anyway (IT's explicit choice). */
  allowBasicText: boolean;
  log: Logger;
}

export interface ElectronSecretBox extends SecretBox {
  /** Why isAvailable() is false, for the user and the log. */
  status(): SafeStorageStatus;
}

/** Must be called after `ready` (before that, safeStorage reports nothing useful). */
export function createSecretBox(options: SecretBoxOptions): ElectronSecretBox {
  const status = (): SafeStorageStatus =>
    assessSafeStorage({
      platform: process.platform,
      encryptionAvailable: safeStorage.isEncryptionAvailable(),
      backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
      allowBasicText: options.allowBasicText,
    });

  const initial = status();
  if (initial.usable) options.log.info(`secrets: protected storage in use (${initial.backend})`);
  else options.log.warn(`secrets: protected storage not usable (${initial.reason})`);

  const ensureUsable = () => {
    const current = status();
    if (!current.usable) throw new UserFacingError(`secret-storage-${current.reason}`);
  };

  return {
    status,
    isAvailable: () => status().usable,
    encryptString(plain) {
      ensureUsable();
      return safeStorage.encryptString(plain);
    },
    decryptString(encrypted) {
      ensureUsable();
      return safeStorage.decryptString(encrypted);
    },
  };
}
