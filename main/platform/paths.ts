/**
 * Where things are: the per-user folders Electron chooses, and the bundle's own files
 * relative to the built main script (out/main/index.js).
 */
import { join, resolve } from 'node:path';
import { app } from 'electron';

export interface BundlePaths {
  /** out/preload/index.cjs */
  preloadPath: string;
  /** out/renderer (index.html, call.html, assets/) */
  rendererDir: string;
}

/** Plain: the build layout, from the folder that holds the built main script. */
export function bundlePaths(mainDir: string): BundlePaths {
  const outDir = resolve(mainDir, '..');
  return {
    preloadPath: join(outDir, 'preload', 'index.cjs'),
    rendererDir: join(outDir, 'renderer'),
  };
}

export interface AppPaths extends BundlePaths {
  /** Token cache, schedule database, settings. */
  userDataDir: string;
  logsDir: string;
  logFile: string;
}

export function appPaths(mainDir: string): AppPaths {
  const logsDir = app.getPath('logs');
  return {
    ...bundlePaths(mainDir),
    userDataDir: app.getPath('userData'),
    logsDir,
    logFile: join(logsDir, 'main.log'),
  };
}
