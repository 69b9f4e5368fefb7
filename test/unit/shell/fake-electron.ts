/**
 * A small stand-in for the `electron` module (its binary cannot exist on this machine).
 * Each fake records what was done to it; tests assert on those records. Use with
 *   vi.mock('electron', async () => (await import('./fake-electron')).electronModule)
 * Every test file runs in its own module graph, so this state starts fresh per file;
 * call resetFakes() between tests of one file.
 */
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Listener = (...args: unknown[]) => unknown;

/** Order of notable calls across all fakes (enableSandbox, registerSchemes, ...). */
export const callOrder: string[] = [];

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(event, wrapped);
      return listener(...args);
    };
    return this.on(event, wrapped);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  emit(event: string, ...args: unknown[]): boolean {
    const list = [...(this.listeners.get(event) ?? [])];
    for (const listener of list) listener(...args);
    return list.length > 0;
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  processId: number;
  routingId: number;
  isDestroyed(): boolean;
}

export function fakeFrame(url: string, opts: { parent?: FakeFrame | null; routingId?: number } = {}): FakeFrame {
  return { url, parent: opts.parent ?? null, processId: 7, routingId: opts.routingId ?? 1, isDestroyed: () => false };
}

let nextContentsId = 100;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextContentsId++;
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
  destroyed = false;
  mainFrame: FakeFrame = fakeFrame('about:blank', { routingId: this.id });
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  shown = 0;
  focused = 0;
  restored = 0;
  minimized = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame = fakeFrame(url, { routingId: this.webContents.id });
    return Promise.resolve();
  }
  show(): void {
    this.shown++;
  }
  focus(): void {
    this.focused++;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.restored++;
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, handler: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** electron-store registers one listener of its own (its renderer helper, unused here). */
  readonly listeners = new Map<string, Listener>();
  on(channel: string, listener: Listener): void {
    this.listeners.set(channel, listener);
  }
}

class FakeIpcRenderer extends FakeEmitter {
  readonly invocations: unknown[][] = [];
  invokeResult: unknown = { ok: true, value: 'from-main' };
  invokeError: Error | undefined;
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push([channel, ...args]);
    return this.invokeError ? Promise.reject(this.invokeError) : Promise.resolve(this.invokeResult);
  }
}

class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    callOrder.push(`exposeInMainWorld:${key}`);
    this.exposed.set(key, api);
  }
}

export class FakeSession extends FakeEmitter {
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  devicePermissionHandler: Listener | null = null;
  displayMediaRequestHandler: Listener | null = null;
  setPermissionRequestHandler(handler: Listener | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Listener | null): void {
    this.devicePermissionHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: Listener | null): void {
    this.displayMediaRequestHandler = handler;
  }
  proxyConfig: unknown = null;
  async setProxy(config: unknown): Promise<void> {
    this.proxyConfig = config;
  }
}

class FakeApp extends FakeEmitter {
  isPackaged = false;
  readyResolve: (() => void) | undefined;
  readonly ready = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });
  readonly paths = new Map<string, string>([
    ['userData', join(tmpdir(), 'cc-fake-userdata')],
    ['logs', join(tmpdir(), 'cc-fake-userdata', 'logs')],
  ]);
  quitCalls = 0;
  exitCode: number | undefined;
  enableSandbox(): void {
    callOrder.push('enableSandbox');
  }
  requestSingleInstanceLock(): boolean {
    callOrder.push('requestSingleInstanceLock');
    return true;
  }
  whenReady(): Promise<void> {
    callOrder.push('whenReady');
    return this.ready;
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no fake path ${name}`);
    return path;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  getLocale(): string {
    return 'en-GB';
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
  setAsDefaultProtocolClient(): boolean {
    return true;
  }
}

class FakeProtocol {
  readonly privileged: unknown[] = [];
  readonly handlers = new Map<string, (request: { method: string; url: string }) => Promise<Response>>();
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    callOrder.push('registerSchemesAsPrivileged');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: { method: string; url: string }) => Promise<Response>): void {
    callOrder.push(`protocol.handle:${scheme}`);
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
}

class FakeSafeStorage {
  available = true;
  backend = 'gnome_libsecret';
  encryptCalls = 0;
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plain: string): Buffer {
    this.encryptCalls++;
    return Buffer.from(`enc:${plain}`);
  }
  decryptString(encrypted: Buffer): string {
    return encrypted.toString().replace(/^enc:/, '');
  }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const contextBridge = new FakeContextBridge();
export const protocol = new FakeProtocol();
export const safeStorage = new FakeSafeStorage();
export const defaultSession = new FakeSession();
export const openedExternally: string[] = [];
export const shell = {
  openExternal: async (url: string) => {
    openedExternally.push(url);
  },
};
export const screenSource = { id: 'screen:1:0', name: 'Entire screen', thumbnail: { isEmpty: () => true } };
/** powerMonitor: the OS's idle time the test sets, and its 'lock-screen' event. */
export const powerMonitor = Object.assign(new EventEmitter(), {
  idleSeconds: 0,
  getSystemIdleTime(): number {
    return powerMonitor.idleSeconds;
  },
});
/** URLs fetched through Electron's net module (Chromium's network stack). */
export const netFetched: string[] = [];

export const electronModule = {
  app,
  BrowserWindow: FakeBrowserWindow,
  ipcMain,
  ipcRenderer,
  contextBridge,
  protocol,
  safeStorage,
  shell,
  session: { defaultSession },
  net: {
    fetch: async (url: string) => {
      netFetched.push(url);
      return new Response('{}', { status: 200 });
    },
  },
  dialog: { showErrorBox: (title: string, body: string) => callOrder.push(`showErrorBox:${title}:${body}`) },
  desktopCapturer: { getSources: async () => [screenSource] },
  powerMonitor,
  webContents: {
    fromFrame: (frame: FakeFrame) =>
      FakeBrowserWindow.instances.map((w) => w.webContents).find((c) => c.mainFrame === frame),
  },
};

export function resetFakes(): void {
  FakeBrowserWindow.instances = [];
  ipcMain.handlers.clear();
  contextBridge.exposed.clear();
  ipcRenderer.listeners.clear();
  ipcRenderer.invocations.length = 0;
  ipcRenderer.invokeError = undefined;
  openedExternally.length = 0;
  callOrder.length = 0;
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  safeStorage.encryptCalls = 0;
}

/** An event object like Electron's: records preventDefault. */
export function fakeEvent<T extends object>(extra: T = {} as T): T & { preventDefault(): void; defaultPrevented: boolean } {
  const event = {
    ...extra,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

// electron-store (device preferences) imports Electron's default export.
(electronModule as Record<string, unknown>).default = electronModule;
