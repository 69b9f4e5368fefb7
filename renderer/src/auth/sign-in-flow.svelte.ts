/**
 * One place for starting and cancelling a browser sign-in, shared by the sign-in screen
 * and the "sign in again" banner over the day view. Errors arrive from main as codes and
 * are shown in the user's language; main's English text is only the fallback.
 */
import { t } from '../i18n/i18n.svelte';
import { BackendError, call, messageOf } from '../lib/backend';

/** The codes main's sign-in can fail with (main/auth/sign-in-errors.ts), each with its own sentence. */
const SIGN_IN_ERROR_CODES = new Set([
  'sign-in-cancelled',
  'sign-in-timeout',
  'sign-in-not-registered',
  'sign-in-consent-required',
  'sign-in-unreachable',
  'sign-in-clock-skew',
  'sign-in-failed',
]);

export function signInErrorText(error: unknown): string {
  if (error instanceof BackendError && SIGN_IN_ERROR_CODES.has(error.code)) return t(`auth.error.${error.code}`);
  return messageOf(error);
}

export class SignInFlow {
  busy = $state(false);
  error = $state<string | null>(null);
  /** Main's code for the last failure (the UI's data attribute; tests read it). */
  errorCode = $state<string | null>(null);

  async start(): Promise<void> {
    this.error = null;
    this.errorCode = null;
    this.busy = true;
    try {
      await call('auth.signIn', {});
    } catch (e) {
      this.error = signInErrorText(e);
      this.errorCode = e instanceof BackendError ? e.code : 'unknown';
    } finally {
      this.busy = false;
    }
  }

  async cancel(): Promise<void> {
    try {
      await call('auth.cancelSignIn', {});
    } catch (e) {
      this.error = messageOf(e);
    }
  }
}
