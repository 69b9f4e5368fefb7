/**
 * The main window: sign-in and the day's appointments, `app://console/index.html`.
 */
import { BrowserWindow } from 'electron';
import { appPageUrl } from './app-origin';
import { createAppWindow, type AppWindowOptions } from './app-window';

export function createMainWindow(options: AppWindowOptions): BrowserWindow {
  return createAppWindow('main', appPageUrl('main'), options).window;
}
