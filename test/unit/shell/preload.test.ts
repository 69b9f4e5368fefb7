import { beforeAll, describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { BRIDGE_GLOBAL, IPC_EVENT_PREFIX, IPC_INVOKE } from '../../../preload/bridge-names';
import { channels, events, type ClinicianBridge } from '../../../preload/contract';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);
const fake = await import('./fake-electron');

let bridge: ClinicianBridge;
beforeAll(async () => {
  await import('../../../preload/index');
  bridge = fake.contextBridge.exposed.get(BRIDGE_GLOBAL) as ClinicianBridge;
});

describe('the preload', () => {
  it('exposes one global, the bridge, with exactly invoke and on', () => {
    expect([...fake.contextBridge.exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
  });

  it('passes a known channel to main on the one invoke channel', async () => {
    fake.ipcRenderer.invocations.length = 0;
    const result = await bridge.invoke('schedule.day', { day: '2025-03-04' });
    expect(fake.ipcRenderer.invocations).toEqual([[IPC_INVOKE, 'schedule.day', { day: '2025-03-04' }]]);
    expect(result).toEqual(fake.ipcRenderer.invokeResult);
  });

  it('every contract channel is accepted', async () => {
    fake.ipcRenderer.invocations.length = 0;
    for (const name of Object.keys(channels)) await bridge.invoke(name as never, {} as never);
    expect(fake.ipcRenderer.invocations.map((call) => call[1])).toEqual(Object.keys(channels));
  });

  it.each(['fs.readFile', '__proto__', 'constructor', 'toString', '', 42, null])(
    'refuses unknown channel %j with an error result and no IPC',
    async (name) => {
      fake.ipcRenderer.invocations.length = 0;
      const result = await bridge.invoke(name as never, {} as never);
      expect(result).toEqual({ ok: false, error: { code: 'unknown-channel' } });
      expect(fake.ipcRenderer.invocations).toEqual([]);
    },
  );

  it('turns a failed IPC into an error result, never a rejection', async () => {
    fake.ipcRenderer.invokeError = new Error('An object could not be cloned');
    await expect(bridge.invoke('app.info', {})).resolves.toEqual({ ok: false, error: { code: 'no-bridge' } });
    fake.ipcRenderer.invokeError = undefined;
  });

  it('hands the listener the payload only, never the IPC event', () => {
    const received: unknown[][] = [];
    const off = bridge.on('schedule.changed', (...args: unknown[]) => void received.push(args));
    const ipcEvent = { sender: fake.ipcRenderer, senderId: 0, ports: [] };
    fake.ipcRenderer.emit(`${IPC_EVENT_PREFIX}schedule.changed`, ipcEvent, { day: '2025-03-04' });
    expect(received).toEqual([[{ day: '2025-03-04' }]]);
    off();
  });

  it('returns an unsubscribe that removes exactly that listener, once', () => {
    const channel = `${IPC_EVENT_PREFIX}auth.changed`;
    const before = fake.ipcRenderer.listenerCount(channel);
    const calls: unknown[] = [];
    const off = bridge.on('auth.changed', (payload) => void calls.push(payload));
    expect(fake.ipcRenderer.listenerCount(channel)).toBe(before + 1);
    off();
    off();
    expect(fake.ipcRenderer.listenerCount(channel)).toBe(before);
    fake.ipcRenderer.emit(channel, {}, { status: 'signed-out' });
    expect(calls).toEqual([]);
  });

  it.each(['cc:invoke', 'fs.changed', '__proto__', 'hasOwnProperty'])('listens to no unknown event (%s)', (name) => {
    const countBefore = [...fake.ipcRenderer.listeners.values()].reduce((n, l) => n + l.length, 0);
    const off = bridge.on(name as never, () => {});
    expect([...fake.ipcRenderer.listeners.values()].reduce((n, l) => n + l.length, 0)).toBe(countBefore);
    expect(typeof off).toBe('function');
    expect(() => off()).not.toThrow();
  });

  it('every contract event can be listened to', () => {
    for (const name of Object.keys(events)) {
      const off = bridge.on(name as never, () => {});
      expect(fake.ipcRenderer.listenerCount(`${IPC_EVENT_PREFIX}${name}`), name).toBeGreaterThan(0);
      off();
    }
  });
});
