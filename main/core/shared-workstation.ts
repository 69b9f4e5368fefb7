/**
 * Shared workstations (policy signOutWhenLocked, signOutAfterIdleMinutes): the console signs
 * out, completely, as its Sign out button does, when the OS locks the screen or when nobody
 * has touched the workstation for the set time, so the next person at a ward's PC never finds
 * the previous clinician's day.
 *
 * A call in progress is never cut: the sign-out waits for the call's end, and the main window
 * says so meanwhile (`onPending`).
 *
 * The idle time is the OS's (keyboard and mouse anywhere, not only in the console), read
 * cheaply: never polled in a tight loop, but once when the limit could first be reached (the
 * limit minus the idle time read), and at most once a minute. An active clinician costs about
 * one read per limit; a workstation idle just short of the limit, one a minute.
 */
import type { Logger } from '../log/logger';
import type { WorkstationMonitor } from './ports';

export type SignOutReason = 'locked' | 'idle';

export interface SharedWorkstationPolicy {
  signOutWhenLocked: boolean;
  /** 0: never. */
  signOutAfterIdleMinutes: number;
}

export interface SharedWorkstation {
  /** The sign-out waiting for the call to end, if one is. */
  pending(): SignOutReason | null;
  /** The call is over: a sign-out that waited for it happens now. */
  callEnded(): void;
  /** A sign-out happened (by hand or by this): nothing waits any more. */
  signedOut(): void;
  /** Policy changed while the console runs (a watched policy file). */
  update(policy: SharedWorkstationPolicy): void;
  dispose(): void;
}

/** Never read the idle time more often than this, however close to the limit it is. */
export const MIN_IDLE_CHECK_MS = 60_000;

export function watchSharedWorkstation(opts: {
  monitor: WorkstationMonitor;
  policy: SharedWorkstationPolicy;
  /** Whether anyone's account is in the console (signed in, or asked to sign in again). */
  hasAccount(): Promise<boolean>;
  isCallActive(): boolean;
  /** The console's whole sign-out. */
  signOut(reason: SignOutReason): Promise<void>;
  /** The main window's banner: a sign-out waits for the call's end (null: none waits). */
  onPending(reason: SignOutReason | null): void;
  log: Logger;
}): SharedWorkstation {
  const { monitor, log } = opts;
  let policy = opts.policy;
  let pending: SignOutReason | null = null;
  let busy = false;
  let cancelTimer: (() => void) | null = null;
  const stopLockWatch = monitor.onLocked(() => {
    if (policy.signOutWhenLocked) void trigger('locked');
  });

  function setPending(reason: SignOutReason | null): void {
    if (pending === reason) return;
    pending = reason;
    opts.onPending(reason);
  }

  async function trigger(reason: SignOutReason): Promise<void> {
    if (busy) return;
    if (!(await opts.hasAccount())) {
      setPending(null);
      return;
    }
    if (opts.isCallActive()) {
      // The call goes on; the sign-out waits for its end (the first reason is the one told).
      if (pending === null) {
        log.info(`shared workstation: sign-out (${reason}) waits for the call to end`);
        setPending(reason);
      }
      return;
    }
    busy = true;
    log.info(`shared workstation: signing out (${reason})`);
    try {
      await opts.signOut(reason);
    } catch (error) {
      log.warn('shared workstation: the sign-out failed', error);
    } finally {
      busy = false;
      setPending(null);
    }
  }

  function scheduleIdleCheck(ms: number): void {
    cancelTimer?.();
    cancelTimer = null;
    if (policy.signOutAfterIdleMinutes <= 0) return;
    cancelTimer = monitor.after(Math.max(ms, MIN_IDLE_CHECK_MS), checkIdle);
  }

  function checkIdle(): void {
    cancelTimer = null;
    const limitMs = policy.signOutAfterIdleMinutes * 60_000;
    const idleMs = Math.max(0, monitor.idleSeconds()) * 1000;
    if (idleMs >= limitMs) {
      void trigger('idle');
      // Whoever comes back cannot be idle past the limit again before a whole limit has passed.
      scheduleIdleCheck(limitMs);
    } else {
      scheduleIdleCheck(limitMs - idleMs);
    }
  }

  // The first read comes when the limit could first be reached, counted from now.
  scheduleIdleCheck(policy.signOutAfterIdleMinutes * 60_000);

  return {
    pending: () => pending,
    callEnded() {
      if (pending !== null && !opts.isCallActive()) void trigger(pending);
    },
    signedOut() {
      setPending(null);
    },
    update(next) {
      const idleChanged = next.signOutAfterIdleMinutes !== policy.signOutAfterIdleMinutes;
      policy = next;
      if (idleChanged) {
        // A sign-out the new policy no longer asks for does not wait any more.
        if (pending === 'idle' && next.signOutAfterIdleMinutes <= 0) setPending(null);
        if (next.signOutAfterIdleMinutes > 0) checkIdle();
        else scheduleIdleCheck(0);
      }
      if (pending === 'locked' && !next.signOutWhenLocked) setPending(null);
    },
    dispose() {
      stopLockWatch();
      cancelTimer?.();
      cancelTimer = null;
    },
  };
}
