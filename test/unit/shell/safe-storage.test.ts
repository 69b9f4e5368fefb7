import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { UserFacingError } from '../../../main/core/errors';
import { nullLogger } from '../../../main/log/logger';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
const fake = await import('./fake-electron');
const { assessSafeStorage, createSecretBox } = await import('../../../main/platform/safe-storage');

describe('assessSafeStorage', () => {
  const linux = { platform: 'linux' as const, encryptionAvailable: true, allowBasicText: false };

  it('accepts a real keyring on Linux and the OS store elsewhere', () => {
    expect(assessSafeStorage({ ...linux, backend: 'gnome_libsecret' })).toEqual({ usable: true, backend: 'gnome_libsecret' });
    expect(assessSafeStorage({ ...linux, backend: 'kwallet6' })).toEqual({ usable: true, backend: 'kwallet6' });
    expect(assessSafeStorage({ ...linux, platform: 'win32' })).toEqual({ usable: true, backend: 'os' });
    expect(assessSafeStorage({ ...linux, platform: 'darwin' })).toEqual({ usable: true, backend: 'os' });
  });

  it("refuses Linux's basic_text backend, and says why", () => {
    const status = assessSafeStorage({ ...linux, backend: 'basic_text' });
    expect(status).toMatchObject({ usable: false, reason: 'basic-text-refused' });
    expect(!status.usable && status.message).toMatch(/keyring/i);
  });

  it('accepts basic_text only when IT allows it', () => {
    expect(assessSafeStorage({ ...linux, backend: 'basic_text', allowBasicText: true })).toEqual({ usable: true, backend: 'basic_text' });
  });

  it('is unusable when encryption is unavailable or the backend is not known yet', () => {
    expect(assessSafeStorage({ ...linux, encryptionAvailable: false, backend: 'gnome_libsecret' })).toMatchObject({ usable: false, reason: 'unavailable' });
    expect(assessSafeStorage({ ...linux, platform: 'win32', encryptionAvailable: false })).toMatchObject({ usable: false, reason: 'unavailable' });
    expect(assessSafeStorage({ ...linux, backend: 'unknown' })).toMatchObject({ usable: false });
  });
});

describe.runIf(process.platform === 'linux')('createSecretBox on Linux (Electron safeStorage faked)', () => {
  beforeEach(() => fake.resetFakes());

  it('encrypts and decrypts through safeStorage with a keyring', () => {
    const box = createSecretBox({ allowBasicText: false, log: nullLogger });
    expect(box.isAvailable()).toBe(true);
    const sealed = box.encryptString('refresh-token');
    expect(fake.safeStorage.encryptCalls).toBe(1);
    expect(box.decryptString(sealed)).toBe('refresh-token');
  });

  it('refuses to "encrypt" with basic_text and never hands the secret to safeStorage', () => {
    fake.safeStorage.backend = 'basic_text';
    const box = createSecretBox({ allowBasicText: false, log: nullLogger });
    expect(box.isAvailable()).toBe(false);
    expect(box.status()).toMatchObject({ usable: false, reason: 'basic-text-refused' });
    expect(() => box.encryptString('refresh-token')).toThrow(UserFacingError);
    expect(() => box.encryptString('refresh-token')).toThrow(expect.objectContaining({ code: 'secret-storage-basic-text-refused' }));
    expect(fake.safeStorage.encryptCalls).toBe(0);
  });

  it('uses basic_text when the setting allows it', () => {
    fake.safeStorage.backend = 'basic_text';
    const box = createSecretBox({ allowBasicText: true, log: nullLogger });
    expect(box.isAvailable()).toBe(true);
    box.encryptString('x');
    expect(fake.safeStorage.encryptCalls).toBe(1);
  });
});

describe('bundlePaths', async () => {
  const { bundlePaths } = await import('../../../main/platform/paths');
  it('finds the preload and the renderer next to the built main script', () => {
    const out = join('/opt', 'cc', 'resources', 'app.asar', 'out');
    expect(bundlePaths(join(out, 'main'))).toEqual({
      preloadPath: join(out, 'preload', 'index.cjs'),
      rendererDir: join(out, 'renderer'),
    });
  });
});
