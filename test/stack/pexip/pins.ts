/**
 * PIN guessing resistance, per alias, as Pexip Infinity does it:
 *
 * 1. PIN entry retries: more than `maxAttempts` wrong PINs within `windowMs` lock the alias
 *    for `lockoutMs`; meanwhile every request_token answers 403 "Participant exceeded PIN
 *    entry retries" (@pexip/infinity maps it to #pex192), the right PIN included.
 *    [inferred: Pexip's hosted service allows 5 attempts for web users; the exact server
 *    wording is the one in the library's error table]
 * 2. Break-in resistance (docs.pexip.com/admin/breakin_resistance.htm, on by default, not
 *    configurable): more than 20 wrong PINs against a VMR within 10 minutes block it for
 *    10 minutes, during which it looks as if it did not exist (404 "Neither conference nor
 *    gateway found"). [inferred mapping of "does not exist" to the REST 404]
 *
 * Only wrong PINs count; a request without a PIN (the PIN prompt) does not. Time comes from
 * Date.now(), so nothing here needs a timer.
 */

export const BREAK_IN_MAX_FAILURES = 20;
export const BREAK_IN_WINDOW_MS = 10 * 60_000;
export const BREAK_IN_BLOCK_MS = 10 * 60_000;

export type PinGate = 'open' | 'retries-exceeded' | 'break-in-blocked';

interface AliasRecord {
  /** Wrong PINs since the last retries lockout began (within windowMs). */
  recent: number[];
  /** Every wrong PIN within the break-in window. */
  breakIn: number[];
  lockedUntil: number;
  blockedUntil: number;
}

export interface PinGuardOptions {
  maxAttempts: number;
  windowMs: number;
  lockoutMs: number;
}

export class PinGuard {
  private readonly records = new Map<string, AliasRecord>();

  constructor(private readonly opts: PinGuardOptions) {}

  gate(room: string, now = Date.now()): PinGate {
    const r = this.records.get(room);
    if (!r) return 'open';
    if (now < r.blockedUntil) return 'break-in-blocked';
    if (now < r.lockedUntil) return 'retries-exceeded';
    return 'open';
  }

  /** Counts a wrong PIN; returns the gate that now applies (what this request is answered with). */
  recordFailure(room: string, now = Date.now()): PinGate {
    let r = this.records.get(room);
    if (!r) {
      r = { recent: [], breakIn: [], lockedUntil: 0, blockedUntil: 0 };
      this.records.set(room, r);
    }
    r.recent = r.recent.filter((t) => now - t < this.opts.windowMs);
    r.breakIn = r.breakIn.filter((t) => now - t < BREAK_IN_WINDOW_MS);
    r.recent.push(now);
    r.breakIn.push(now);
    if (r.breakIn.length > BREAK_IN_MAX_FAILURES) {
      r.blockedUntil = now + BREAK_IN_BLOCK_MS;
      r.breakIn = [];
    }
    if (r.recent.length > this.opts.maxAttempts) {
      r.lockedUntil = now + this.opts.lockoutMs;
      // The lockout is the penalty; counting starts afresh once it is over.
      r.recent = [];
    }
    return this.gate(room, now);
  }

  forget(room: string): void {
    this.records.delete(room);
  }
}
