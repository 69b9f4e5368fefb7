/**
 * "Is my patient already waiting?": for the watched day's meetings open for joining now,
 * main asks each meeting's conference server who waits (waiting-probes.ts) and tells the
 * day view the roles and since when each waits, never a name. Since when is the server's
 * (the Janus guard's knock, Pexip's connect_time); where a server does not say, it is when
 * this console first saw that guest waiting, which is up to one interval late. The day view
 * counts the minutes itself from there: no request for a minute going by.
 *
 * Timing rides on the schedule's: a round follows a sync of the watched day (app-core calls
 * `tick` from the sync's outcome), and rounds start at least `intervalMs` apart. A sync that
 * comes sooner (focus, Refresh) moves the round to the interval's end instead of adding one,
 * so the cost stays one request per interval per Janus meeting (its lobby) and per Pexip
 * Management Node (one status list for all its open meetings: the probes share it through
 * `shared` and `round`), and a guest who arrives is seen within about one interval. Nothing runs while the day is not watched (the scheduler
 * stops syncing) or signed out (the user's session, and this with it, is closed).
 *
 * A probe lives as long as its meeting is open: a Janus lobby watcher is bought once (one
 * host-PIN check at the guard), not per round and not again when the view shows another day
 * and comes back, and it is given back when the meeting is no longer open (or was cancelled,
 * or its room changed) or the user signs out. Only the watched day's open meetings are asked.
 * A probe that finds why its badge may stay dark (no VMR for the alias, a 429) says it through
 * `note`: logged and kept once for Diagnostics.
 *
 * `waiting.changed` is sent only when what the day view shows changed (and once more to a
 * view that starts watching the day, which may have been reloaded). It names the meetings
 * whose first guest has just arrived while the clinician had not opened the call: the day
 * view raises one notification for each, once per meeting.
 */
import { localDay } from '../../common/days';
import { canJoin } from '../../common/meeting-status';
import { ROLES, type GuestRole } from '../common/call-model';
import type { EventPayload } from '../../preload/contract';
import type { BookedMeeting } from '../../main/booking/booking-source';
import type { Logger } from '../../main/log/logger';
import type { ConferenceServer, PexipStatusApi } from '../../main/settings/settings';
import { serverFor } from './call-channels';
import { facetsFor } from './provider-registry';
import type { WaitingEntry, WaitingNote, WaitingProbe, WaitingProblem } from './waiting-probes';

export type DayWaiting = EventPayload<'waiting.changed'>;

export interface WaitingWatch {
  /** A sync of the watched day ended: ask about its open meetings (at most once per interval). */
  tick(day: string): void;
  /** The day view (re)started watching `day`: send it what is known, without notifications. */
  resend(day: string): void;
  /** The clinician opened this meeting's call: no notification for it from now on. */
  joined(meetingId: string): void;
  /**
   * "Running late" in the room: tells the meeting's waiting guests through its probe (one
   * made for the purpose if the meeting has none now, given back after). How many it reached;
   * null where the server lets no host message a waiting guest, or the meeting has no room.
   */
  notify(meeting: BookedMeeting, text: string): Promise<number | null>;
  /** Resolves when the round under way (if any) is done. */
  idle(): Promise<void>;
  /** Sign-out or shutdown: stop, and give back every lobby watcher. */
  dispose(): Promise<void>;
  /** Why some meetings' badges may stay dark (Diagnostics), each said once. */
  notes(): WaitingNote[];
}

/** The most notes kept (Diagnostics lists them; a day has far fewer meetings). */
const MAX_NOTES = 50;

interface Watched {
  /** What the probe was made for: a changed room or PIN needs a new one. */
  key: string;
  probe: WaitingProbe;
  /** The meeting's times as last read: it is given back once they say "no longer open". */
  meeting: BookedMeeting;
}

const roleOrder = (r: GuestRole) => ROLES.indexOf(r);

