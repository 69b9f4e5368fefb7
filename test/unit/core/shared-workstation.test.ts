/**
 * Shared workstations: the console signs out when the screen locks or the workstation sits
 * idle past IT's limit, never in the middle of a call (then at its end), does nothing unless
 * policy asks, and reads the idle time rarely (counted over a simulated hour).
 */
import { describe, expect, it } from 'vitest';
import { MIN_IDLE_CHECK_MS, watchSharedWorkstation, type SharedWorkstationPolicy, type SignOutReason } from '../../../main/core/shared-workstation';
import { createLogger } from '../../../main/log/logger';
import { simulatedWorkstation } from '../../support/simulated-workstation';

const OFF: SharedWorkstationPolicy = { signOutWhenLocked: false, signOutAfterIdleMinutes: 0 };

function console_(policy: Partial<SharedWorkstationPolicy>) {
  const workstation = simulatedWorkstation();
  const state = { account: true, call: false };
  const signOuts: SignOutReason[] = [];
  const banners: Array<SignOutReason | null> = [];
  const lines: string[] = [];
  const watch = watchSharedWorkstation({
    monitor: workstation,
    policy: { ...OFF, ...policy },
    hasAccount: async () => state.account,
    isCallActive: () => state.call,
    signOut: async (reason) => {
      signOuts.push(reason);
      state.account = false;
    },
    onPending: (reason) => banners.push(reason),
    log: createLogger([(line) => lines.push(line)], 'test', 'debug'),
  });
  return { workstation, state, signOuts, banners, lines, watch };
}

/** Lets the sign-out's promises run (hasAccount and signOut are async). */
const settle = () => new Promise((ok) => setImmediate(ok));

