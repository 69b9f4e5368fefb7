import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../../../main/log/logger';
import { createRouter, type Handlers } from '../../../main/ipc/router';
import { IPC_EVENT_PREFIX, IPC_INVOKE } from '../../../preload/bridge-names';
import type { Result, WindowKind } from '../../../preload/contract';
import { fakeFrame, type FakeFrame } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
const fake = await import('./fake-electron');
const { checkSender, createEventSink, registerIpc, senderFacts } = await import('../../../main/ipc/electron-ipc');

const MAIN_ID = 11;
const CALL_ID = 12;
const kinds: Record<number, WindowKind> = { [MAIN_ID]: 'main', [CALL_ID]: 'call' };
const windowKindOf = (id: number) => kinds[id];

const DAY = {
  day: '2025-03-04',
  meetings: [],
  sync: { state: 'never', lastSyncedAt: null, invalidCount: 0 },
};

function tinyHandlers() {
  const scheduleDay = vi.fn(async ({ day }: { day: string }) => ({ ...DAY, day }));
  const appInfo = vi.fn(async () => ({ version: '1.0.0', host: 'electron' as const, locale: 'en' }));
  const unused = async () => {
    throw new Error('not in this test');
  };
  const handlers = {
    'app.info': appInfo,
    'auth.state': unused,
    'auth.signIn': unused,
    'auth.signOut': unused,
    'schedule.day': scheduleDay,
    'schedule.refresh': unused,
    'call.open': unused,
    'call.ticket': unused,
    'call.leave': unused,
  } as unknown as Handlers;
  return { handlers, scheduleDay, appInfo };
}

/** An IpcMainInvokeEvent from webContents `id` whose sending frame is `frame`. */
function invokeEvent(id: number, frame: FakeFrame | null, top: FakeFrame = frame ?? fakeFrame('app://console/index.html')) {
  return { sender: { id, mainFrame: top }, senderFrame: frame };
}

describe('checkSender', () => {
  const ok = { frameUrl: 'app://console/index.html', isMainFrame: true, webContentsId: MAIN_ID };

  it('accepts the top frame of a known window on the app origin, and names its kind', () => {
    expect(checkSender(ok, windowKindOf)).toEqual({ ok: true, window: 'main' });
    expect(checkSender({ ...ok, webContentsId: CALL_ID, frameUrl: 'app://console/call.html' }, windowKindOf)).toEqual({ ok: true, window: 'call' });
  });

  it.each([
    ['a sub-frame', { ...ok, isMainFrame: false }],
    ['another origin', { ...ok, frameUrl: 'https://evil.example/index.html' }],
    ['a file: page', { ...ok, frameUrl: 'file:///tmp/index.html' }],
    ['a look-alike host', { ...ok, frameUrl: 'app://console.evil/index.html' }],
    ['a gone frame', { ...ok, frameUrl: undefined }],
    ['an unknown webContents', { ...ok, webContentsId: 999 }],
  ])('refuses %s', (_name, facts) => {
    const result = checkSender(facts, windowKindOf);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('forbidden');
  });
});

describe('senderFacts', () => {
  it('tells a sub-frame from the top frame', () => {
    const top = fakeFrame('app://console/index.html', { routingId: 1 });
    const child = fakeFrame('app://console/index.html', { parent: top, routingId: 2 });
    expect(senderFacts(invokeEvent(MAIN_ID, top) as never).isMainFrame).toBe(true);
    expect(senderFacts(invokeEvent(MAIN_ID, child, top) as never).isMainFrame).toBe(false);
    expect(senderFacts(invokeEvent(MAIN_ID, null, top) as never)).toMatchObject({ isMainFrame: false, frameUrl: undefined });
  });

  it('treats a destroyed frame as unknown', () => {
    const frame = { ...fakeFrame('app://console/index.html'), isDestroyed: () => true };
    expect(senderFacts(invokeEvent(MAIN_ID, frame) as never)).toMatchObject({ isMainFrame: false, frameUrl: undefined });
  });
});