export function createWaitingWatch(opts: {
  servers: readonly ConferenceServer[];
  statusApis: readonly PexipStatusApi[];
  /** The day's meetings as cached, with their rooms. */
  meetingsOf: (day: string) => BookedMeeting[];
  /** The day the view watches now (null: hidden); a round due later for another day is dropped. */
  watched: () => string | null;
  emit: (payload: DayWaiting) => void;
  fetch: typeof fetch;
  timeoutMs: number;
  log: Logger;
  intervalMs: number;
  now?: () => Date;
  /** A monotonic clock in ms (tests drive it). */
  clock?: () => number;
}): WaitingWatch {
  const { log } = opts;
  const now = opts.now ?? (() => new Date());
  const clock = opts.clock ?? (() => performance.now());
  const accounts = new Map<string, PexipStatusApi>(opts.statusApis.map((api) => [api.domain, api]));
  /** What a provider's probes share (one Management API client per account), for this watch's life. */
  const shared = new Map<string, unknown>();
  const noted = new Map<string, WaitingNote>();
  let roundNo = 0;
  const probes = new Map<string, Watched>();
  /** Who waits per meeting as last known, sorted by role (absent: nobody, or not known). */
  const known = new Map<string, Array<{ role: GuestRole; since: string }>>();
  /**
   * Where the server gives no time: when this console first saw each of a meeting's waiting
   * guests (oldest first). Roles carry no identity, so one leaving is taken to be the one who
   * came last (the count of the others goes on); an approximation only servers without times need.
   */
  const firstSeen = new Map<string, string[]>();
  const notified = new Set<string>();
  const joined = new Set<string>();
  const unconfigured = new Set<string>();
  let last: DayWaiting | null = null;
  let lastRoundAt = -Infinity;
  let running: Promise<void> | null = null;
  let due: ReturnType<typeof setTimeout> | null = null;
  let dueDay: string | null = null;
  /** A sync ended while a round ran. */
  let missed = false;
  let disposed = false;

  function keyOf(m: BookedMeeting, server: ConferenceServer): string {
    return JSON.stringify([server.domain, m.room?.id, m.room?.uri, m.room?.hostPin]);
  }

  function probeFor(m: BookedMeeting, server: ConferenceServer): WaitingProbe | null {
    if (!m.room) return null;
    const facets = facetsFor(server.provider);
    const statusAccount = (domain: string): PexipStatusApi | undefined => {
      const account = accounts.get(domain);
      if (!account && !unconfigured.has(domain)) log.info(`waiting: no ${facets.label} status account for ${domain} in the policy; its meetings get no waiting badge`);
      if (!account) unconfigured.add(domain);
      return account;
    };
    return facets.waitingProbe(server, m.room, {
      fetch: opts.fetch,
      timeoutMs: opts.timeoutMs,
      log,
      statusAccount,
      shared: <T>(key: string, make: () => T): T => {
        if (!shared.has(key)) shared.set(key, make());
        return shared.get(key) as T;
      },
      round: () => roundNo,
      clock,
      note,
    });
  }

  /** A reason a badge may stay dark: logged and kept for Diagnostics once per subject and problem. */
  function note(subject: string, problem: WaitingProblem): void {
    const key = `${problem}\n${subject}`;
    if (noted.has(key) || noted.size >= MAX_NOTES) return;
    noted.set(key, { subject, problem });
    log.info(`waiting: ${problem} for ${subject}; see Diagnostics`);
  }

  function release(id: string): void {
    const w = probes.get(id);
    probes.delete(id);
    known.delete(id);
    firstSeen.delete(id);
    if (w) void w.probe.close().catch(() => undefined);
  }

  /**
   * Keeps one probe per meeting open now: the day's open meetings get one (a new one if their
   * room changed); a meeting of the day that is not open (ended) or gone from it (cancelled,
   * moved), and another day's meeting that has ended, gives its probe back. Returns the day's
   * probes to ask.
   */
  function reconcile(dayName: string, day: BookedMeeting[], at: Date): Array<[string, Watched]> {
    const isOpen = (m: BookedMeeting) => m.room !== null && canJoin({ ...m, joinable: true }, at);
    const ofDay = new Map(day.map((m) => [m.id, m]));
    for (const [id, w] of probes) {
      const m = ofDay.get(id);
      const gone = !m && localDay(new Date(w.meeting.startTime)) === dayName;
      if (gone || !isOpen(m ?? w.meeting)) release(id);
    }
    const ask: Array<[string, Watched]> = [];
    for (const m of day) {
      if (!isOpen(m)) continue;
      const server = m.room ? serverFor(m.room.uri, opts.servers) : null;
      const current = probes.get(m.id);
      if (!server) {
        if (current) release(m.id);
        continue;
      }
      const key = keyOf(m, server);
      if (current && current.key !== key) release(m.id);
      let w = probes.get(m.id);
      if (!w) {
        const probe = probeFor(m, server);
        if (!probe) continue;
        w = { key, probe, meeting: m };
        probes.set(m.id, w);
      }
      w.meeting = m;
      ask.push([m.id, w]);
    }
    // What is shown is the watched day's: other days' counts are forgotten (asked again when shown).
    for (const id of [...known.keys()]) if (!ofDay.has(id) || !probes.has(id)) known.delete(id);
    return ask;
  }

  /** Each guest's since: the server's, else when this console first saw them (see firstSeen). */
  function withTimes(id: string, guests: WaitingEntry[], at: string): Array<{ role: GuestRole; since: string }> {
    const untimed = guests.filter((g) => g.since === null).length;
    const seen = (firstSeen.get(id) ?? []).slice(0, untimed);
    while (seen.length < untimed) seen.push(at);
    firstSeen.set(id, seen);
    let next = 0;
    return guests.map((g) => ({ role: g.role, since: g.since ?? seen[next++]! }));
  }

  function snapshot(day: string, arrived: string[]): DayWaiting {
    const meetings = [...known]
      .filter(([, guests]) => guests.length > 0)
      .map(([meetingId, guests]) => ({ meetingId, roles: guests.map((g) => g.role), since: guests.map((g) => g.since) }))
      .sort((a, b) => (a.meetingId < b.meetingId ? -1 : a.meetingId > b.meetingId ? 1 : 0));
    return { day, meetings, arrived };
  }

  async function round(day: string): Promise<void> {
    roundNo++;
    const ask = reconcile(day, opts.meetingsOf(day), now());
    const results = await Promise.all(ask.map(async ([id, w]) => [id, await w.probe.poll().catch(() => null)] as const));
    if (disposed) return;
    const arrived: string[] = [];
    const at = now().toISOString();
    for (const [id, guests] of results) {
      if (!probes.has(id)) continue;
      const before = known.get(id)?.length ?? 0;
      if (guests === null || guests.length === 0) {
        known.delete(id);
        if (guests !== null) firstSeen.delete(id);
        continue;
      }
      known.set(id, withTimes(id, guests, at).sort((a, b) => roleOrder(a.role) - roleOrder(b.role)));
      // The first guest, before the clinician opened the call: once per meeting, ever.
      if (before === 0 && !notified.has(id) && !joined.has(id)) {
        notified.add(id);
        arrived.push(id);
      }
    }
    const next = snapshot(day, arrived);
    const shown = (d: DayWaiting) => JSON.stringify([d.day, d.meetings]);
    // Nothing known before counts as nobody waiting that day: an empty first round says nothing.
    if (arrived.length > 0 || shown(next) !== shown(last ?? { day, meetings: [], arrived: [] })) opts.emit(next);
    last = { ...next, arrived: [] };
  }

  function start(day: string): void {
    lastRoundAt = clock();
    running = round(day)
      .catch((error: unknown) => log.warn(`waiting: a round failed (${(error as Error)?.name ?? 'error'})`))
      .finally(() => {
        running = null;
        // A sync ended while this round ran: its round comes at the interval's end (or now,
        // if this one took longer), never dropped. Dropping it made rounds come every second
        // sync whenever a server was slow to answer (seen in CI: 2 lobby reads in a minute).
        if (missed && !disposed) {
          missed = false;
          if (dueDay !== null && opts.watched() === dueDay) plan();
        }
      });
  }

  /** The next round: now if the interval since the last one has passed, else at its end. */
  function plan(): void {
    if (due || running) return;
    const wait = lastRoundAt + opts.intervalMs - clock();
    if (wait <= 0) return start(dueDay!);
    due = setTimeout(() => {
      due = null;
      const which = dueDay;
      if (disposed || which === null || opts.watched() !== which) return;
      if (running) missed = true;
      else start(which);
    }, wait);
    // Never keep a process alive for a badge.
    due.unref?.();
  }

  return {
    tick(day) {
      if (disposed) return;
      dueDay = day;
      // A round already due reads the day when it runs; one under way plans the next when it ends.
      if (running) missed = true;
      else plan();
    },
    resend(day) {
      if (!disposed && last && last.day === day) opts.emit(last);
    },
    joined(meetingId) {
      joined.add(meetingId);
    },
    async notify(meeting, text) {
      const server = meeting.room ? serverFor(meeting.room.uri, opts.servers) : null;
      if (!server || disposed) return null;
      const current = probes.get(meeting.id);
      const probe = current && current.key === keyOf(meeting, server) ? current.probe : probeFor(meeting, server);
      if (!probe?.notify) return null;
      try {
        return await probe.notify(text);
      } finally {
        if (probe !== current?.probe) void probe.close().catch(() => undefined);
      }
    },
    async idle() {
      await running;
    },
    async dispose() {
      disposed = true;
      if (due) clearTimeout(due);
      due = null;
      await running;
      const all = [...probes.values()];
      probes.clear();
      known.clear();
      await Promise.all(all.map((w) => w.probe.close().catch(() => undefined)));
    },
    notes: () => [...noted.values()],
  };
}
