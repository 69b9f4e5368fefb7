/**
 * The call window: one video appointment, `app://console/call.html`. A separate window,
 * one at a time; the window host focuses it instead of opening a second one.
 */
import type { BrowserWindow } from 'electron';
import { appPageUrl } from './app-origin';
import { createAppWindow, type AppWindowOptions } from './app-window';

export interface CallWindow {
  window: BrowserWindow;
  /** Settles when the page has loaded (or failed to). */
  loaded: Promise<void>;
}

export function createCallWindow(options: AppWindowOptions): CallWindow {
  return createAppWindow('call', appPageUrl('call'), options);
}