describe('registerIpc through the real router', () => {
  let handle: (event: unknown, channel: unknown, request: unknown) => Promise<Result<unknown>>;
  let spies: ReturnType<typeof tinyHandlers>;
  let unregister: () => void;

  beforeEach(() => {
    fake.resetFakes();
    spies = tinyHandlers();
    unregister = registerIpc(createRouter(spies.handlers, nullLogger), windowKindOf, nullLogger);
    handle = fake.ipcMain.handlers.get(IPC_INVOKE) as typeof handle;
  });

  it('registers one handler on the invoke channel and can remove it', () => {
    expect([...fake.ipcMain.handlers.keys()]).toEqual([IPC_INVOKE]);
    unregister();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('answers a valid request from the main window', async () => {
    const result = await handle(invokeEvent(MAIN_ID, fakeFrame('app://console/index.html')), 'schedule.day', { day: '2025-03-04' });
    expect(result).toMatchObject({ ok: true, value: { day: '2025-03-04' } });
    expect(spies.scheduleDay).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['a sub-frame', () => {
      const top = fakeFrame('app://console/index.html', { routingId: 1 });
      return invokeEvent(MAIN_ID, fakeFrame('app://console/index.html', { parent: top, routingId: 5 }), top);
    }],
    ['a page of another origin', () => invokeEvent(MAIN_ID, fakeFrame('https://evil.example/'))],
    ['an unknown webContents', () => invokeEvent(4242, fakeFrame('app://console/index.html'))],
    ['a frame that is gone', () => invokeEvent(MAIN_ID, null)],
  ])('refuses a request from %s without reaching the handler, and never throws', async (_name, event) => {
    const result = await handle(event(), 'app.info', {});
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(spies.appInfo).not.toHaveBeenCalled();
  });

  it('refuses an invalid payload with a clear error naming the field', async () => {
    const result = await handle(invokeEvent(MAIN_ID, fakeFrame('app://console/index.html')), 'schedule.day', { day: 'tomorrow' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('bad-request');
    expect(!result.ok && result.error.params).toEqual({ channel: 'schedule.day', fields: 'day' });
    expect(spies.scheduleDay).not.toHaveBeenCalled();
  });

  it('refuses extra fields and unknown channels', async () => {
    const event = invokeEvent(MAIN_ID, fakeFrame('app://console/index.html'));
    expect(await handle(event, 'schedule.day', { day: '2025-03-04', sql: 'drop' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await handle(event, 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('uses the window kind it established, not anything the page says', async () => {
    const result = await handle(invokeEvent(CALL_ID, fakeFrame('app://console/call.html')), 'schedule.day', { day: '2025-03-04', window: 'main' });
    expect(result).toMatchObject({ ok: false });
    expect(spies.scheduleDay).not.toHaveBeenCalled();
    const forbidden = await handle(invokeEvent(CALL_ID, fakeFrame('app://console/call.html')), 'schedule.day', { day: '2025-03-04' });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('turns a failing router into an error result instead of a rejection', async () => {
    fake.resetFakes();
    registerIpc({ handle: async () => { throw new Error('boom'); } }, windowKindOf, nullLogger);
    const failing = fake.ipcMain.handlers.get(IPC_INVOKE) as typeof handle;
    await expect(failing(invokeEvent(MAIN_ID, fakeFrame('app://console/index.html')), 'app.info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'internal' },
    });
  });
});

describe('createEventSink', () => {
  const target = () => ({ sent: [] as unknown[][], destroyed: false, send(...args: unknown[]) { this.sent.push(args); }, isDestroyed() { return this.destroyed; } });

  it('sends to the window of that kind on the prefixed channel, payload only', () => {
    const main = target();
    const call = target();
    const emit = createEventSink((kind) => (kind === 'main' ? main : call));
    const day = { day: '2025-03-04', meetings: [], sync: { state: 'never' as const, lastSyncedAt: null, invalidCount: 0 } };
    emit('main', 'schedule.changed', day);
    expect(main.sent).toEqual([[`${IPC_EVENT_PREFIX}schedule.changed`, day]]);
    expect(call.sent).toEqual([]);
  });

  it('sends to both windows for "all" and skips a missing or destroyed one', () => {
    const main = target();
    const call = target();
    call.destroyed = true;
    const emit = createEventSink((kind) => (kind === 'main' ? main : call));
    emit('all', 'auth.changed', { status: 'signed-out' });
    expect(main.sent).toHaveLength(1);
    expect(call.sent).toHaveLength(0);
    expect(() => createEventSink(() => undefined)('all', 'window.focus', {})).not.toThrow();
  });

  it('drops a payload that does not match the contract', () => {
    const main = target();
    const emit = createEventSink(() => main);
    emit('main', 'schedule.changed', { day: 'not-a-day', meetings: [], sync: { state: 'never', lastSyncedAt: null, invalidCount: 0 } } as never);
    emit('main', 'auth.changed', { status: 'signed-in', account: { name: 'x', username: 'y' }, token: 'secret' } as never);
    expect(main.sent).toHaveLength(1);
    expect(main.sent[0]![1]).toEqual({ status: 'signed-in', account: { name: 'x', username: 'y' } });
  });
});
