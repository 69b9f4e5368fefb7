/**
 * What a Conferencing Node's answer to request_token means for the clinician, from Pexip's own
 * answers rather than ours: the HTTP status and the `result` (a fixed English string, or an
 * object asking for a PIN, a single sign-on or an extension). Each code the renderer
 * translates says what the clinician can do; none invents a duration Pexip does not give
 * (a room locked by PIN retries stays locked as long as the node's break-in settings say:
 * "try again later, or ask IT").
 *
 * Sources of the shapes:
 * - the result strings: @pexip/infinity-api 20, dist/utils.d.ts (`InfinityErrorMessage`);
 * - the 403 objects (`{pin, guest_pin}`, `{idp: [...]}`, `{redirect_url, redirect_idp}`,
 *   `{conference_extension, conference_extension_type}`) and 404/415/5xx: @pexip/infinity-api
 *   20, dist/token/types.d.ts (`Status403` …), as @pexip/infinity 20's infinityClient.js reads them;
 * - docs.pexip.com/api_client/api_rest.htm#request_token: a wrong or missing PIN is 403.
 *
 * `describeAnswer` gives IT the raw status and a safe form of the result for the log: a
 * result string only when it is one of Pexip's known messages (anything else could carry
 * anything), an object only by its keys. Never the PIN (it is a request header, not here).
 */
import type { ErrorCode, ErrorParams } from '../../../../common/errors';

/** Pexip's result strings this maps (@pexip/infinity-api 20, dist/utils.d.ts). */
export const PEXIP_RESULT = {
  invalidPin: 'Invalid PIN',
  pinRetriesExceeded: 'Participant exceeded PIN entry retries',
  notFound: 'Neither conference nor gateway found',
  extensionNotFound: 'Conference extension not found',
  insufficientLicenses: 'Insufficient licenses',
  participantLimit: 'Participant limit reached',
  outOfResource: 'Out of resource',
  outOfTranscoding: 'Out of transcoding resource',
  outOfProxying: 'Out of proxying resource',
  resourceUnavailable: 'Resource unavailable',
  maintenance: 'System in maintenance mode',
  ssoFailed: 'SSO Authentication Failed',
  ssoNoIdp: 'SSO enabled but no Identity Providers configured',
  invalidRole: 'Invalid role',
  invalidProtocol: 'Invalid protocol for service',
} as const;

const KNOWN = new Set<string>(Object.values(PEXIP_RESULT));
const CAPACITY = new Set<string>([
  PEXIP_RESULT.insufficientLicenses,
  PEXIP_RESULT.participantLimit,
  PEXIP_RESULT.outOfResource,
  PEXIP_RESULT.outOfTranscoding,
  PEXIP_RESULT.outOfProxying,
  PEXIP_RESULT.resourceUnavailable,
  PEXIP_RESULT.maintenance,
]);

export interface Refusal {
  code: ErrorCode;
  params?: ErrorParams;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A request_token that did not give a token: what to tell the clinician. */
export function requestTokenRefusal(status: number, body: unknown): Refusal {
  const result = isObject(body) ? body.result : undefined;
  if (status === 403) {
    if (result === PEXIP_RESULT.pinRetriesExceeded) return { code: 'room-pin-retries-exceeded' };
    if (result === PEXIP_RESULT.invalidPin) return { code: 'host-pin-wrong' };
    // The room asks for single sign-on (a list of identity providers, or a redirect to one):
    // the console signs in with the host PIN, which this room does not take on its own.
    if (isObject(result) && (Array.isArray(result.idp) || typeof result.redirect_url === 'string')) return { code: 'room-sso-required' };
    if (result === PEXIP_RESULT.ssoFailed || result === PEXIP_RESULT.ssoNoIdp) return { code: 'room-sso-required' };
    // `{pin: 'required', …}`: the PIN is missing (the booking gave none) or was not taken.
    if (isObject(result) && 'pin' in result) return { code: 'host-pin-wrong' };
    return { code: 'conference-refused', params: { status } };
  }
  if (status === 404) return { code: 'room-not-found' };
  if (typeof result === 'string' && CAPACITY.has(result)) return { code: 'conference-capacity' };
  return { code: 'conference-unreachable', params: { status } };
}

/** The raw answer for IT's log: status, and the result only as far as it is safe to write. */
export function describeAnswer(status: number, body: unknown): string {
  const result = isObject(body) ? body.result : undefined;
  if (typeof result === 'string') return `HTTP ${status} "${KNOWN.has(result) ? result : `(${result.length} characters, not a known Pexip message)`}"`;
  if (isObject(result)) return `HTTP ${status} {${Object.keys(result).sort().slice(0, 10).join(', ')}}`;
  return `HTTP ${status}`;
}
