/**
 * Which Electron the e2e fixture launches (test/support/electron.ts): the release gates name
 * the packaged console with CC_ELECTRON_BINARY and must get exactly that, never a quiet
 * fallback to the development Electron or the browser host.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronBinary, electronTarget, packagedProfile } from '../../support/electron';
import { tempDir } from '../../support/temp-dir';

/** A checkout with (or without) the development Electron that `npm ci` downloads. */
function checkout(withElectron: boolean): string {
  const root = tempDir('cc-target-');
  if (withElectron) {
    mkdirSync(join(root, 'node_modules', 'electron', 'dist'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'electron', 'path.txt'), 'electron\n');
    writeFileSync(join(root, 'node_modules', 'electron', 'dist', 'electron'), '');
  }
  return root;
}

describe('electronTarget', () => {
  it('launches the packaged console CC_ELECTRON_BINARY names, with no app folder, before any development Electron', () => {
    const root = checkout(true);
    const packaged = join(root, 'dist', 'linux-unpacked', 'clinician-console');
    mkdirSync(join(root, 'dist', 'linux-unpacked'), { recursive: true });
    writeFileSync(packaged, '');
    expect(electronTarget({ CC_ELECTRON_BINARY: packaged }, root)).toEqual({ binary: packaged, packaged: true, appArgs: [] });
  });

  it('resolves a relative CC_ELECTRON_BINARY against the checkout, not the current folder', () => {
    const root = checkout(false);
    mkdirSync(join(root, 'dist', 'win-unpacked'), { recursive: true });
    writeFileSync(join(root, 'dist', 'win-unpacked', 'Clinician Console.exe'), '');
    expect(electronTarget({ CC_ELECTRON_BINARY: 'dist/win-unpacked/Clinician Console.exe' }, root)?.binary).toBe(join(root, 'dist', 'win-unpacked', 'Clinician Console.exe'));
  });

  it('fails when CC_ELECTRON_BINARY names nothing, instead of testing another app', () => {
    const root = checkout(true);
    expect(() => electronTarget({ CC_ELECTRON_BINARY: join(root, 'dist', 'missing') }, root)).toThrow(/CC_ELECTRON_BINARY names no file/);
  });

  it('without it: the development Electron running this checkout, or nothing (the browser host)', () => {
    const withElectron = checkout(true);
    expect(electronTarget({}, withElectron)).toEqual({ binary: join(withElectron, 'node_modules', 'electron', 'dist', 'electron'), packaged: false, appArgs: [withElectron] });
    expect(electronTarget({ CC_ELECTRON_BINARY: '' }, withElectron)?.packaged).toBe(false);
    expect(electronTarget({}, checkout(false))).toBeNull();
  });

  it('electronBinary follows CC_ELECTRON_BINARY too (the workflow checks it before the suite)', () => {
    const root = checkout(false);
    const packaged = join(root, 'app');
    writeFileSync(packaged, '');
    expect(electronBinary({ CC_ELECTRON_BINARY: packaged })).toBe(packaged);
  });
});

describe('packagedProfile', () => {
  const base = { productName: 'Clinician Console', configHome: '/runs/t1/profile-a', home: '/home/u' };

  it('Linux: a config home of the test’s own, so every launch has a fresh profile and a restart the same one', () => {
    expect(packagedProfile({ ...base, platform: 'linux', env: {} })).toEqual({
      userDataDir: '/runs/t1/profile-a/Clinician Console',
      env: { XDG_CONFIG_HOME: '/runs/t1/profile-a' },
    });
  });

  it('Windows and macOS: the account’s own folder, which no environment variable moves', () => {
    expect(packagedProfile({ ...base, platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' } }).env).toEqual({});
    expect(packagedProfile({ ...base, platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' } }).userDataDir).toContain('Clinician Console');
    expect(() => packagedProfile({ ...base, platform: 'win32', env: {} })).toThrow(/APPDATA/);
    expect(packagedProfile({ ...base, platform: 'darwin', env: {} })).toEqual({ userDataDir: '/home/u/Library/Application Support/Clinician Console', env: {} });
  });
});