describe('shared workstation sign-out', () => {
  it('is off by default: a lock and a day of idleness sign nobody out, and the idle time is never read', async () => {
    const c = console_({});
    c.workstation.lock();
    c.workstation.pass(24 * 3600);
    await settle();
    expect(c.signOuts).toEqual([]);
    expect(c.workstation.idleReads).toBe(0);
    expect(c.workstation.timers).toBe(0);
  });

  it('signs out when the screen locks (signOutWhenLocked)', async () => {
    const c = console_({ signOutWhenLocked: true });
    c.workstation.lock();
    await settle();
    expect(c.signOuts).toEqual(['locked']);
    expect(c.banners).toEqual([]);
  });

  it('signs nobody out when no one is signed in', async () => {
    const c = console_({ signOutWhenLocked: true, signOutAfterIdleMinutes: 30 });
    c.state.account = false;
    c.workstation.lock();
    c.workstation.pass(3600);
    await settle();
    expect(c.signOuts).toEqual([]);
  });

  it('signs out once the workstation has been idle past the limit, not before', async () => {
    const c = console_({ signOutAfterIdleMinutes: 30 });
    c.workstation.pass(20 * 60, { active: true });
    c.workstation.pass(29 * 60);
    await settle();
    expect(c.signOuts).toEqual([]);
    c.workstation.pass(2 * 60);
    await settle();
    expect(c.signOuts).toEqual(['idle']);
    // The sign-out comes at most a minute after the limit is reached.
    expect(c.workstation.now).toBeLessThanOrEqual((20 + 30) * 60_000 + MIN_IDLE_CHECK_MS);
  });

  it('keeps a clinician at work signed in', async () => {
    const c = console_({ signOutWhenLocked: false, signOutAfterIdleMinutes: 10 });
    for (let i = 0; i < 48; i += 1) {
      c.workstation.pass(9 * 60);
      c.workstation.use();
    }
    await settle();
    expect(c.signOuts).toEqual([]);
  });

  it('never cuts a call: the sign-out waits for its end, and the main window is told meanwhile', async () => {
    const c = console_({ signOutWhenLocked: true, signOutAfterIdleMinutes: 30 });
    c.state.call = true;
    c.workstation.lock();
    c.workstation.pass(2 * 3600);
    await settle();
    expect(c.signOuts).toEqual([]);
    expect(c.banners).toEqual(['locked']);
    expect(c.watch.pending()).toBe('locked');

    c.state.call = false;
    c.watch.callEnded();
    await settle();
    expect(c.signOuts).toEqual(['locked']);
    expect(c.banners).toEqual(['locked', null]);
    expect(c.watch.pending()).toBeNull();
  });

  it('waits for the call past the idle limit too, then signs out at its end', async () => {
    const c = console_({ signOutAfterIdleMinutes: 30 });
    c.state.call = true;
    c.workstation.pass(31 * 60);
    await settle();
    expect(c.signOuts).toEqual([]);
    expect(c.banners).toEqual(['idle']);
    c.state.call = false;
    c.watch.callEnded();
    await settle();
    expect(c.signOuts).toEqual(['idle']);
  });

  it('forgets a waiting sign-out when the clinician signs out by hand before the call ends', async () => {
    const c = console_({ signOutWhenLocked: true });
    c.state.call = true;
    c.workstation.lock();
    await settle();
    c.watch.signedOut();
    c.state.account = false;
    c.state.call = false;
    c.watch.callEnded();
    await settle();
    expect(c.signOuts).toEqual([]);
    expect(c.banners).toEqual(['locked', null]);
  });

  it('a call that ends with no sign-out waiting signs nobody out', async () => {
    const c = console_({ signOutWhenLocked: true, signOutAfterIdleMinutes: 30 });
    c.watch.callEnded();
    await settle();
    expect(c.signOuts).toEqual([]);
  });

  it('applies a policy change at once: a new idle limit, and lock sign-out turned off', async () => {
    const c = console_({ signOutWhenLocked: true });
    c.watch.update({ signOutWhenLocked: false, signOutAfterIdleMinutes: 15 });
    c.workstation.lock();
    await settle();
    expect(c.signOuts).toEqual([]);
    c.workstation.pass(16 * 60);
    await settle();
    expect(c.signOuts).toEqual(['idle']);
    c.watch.update(OFF);
    expect(c.workstation.timers).toBe(0);
  });

  it('stops watching when disposed', async () => {
    const c = console_({ signOutWhenLocked: true, signOutAfterIdleMinutes: 5 });
    c.watch.dispose();
    c.workstation.lock();
    c.workstation.pass(3600);
    await settle();
    expect(c.signOuts).toEqual([]);
    expect(c.workstation.timers).toBe(0);
  });

  describe('cost: idle-time reads over a simulated hour', () => {
    it('a clinician at work: one read per limit', () => {
      const c = console_({ signOutAfterIdleMinutes: 30 });
      c.workstation.pass(3600, { active: true });
      expect(c.workstation.idleReads).toBe(2);
    });

    it('someone who touches the mouse just before each check: never more than one a minute', () => {
      const c = console_({ signOutAfterIdleMinutes: 1 });
      c.workstation.pass(3600, { active: true });
      expect(c.workstation.idleReads).toBeLessThanOrEqual(60);
    });

    it('a workstation whose idle time stays just short of the limit: a read a minute, not a moment', () => {
      const c = console_({ signOutAfterIdleMinutes: 30 });
      // Read back as 29 min 59 s every time: the remaining second would be the next delay.
      const reads = { n: 0 };
      const monitor = { ...c.workstation, idleSeconds: () => (reads.n++, 30 * 60 - 1) };
      c.watch.dispose();
      watchSharedWorkstation({
        monitor,
        policy: { ...OFF, signOutAfterIdleMinutes: 30 },
        hasAccount: async () => true,
        isCallActive: () => false,
        signOut: async () => undefined,
        onPending: () => undefined,
        log: createLogger([() => undefined]),
      });
      c.workstation.pass(3600);
      expect(reads.n).toBeGreaterThan(0);
      expect(reads.n).toBeLessThanOrEqual(3600_000 / MIN_IDLE_CHECK_MS);
    });

    it('idle and signed out for an hour: one read per limit', () => {
      const c = console_({ signOutAfterIdleMinutes: 10 });
      c.state.account = false;
      c.workstation.pass(3600);
      expect(c.workstation.idleReads).toBe(6);
    });
  });
});
