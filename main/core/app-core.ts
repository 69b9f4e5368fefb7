/**
 * The console's main-process core, in plain Node: it wires sign-in, the booking source,
 * the encrypted schedule cache and the call ticket into the handlers of the bridge
 * contract. Electron's entry and the browser host both run exactly this.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { localDay } from '../../common/days';
import { canJoin } from '../../common/meeting-status';
import type { AuthState, DaySchedule, WorkstationState } from '../../preload/contract';
import { createAuth } from '../auth/msal-auth';
import { createBackoff } from '../booking/backoff';
import { createScheduleSync, type ScheduleSync } from '../booking/schedule-refresh';
import { createSyncScheduler, type SyncScheduler } from '../booking/sync-timing';
import { createVdxSource } from '../booking/vdx-client';
import { invitableRoom } from '../booking/booking-source';
import { createBookingService, type BookingService } from '../booking/outbox/booking-service';
import { createVdxWriter } from '../booking/outbox/vdx-writes';
import { loadOrCreateKey } from '../cache/database-key';
import { openScheduleDb, type ScheduleDb } from '../cache/schedule-db';
import type { CoreHandlers } from '../ipc/router';
import type { Logger } from '../log/logger';
import { createKnownSecrets } from '../log/known-secrets';
import type { Settings } from '../settings/settings';
import { SYNC_INTERVAL_MS } from '../settings/sync-interval';
import type { EffectiveSettings, SettingKey } from '../settings/policy';
import { policyChange, watchPolicyFiles } from '../settings/policy-watch';
import type { Diagnostics } from '../../preload/contract';
import { buildDiagnostics } from '../diagnostics/diagnostics';
import { createAfterCallHandlers } from '../../call/main/after-call';
import { createCallChannels } from '../../call/main/call-channels';
import { createJsonDevicePreferences } from '../../call/main/device-preferences';
import { createRunningLate, type RunningLate } from '../../call/main/running-late';
import { runReadinessCheck } from '../../call/main/readiness/readiness-check';
import { createSmsSender } from '../../call/main/sms-gateway';
import { createWaitingWatch, type WaitingWatch } from '../../call/main/waiting-watch';
import { UserFacingError } from './errors';
import { resolveDeepLink, type MeetingLookup } from './deep-links';
import { watchSharedWorkstation, type SharedWorkstation, type SignOutReason } from './shared-workstation';
import type { EventSink, Platform } from './ports';

export interface Core {
  handlers: CoreHandlers;
  /** The host tells the core when the user closed the call window themselves. */
  callWindowClosed(): void;
  /** Whether a call is open (updates never start during one). */
  isCallActive(): boolean;
  /** Opens a clinician-console:// link: the day view shows that meeting, or says why not. */
  openDeepLink(raw: string): Promise<void>;
  dispose(): Promise<void>;
}

interface UserSession {
  dir: string;
  db: ScheduleDb;
  sync: ScheduleSync;
  scheduler: SyncScheduler;
  /** Who waits in the watched day's open meetings: rides on the scheduler's syncs. */
  waiting: WaitingWatch;
  /** Booking, moving and cancelling through the outbox. */
  bookings: BookingService;
  /** "Running late" to a meeting's waiting guests (SMS to invited numbers, the room where it can). */
  late: RunningLate;
}

/** How many recently shown days' subjects and PINs the log redactor knows. */
const KNOWN_DAYS = 3;
/**
 * Before a sign-out, unsent bookings get one more try, for at most this long: a nurse who asked
 * to sign out waits no longer, and then chooses (the Sign out button) or is signed out (policy).
 */
const SEND_BEFORE_SIGN_OUT_MS = 10_000;

