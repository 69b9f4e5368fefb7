/**
 * Everything that can go wrong across the bridge, as a code with parameters. Main never
 * sends a sentence: the renderer translates `error.<code>` in the user's language (the
 * catalog test keeps every code translated). Parameters are numbers, HTTP statuses, field
 * names and the like: never a name, a subject, a PIN or a token.
 */
import { z } from 'zod';

export const ErrorCode = z.enum([
  // The bridge and the router
  'unknown-channel',
  'forbidden',
  'bad-request',
  'internal',
  'no-bridge',
  'host-unreachable',
  'config-invalid',
  // Save logs for IT: the chosen place could not be written (reason: an errno code such as EACCES)
  'logs-not-saved',
  // Protected storage (the OS keychain)
  'secret-storage-unavailable',
  'secret-storage-basic-text-refused',
  // Sign-in
  'sign-in-cancelled',
  'sign-in-timeout',
  'sign-in-not-registered',
  'sign-in-consent-required',
  'sign-in-unreachable',
  'sign-in-clock-skew',
  'sign-in-failed',
  'sign-in-busy',
  'sign-in-required',
  'not-signed-in',
  // The booking service
  'booking-offline',
  'booking-timeout',
  'booking-unauthorized',
  'booking-server',
  'booking-refused',
  'booking-invalid-response',
  // Booking, moving and cancelling visits
  'booking-not-mine',
  'booking-outbox-full',
  // Deep links
  'link-invalid',
  'link-sign-in',
  'link-not-in-schedule',
  // Calls
  'appointment-not-found',
  'no-room',
  'not-open',
  'no-conference-server',
  'call-in-progress',
  'no-call',
  'host-action-failed',
  'host-pin-wrong',
  'room-locked-out',
  'room-not-found',
  'conference-unreachable',
  // Pexip's own answers to request_token (call/providers/pexip/main/pexip-answers.ts)
  'room-pin-retries-exceeded',
  'room-sso-required',
  'host-pin-not-host',
  'conference-refused',
  'conference-capacity',
  'not-supported',
  'sms-rate-limited',
  'forbidden-url',
  'share-source-gone',
  'share-no-picker',
  'sms-not-configured',
  'sms-failed',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorParams = z.record(z.string(), z.union([z.string().max(200), z.number()]));
export type ErrorParams = z.infer<typeof ErrorParams>;

/** What a failed request answers, and what a sync or a link reports as its problem. */
export const ErrorInfo = z.object({ code: ErrorCode, params: ErrorParams.optional() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export function errorInfo(code: ErrorCode, params?: ErrorParams): ErrorInfo {
  return params ? { code, params } : { code };
}
