/**
 * One place for starting and cancelling a browser sign-in, shared by the sign-in screen
 * and the "sign in again" banner over the day view. Errors arrive from main as codes and
 * are shown in the user's language.
 */
import { BackendError, call, errorText } from '../lib/backend';

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
      this.error = errorText(e);
      this.errorCode = e instanceof BackendError ? e.code : 'unknown';
    } finally {
      this.busy = false;
    }
  }

  async cancel(): Promise<void> {
    try {
      await call('auth.cancelSignIn', {});
    } catch (e) {
      this.error = errorText(e);
    }
  }
}
