/**
 * What went wrong with a sign-in, in plain words the clinician can act on.
 *
 * MSAL's own messages are never shown or logged in full: they can quote URLs, tenant ids
 * and correlation ids. Only MSAL's error code (and Entra's AADSTS number, when the server
 * sent one) decide which of our own sentences the user sees. The renderer translates by
 * `code`.
 */
import type { ErrorCode } from '../../common/errors';

export type SignInErrorCode = Extract<
  ErrorCode,
  | 'sign-in-cancelled'
  | 'sign-in-timeout'
  | 'sign-in-not-registered'
  | 'sign-in-consent-required'
  | 'sign-in-unreachable'
  | 'sign-in-clock-skew'
  | 'sign-in-failed'
>;

export interface SignInProblem {
  code: SignInErrorCode;
}

/** MSAL error codes that mean "no answer from the identity provider" (offline, refused, DNS). */
const NETWORK_CODES = new Set([
  'network_error',
  'endpoints_resolution_error',
  'openid_config_error',
  'untrusted_authority',
  'ENOTFOUND',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/** Entra's AADSTS numbers for consent that an administrator still has to give. */
const CONSENT_AADSTS = ['65001', '65004', '90094', '90095'];
/** Entra's AADSTS numbers for an unknown application (wrong client id or tenant). */
const NOT_REGISTERED_AADSTS = ['700016', '90002', '900023'];
/** Entra's AADSTS numbers for timestamps outside the allowed window (clock skew). */
const CLOCK_AADSTS = ['700024', '50132'];

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const e = error as { errorCode?: unknown; code?: unknown };
  if (typeof e.errorCode === 'string') return e.errorCode;
  return typeof e.code === 'string' ? e.code : '';
}

function textOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const e = error as { errorMessage?: unknown; message?: unknown; subError?: unknown; errorNo?: unknown };
  // Entra's number arrives in the description ("AADSTS65001: ...") and, parsed, as errorNo.
  const number = typeof e.errorNo === 'string' && e.errorNo ? `AADSTS${e.errorNo}` : undefined;
  return [e.errorMessage, e.message, e.subError, number].filter((v) => typeof v === 'string').join(' ');
}

function mentions(text: string, numbers: string[]): boolean {
  return numbers.some((n) => text.includes(`AADSTS${n}`));
}

/** True when the error only says the identity provider could not be reached. */
export function isNetworkError(error: unknown): boolean {
  const code = codeOf(error);
  if (NETWORK_CODES.has(code)) return true;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== error && NETWORK_CODES.has(codeOf(cause));
}

/** Maps an MSAL (or network) error to one of our codes and sentences. */
export function explainSignInError(error: unknown): SignInProblem {
  const code = codeOf(error);
  const text = textOf(error);
  const pick = (c: SignInErrorCode): SignInProblem => ({ code: c });

  if (code === 'access_denied' || code === 'user_cancelled' || code === 'login_canceled') {
    // Entra also sends access_denied when the user declines consent; say that one plainly.
    return mentions(text, CONSENT_AADSTS) ? pick('sign-in-consent-required') : pick('sign-in-cancelled');
  }
  if (code === 'consent_required' || mentions(text, CONSENT_AADSTS)) return pick('sign-in-consent-required');
  if (code === 'invalid_client' || code === 'unauthorized_client' || mentions(text, NOT_REGISTERED_AADSTS))
    return pick('sign-in-not-registered');
  if (code === 'clock_skew' || mentions(text, CLOCK_AADSTS)) return pick('sign-in-clock-skew');
  if (isNetworkError(error)) return pick('sign-in-unreachable');
  return pick('sign-in-failed');
}

/** The largest difference between the IdP's clock and ours that we accept (Entra's own leeway). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * How far this computer's clock is from the identity provider's, judged by a token's `iat`
 * (issued at, in seconds) seen just now. Join windows and offline timestamps depend on the
 * local clock, so a large skew is worth stopping for.
 */
export function clockSkewSeconds(issuedAt: number | undefined, now: Date): number {
  if (issuedAt === undefined || !Number.isFinite(issuedAt)) return 0;
  return Math.abs(Math.round(now.getTime() / 1000) - issuedAt);
}
