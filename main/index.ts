/**
 * Electron's entry: wires the plain-Node core to Electron's windows, protocol, IPC and OS
 * services. Every decision lives in the modules it calls; this file only puts them in order.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, desktopCapturer, dialog, net, session, shell, type Event } from 'electron';
import type { Core } from './core/app-core';
import { UserFacingError } from './core/errors';
import { loadConsoleConfig, startConsole } from './core/start';
import type { Platform } from './core/ports';
import { createEventSink, registerIpc } from './ipc/electron-ipc';
import { createLogger, fileSink, stderrSink, type RootLogger } from './log/logger';
import { APP_USER_MODEL_ID, registersProtocolPerUser } from './platform/app-identity';
import { DEEP_LINK_SCHEME, findDeepLink } from './platform/deep-link';
import { createExternalOpener, type ExternalOpener } from './platform/open-external';
import { appPaths } from './platform/paths';
import { proxyConfigFor } from './platform/proxy';
import { createBrowsingDataCleaner } from './platform/browsing-data';
import { createElectronDevicePreferences } from './platform/device-preferences-store';
import { PRODUCT_FILENAME, startUpdater, type UpdaterHandle } from './platform/updater';
import { createSecretBox } from './platform/safe-storage';
import { createSavePathChooser } from './platform/save-dialog';
import { createScreenSources } from './platform/screen-sources';
import { createWorkstationMonitor } from './platform/workstation-monitor';
import { APP_ORIGIN } from './windows/app-origin';
import { hardenWebContents } from './windows/navigation';
import { handleAppProtocol, registerAppScheme } from './windows/register-protocol';
import { hardenSession } from './windows/security';
import { createWindowManager, type WindowManager } from './windows/window-host';

const mainDir = dirname(fileURLToPath(import.meta.url));

// Before anything else: every renderer sandboxed, the app scheme privileged.
app.enableSandbox();
registerAppScheme();
// Windows: notifications and the taskbar button belong to the installed shortcut's id.
// (Electron defines setAppUserModelId on Windows only.)
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

// Development and e2e runs (unpackaged) may use their own profile; installed builds never do.
const profileOverride = process.env.CLINICIAN_CONSOLE_USER_DATA;
if (profileOverride && !app.isPackaged) app.setPath('userData', profileOverride);

let log: RootLogger | undefined;
let external: ExternalOpener | undefined;
let windows: WindowManager | undefined;
let core: Core | undefined;
let stopUpdater: (() => void) & { status?: UpdaterHandle['status'] } = () => {};
const bootLog = createLogger([stderrSink], 'boot');

// Every webContents is hardened from its creation. Until the opener exists, no link opens.
app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, {
    external: {
      isAllowed: (url) => external?.isAllowed(url) ?? false,
      open: (url) => (external ? external.open(url) : Promise.reject(new Error('not ready'))),
    },
    log: log ?? bootLog,
  });
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch hands its link to this one; macOS delivers links as open-url.
  app.on('second-instance', (_event, argv) => {
    windows?.showMain();
    const link = findDeepLink(argv);
    if (link) void core?.openDeepLink(link);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    windows?.showMain();
    void core?.openDeepLink(url);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => windows?.showMain());
  app.on('will-quit', onWillQuit);
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  const paths = appPaths(mainDir);
  log = createLogger(app.isPackaged ? [fileSink(paths.logFile)] : [fileSink(paths.logFile), stderrSink]);
  log.info(`starting ${app.getVersion()} on ${process.platform}`);

  // The same start-up as the browser host's (core/start.ts). The env policy file is for
  // development and tests only; an installed build reads the user's settings file only
  // where IT's policy allows it.
  const config = loadConsoleConfig({ env: process.env, allowEnvPolicy: !app.isPackaged, installed: app.isPackaged, log });
  const { settings } = config;
  // IT's logLevel from here on (lines before it, at the default info, are the start's own).
  if (settings) log.setLevel(settings.logLevel);
  handleAppProtocol({ rootDir: paths.rendererDir, csp: config.csp, log: log.child('protocol') });

  // A lambda, not shell.openExternal itself: the e2e fixture replaces shell.openExternal.
  external = createExternalOpener({
    // Only URLs whose exact origin is allowed reach here, as parsed (reviewed scanner finding):
    open: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
    allowedOrigins: config.externalOrigins,
    log: log.child('external'),
  });

  windows = createWindowManager({
    preloadPath: paths.preloadPath,
    devTools: !app.isPackaged,
    log,
    onCallWindowClosed: () => core?.callWindowClosed(),
  });
  // Screen sharing goes through the call window's own picker (Electron shows none).
  const screenSources = createScreenSources((options) => desktopCapturer.getSources(options));
  hardenSession(session.defaultSession, {
    kindOf: windows.kindOf,
    kindOfFrame: windows.kindOfFrame,
    chooseDisplaySource: async () => screenSources.take(),
    log: log.child('permissions'),
  });
  // The system proxy unless IT's policy fixes one; net.fetch (sign-in, booking API) follows it.
  if (settings) await session.defaultSession.setProxy(proxyConfigFor(settings));

  const platform: Platform = {
    host: 'electron',
    windowOrigin: APP_ORIGIN,
    version: app.getVersion(),
    locale: app.getLocale(),
    userDataDir: paths.userDataDir,
    secretBox: createSecretBox({
      allowBasicText: settings?.allowBasicTextSecretStorage ?? false,
      log: log.child('secrets'),
    }),
    openExternal: external.open,
    fetch: (input, init) => net.fetch(input as string, init as never),
    devicePreferences: createElectronDevicePreferences(),
    // Sign-out empties the session's HTTP cache, storage and cookies (the next person's).
    clearBrowsingData: createBrowsingDataCleaner(session.defaultSession, log.child('session')),
    // Started after the core (it must know whether a call is on); until then: starting.
    updateStatus: () => stopUpdater.status?.() ?? { enabled: false, reason: 'the updater is starting' },
    screenSources,
    // Shared workstations: the screen lock and the OS's idle time (policy decides whether they count).
    workstation: createWorkstationMonitor(),
    windows: windows.host,
    logFile: paths.logFile,
    chooseSavePath: createSavePathChooser(() => windows?.contentsOf('main')?.id),
  };
  const started = await startConsole(config, { platform, emit: createEventSink(windows.contentsOf, log.child('events')), log });
  core = started.core ?? undefined;
  registerIpc(started.router, windows.kindOf, log.child('ipc'));

  // Deep links are parsed strictly (platform/deep-link.ts) and only select a cached meeting
  // (reviewed scanner finding):
  // An MSI installation has the scheme per machine already (platform/app-identity.ts).
  if (process.platform === 'win32' && app.isPackaged && registersProtocolPerUser({ execPath: process.execPath, productFilename: PRODUCT_FILENAME, env: process.env }))
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME); // eng-disable PROTOCOL_HANDLER_JS_CHECK
  windows.showMain();
  const launchLink = findDeepLink(process.argv);
  if (launchLink && core) void core.openDeepLink(launchLink);
  if (settings) {
    stopUpdater = await startUpdater({ settings, isPackaged: app.isPackaged, callActive: () => core?.isCallActive() ?? false, log: log.child('updates') });
  }
}

let quitting = false;
function onWillQuit(event: Event): void {
  if (!core || quitting) return;
  event.preventDefault();
  quitting = true;
  stopUpdater();
  const closing = core;
  core = undefined;
  closing
    .dispose()
    .catch((error: unknown) => log?.error('could not close cleanly', error))
    .finally(() => app.quit());
}

function fail(error: unknown): void {
  (log ?? bootLog).error('the console could not start', error);
  const detail =
    error instanceof UserFacingError || (error instanceof Error && error.name === 'SettingsError')
      ? error.message
      : 'See the log file for details.';
  dialog.showErrorBox('Clinician Console could not start', detail);
  app.exit(1);
}
