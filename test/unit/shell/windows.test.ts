import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../../../main/log/logger';
import { callWindowOptions, mainWindowOptions, secureWebPreferences } from '../../../main/windows/window-options';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
const fake = await import('./fake-electron');
const { createWindowManager } = await import('../../../main/windows/window-host');

const PRELOAD = '/opt/clinician-console/resources/app.asar/out/preload/index.cjs';

const REQUIRED_PREFERENCES = {
  preload: PRELOAD,
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
  devTools: false,
};

function expectSecure(webPreferences: unknown) {
  expect(webPreferences).toMatchObject(REQUIRED_PREFERENCES);
  const prefs = webPreferences as Record<string, unknown>;
  // Nothing that would switch a protection back off through a side door.
  expect(prefs.enableBlinkFeatures).toBeUndefined();
  expect(prefs.additionalArguments).toBeUndefined();
  expect(prefs.disableBlinkFeatures).toBeUndefined();
}

describe('window options', () => {
  const input = { preloadPath: PRELOAD, devTools: false };

  it('secure web preferences have every protection on', () => {
    expectSecure(secureWebPreferences(input));
  });

  it.each([
    ['main', mainWindowOptions(input)],
    ['call', callWindowOptions(input)],
  ])('the %s window is sandboxed, isolated, without Node, and hidden until ready', (_kind, options) => {
    expectSecure(options.webPreferences);
    expect(options.show).toBe(false);
    expect(options.title).toMatch(/Clinician Console/);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0);
  });

  it('DevTools follow the input (on only for development builds)', () => {
    expect(secureWebPreferences({ preloadPath: PRELOAD, devTools: true }).devTools).toBe(true);
  });

  it('only the call window keeps running in the background', () => {
    expect(callWindowOptions(input).webPreferences?.backgroundThrottling).toBe(false);
    expect(mainWindowOptions(input).webPreferences?.backgroundThrottling).toBe(true);
  });
});

describe('createWindowManager (Electron wiring)', () => {
  beforeEach(() => fake.resetFakes());

  const manager = () => {
    const closed = vi.fn();
    const windows = createWindowManager({ preloadPath: PRELOAD, devTools: false, log: nullLogger, onCallWindowClosed: closed });
    return { windows, closed };
  };

  it('every window it creates gets the secure options', async () => {
    const { windows } = manager();
    windows.showMain();
    await windows.host.openCallWindow();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(2);
    for (const window of fake.FakeBrowserWindow.instances) {
      expectSecure(window.options.webPreferences);
      expect(window.options.show).toBe(false);
    }
  });

  it('loads the pages from the app scheme and shows a window on ready-to-show', async () => {
    const { windows } = manager();
    windows.showMain();
    await windows.host.openCallWindow();
    const [main, call] = fake.FakeBrowserWindow.instances;
    expect(main!.loadedUrl).toBe('app://console/index.html');
    expect(call!.loadedUrl).toBe('app://console/call.html');
    expect(main!.shown).toBe(0);
    main!.emit('ready-to-show');
    expect(main!.shown).toBe(1);
  });

  it('knows which webContents is which window, and forgets a closed one', async () => {
    const { windows, closed } = manager();
    windows.showMain();
    await windows.host.openCallWindow();
    const [main, call] = fake.FakeBrowserWindow.instances;
    expect(windows.kindOf(main!.webContents.id)).toBe('main');
    expect(windows.kindOf(call!.webContents.id)).toBe('call');
    expect(windows.kindOf(9999)).toBeUndefined();
    expect(windows.contentsOf('call')).toBe(call!.webContents);
    expect(windows.kindOfFrame(call!.webContents.mainFrame as never)).toBe('call');

    windows.host.closeCallWindow();
    expect(call!.destroyed).toBe(true);
    expect(windows.kindOf(call!.webContents.id)).toBeUndefined();
    expect(windows.contentsOf('call')).toBeUndefined();
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('opens one call window at a time: opening again focuses it', async () => {
    const { windows } = manager();
    await windows.host.openCallWindow();
    const call = fake.FakeBrowserWindow.instances[0]!;
    call.minimized = true;
    await windows.host.openCallWindow();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(1);
    expect(call.restored).toBe(1);
    expect(call.focused).toBe(1);
    call.close();
    await windows.host.openCallWindow();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(2);
  });

  it('focusMain brings the main window back, or makes a new one', () => {
    const { windows } = manager();
    windows.host.focusMain();
    const first = fake.FakeBrowserWindow.instances[0]!;
    windows.host.focusMain();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(1);
    expect(first.focused).toBe(1);
    first.close();
    windows.host.focusMain();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(2);
    expect(fake.FakeBrowserWindow.instances[1]!.loadedUrl).toBe('app://console/index.html');
  });
});
