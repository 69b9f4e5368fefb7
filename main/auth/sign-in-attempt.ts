/**
 * One interactive sign-in, bounded in time and cancellable, with MSAL's loopback listener
 * always closed at the end.
 *
 * Why this is needed: msal-node 7's `acquireTokenInteractive` creates its own loopback
 * server (`LoopbackClient`, on 127.0.0.1, port chosen by the OS) and waits for the browser
 * to POST the authorization response to it (response_mode=form_post). It takes no abort
 * signal, no timeout, and no custom loopback client (older versions had `loopbackClient`;
 * 7 removed it). If the user closes the browser tab, or the identity provider shows an
 * error page without redirecting (as for an unknown client id), the promise never settles
 * and the port stays open.
 *
 * The one way to settle it from outside is the way MSAL itself expects: deliver an OAuth
 * error response to the listener. We learn the listener's address and the request's
 * `state` from the authorize URL MSAL hands to `openBrowser`, and on cancel or timeout we
 * POST `error=access_denied` with that state to it. MSAL then rejects, and its own
 * `finally` closes the server. The state check stays intact: only the holder of the state
 * (this process) can end the attempt this way.
 */
import type { Logger } from '../log/logger';

export type AbortReason = 'cancelled' | 'timeout';

export class SignInAbortedError extends Error {
  constructor(
    readonly reason: AbortReason,
    options?: { cause?: unknown },
  ) {
    super(reason === 'timeout' ? 'The sign-in attempt timed out.' : 'The sign-in attempt was cancelled.', options);
    this.name = 'SignInAbortedError';
  }
}

export interface SignInAttempt<T> {
  /** Settles with MSAL's result, or rejects (SignInAbortedError after cancel or timeout). */
  readonly result: Promise<T>;
  cancel(): void;
  /** The port MSAL's listener uses, once the browser was asked to open (null before). */
  loopbackPort(): number | null;
}

export interface SignInAttemptOptions<T> {
  /** Starts MSAL's interactive flow with the given browser opener. */
  run: (openBrowser: (url: string) => Promise<void>) => Promise<T>;
  /** Opens the URL in the system browser (through the allowlist guard). */
  openExternal: (url: string) => Promise<void>;
  timeoutMs: number;
  /** After an abort, how long MSAL may take to settle before we stop waiting for it. */
  settleMs?: number;
  log: Logger;
  /** Delivers the error response to the listener. Default: an HTTP POST on loopback. */
  deliverError?: (listener: URL, state: string) => Promise<void>;
}

export function startSignInAttempt<T>(opts: SignInAttemptOptions<T>): SignInAttempt<T> {
  const { log } = opts;
  const deliverError = opts.deliverError ?? postErrorToLoopback;
  let reason: AbortReason | null = null;
  let settled = false;
  let authorizeUrl: URL | null = null;
  let settleTimer: NodeJS.Timeout | undefined;

  let resolveResult!: (value: T) => void;
  let rejectResult!: (error: unknown) => void;
  const result = new Promise<T>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  const finish = () => {
    settled = true;
    clearTimeout(timer);
    clearTimeout(settleTimer);
  };

  function abort(why: AbortReason): void {
    if (settled || reason) return;
    reason = why;
    log.info(`auth: sign-in ${why === 'timeout' ? 'timed out' : 'cancelled'}; closing the loopback listener`);
    const listener = authorizeUrl ? listenerOf(authorizeUrl) : null;
    if (listener) {
      deliverError(listener.url, listener.state).catch((error: unknown) =>
        // Already closed (MSAL finished at the same moment): nothing left to close.
        log.debug(`auth: the loopback listener did not take the cancel (${(error as Error).name})`),
      );
    }
    // Before openBrowser ran there is no listener address yet; openBrowser refuses below,
    // which makes MSAL close the listener itself.
    settleTimer = setTimeout(() => {
      if (settled) return;
      finish();
      log.warn('auth: MSAL did not settle after the sign-in was stopped');
      rejectResult(new SignInAbortedError(why));
    }, opts.settleMs ?? 5_000);
    settleTimer.unref?.();
  }

  const timer = setTimeout(() => abort('timeout'), opts.timeoutMs);
  timer.unref?.();

  const openBrowser = async (url: string) => {
    if (reason) throw new SignInAbortedError(reason);
    authorizeUrl = new URL(url);
    await opts.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK (the platform opener checks the allowlist)
  };

  opts.run(openBrowser).then(
    (value) => {
      if (settled) return;
      finish();
      // Finished in the browser just as it was cancelled: the user is signed in all the same.
      resolveResult(value);
    },
    (error: unknown) => {
      if (settled) return;
      finish();
      rejectResult(reason ? new SignInAbortedError(reason, { cause: error }) : error);
    },
  );

  return {
    result,
    cancel: () => abort('cancelled'),
    loopbackPort() {
      const listener = authorizeUrl ? listenerOf(authorizeUrl) : null;
      return listener ? Number(listener.url.port) : null;
    },
  };
}

/** MSAL's loopback address (its redirect_uri names localhost; it listens on 127.0.0.1) and the state. */
function listenerOf(authorizeUrl: URL): { url: URL; state: string } | null {
  const redirect = authorizeUrl.searchParams.get('redirect_uri');
  const state = authorizeUrl.searchParams.get('state');
  if (!redirect || !state) return null;
  let url: URL;
  try {
    url = new URL(redirect);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || (url.hostname !== 'localhost' && url.hostname !== '127.0.0.1') || !url.port) return null;
  return { url: new URL(`http://127.0.0.1:${url.port}/`), state };
}

async function postErrorToLoopback(listener: URL, state: string): Promise<void> {
  const body = new URLSearchParams({ error: 'access_denied', error_description: 'stopped by the app', state });
  const response = await fetch(listener, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    signal: AbortSignal.timeout(2_000),
  });
  await response.body?.cancel();
}
