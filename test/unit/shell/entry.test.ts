/**
 * The Electron entry, run against the fake Electron module with a stand-in core: checks the
 * order of the security set-up and that the pieces are wired to each other.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, IPC_INVOKE } from '../../../preload/bridge-names';
import type { Result } from '../../../preload/contract';
import type { Platform } from '../../../main/core/ports';
import { tempDir } from '../../support/temp-dir';

const core = vi.hoisted(() => ({
  createCore: vi.fn(),
  dispose: vi.fn(async () => {}),
  callWindowClosed: vi.fn(),
  platform: undefined as unknown,
}));

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
vi.mock('../../../main/core/app-core', () => ({ createCore: core.createCore }));

const fake = await import('./fake-electron');
const profile = tempDir('cc-entry-');

beforeAll(async () => {
  core.createCore.mockImplementation(async (opts: { platform: Platform }) => {
    core.platform = opts.platform;
    return {
      handlers: { 'app.info': async () => ({ version: '0.0.0-test', host: 'electron', locale: 'en-GB' }) },
      callWindowClosed: core.callWindowClosed,
      dispose: core.dispose,
    };
  });
  fake.app.isPackaged = true;
  fake.app.paths.set('userData', join(profile, 'user-data'));
  fake.app.paths.set('logs', join(profile, 'logs'));
  vi.stubEnv('CLINICIAN_CONSOLE_CONFIG', '');
  vi.stubEnv('CLINICIAN_CONSOLE_USER_DATA', join(profile, 'override'));
  await import('../../../main/index');
  expect(fake.protocol.handlers.size, 'nothing served before ready').toBe(0);
  fake.app.readyResolve!();
  await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
});

describe('main/index.ts', () => {
  it('follows the system proxy by default, and sends the core\'s network traffic through Chromium (net.fetch)', async () => {
    expect(fake.defaultSession.proxyConfig).toEqual({ mode: 'system' });
    const platform = core.platform as Platform;
    await platform.fetch('https://vdx.invalid/v2/info');
    expect(fake.netFetched).toEqual(['https://vdx.invalid/v2/info']);
  });

  it('gives the call window its own screen picker over desktopCapturer, and shares nothing unchosen', async () => {
    const platform = core.platform as Platform;
    expect(await platform.screenSources?.list()).toEqual([{ id: 'screen:1:0', name: 'Entire screen', kind: 'screen', thumbnail: '' }]);
    expect(() => platform.screenSources?.choose('screen:2:0')).toThrow(expect.objectContaining({ code: 'share-source-gone' }));
  });

  it("hands the core the OS's screen lock and idle time from powerMonitor, read afresh each time", () => {
    const workstation = (core.platform as Platform).workstation!;
    const locks: number[] = [];
    const stop = workstation.onLocked(() => locks.push(1));
    fake.powerMonitor.emit('lock-screen');
    stop();
    fake.powerMonitor.emit('lock-screen');
    expect(locks).toEqual([1]);
    fake.powerMonitor.idleSeconds = 42;
    expect(workstation.idleSeconds()).toBe(42);
    fake.powerMonitor.idleSeconds = 1860;
    expect(workstation.idleSeconds()).toBe(1860);
  });

  it('sandboxes every renderer and registers the app scheme before anything else', () => {
    expect(fake.callOrder.slice(0, 3)).toEqual(['enableSandbox', 'registerSchemesAsPrivileged', 'requestSingleInstanceLock']);
    expect(fake.callOrder.indexOf('protocol.handle:app')).toBeGreaterThan(fake.callOrder.indexOf('whenReady'));
    expect(fake.protocol.privileged).toEqual([expect.objectContaining({ scheme: 'app' })]);
  });

  it('an installed build ignores the profile override', () => {
    expect(fake.app.getPath('userData')).toBe(join(profile, 'user-data'));
  });

  it('opens the main window, secured, on the app scheme', () => {
    const [window] = fake.FakeBrowserWindow.instances;
    expect(window!.loadedUrl).toBe('app://console/index.html');
    expect(window!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false });
    // Next to the folder of the main script: out/main/index.js -> out/preload/index.cjs when built.
    const preload = (window!.options.webPreferences as { preload: string }).preload;
    expect(preload).toBe(join(import.meta.dirname, '..', '..', '..', 'preload', 'index.cjs'));
  });

  it('hardens every webContents as it is created', () => {
    const contents = fake.FakeBrowserWindow.instances[0]!.webContents;
    expect(contents.windowOpenHandler).toBeTypeOf('function');
    expect(contents.listenerCount('will-navigate')).toBeGreaterThan(0);
    const event = fake.fakeEvent();
    contents.emit('will-navigate', event, 'https://evil.example/');
    expect(event.defaultPrevented).toBe(true);
  });

  it('installs the permission handlers on the default session', () => {
    expect(fake.defaultSession.permissionRequestHandler).toBeTypeOf('function');
    expect(fake.defaultSession.permissionCheckHandler).toBeTypeOf('function');
    expect(fake.defaultSession.devicePermissionHandler).toBeTypeOf('function');
  });

  it('gives the core an Electron platform whose openExternal is guarded', async () => {
    const platform = core.platform as Platform;
    expect(platform.host).toBe('electron');
    expect(platform.userDataDir).toBe(join(profile, 'user-data'));
    // The configured identity provider's sign-in page (the default authority's origin) opens ...
    await platform.openExternal('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x');
    await platform.openExternal('mailto:it-support@hospital.example');
    await expect(platform.openExternal('file:///etc/passwd')).rejects.toMatchObject({ code: 'forbidden-url' });
    // ... an https origin that is neither the identity provider's, the portal's nor IT's does not.
    await expect(platform.openExternal('https://idp.example/authorize')).rejects.toMatchObject({ code: 'forbidden-url' });
    expect(fake.openedExternally).toEqual(['https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x', 'mailto:it-support@hospital.example']);
  });

  it('answers IPC from the main window through the core, and refuses a stranger', async () => {
    const handle = fake.ipcMain.handlers.get(IPC_INVOKE) as (e: unknown, c: unknown, r: unknown) => Promise<Result<unknown>>;
    const contents = fake.FakeBrowserWindow.instances[0]!.webContents;
    const event = { sender: contents, senderFrame: contents.mainFrame };
    expect(await handle(event, 'app.info', {})).toMatchObject({ ok: true, value: { host: 'electron' } });
    const stranger = { sender: { id: 31337, mainFrame: contents.mainFrame }, senderFrame: contents.mainFrame };
    expect(await handle(stranger, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(BRIDGE_GLOBAL).toBe('clinician');
  });

  it('tells the core when the call window closes', async () => {
    await (core.platform as Platform).windows.openCallWindow();
    fake.FakeBrowserWindow.instances[1]!.close();
    expect(core.callWindowClosed).toHaveBeenCalledTimes(1);
  });

  it('quits when the last window closes (not on macOS) and disposes the core first', async () => {
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toBe(process.platform === 'darwin' ? 0 : 1);
    const quitsBefore = fake.app.quitCalls;
    const event = fake.fakeEvent();
    fake.app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.app.quitCalls).toBe(quitsBefore + 1));
    expect(core.dispose).toHaveBeenCalledTimes(1);
    const again = fake.fakeEvent();
    fake.app.emit('will-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });
});
