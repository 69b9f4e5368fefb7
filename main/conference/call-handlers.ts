/**
 * The call window's host channels (prepare, admit, deny, moderate, kick, end, invite), wired
 * to the active call's CallHost. app-core starts and stops the call; this holds the rest, so
 * the core only gains a few lines.
 */
import type { Handlers } from '../ipc/router';
import type { Logger } from '../log/logger';
import type { EventSink, OpenExternal, Platform } from '../core/ports';
import { UserFacingError } from '../core/errors';
import { createCallHost, type CallHost } from './call-host';
import type { DevicePreferenceStore } from './device-preferences';
import { buildInvitation } from './invitation';
import { sendSms } from './sms-gateway';

type CallChannels =
  | 'call.prepare'
  | 'call.admit'
  | 'call.deny'
  | 'call.moderate'
  | 'call.kick'
  | 'call.end'
  | 'call.invite'
  | 'call.inviteByEmail'
  | 'call.inviteBySms'
  | 'call.endAfterClose'
  | 'call.keepOpen'
  | 'call.devices'
  | 'call.setDevices'
  | 'call.shareSources'
  | 'call.shareChoose';

export interface CallMeeting {
  subject: string;
  room: string;
  guestPin: string;
  hostPin: string;
  portalLink?: string | undefined;
}

export interface CallHandlers {
  handlers: Pick<Handlers, CallChannels>;
  begin(meeting: CallMeeting): void;
  end(): void;
  /**
   * The call window closed. `byUser`: the host closed it themselves (not Leave, End or
   * sign-out): the meeting may go on without them, so the main window asks whether to end it.
   */
  windowClosed(byUser: boolean): void;
  dispose(): Promise<void>;
}

export function createCallHandlers(opts: {
  serverUrl: string;
  invitationBaseUrl: string;
  smsGatewayUrl: string;
  requestTimeoutMs: number;
  log: Logger;
  emit: EventSink;
  openExternal: OpenExternal;
  devices: DevicePreferenceStore;
  /** The console's own screen picker; absent where the browser shows its own. */
  screenSources?: Platform['screenSources'];
  /** Ending for all closes the call window, like leaving does. */
  closeCallWindow: () => void;
}): CallHandlers {
  const host: CallHost = createCallHost({
    serverUrl: opts.serverUrl,
    log: opts.log,
    onLobby: (waiting) => opts.emit('call', 'call.lobby', { waiting }),
  });
  let meeting: CallMeeting | null = null;
  /** Set while the main window asks whether to end the meeting the host closed. */
  let asking = false;
  const ok = { done: true as const };

  function current(): CallMeeting {
    if (!meeting) throw new UserFacingError('no-call');
    return meeting;
  }

  return {
    begin(m) {
      asking = false;
      meeting = m;
      host.start({ room: m.room, pin: m.guestPin, secret: m.hostPin });
    },
    end() {
      asking = false;
      meeting = null;
      host.stop();
    },
    windowClosed(byUser) {
      if (!byUser || !meeting) return this.end();
      // The controls (and secret) stay until the host answers; the lobby watch stops.
      asking = true;
      host.stopWatching();
      opts.emit('main', 'call.askEnd', { subject: meeting.subject });
    },
    dispose: () => host.dispose(),
    handlers: {
      'call.prepare': async () => {
        current();
        return host.prepare();
      },
      'call.admit': async ({ guestId }) => (await host.admit(guestId), ok),
      'call.deny': async ({ guestId }) => (await host.deny(guestId), ok),
      'call.moderate': async ({ participantId, mid, muted }) => (await host.moderate(participantId, mid, muted), ok),
      'call.kick': async ({ participantId }) => (await host.kick(participantId), ok),
      'call.end': async () => {
        await host.endForAll();
        opts.log.info('call: the host ended the meeting for everyone');
        meeting = null;
        host.stop();
        opts.closeCallWindow();
        return ok;
      },
      'call.invite': async (input) => {
        const m = current();
        return buildInvitation(
          { role: input.role, name: input.name, ...(input.language ? { language: input.language } : {}) },
          { subject: m.subject, room: m.room, guestPin: m.guestPin, serverUrl: opts.serverUrl, portalLink: m.portalLink },
          { baseUrl: opts.invitationBaseUrl },
        );
      },
      'call.inviteByEmail': async ({ mailto }) => {
        await opts.openExternal(mailto); // eng-disable OPEN_EXTERNAL_JS_CHECK (a mailto: through the allowlist guard)
        return ok;
      },
      'call.inviteBySms': async (message) => {
        current();
        await sendSms(opts.smsGatewayUrl, message, opts.requestTimeoutMs);
        opts.log.info('call: an invitation was sent by SMS');
        return ok;
      },
      'call.endAfterClose': async () => {
        if (!asking) throw new UserFacingError('no-call');
        await host.endForAll();
        opts.log.info('call: the host ended the meeting for everyone after closing the call window');
        asking = false;
        meeting = null;
        host.stop();
        return ok;
      },
      'call.keepOpen': async () => {
        asking = false;
        meeting = null;
        host.stop();
        return ok;
      },
      'call.devices': async () => opts.devices.get(),
      'call.setDevices': async (prefs) => {
        opts.devices.set(prefs);
        return ok;
      },
      'call.shareSources': async () => {
        current();
        if (!opts.screenSources) return { picker: false as const };
        return { picker: true as const, sources: await opts.screenSources.list() };
      },
      'call.shareChoose': async ({ sourceId }) => {
        current();
        if (!opts.screenSources) throw new UserFacingError('share-no-picker');
        opts.screenSources.choose(sourceId);
        return ok;
      },
    },
  };
}
