/**
 * A workstation whose time, input and lock the test decides (Electron's powerMonitor cannot
 * exist here): `pass(seconds)` moves its clock, firing the timers that fall due on the way and
 * letting its idle time grow unless someone `use`s it; `lock()` locks the screen. It counts the
 * idle-time reads, which is what the shared-workstation policy's cost is measured in.
 */
import type { WorkstationMonitor } from '../../main/core/ports';

export interface SimulatedWorkstation extends WorkstationMonitor {
  /** The workstation's clock, in ms since it was made. */
  readonly now: number;
  /** How often the idle time was read. */
  readonly idleReads: number;
  /** Time passes; `active`: someone uses the keyboard or mouse all along (idle stays 0). */
  pass(seconds: number, opts?: { active?: boolean }): void;
  /** Someone touches the keyboard now. */
  use(): void;
  lock(): void;
  /** Timers not yet fired. */
  readonly timers: number;
}

export function simulatedWorkstation(): SimulatedWorkstation {
  let now = 0;
  let lastInput = 0;
  let idleReads = 0;
  let nextId = 0;
  const timers = new Map<number, { due: number; run: () => void }>();
  const lockListeners = new Set<() => void>();

  return {
    get now() {
      return now;
    },
    get idleReads() {
      return idleReads;
    },
    get timers() {
      return timers.size;
    },
    idleSeconds() {
      idleReads += 1;
      return Math.floor((now - lastInput) / 1000);
    },
    onLocked(listener) {
      lockListeners.add(listener);
      return () => lockListeners.delete(listener);
    },
    after(ms, run) {
      const id = nextId++;
      timers.set(id, { due: now + ms, run });
      return () => timers.delete(id);
    },
    pass(seconds, opts = {}) {
      const end = now + seconds * 1000;
      for (;;) {
        // The earliest timer due by the end (a timer may set another one).
        const next = [...timers.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due)[0];
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].due;
        if (opts.active) lastInput = now;
        next[1].run();
      }
      now = end;
      if (opts.active) lastInput = now;
    },
    use() {
      lastInput = now;
    },
    lock() {
      for (const listener of [...lockListeners]) listener();
    },
  };
}
