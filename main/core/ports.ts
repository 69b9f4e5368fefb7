/**
 * The seams between the plain-Node core and whatever hosts it (Electron's main process, or
 * the browser host used where no Electron binary exists). Only these few things differ
 * between the two; everything behind them is the same code in both.
 */
import type { EventName, EventPayload, WindowKind } from '../../preload/contract';
import type { DevicePreferenceStore } from '../../call/main/device-preferences';
import type { ScreenSource } from '../platform/screen-sources';
import type { UpdaterStatus } from '../updates/update-guard';

/** OS-protected encryption (Electron safeStorage: DPAPI, Keychain, libsecret). */
export interface SecretBox {
  isAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Opens a URL in the user's system browser. Implementations check the allowlist first. */
export type OpenExternal = (url: string) => Promise<void>;

/** The windows the core asks for; the host decides how to show them. */
export interface WindowHost {
  /** Opens the call window (or brings it to the front if it is already open). */
  openCallWindow(): Promise<void>;
  closeCallWindow(): void;
  /** Brings the main window to the front (sign-in finished in the system browser). */
  focusMain(): void;
  /** The call window's compact always-on-top view (Electron only: a browser tab cannot float). */
  callMiniView?: { allow(allowed: boolean): void; expand(): void };
}

/**
 * The workstation as a shared one is watched (policy signOutWhenLocked, signOutAfterIdleMinutes):
 * Electron's powerMonitor in the app (main/platform/workstation-monitor.ts). The browser host has
 * none (a browser tab cannot see the OS's idle time or lock), except under the e2e harness, whose
 * simulated workstation the tests drive.
 */
export interface WorkstationMonitor {
  /** Seconds since the last keyboard or mouse input on the workstation (any application). */
  idleSeconds(): number;
  /** Calls `listener` when the OS locks the screen; returns the unsubscribe. */
  onLocked(listener: () => void): () => void;
  /** Runs `run` after `ms` of the workstation's time (real timers in the app); returns the cancel. */
  after(ms: number, run: () => void): () => void;
}

/** How the core pushes an event to one kind of window, or to all. */
export type EventSink = <E extends EventName>(target: WindowKind | 'all', event: E, payload: EventPayload<E>) => void;

export interface Platform {
  host: 'electron' | 'browser';
  version: string;
  locale: string;
  /** Where per-user data lives (token cache, schedule database). */
  userDataDir: string;
  secretBox: SecretBox;
  openExternal: OpenExternal;
  windows: WindowHost;
  /** The network stack for the booking API and sign-in: Electron's net.fetch (Chromium's
   *  proxy settings and OS certificate store) in the app, Node's fetch in the browser host. */
  fetch: typeof fetch;
  /** Where the call window's device choices are remembered (electron-store in the app);
   *  default: a JSON file in userDataDir. */
  devicePreferences?: DevicePreferenceStore;
  /** Empties the session's HTTP cache and web storage at sign-out (Electron: net.fetch answers
   *  sit in Chromium's cache). Absent in the browser host, whose main fetches in Node, uncached. */
  clearBrowsingData?(): Promise<void>;
  /** The origin the call window's pages load from, which a conference server's CORS must allow
   *  (the readiness check asks for it): `app://console` in the app, the browser host's own. */
  windowOrigin: string;
  /** The updater's state for Diagnostics (Electron only; the browser host does not update itself). */
  updateStatus?(): UpdaterStatus;
  /** The OS's lock and idle time for the shared-workstation policy; absent: that policy cannot act (logged). */
  workstation?: WorkstationMonitor;
  /** The console's own screen-share picker (Electron has none). Absent in the browser host,
   *  where getDisplayMedia shows the browser's picker. */
  screenSources?: {
    list(): Promise<ScreenSource[]>;
    choose(id: string): void;
  };
  /** main.log's path ("Save logs for IT" also takes the files it rotated to: main.log.1 …). */
  logFile?: string;
  /** Where to save a file the user asked for (Electron: the save dialog; the browser host: a
   *  fixed folder in the profile); null: the user cancelled. Absent: nothing can be saved. */
  chooseSavePath?(suggestedName: string): Promise<string | null>;
}
