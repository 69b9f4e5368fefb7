/**
 * The call window's one rejoin policy (call/window/rejoin-policy.ts), in virtual time
 * through its own clock seams: the waits between attempts, when it gives up and why.
 */
import { describe, expect, it } from 'vitest';
import type { EndReason } from '../../../../call/window/call-client';
import { rejoin, REJOIN_POLICY, type RejoinLoop } from '../../../../call/window/rejoin-policy';

class Refused extends Error {
  constructor(readonly reason: EndReason) {
    super(`refused: ${reason}`);
  }
}

/** A loop on a virtual clock; `outcomes` answer the attempts in turn (then they keep failing unreachable). */
function loop(outcomes: Array<EndReason | 'ok'>, over: Partial<RejoinLoop> = {}) {
  let clock = 0;
  const waits: number[] = [];
  let attempts = 0;
  const spec: RejoinLoop = {
    deadline: REJOIN_POLICY.forMs,
    lost: { reason: 'server-unreachable', detail: 'signalling lost' },
    active: () => true,
    attempt: async () => {
      const next = outcomes[attempts++] ?? 'server-unreachable';
      if (next !== 'ok') throw new Refused(next);
    },
    reasonOf: (e) => (e instanceof Refused ? e.reason : 'error'),
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    ...over,
  };
  return { spec, waits, attempts: () => attempts };
}

describe('the rejoin policy', () => {
  it('retries quickly at first, then every 2 s, and is back at the first attempt that works', async () => {
    const l = loop(['server-unreachable', 'room-missing', 'server-unreachable', 'server-unreachable', 'ok']);
    expect(await rejoin(l.spec)).toEqual({ outcome: 'back' });
    expect(l.waits).toEqual([250, 500, 1000, 2000, 2000]);
  });

  it('gives up after a minute with the last reason, having tried a bounded number of times', async () => {
    const l = loop([]);
    const result = await rejoin(l.spec);
    expect(result).toMatchObject({ outcome: 'gave-up', reason: 'server-unreachable', timedOut: true });
    expect(l.waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(REJOIN_POLICY.forMs);
    expect(l.attempts()).toBeLessThan(40);
  });

  it.each<EndReason>(['refused', 'media-failed', 'kicked', 'error'])('a reason that will not fix itself (%s) ends the attempts at once', async (reason) => {
    const l = loop(['server-unreachable', reason]);
    expect(await rejoin(l.spec)).toMatchObject({ outcome: 'gave-up', reason, timedOut: false });
    expect(l.attempts()).toBe(2);
  });

  it('stops when something else ended the call meanwhile (the user left)', async () => {
    let active = true;
    const l = loop([], { active: () => active });
    l.spec.sleep = async () => {
      active = false;
    };
    expect(await rejoin(l.spec)).toEqual({ outcome: 'stopped' });
    expect(l.attempts()).toBe(0);
  });

  it('a deadline already past (the room was lost a minute ago and lost again) gives up with the first reason', async () => {
    const l = loop(['ok'], { deadline: -1, lost: { reason: 'server-unreachable', detail: 'node gone' } });
    expect(await rejoin(l.spec)).toMatchObject({ outcome: 'gave-up', reason: 'server-unreachable', detail: 'gave up reconnecting: node gone' });
  });
});
