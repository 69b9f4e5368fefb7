/**
 * The call window's remembered devices in the installed app: electron-store, with the same
 * zod schema as the browser host's JSON file (conference/device-preferences.ts), checked on
 * every read and write. electron-store keeps user preferences only; everything IT sets
 * comes from settings and policy.
 */
import Store from 'electron-store';
import { DevicePrefs, type DevicePreferenceStore } from '../../call/main/device-preferences';

export function createElectronDevicePreferences(opts: { cwd?: string } = {}): DevicePreferenceStore {
  const store = new Store<{ devices: DevicePrefs }>({
    name: 'preferences',
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    defaults: { devices: {} },
    // A hand-edited or damaged file is reset rather than trusted.
    clearInvalidConfig: true,
  });
  return {
    get() {
      const parsed = DevicePrefs.safeParse(store.get('devices'));
      return parsed.success ? parsed.data : {};
    },
    set(prefs) {
      const next = DevicePrefs.parse({ ...this.get(), ...prefs });
      store.set('devices', next);
    },
  };
}
