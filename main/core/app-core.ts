/**
 * The console's main-process core, in plain Node: it wires sign-in, the booking source,
 * the encrypted schedule cache and the call ticket into the handlers of the bridge
 * contract. Electron's entry and the browser host both run exactly this.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { canJoin } from '../../common/meeting-status';
import type { AuthState, JoinTicket } from '../../preload/contract';
import { createAuth } from '../auth/msal-auth';
import { createScheduleSync, type ScheduleSync } from '../booking/schedule-sync';
import { createVdxSource } from '../booking/vdx-client';
import { loadOrCreateKey } from '../cache/database-key';
import { openScheduleDb, type ScheduleDb } from '../cache/schedule-db';
import type { Handlers } from '../ipc/router';
import type { Logger } from '../log/logger';
import type { Settings } from '../settings/settings';
import { UserFacingError } from './errors';
import type { EventSink, Platform } from './ports';

export interface Core {
  handlers: Handlers;
  /** The host tells the core when the user closed the call window themselves. */
  callWindowClosed(): void;
  dispose(): Promise<void>;
}

interface UserSession {
  dir: string;
  db: ScheduleDb;
  sync: ScheduleSync;
}

export async function createCore(opts: {
  platform: Platform;
  settings: Settings;
  log: Logger;
  emit: EventSink;
  now?: () => Date;
}): Promise<Core> {
  const { platform, settings, emit } = opts;
  const log = opts.log.child('core');
  const now = opts.now ?? (() => new Date());
  const auth = createAuth({
    settings,
    secretBox: platform.secretBox,
    openExternal: platform.openExternal,
    cachePath: join(platform.userDataDir, 'auth', 'token-cache.bin'),
    log: opts.log.child('auth'),
  });
  const source = createVdxSource({
    baseUrl: settings.bookingApiUrl,
    tokens: auth,
    log: opts.log.child('booking'),
    timeoutMs: settings.requestTimeoutMs,
  });

  let session: UserSession | null = null;
  let signingIn = false;
  let activeCall: JoinTicket | null = null;

  /** The signed-in user's schedule, opened on first use. One folder per account. */
  async function userSession(): Promise<UserSession> {
    const key = await auth.accountKey();
    if (!key) throw new UserFacingError('not-signed-in', 'Please sign in.');
    const dirName = createHash('sha256').update(key).digest('hex').slice(0, 24);
    if (session && session.dir.endsWith(dirName)) return session;
    const dir = join(platform.userDataDir, 'users', dirName);
    const db = openScheduleDb(join(dir, 'schedule.db'), loadOrCreateKey(join(dir, 'schedule.key'), platform.secretBox), log);
    if (db.recoveredFrom) log.warn('cache: the offline schedule was unreadable and has been started afresh');
    const sync = createScheduleSync({
      db,
      source,
      log: opts.log.child('sync'),
      onChanged: (day) => emit('main', 'schedule.changed', { day }),
      now,
    });
    session = { dir, db, sync };
    return session;
  }

  async function closeSession(wipe: boolean): Promise<void> {
    if (!session) return;
    const { dir, db, sync } = session;
    session = null;
    await sync.idle();
    db.close();
    if (wipe) rmSync(dir, { recursive: true, force: true });
  }

  async function authState(): Promise<AuthState> {
    if (signingIn) return { status: 'signing-in' };
    const account = await auth.currentAccount();
    return account ? { status: 'signed-in', account } : { status: 'signed-out' };
  }

  const handlers: Handlers = {
    'app.info': async () => ({ version: platform.version, host: platform.host, locale: platform.locale }),

    'auth.state': authState,

    'auth.signIn': async () => {
      if (signingIn) throw new UserFacingError('busy', 'Sign-in is already under way in your browser.');
      signingIn = true;
      emit('all', 'auth.changed', { status: 'signing-in' });
      try {
        await auth.signIn();
        platform.windows.focusMain();
      } finally {
        signingIn = false;
        emit('all', 'auth.changed', await authState());
      }
      return authState();
    },

    'auth.signOut': async () => {
      platform.windows.closeCallWindow();
      activeCall = null;
      await closeSession(settings.wipeScheduleOnSignOut);
      await auth.signOut();
      const state = await authState();
      emit('all', 'auth.changed', state);
      return state;
    },

    'schedule.day': async ({ day }) => (await userSession()).sync.day(day),

    'schedule.refresh': async ({ day }) => (await userSession()).sync.refresh(day),

    'call.open': async ({ meetingId }) => {
      const { db } = await userSession();
      const meeting = db.meeting(meetingId);
      if (!meeting) throw new UserFacingError('not-found', 'This appointment is not in the schedule.');
      if (!meeting.room) throw new UserFacingError('no-room', 'This appointment has no video room yet.');
      if (!canJoin({ ...meeting, joinable: true }, now()))
        throw new UserFacingError('not-open', 'This appointment is not open for joining now.');
      if (!settings.conferenceServerUrl) throw new UserFacingError('no-conference-server', 'No conference server is configured. Contact IT.');
      if (activeCall && activeCall.meetingId !== meetingId)
        throw new UserFacingError('call-in-progress', 'Leave the current call before joining another.');
      const account = await auth.currentAccount();
      activeCall = {
        meetingId,
        subject: meeting.subject,
        serverUrl: settings.conferenceServerUrl,
        room: meeting.room.id,
        pin: meeting.room.guestPin,
        displayName: account?.name ?? 'Clinician',
        role: 'host',
      };
      log.info(`call: opening the call window for meeting ${meeting.shortId}`);
      await platform.windows.openCallWindow();
      return { done: true as const };
    },

    'call.ticket': async () => {
      if (!activeCall) throw new UserFacingError('no-call', 'There is no call to join.');
      return activeCall;
    },

    'call.leave': async () => {
      activeCall = null;
      platform.windows.closeCallWindow();
      return { done: true as const };
    },
  };

  return {
    handlers,
    callWindowClosed() {
      activeCall = null;
    },
    async dispose() {
      await closeSession(false);
    },
  };
}
