/**
 * The windows' logger: a line for main's log (`log.write`), where main redacts it, tags it
 * with this window's kind and limits the rate. Technical text only (what failed and why);
 * main's redactor is the second line of defence, not a licence to send names.
 *
 * Fire and forget: logging never waits and never throws, and a line that cannot be sent is
 * dropped silently (logging the failure would only send another line down the same path).
 */
import { MAX_WINDOW_LOG_CHARS, type WindowLogLevel } from '../../../common/window-log';

function send(level: WindowLogLevel, source: string, message: string): void {
  const bridge = window.clinician;
  if (!bridge) return;
  const text = message.length > MAX_WINDOW_LOG_CHARS ? `${message.slice(0, MAX_WINDOW_LOG_CHARS - 1)}…` : message;
  try {
    void bridge.invoke('log.write', { level, source, message: text }).catch(() => undefined);
  } catch {
    // a bridge gone with its window: nothing to tell
  }
}

export const windowLog = {
  error: (source: string, message: string) => send('error', source, message),
  warn: (source: string, message: string) => send('warn', source, message),
  info: (source: string, message: string) => send('info', source, message),
  debug: (source: string, message: string) => send('debug', source, message),
};

/** An error's name and message (and its cause's), never the object: it may hold a request body. */
export function describeForLog(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `; cause: ${describeForLog(error.cause)}` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  if (typeof error === 'string') return error;
  return typeof error;
}

/**
 * Uncaught errors and unhandled rejections of this window, to main's log. Also what the call
 * classes hand to `reportError` (a listener that threw: call/window/emitter.ts), which the
 * browser dispatches as this window's `error` event. Where the script ran, without its query
 * or fragment (a call window's address carries a one-time ticket in the browser host).
 */
export function logUncaughtErrors(target: Window = window): () => void {
  const onError = (event: ErrorEvent) => {
    const where = event.filename ? ` (${scriptName(event.filename)}:${event.lineno}:${event.colno})` : '';
    windowLog.error('window', `uncaught ${event.error !== undefined && event.error !== null ? describeForLog(event.error) : event.message}${where}`);
  };
  const onRejection = (event: PromiseRejectionEvent) => {
    windowLog.error('window', `unhandled rejection: ${describeForLog(event.reason)}`);
  };
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
}

function scriptName(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return 'script';
  }
}

/** The part of a call client this needs (call/window/call-client.ts). */
interface CallEvents {
  on(event: 'warning', listener: (warning: string) => void): () => void;
  on(event: 'state', listener: (change: { state: string; reason?: string }) => void): () => void;
}

/**
 * A call client's warnings (documented as going to the log) and the failures the window sees
 * in its state: reconnecting (the media path or signalling was lost), failed, and leaving for
 * any reason but the user's own.
 */
export function logCallClient(client: CallEvents): () => void {
  const offWarning = client.on('warning', (warning) => windowLog.warn('call', warning));
  const offState = client.on('state', ({ state, reason }) => {
    if (state === 'reconnecting') windowLog.warn('webrtc', 'connection lost, reconnecting');
    else if (state === 'failed') windowLog.error('webrtc', `call failed (${reason ?? 'no reason'})`);
    else if (state === 'left' && reason && reason !== 'user-left') windowLog.info('call', `left the call (${reason})`);
    else if (state === 'joined') windowLog.info('call', 'in the call');
  });
  return () => {
    offWarning();
    offState();
  };
}