export async function createCore(opts: {
  platform: Platform;
  settings: Settings;
  /** Where each setting came from (for diagnostics); defaults to "all defaults". */
  effective?: EffectiveSettings;
  /** Reads settings and policy again: given, the policy files are watched and what may change live is applied. */
  reloadPolicy?: () => EffectiveSettings;
  log: Logger;
  emit: EventSink;
  now?: () => Date;
  /** How often a watched day syncs and the waiting badge asks (settings/sync-interval.ts). */
  syncIntervalMs?: number;
}): Promise<Core> {
  const { platform, settings, emit } = opts;
  const log = opts.log.child('core');
  const now = opts.now ?? (() => new Date());
  const syncIntervalMs = opts.syncIntervalMs ?? SYNC_INTERVAL_MS;
  let authEvents: Promise<void> = Promise.resolve();
  const auth = createAuth({
    settings,
    secretBox: platform.secretBox,
    openExternal: platform.openExternal,
    cachePath: join(platform.userDataDir, 'auth', 'token-cache.bin'),
    fetch: platform.fetch,
    log: opts.log.child('auth'),
    // e.g. renewal failed mid-session: the day view shows a "sign in again" prompt. One at
    // a time, so a late answer never overwrites a newer state in the windows.
    onChanged: () => {
      authEvents = authEvents.then(async () => emit('all', 'auth.changed', await authState())).catch(() => undefined);
    },
    now,
  });
  const source = createVdxSource({
    baseUrl: settings.bookingApiUrl,
    tokens: auth,
    log: opts.log.child('booking'),
    timeoutMs: settings.requestTimeoutMs,
    fetch: platform.fetch,
    // The user's own meetings keep the room VDX assigned before setting it up (invitations).
    me: () => me,
  });

  let session: UserSession | null = null;
  /** The signed-in user's e-mail (lower case): VDX's organizedBy of their own meetings. */
  let me: string | null = null;
  const known = createKnownSecrets({ days: KNOWN_DAYS });
  const sms = createSmsSender({ gatewayUrl: settings.smsGatewayUrl, timeoutMs: settings.requestTimeoutMs, fetch: platform.fetch });
  /** "Running late" for a meeting: from the day view (waiting.late) and the call window (call.late). */
  async function runningLate(meetingId: string, request: { minutes: number; lang: 'en' | 'fi' | 'sv' | 'da' }) {
    const { db, late } = await userSession();
    const meeting = db.meeting(meetingId);
    if (!meeting) throw new UserFacingError('appointment-not-found');
    return late.send(meeting, request.minutes, request.lang);
  }
  /** The number an invitation went to, for "Running late": encrypted, for the meeting's day only. */
  function rememberInvitedNumber(meetingId: string, to: string, lang: 'en' | 'fi' | 'sv' | 'da') {
    const meeting = session?.db.meeting(meetingId);
    if (meeting) session!.db.invitedNumbers.remember(meetingId, localDay(new Date(meeting.startTime)), to, lang, localDay(now()));
  }
  // The call: its session holds the host's credential for the room; the PIN never leaves main.
  const calls = createCallChannels({
    servers: settings.conferenceServers,
    invitationBaseUrl: settings.invitationBaseUrl,
    pexipLockOnHostJoin: settings.pexipLockOnHostJoin,
    requestTimeoutMs: settings.requestTimeoutMs,
    fetch: platform.fetch,
    sms,
    onSmsInvited: rememberInvitedNumber,
    runningLate,
    log: opts.log.child('call'),
    emit,
    openExternal: platform.openExternal,
    devices: platform.devicePreferences ?? createJsonDevicePreferences(join(platform.userDataDir, 'call-devices.json')),
    ...(platform.screenSources ? { screenSources: platform.screenSources } : {}),
    ...(settings.callMiniView && platform.windows.callMiniView ? { miniView: platform.windows.callMiniView } : {}),
    openWindow: () => platform.windows.openCallWindow(),
    closeWindow: () => platform.windows.closeCallWindow(),
    onEnded: () => workstation?.callEnded(),
  });
  // Shared workstations (policy): set up below, once the sign-out it calls exists.
  let workstation: SharedWorkstation | null = null;
  /** Why the console last signed itself out (the sign-in screen says so); null after a sign-in. */
  let signedOutBy: SignOutReason | null = null;
  const workstationState = (): WorkstationState => ({ signOutPending: workstation?.pending() ?? null, signedOutBy });

  /**
   * The signed-in user's schedule, opened on first use. One folder per account. One call at a
   * time: the start-up warm-up below and the window's first read arrive together, and two
   * openings would each open the database and start their own sync timer and waiting watch
   * (one of them left running, unseen, with its own traffic).
   */
  let sessionTurn: Promise<unknown> = Promise.resolve();
  function userSession(): Promise<UserSession> {
    const turn = sessionTurn.then(openUserSession, openUserSession);
    sessionTurn = turn.catch(() => undefined);
    return turn;
  }
  async function openUserSession(): Promise<UserSession> {
    const key = await auth.accountKey();
    if (!key) throw new UserFacingError('not-signed-in');
    const dirName = createHash('sha256').update(key).digest('hex').slice(0, 24);
    if (session && session.dir.endsWith(dirName)) return session;
    // Someone else signed in on this console (their sign-in replaced the previous account):
    // the previous person's schedule is closed, and removed as at a sign-out.
    if (session) await closeSession(settings.wipeScheduleOnSignOut);
    const dir = join(platform.userDataDir, 'users', dirName);
    // Without protected storage the last run's schedule cannot be read (its key was never
    // kept): it is removed rather than moved aside at every start.
    if (!platform.secretBox.isAvailable()) for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `schedule.db${suffix}`), { force: true });
    const db = openScheduleDb(join(dir, 'schedule.db'), loadOrCreateKey(join(dir, 'schedule.key'), platform.secretBox), log);
    if (db.recoveredFrom) log.warn('cache: the offline schedule was unreadable and has been started afresh');
    me = (await auth.currentAccount())?.username.toLowerCase() ?? null;
    const sync: ScheduleSync = createScheduleSync({
      db,
      source,
      log: opts.log.child('sync'),
      me: () => me,
      onChanged: (schedule) => emit('main', 'schedule.changed', rememberDay(bookings.present(schedule), db)),
      onOutcome: (day, ok) => {
        scheduler.outcome(day, ok);
        // A console left running overnight: yesterday's invited numbers go with the first sync of the new day.
        db.invitedNumbers.purgeBefore(localDay(now()));
        // Whatever the sync's outcome: the conference servers may answer when VDX does not.
        if (day === scheduler.watched) waiting.tick(day);
      },
      now,
      retention: { daysBack: settings.scheduleDaysBack, daysForward: settings.scheduleDaysForward },
      recovered: db.recoveredFrom !== null,
    });
    const scheduler = createSyncScheduler({
      run: (day) => void sync.refresh(day),
      intervalMs: syncIntervalMs,
      backoff: createBackoff(),
    });
    const waiting = createWaitingWatch({
      servers: settings.conferenceServers,
      statusApis: settings.pexipStatusApi,
      meetingsOf: (day) => db.readDay(day).meetings,
      watched: () => scheduler.watched,
      emit: (payload) => emit('main', 'waiting.changed', payload),
      fetch: platform.fetch,
      timeoutMs: settings.requestTimeoutMs,
      log: opts.log.child('waiting'),
      intervalMs: syncIntervalMs,
      now,
    });
    const bookings = createBookingService({
      db,
      writer: createVdxWriter({
        baseUrl: settings.bookingApiUrl,
        tokens: auth,
        log: opts.log.child('booking-write'),
        userEmail: () => me,
        timeoutMs: settings.requestTimeoutMs,
        fetch: platform.fetch,
      }),
      log: opts.log.child('outbox'),
      me: () => me,
      // The days the writes touch, and the day on screen (refusals show on whichever day it is).
      onDaysChanged: (days) => {
        const shown = new Set(days);
        if (scheduler.watched) shown.add(scheduler.watched);
        for (const day of shown) emit('main', 'schedule.changed', rememberDay(bookings.present(sync.day(day)), db));
      },
      reconcile: (day) => void sync.refresh(day),
    });
    // Numbers of days gone are deleted as the session opens (and at every read and write).
    db.invitedNumbers.purgeBefore(localDay(now()));
    const late = createRunningLate({
      numbers: () => db.invitedNumbers,
      sms,
      notifyRoom: (meeting, text) => waiting.notify(meeting, text),
      today: () => localDay(now()),
      log: opts.log.child('late'),
    });
    session = { dir, db, sync, scheduler, waiting, bookings, late };
    return session;
  }

  /** `signedOut`: the user is gone (sign-out, another account): the invited numbers go even when the schedule stays. */
  async function closeSession(wipe: boolean, signedOut = true): Promise<void> {
    if (!session) return;
    const { dir, db, sync, scheduler, waiting, bookings } = session;
    session = null;
    known.forget();
    scheduler.dispose();
    await bookings.stop();
    await waiting.dispose();
    await sync.idle();
    if (signedOut) db.invitedNumbers.clear();
    db.close();
    if (wipe) rmSync(dir, { recursive: true, force: true });
  }

  async function authState(): Promise<AuthState> {
    const state = await auth.state();
    // The log redactor replaces whatever the console holds wherever it appears (names,
    // subjects, PINs): the second line of defence behind log lines that never name anyone.
    known.account('account' in state && state.account ? state.account : null);
    return state;
  }

  /** The days the console showed lately (their subjects and PINs), for the log redactor. */
  function rememberDay(schedule: DaySchedule, db: ScheduleDb): DaySchedule {
    // After the answer is on its way: the view's day switch does not wait for this.
    setImmediate(() => {
      if (!session || session.db !== db) return;
      known.day(
        schedule.day,
        schedule.meetings.map((m) => {
          const cached = db.meeting(m.id);
          const room = cached?.room;
          return { subject: m.subject, pins: room ? [room.hostPin, room.guestPin] : cached?.plannedRoom ? [cached.plannedRoom.guestPin] : [] };
        }),
      );
    });
    return schedule;
  }


  /**
   * The whole sign-out: the Sign out button's, and the shared-workstation policy's. The button
   * has sent what waits in the outbox already and asked the user about what is still unsent;
   * the policy's sign-out (nobody to ask) tries once more, bounded, and then signs out: with
   * `wipeScheduleOnSignOut` what is still unsent goes with the schedule (the count is logged).
   */
  async function signOut(byPolicy = false): Promise<AuthState> {
    workstation?.signedOut();
    await calls.end();
    if (byPolicy && session) {
      const unsent = await session.bookings.sendNow(SEND_BEFORE_SIGN_OUT_MS);
      if (unsent > 0)
        log.warn(`sign-out by policy: ${unsent} booking write(s) not confirmed by VDX ${settings.wipeScheduleOnSignOut ? 'were removed with the schedule' : 'stay queued for this user'}`);
    }
    await closeSession(settings.wipeScheduleOnSignOut);
    await auth.signOut();
    // Last, once nothing fetches for this user any more; sign-out stands even if it fails.
    await platform.clearBrowsingData?.().catch((error: unknown) => log.warn('sign-out: the browsing data was not cleared', error));
    const state = await authState();
    emit('all', 'auth.changed', state);
    return state;
  }

  const handlers: CoreHandlers = {
    'app.info': async () => ({ version: platform.version, host: platform.host, locale: platform.locale }),

    'app.diagnostics': async () =>
      buildDiagnostics({
        version: platform.version,
        host: platform.host,
        fetch: platform.fetch,
        effective: running,
        ...(platform.updateStatus ? { updates: platform.updateStatus() } : {}),
        ...(policyReload ? { policyReload } : {}),
        ...(session ? { waiting: session.waiting.notes() } : {}),
      }),

    // Node's own requests (call/main/readiness/): the same in the app and `npm run check-servers`.
    'app.checkServers': async () => runReadinessCheck({ settings: running.settings, origin: platform.windowOrigin }),

    'auth.state': authState,

    'auth.signIn': async () => {
      try {
        await auth.signIn();
        if (signedOutBy !== null) {
          signedOutBy = null;
          emit('main', 'workstation.changed', workstationState());
        }
        platform.windows.focusMain();
      } catch (error) {
        // The user was in the browser: bring the console back to show what went wrong.
        if (!(error instanceof UserFacingError) || !['sign-in-cancelled', 'sign-in-busy'].includes(error.code)) platform.windows.focusMain();
        throw error;
      }
      return authState();
    },

    'auth.signOut': () => signOut(),

    'auth.cancelSignIn': async () => {
      auth.cancelSignIn();
      return { done: true as const };
    },

    'schedule.day': async ({ day }) => {
      const { sync, db, bookings } = await userSession();
      return rememberDay(bookings.present(sync.day(day)), db);
    },

    'schedule.refresh': async ({ day }) => {
      const { sync, db, bookings } = await userSession();
      return rememberDay(bookings.present(await sync.refresh(day)), db);
    },

    'booking.options': async () => (await userSession()).bookings.options(),
    'booking.book': async (request) => {
      (await userSession()).bookings.book(request);
      return { done: true as const };
    },
    'booking.move': async (request) => {
      (await userSession()).bookings.move(request);
      return { done: true as const };
    },
    'booking.cancel': async ({ meetingId }) => {
      (await userSession()).bookings.cancel(meetingId);
      return { done: true as const };
    },
    'booking.settled': async ({ meetingId, waitMs }) => {
      const { bookings, db, sync } = await userSession();
      const settled = await bookings.settled(meetingId, waitMs);
      const meeting = settled.state === 'booked' ? db.meeting(meetingId.toLowerCase()) : null;
      // Booked: its room's details come with a sync of its day (VDX's scheduling-info), so it
      // can be joined at once ("meet now") and invited to.
      if (meeting && !meeting.room) await sync.refresh(localDay(new Date(meeting.startTime)));
      const current = meeting ? db.meeting(meeting.id) : null;
      // A later date: its room is set up shortly before the visit, but VDX gave its address at
      // booking, so the patient can be invited at once.
      return meeting ? { ...settled, invite: current != null && invitableRoom(current) !== null } : settled;
    },
    'booking.sendNow': async () => ({ unsent: await (await userSession()).bookings.sendNow(SEND_BEFORE_SIGN_OUT_MS) }),
    'waiting.late': async ({ meetingId, ...request }) => runningLate(meetingId, request),
    'booking.dismiss': async ({ seq }) => {
      (await userSession()).bookings.dismiss(seq);
      return { done: true as const };
    },

    'schedule.watch': async ({ day, focus }) => {
      const { scheduler, waiting } = await userSession();
      scheduler.watch(day, { now: focus === true });
      // A view that (re)starts watching gets what is known at once, not at the next change.
      if (day !== null) waiting.resend(day);
      return { done: true as const };
    },

    'schedule.dismissNotice': async () => {
      (await userSession()).sync.dismissNotice();
      return { done: true as const };
    },

    'call.open': async ({ meetingId }) => {
      const { db, waiting } = await userSession();
      const meeting = db.meeting(meetingId);
      if (!meeting) throw new UserFacingError('appointment-not-found');
      if (!meeting.room) throw new UserFacingError('no-room');
      if (!canJoin({ ...meeting, joinable: true }, now())) throw new UserFacingError('not-open');
      const account = await auth.currentAccount();
      await calls.open(meeting, account?.name ?? 'Clinician');
      // The clinician is on the way in: a guest arriving now needs no notification.
      waiting.joined(meeting.id);
      return { done: true as const };
    },
    'workstation.state': async () => workstationState(),
    ...calls.handlers,
    ...createAfterCallHandlers({
      calls,
      schedule: userSession,
      me: () => me,
      displayName: async () => (await auth.currentAccount())?.name ?? 'Clinician',
      servers: settings.conferenceServers,
      invitationBaseUrl: settings.invitationBaseUrl,
      sms,
      onSmsInvited: rememberInvitedNumber,
      openExternal: platform.openExternal,
      log: opts.log.child('call'),
      now,
    }),
  };

  // Policy that changes while the console runs (a watched policy file): what may change live is
  // applied, the rest waits for a restart; Diagnostics shows the settings in force and which.
  let running: EffectiveSettings = opts.effective ?? {
    settings,
    sources: defaultSources(settings),
    locked: [],
    policySources: [],
    ignoredPolicyKeys: [],
    policyProblems: [],
  };
  let policyReload: Diagnostics['policyReload'] | null = null;
  function applyPolicy(next: EffectiveSettings): void {
    const change = policyChange(running, next);
    const live = new Set<SettingKey>(change.live);
    const pick = <T>(now: Record<SettingKey, T>, then: Record<SettingKey, T>) =>
      Object.fromEntries((Object.keys(now) as SettingKey[]).map((k) => [k, live.has(k) ? then[k] : now[k]])) as Record<SettingKey, T>;
    running = {
      ...next,
      settings: pick(running.settings as Record<SettingKey, unknown>, next.settings as Record<SettingKey, unknown>) as typeof settings,
      sources: pick(running.sources, next.sources),
      locked: (Object.keys(running.sources) as SettingKey[]).filter((k) => (live.has(k) ? next.locked : running.locked).includes(k)),
    };
    workstation?.update({ signOutWhenLocked: running.settings.signOutWhenLocked, signOutAfterIdleMinutes: running.settings.signOutAfterIdleMinutes });
    policyReload = { live: change.live, restart: change.restart, invalid: false };
    log.info(`policy changed: applied now: ${change.live.join(', ') || 'nothing'}; at the next start: ${change.restart.join(', ') || 'nothing'}`);
  }
  const policyFiles = opts.reloadPolicy ? (running.watchFiles ?? []) : [];
  const policyWatch =
    opts.reloadPolicy && policyFiles.length > 0
      ? watchPolicyFiles({
          files: policyFiles,
          reload: opts.reloadPolicy,
          onChange: applyPolicy,
          onInvalid: (error) => {
            policyReload = { live: [], restart: [], invalid: true };
            log.warn('policy changed but is invalid: the console keeps the policy it has (a restart would stop on the error)', error);
          },
          log: opts.log.child('policy'),
        })
      : null;

  const wantsWorkstation = settings.signOutWhenLocked || settings.signOutAfterIdleMinutes > 0;
  if (platform.workstation) {
    workstation = watchSharedWorkstation({
      monitor: platform.workstation,
      policy: { signOutWhenLocked: settings.signOutWhenLocked, signOutAfterIdleMinutes: settings.signOutAfterIdleMinutes },
      hasAccount: async () => (await auth.accountKey()) !== null,
      isCallActive: () => calls.isActive(),
      signOut: async (reason) => {
        await signOut(true);
        signedOutBy = reason;
        emit('main', 'workstation.changed', workstationState());
      },
      onPending: () => emit('main', 'workstation.changed', workstationState()),
      log: opts.log.child('workstation'),
    });
  } else if (wantsWorkstation) {
    log.warn('shared workstation: this host cannot see the screen lock or idle time; the sign-out policy does not apply here');
  }

  // Open the signed-in user's schedule now, while the window loads, so its first read is
  // a plain cache read. Not signed in: nothing to open (the first read says so).
  void userSession().catch(() => undefined);

  return {
    handlers,
    isCallActive: () => calls.isActive(),
    async openDeepLink(raw) {
      let lookup: MeetingLookup | null = null;
      let fetchDayOf: ((ref: { uuid: string } | { shortId: string }) => Promise<void>) | undefined;
      try {
        const { db, sync } = await userSession();
        lookup = { byId: (id) => db.meeting(id), byShortId: (shortId) => db.meetingByShortId(shortId) };
        fetchDayOf = async (ref) => {
          const start = await source.findMeetingStart(ref);
          if (start) await sync.refresh(localDay(new Date(start)));
        };
      } catch {
        // not signed in: resolveDeepLink says so
      }
      emit('main', 'deeplink.opened', await resolveDeepLink(raw, lookup, log, fetchDayOf));
      platform.windows.focusMain();
    },
    callWindowClosed() {
      calls.windowClosed();
    },
    async dispose() {
      policyWatch?.close();
      workstation?.dispose();
      await calls.end();
      await closeSession(false, false);
    },
  };
}

function defaultSources(settings: Settings): EffectiveSettings['sources'] {
  return Object.fromEntries(Object.keys(settings).map((k) => [k, 'default'])) as EffectiveSettings['sources'];
}
