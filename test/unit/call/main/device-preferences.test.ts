/**
 * "Skip the check next time" is remembered per workstation with the devices, by main: in
 * the browser host's JSON file (electron-store's twin is tested in platform/), merged with
 * the device choices, and refused when it is not a boolean.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonDevicePreferences, DevicePrefs } from '../../../../call/main/device-preferences';
import { CallDevices } from '../../../../preload/contract';
import { tempDir } from '../../../support/temp-dir';

describe('skip the device check next time', () => {
  it('is remembered with the devices, and can be turned back off', () => {
    const file = join(tempDir('cc-prefs-'), 'call-devices.json');
    const store = createJsonDevicePreferences(file);
    expect(store.get().skipCheck).toBeUndefined();
    store.set({ microphone: 'mic-1' });
    store.set({ skipCheck: true });
    expect(createJsonDevicePreferences(file).get()).toEqual({ microphone: 'mic-1', skipCheck: true });
    store.set({ skipCheck: false });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ microphone: 'mic-1', skipCheck: false });
  });

  it('a damaged value counts as not skipping (the check shows)', () => {
    const file = join(tempDir('cc-prefs-'), 'call-devices.json');
    writeFileSync(file, JSON.stringify({ skipCheck: 'yes' }));
    expect(createJsonDevicePreferences(file).get()).toEqual({});
  });

  it('crosses the bridge only as a boolean, with the same fields main stores', () => {
    expect(CallDevices.strict().safeParse({ skipCheck: true }).success).toBe(true);
    expect(CallDevices.strict().safeParse({ skipCheck: 'true' }).success).toBe(false);
    expect(Object.keys(CallDevices.shape).sort()).toEqual(Object.keys(DevicePrefs.shape).sort());
  });
});
