/**
 * The call window's remembered camera, microphone and speaker, and whether this workstation
 * skips the device and connection check before joining ("skip next time"), kept by main. Behind a small
 * interface: the installed app uses electron-store (platform/device-preferences-store.ts);
 * this JSON file in the user's data folder serves the browser host, where Electron cannot
 * run. Both check the same schema. Device ids are the browser's per-origin ids: not
 * personal data, but still only ever stored here, never logged.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export const DevicePrefs = z
  .object({
    camera: z.string().max(512).optional(),
    microphone: z.string().max(512).optional(),
    speaker: z.string().max(512).optional(),
    /** Per workstation, not per meeting: a clinician who ticked it goes straight into calls. */
    skipCheck: z.boolean().optional(),
  })
  .strict();
export type DevicePrefs = z.infer<typeof DevicePrefs>;

export interface DevicePreferenceStore {
  get(): DevicePrefs;
  /** Merges: a device left out keeps its remembered value. */
  set(prefs: DevicePrefs): void;
}

export function createJsonDevicePreferences(file: string): DevicePreferenceStore {
  function read(): DevicePrefs {
    try {
      const parsed = DevicePrefs.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      // Missing or unreadable: start with the system defaults.
      return {};
    }
  }
  return {
    get: read,
    set(prefs) {
      const next = { ...read(), ...prefs };
      mkdirSync(dirname(file), { recursive: true });
      // Write-then-rename: a crash never leaves half a file.
      writeFileSync(`${file}.tmp`, JSON.stringify(next));
      renameSync(`${file}.tmp`, file);
    },
  };
}
