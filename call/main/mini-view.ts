/**
 * The call window's mini view: when the clinician switches to another window (the patient
 * record) during a call, the call window shrinks to a small always-on-top view in the corner
 * of its screen, so the patient stays in sight; "Back to the call" in that view restores it.
 *
 * Plain TypeScript over the few BrowserWindow methods it uses (window-host.ts wires a real
 * BrowserWindow and Electron's screen), so it is unit-tested without Electron. The renderer
 * lays itself out compactly by its own size (a CSS media query), so no extra event is needed.
 *
 * Focus does not restore the window: the click that focuses the mini view is meant for one of
 * its buttons (mute, back to the call), and must not land on a window that grew under it.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The BrowserWindow methods the mini view uses. */
export interface MiniViewWindow {
  getBounds(): Rect;
  setBounds(bounds: Rect): void;
  getMinimumSize(): number[];
  setMinimumSize(width: number, height: number): void;
  setAlwaysOnTop(flag: boolean, level?: 'floating'): void;
  isMaximized(): boolean;
  maximize(): void;
  unmaximize(): void;
  isFullScreen(): boolean;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  on(event: 'blur' | 'minimize', listener: () => void): unknown;
}

export const MINI_SIZE = { width: 360, height: 240 } as const;
const MARGIN = 16;

/** Bottom right of the work area (clear of the taskbar and the dock), inside it however small. */
export function miniBounds(workArea: Rect, size: { width: number; height: number } = MINI_SIZE): Rect {
  const width = Math.min(size.width, workArea.width);
  const height = Math.min(size.height, workArea.height);
  return {
    x: workArea.x + Math.max(0, workArea.width - width - MARGIN),
    y: workArea.y + Math.max(0, workArea.height - height - MARGIN),
    width,
    height,
  };
}

export interface MiniView {
  /** The window is in a call (it may go mini on blur), or not (it is restored at once). */
  allow(allowed: boolean): void;
  /** Back to the full window, where it was. */
  expand(): void;
  isMini(): boolean;
}

export function attachMiniView(window: MiniViewWindow, opts: { workAreaFor(bounds: Rect): Rect }): MiniView {
  let allowed = false;
  /** Where and how the full window was, while mini. */
  let saved: { bounds: Rect; maximized: boolean; minimum: [number, number] } | null = null;

  const usable = () => !window.isDestroyed();

  function shrink(): void {
    if (!allowed || saved || !usable() || window.isMinimized() || window.isFullScreen()) return;
    const maximized = window.isMaximized();
    if (maximized) window.unmaximize();
    const bounds = window.getBounds();
    const [minWidth = 0, minHeight = 0] = window.getMinimumSize();
    saved = { bounds, maximized, minimum: [minWidth, minHeight] };
    const target = miniBounds(opts.workAreaFor(bounds));
    window.setMinimumSize(target.width, target.height);
    window.setBounds(target);
    window.setAlwaysOnTop(true, 'floating');
  }

  function restore(): void {
    const was = saved;
    saved = null;
    if (!was || !usable()) return;
    window.setAlwaysOnTop(false);
    window.setMinimumSize(was.minimum[0], was.minimum[1]);
    window.setBounds(was.bounds);
    if (was.maximized) window.maximize();
  }

  window.on('blur', shrink);
  // Minimized (the mini view too): it comes back from the taskbar as the whole window.
  window.on('minimize', restore);

  return {
    allow(next) {
      allowed = next;
      if (!next) restore();
    },
    expand: restore,
    isMini: () => saved !== null,
  };
}
