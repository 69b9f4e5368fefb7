/**
 * The booking outbox: every write a nurse makes (book, move, cancel) is stored first, in the
 * encrypted schedule database, and then sent until the booking system confirms or refuses
 * it. A write keeps its identity (the meeting's uuid) through every retry, so two clicks, a
 * lost answer or a console killed mid-request make one meeting, never two, and nothing is
 * called booked before the booking system said so.
 *
 * One write is in flight at a time, oldest first; a meeting's later write (a move after the
 * create) waits for its earlier one. A write whose outcome is unknown (offline, timeout,
 * 5xx) waits with exponential back-off and jitter; a refusal (400, 403, 404, 406) is kept
 * for the user to read and never retried. Nothing runs while nothing is queued: the outbox
 * adds no idle traffic.
 */
import type { Logger } from '../../log/logger';
import type { OutboxRow, OutboxTable } from '../../cache/outbox-table';
import { createBackoff, type Backoff } from '../backoff';
import type { BookingWriter } from './vdx-writes';
import type { BookingWrite, ConfirmedMeeting } from './write-types';

export interface OutboxOptions {
  table: OutboxTable;
  writer: BookingWriter;
  log: Logger;
  backoff?: Backoff;
  now?: () => number;
  /** A write the booking system confirmed (the day view shows it at once). */
  onConfirmed?: (write: BookingWrite, meeting: ConfirmedMeeting | null) => void;
  /** The rows changed (queued, sent, confirmed, refused): the window's list is stale. */
  onChange?: () => void;
}

export interface Outbox {
  /**
   * Stores the write and starts sending it. A second create of the same meeting (a double
   * click) is the same row, not a second write.
   */
  enqueue(write: BookingWrite): OutboxRow;
  /** After start-up: rows a stopped console left mid-request are queued as "may have landed". */
  start(): void;
  /** Signed out or quitting: no further attempt; resolves when the one in flight ended. */
  stop(): Promise<void>;
  rows(): OutboxRow[];
  /** The user read a refusal: remove it. Only refused rows can be dismissed. */
  dismiss(seq: number): boolean;
  /** Resolves when nothing is queued (every write confirmed or refused), or at stop. */
  idle(): Promise<void>;
  /**
   * Before a sign-out: every queued write is tried once more now, back-off or not. Resolves
   * when each has had that attempt (whatever its outcome), at stop, or after `maxWaitMs`.
   */
  sendNow(maxWaitMs: number): Promise<void>;
}

