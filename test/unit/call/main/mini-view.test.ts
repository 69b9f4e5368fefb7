/**
 * The call window's mini view (Electron only; a browser tab cannot float): it shrinks to an
 * always-on-top corner of its screen when the host switches away during a call, only then,
 * and comes back where and how it was. The BrowserWindow is faked (Electron's binary cannot
 * exist here) with the methods the mini view uses; window-host's wiring is checked through
 * the shell's fake Electron module with Electron's `screen` added.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../../../../main/log/logger';
import { attachMiniView, MINI_SIZE, miniBounds, type MiniViewWindow, type Rect } from '../../../../call/main/mini-view';

const WORK_AREA: Rect = { x: 0, y: 0, width: 1920, height: 1040 };

vi.mock('electron', async () => {
  const fake = (await import('../../shell/fake-electron')).electronModule;
  return { ...fake, screen: { getDisplayMatching: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }) } };
});
const fake = await import('../../shell/fake-electron');
const { createWindowManager } = await import('../../../../main/windows/window-host');

/** A window's bounds, state and the calls made to it. */
class FakeWindow implements MiniViewWindow {
  bounds: Rect = { x: 100, y: 80, width: 1024, height: 720 };
  minimum = [640, 480];
  onTop = false;
  maximized = false;
  fullScreen = false;
  minimized = false;
  destroyed = false;
  readonly listeners = new Map<string, Array<() => void>>();
  getBounds = () => ({ ...this.bounds });
  setBounds = (b: Rect) => {
    // Like Electron: never smaller than the minimum size.
    this.bounds = { ...b, width: Math.max(b.width, this.minimum[0]!), height: Math.max(b.height, this.minimum[1]!) };
  };
  getMinimumSize = () => [...this.minimum];
  setMinimumSize = (w: number, h: number) => {
    this.minimum = [w, h];
  };
  setAlwaysOnTop = (flag: boolean) => {
    this.onTop = flag;
  };
  isMaximized = () => this.maximized;
  maximize = () => {
    this.maximized = true;
  };
  unmaximize = () => {
    this.maximized = false;
  };
  isFullScreen = () => this.fullScreen;
  isMinimized = () => this.minimized;
  isDestroyed = () => this.destroyed;
  on(event: string, listener: () => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: string) {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

describe('miniBounds', () => {
  it('puts the mini view in the bottom right of the work area, clear of the edges', () => {
    expect(miniBounds(WORK_AREA)).toEqual({ x: 1920 - 360 - 16, y: 1040 - 240 - 16, ...MINI_SIZE });
    // A second screen left of the first, with the taskbar on top.
    expect(miniBounds({ x: -1280, y: 40, width: 1280, height: 984 })).toEqual({ x: -1280 + 1280 - 360 - 16, y: 40 + 984 - 240 - 16, ...MINI_SIZE });
  });

  it('stays inside a work area smaller than the mini view', () => {
    expect(miniBounds({ x: 10, y: 20, width: 300, height: 200 })).toEqual({ x: 10, y: 20, width: 300, height: 200 });
  });
});

describe('attachMiniView', () => {
  it('shrinks on blur only while in a call, always on top, and expands back where it was', () => {
    const win = new FakeWindow();
    const mini = attachMiniView(win, { workAreaFor: () => WORK_AREA });

    // Not in a call (the check screen, or the call ended): switching away changes nothing.
    win.emit('blur');
    expect(mini.isMini()).toBe(false);
    expect(win.bounds).toEqual({ x: 100, y: 80, width: 1024, height: 720 });

    mini.allow(true);
    win.emit('blur');
    expect(mini.isMini()).toBe(true);
    expect(win.bounds).toEqual(miniBounds(WORK_AREA));
    expect(win.onTop).toBe(true);

    // Focus alone (a click on its mute button) does not expand it; a second blur is a no-op.
    win.emit('focus');
    win.emit('blur');
    expect(win.bounds).toEqual(miniBounds(WORK_AREA));

    mini.expand();
    expect(mini.isMini()).toBe(false);
    expect(win.onTop).toBe(false);
    expect(win.bounds).toEqual({ x: 100, y: 80, width: 1024, height: 720 });
    expect(win.minimum).toEqual([640, 480]);
  });

  it('a maximized window comes back maximized; a full-screen or minimized one is left alone', () => {
    const win = new FakeWindow();
    win.maximized = true;
    const mini = attachMiniView(win, { workAreaFor: () => WORK_AREA });
    mini.allow(true);
    win.emit('blur');
    expect(win.maximized).toBe(false);
    expect(mini.isMini()).toBe(true);
    mini.expand();
    expect(win.maximized).toBe(true);

    const full = new FakeWindow();
    full.fullScreen = true;
    const fullMini = attachMiniView(full, { workAreaFor: () => WORK_AREA });
    fullMini.allow(true);
    full.emit('blur');
    expect(fullMini.isMini()).toBe(false);

    const hidden = new FakeWindow();
    hidden.minimized = true;
    const hiddenMini = attachMiniView(hidden, { workAreaFor: () => WORK_AREA });
    hiddenMini.allow(true);
    hidden.emit('blur');
    expect(hiddenMini.isMini()).toBe(false);
  });

  it('the call ending (not allowed any more) restores the window at once', () => {
    const win = new FakeWindow();
    const mini = attachMiniView(win, { workAreaFor: () => WORK_AREA });
    mini.allow(true);
    win.emit('blur');
    mini.allow(false);
    expect(mini.isMini()).toBe(false);
    expect(win.bounds.width).toBe(1024);
    expect(win.onTop).toBe(false);
    win.emit('blur');
    expect(mini.isMini()).toBe(false);
  });

  it('minimizing the mini view brings the whole window back from the taskbar', () => {
    const win = new FakeWindow();
    const mini = attachMiniView(win, { workAreaFor: () => WORK_AREA });
    mini.allow(true);
    win.emit('blur');
    win.minimized = true;
    win.emit('minimize');
    expect(mini.isMini()).toBe(false);
    expect(win.onTop).toBe(false);
    expect(win.bounds).toEqual({ x: 100, y: 80, width: 1024, height: 720 });
  });

  it('does nothing to a window that is gone', () => {
    const win = new FakeWindow();
    const mini = attachMiniView(win, { workAreaFor: () => WORK_AREA });
    mini.allow(true);
    win.destroyed = true;
    win.emit('blur');
    expect(mini.isMini()).toBe(false);
    expect(() => mini.expand()).not.toThrow();
  });
});

describe('window host: the call window gets a mini view', () => {
  beforeEach(() => fake.resetFakes());

  /** The shell's fake BrowserWindow, with the bounds methods a real one has. */
  function withBounds(window: InstanceType<typeof fake.FakeBrowserWindow>): FakeWindow {
    const state = new FakeWindow();
    Object.assign(window, {
      getBounds: state.getBounds,
      setBounds: state.setBounds,
      getMinimumSize: state.getMinimumSize,
      setMinimumSize: state.setMinimumSize,
      setAlwaysOnTop: state.setAlwaysOnTop,
      isMaximized: state.isMaximized,
      maximize: state.maximize,
      unmaximize: state.unmaximize,
      isFullScreen: state.isFullScreen,
    });
    return state;
  }

  it('shrinks the call window on blur once the call allows it, and Join again restores it', async () => {
    const windows = createWindowManager({ preloadPath: '/x/preload.cjs', devTools: false, log: nullLogger });
    await windows.host.openCallWindow();
    const call = fake.FakeBrowserWindow.instances[0]!;
    const state = withBounds(call);

    call.emit('blur');
    expect(state.onTop).toBe(false);
    windows.host.callMiniView!.allow(true);
    call.emit('blur');
    expect(state.onTop).toBe(true);
    expect(state.bounds).toEqual(miniBounds(WORK_AREA));

    // The host presses Join on the meeting again in the day view: the whole window comes back.
    await windows.host.openCallWindow();
    expect(state.onTop).toBe(false);
    expect(state.bounds.width).toBe(1024);

    call.emit('blur');
    windows.host.callMiniView!.expand();
    expect(state.onTop).toBe(false);

    // Closed: the controls have nothing to act on and do not throw.
    call.close();
    expect(() => windows.host.callMiniView!.allow(true)).not.toThrow();
    expect(() => windows.host.callMiniView!.expand()).not.toThrow();
  });
});
