/**
 * BrowserWindow options for the console's two windows. Plain TypeScript (Electron only as
 * a type): every window is sandboxed and context-isolated, has no Node, and starts hidden
 * until its first paint.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { WindowKind } from '../../preload/contract';

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  /** DevTools only in development builds. */
  devTools: boolean;
}

export function secureWebPreferences(input: WindowOptionsInput): WebPreferences {
  return {
    preload: input.preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    devTools: input.devTools,
  };
}

const TITLES: Record<WindowKind, string> = {
  main: 'Clinician Console',
  call: 'Clinician Console – Call',
};

const BACKGROUND: Record<WindowKind, string> = {
  main: '#ffffff',
  call: '#1e1e1e',
};

export function windowOptions(kind: WindowKind, input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const size =
    kind === 'main'
      ? { width: 1200, height: 800, minWidth: 800, minHeight: 560 }
      : { width: 1024, height: 720, minWidth: 640, minHeight: 480 };
  return {
    ...size,
    title: TITLES[kind],
    show: false,
    backgroundColor: BACKGROUND[kind],
    autoHideMenuBar: true,
    webPreferences: {
      ...secureWebPreferences(input),
      // A call behind other windows keeps its media and timers running.
      backgroundThrottling: kind === 'main',
    },
  };
}

export const mainWindowOptions = (input: WindowOptionsInput) => windowOptions('main', input);
export const callWindowOptions = (input: WindowOptionsInput) => windowOptions('call', input);