export function createOutbox(opts: OutboxOptions): Outbox {
  const { table, writer, log } = opts;
  const now = opts.now ?? Date.now;
  const backoff = opts.backoff ?? createBackoff({ baseMs: 2_000, maxMs: 5 * 60_000 });
  let running = false;
  let stopped = true;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;
  let idleWaiters: (() => void)[] = [];
  /** sendNow's waits: the rows each still waits to see attempted. */
  let flushes: { waiting: Set<number>; done: () => void }[] = [];

  function attempted(seq: number | null): void {
    if (stopped) {
      // The database may be closed already: every wait ends.
      const all = flushes;
      flushes = [];
      for (const f of all) f.done();
      return;
    }
    for (const f of flushes) {
      if (seq !== null) f.waiting.delete(seq);
      // A row gone meanwhile counts as done, and so does one that waits behind its meeting's
      // earlier write which had its attempt already (it cannot go before that one lands).
      const rows = new Map(pending().map((r) => [r.seq, r]));
      const headOf = new Map(heads().map((r) => [r.write.meetingId, r.seq]));
      for (const s of f.waiting) {
        const row = rows.get(s);
        const head = row ? headOf.get(row.write.meetingId) : undefined;
        if (!row || (head !== undefined && head !== s && !f.waiting.has(head))) f.waiting.delete(s);
      }
    }
    const done = flushes.filter((f) => f.waiting.size === 0);
    flushes = flushes.filter((f) => !done.includes(f));
    for (const f of done) f.done();
  }

  const pending = () => table.all().filter((r) => r.state !== 'refused');

  /** The oldest row of each meeting that has one pending; later rows of it wait. */
  function heads(): OutboxRow[] {
    const seen = new Set<string>();
    const out: OutboxRow[] = [];
    for (const row of pending()) {
      if (seen.has(row.write.meetingId)) continue;
      seen.add(row.write.meetingId);
      out.push(row);
    }
    return out;
  }

  function settleIdle(): void {
    // Stopped: the database may be closed already (sign-out, quit); do not read it.
    if (!stopped && pending().length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  function schedule(): void {
    if (stopped || running) return;
    if (timer) clearTimeout(timer);
    timer = null;
    const candidates = heads();
    if (candidates.length === 0) {
      settleIdle();
      return;
    }
    const due = candidates.reduce((a, b) => (b.notBefore < a.notBefore ? b : a));
    const wait = Math.max(0, due.notBefore - now());
    timer = setTimeout(() => {
      timer = null;
      inFlight = attempt(due.seq).finally(() => {
        inFlight = null;
        schedule();
      });
    }, wait);
  }

  async function attempt(seq: number): Promise<void> {
    const row = table.get(seq);
    if (!row || row.state === 'refused' || stopped) return;
    running = true;
    try {
      // Marked before the request leaves: a console killed now finds the row "sending"
      // at its next start and treats the write as one that may have landed.
      table.markSending(seq);
      const outcome = await writer.send(row.write, row.maybeLanded);
      if (outcome.kind === 'confirmed') {
        table.remove(seq);
        backoff.reset();
        opts.onConfirmed?.(row.write, outcome.meeting);
      } else if (outcome.kind === 'refused') {
        table.refuse(seq, outcome.refusal);
        backoff.reset();
      } else {
        // Unknown outcome: the same write again later. Even "offline" may be a connection
        // cut after the booking system committed, so a create is looked up before it is
        // sent again.
        table.requeue(seq, now() + backoff.next(), true);
      }
    } catch (error) {
      // A bug or a closed database, not the network: keep the row, say so, try later.
      log.warn('booking outbox: an attempt failed unexpectedly; the write stays queued', error);
      if (!stopped) table.requeue(seq, now() + backoff.next(), true);
    } finally {
      running = false;
    }
    attempted(seq);
    opts.onChange?.();
  }

  return {
    enqueue(write) {
      if (write.kind === 'create') {
        const same = table.all().find((r) => r.write.kind === 'create' && r.write.meetingId === write.meetingId);
        if (same) return same;
      }
      const row = table.add(write, new Date(now()));
      opts.onChange?.();
      schedule();
      return row;
    },
    start() {
      if (!stopped) return;
      stopped = false;
      const recovered = table.recoverInterrupted();
      if (recovered > 0) log.info(`booking outbox: ${recovered} write(s) interrupted at the last stop will be checked and sent`);
      // A write that waited out a back-off when the console stopped goes at once: the back-off
      // belonged to the last run (its count starts again here), and a nurse who restarts the
      // console expects her bookings sent then, not minutes later. One try each, so a
      // restart costs at most one request per waiting write.
      table.dueNow();
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
      settleIdle();
      attempted(null);
    },
    rows: () => table.all(),
    dismiss(seq) {
      const row = table.get(seq);
      if (!row || row.state !== 'refused') return false;
      table.remove(seq);
      opts.onChange?.();
      return true;
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
    sendNow(maxWaitMs) {
      if (stopped) return Promise.resolve();
      const at = now();
      const waiting = new Set<number>();
      for (const row of pending()) {
        waiting.add(row.seq);
        // The one in flight keeps going; the others are due now.
        if (row.state === 'queued' && row.notBefore > at) table.requeue(row.seq, at, row.maybeLanded);
      }
      if (waiting.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(finish, maxWaitMs);
        const flush = { waiting, done: finish };
        function finish(): void {
          clearTimeout(timer);
          flushes = flushes.filter((f) => f !== flush);
          resolve();
        }
        flushes.push(flush);
        // A later write of a meeting waits for its earlier one: both are in `waiting`, and
        // each attempt is counted as it comes.
        schedule();
      });
    },
  };
}
