/**
 * electron-store holds the user's device choices in the app. Electron itself cannot run
 * here, so only its `app` object is stood in for; electron-store and conf run for real.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../support/temp-dir';

const userData = tempDir('cc-store-');
vi.mock('electron', () => {
  const app = { getPath: () => userData, getVersion: () => '0.0.0-test', getName: () => 'Clinician Console' };
  return { default: { app, ipcMain: { on() {}, handle() {} } }, app };
});

const { createElectronDevicePreferences } = await import('../../../main/platform/device-preferences-store');

describe('device preferences in electron-store', () => {
  it('remembers and merges choices across instances, in the user data folder', () => {
    const cwd = tempDir('cc-store-');
    createElectronDevicePreferences({ cwd }).set({ camera: 'cam-1', microphone: 'mic-2' });
    createElectronDevicePreferences({ cwd }).set({ microphone: 'mic-3' });
    expect(createElectronDevicePreferences({ cwd }).get()).toEqual({ camera: 'cam-1', microphone: 'mic-3' });
    expect(JSON.parse(readFileSync(join(cwd, 'preferences.json'), 'utf8'))).toEqual({ devices: { camera: 'cam-1', microphone: 'mic-3' } });
  });

  it('refuses values outside the schema and ignores a damaged file', () => {
    const cwd = tempDir('cc-store-');
    const store = createElectronDevicePreferences({ cwd });
    expect(() => store.set({ camera: 'x'.repeat(600) })).toThrow();
    writeFileSync(join(cwd, 'preferences.json'), '{ broken');
    expect(createElectronDevicePreferences({ cwd }).get()).toEqual({});
    writeFileSync(join(cwd, 'preferences.json'), JSON.stringify({ devices: { camera: 42 } }));
    expect(createElectronDevicePreferences({ cwd }).get()).toEqual({});
  });
});
