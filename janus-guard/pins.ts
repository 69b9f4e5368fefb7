/**
 * PINs are kept only as salted scrypt hashes: a copy of the guard's state does not give
 * them away, and comparing takes the same time whatever the guess.
 *
 * A check costs one scrypt (tens of ms of CPU, 16 MiB), so checks run on libuv's thread
 * pool (`crypto.scrypt`), never on the event loop, and only a few at a time: a flood of
 * knocks would otherwise take every core and starve everything else. Host PIN checks go
 * before guest ones (the clinician is never queued behind a crowd of knocks); among the
 * rest, groups (rooms) take turns, so a flood into one room delays another room's knock by
 * about one check; one group may hold only a few places, and past a bounded queue a check
 * is refused at once (`PinCheckBusy`) rather than queued for seconds.
 */
import { availableParallelism } from 'node:os';
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export interface PinHash {
  salt: string;
  hash: string;
}

const KEY_LENGTH = 32;

/**
 * Hashes a PIN on libuv's thread pool, like the checks: VDX provisions a room per booking,
 * and a synchronous scrypt (about 40 ms here) per PIN would hold every other request of
 * the guard (knocks, the host's prepare) behind it.
 */
export function hashPin(pin: string): Promise<PinHash> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LENGTH, (error, hash) => (error ? reject(error) : resolve({ salt: salt.toString('base64'), hash: hash.toString('base64') }))),
  );
}

/** The check could not be queued: the guard is busy checking others' PINs. Nothing was learnt. */
export class PinCheckBusy extends Error {
  constructor() {
    super('busy');
    this.name = 'PinCheckBusy';
  }
}

export interface PinCheckerOptions {
  /** Checks running at once. Default: one fewer than the cores (at least one), so the event loop keeps a core. */
  concurrency?: number;
  /** Checks waiting at most, all rooms together. */
  maxQueued?: number;
  /** Checks running or waiting at most for one group (a room's host PIN, a room's guest PIN). */
  maxPerGroup?: number;
}

export interface PinChecker {
  /** Resolves whether `pin` is the stored one; rejects with PinCheckBusy when it cannot be queued. */
  matches(pin: string, stored: PinHash, lane: { priority: 'host' | 'guest'; group: string }): Promise<boolean>;
}

interface Job {
  run(): void;
  priority: 'host' | 'guest';
  group: string;
}

export function createPinChecker(opts: PinCheckerOptions = {}): PinChecker {
  const concurrency = Math.max(1, opts.concurrency ?? availableParallelism() - 1);
  const maxQueued = opts.maxQueued ?? 32;
  const maxPerGroup = opts.maxPerGroup ?? 4;
  const queue: Job[] = [];
  const perGroup = new Map<string, number>();
  let running = 0;
  /** Group -> when it was last served (a count of checks started); only groups with checks. */
  const served = new Map<string, number>();
  let started = 0;

  /** Host checks first; then the group served longest ago; then the oldest check. */
  function pick(): number {
    let best = 0;
    const rank = (j: Job) => [j.priority === 'host' ? 0 : 1, served.get(j.group) ?? -1] as const;
    for (let i = 1; i < queue.length; i++) {
      const [p, s] = rank(queue[i]!);
      const [bp, bs] = rank(queue[best]!);
      if (p < bp || (p === bp && s < bs)) best = i;
    }
    return best;
  }

  function next(): void {
    while (running < concurrency && queue.length > 0) {
      const [job] = queue.splice(pick(), 1);
      running += 1;
      served.set(job!.group, ++started);
      job!.run();
    }
  }

  return {
    matches(pin, stored, { priority, group }) {
      const inGroup = perGroup.get(group) ?? 0;
      if (inGroup >= maxPerGroup || (running >= concurrency && queue.length >= maxQueued)) return Promise.reject(new PinCheckBusy());
      perGroup.set(group, inGroup + 1);
      return new Promise<boolean>((resolve, reject) => {
        queue.push({
          priority,
          group,
          run() {
            scrypt(pin, Buffer.from(stored.salt, 'base64'), KEY_LENGTH, (error, candidate) => {
              running -= 1;
              const left = (perGroup.get(group) ?? 1) - 1;
              if (left > 0) perGroup.set(group, left);
              else {
                perGroup.delete(group);
                served.delete(group);
              }
              next();
              if (error) reject(error);
              else resolve(timingSafeEqual(candidate, Buffer.from(stored.hash, 'base64')));
            });
          },
        });
        next();
      });
    },
  };
}
