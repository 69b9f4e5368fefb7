/**
 * The OS's screen lock and idle time for the shared-workstation policy, from Electron's
 * powerMonitor (usable once the app is ready). 'lock-screen' is emitted on Windows and macOS;
 * on Linux Electron reports no lock, so there only the idle limit applies (README).
 */
import { powerMonitor } from 'electron';
import type { WorkstationMonitor } from '../core/ports';

export function createWorkstationMonitor(monitor: Pick<typeof powerMonitor, 'getSystemIdleTime' | 'on' | 'off'> = powerMonitor): WorkstationMonitor {
  return {
    // Read at each check, never cached: the OS's count of seconds since the last input.
    idleSeconds: () => monitor.getSystemIdleTime(),
    onLocked(listener) {
      const onLock = () => listener();
      monitor.on('lock-screen', onLock);
      return () => void monitor.off('lock-screen', onLock);
    },
    after(ms, run) {
      const timer = setTimeout(run, ms);
      // The checks never keep the app alive on their own.
      timer.unref();
      return () => clearTimeout(timer);
    },
  };
}
