/**
 * What the console tells the clinician for each of Pexip's answers to request_token, from
 * recorded shapes, each labelled with where it comes from; and what it writes for IT (the raw
 * status and only Pexip's own messages, never anything else a body could carry).
 */
import { describe, expect, it } from 'vitest';
import { describeAnswer, requestTokenRefusal } from '../../../../../call/providers/pexip/main/pexip-answers';

const LIB_TYPES = '@pexip/infinity-api 20, dist/token/types.d.ts';
const LIB_MESSAGES = '@pexip/infinity-api 20, dist/utils.d.ts InfinityErrorMessage';
const REST_DOC = 'docs.pexip.com/api_client/api_rest.htm#request_token';

const cases: Array<{ source: string; what: string; status: number; body: unknown; code: string; params?: Record<string, unknown>; log: string }> = [
  { source: `${REST_DOC}; ${LIB_MESSAGES}`, what: 'wrong PIN', status: 403, body: { status: 'success', result: 'Invalid PIN' }, code: 'host-pin-wrong', log: 'HTTP 403 "Invalid PIN"' },
  {
    source: LIB_MESSAGES,
    what: 'PIN entry retries exceeded (break-in resistance)',
    status: 403,
    body: { status: 'failed', result: 'Participant exceeded PIN entry retries' },
    code: 'room-pin-retries-exceeded',
    log: 'HTTP 403 "Participant exceeded PIN entry retries"',
  },
  {
    source: `${LIB_TYPES} Result1`,
    what: 'PIN missing: the PIN prompt',
    status: 403,
    body: { status: 'success', result: { pin: 'required', guest_pin: 'required', version: { version_id: '36', pseudo_version: '0' } } },
    code: 'host-pin-wrong',
    log: 'HTTP 403 {guest_pin, pin, version}',
  },
  {
    source: `${LIB_TYPES} Result2`,
    what: 'single sign-on: choose an identity provider',
    status: 403,
    body: { status: 'success', result: { idp: [{ name: 'Hospital IdP', uuid: '6a0f5a3e-0000-4000-8000-000000000001' }], version: { version_id: '36' } } },
    code: 'room-sso-required',
    log: 'HTTP 403 {idp, version}',
  },
  {
    source: `${LIB_TYPES} ResultRedirect`,
    what: 'single sign-on: redirect to the identity provider',
    status: 403,
    body: { status: 'success', result: { redirect_url: 'https://idp.invalid/sso?SAMLRequest=abc', redirect_idp: { name: 'Hospital IdP', uuid: 'x' }, version: {} } },
    code: 'room-sso-required',
    log: 'HTTP 403 {redirect_idp, redirect_url, version}',
  },
  { source: LIB_MESSAGES, what: 'SSO failed', status: 403, body: { status: 'failed', result: 'SSO Authentication Failed' }, code: 'room-sso-required', log: 'HTTP 403 "SSO Authentication Failed"' },
  {
    source: `${LIB_TYPES} ResultExtension`,
    what: 'a conference extension is needed (Virtual Reception style)',
    status: 403,
    body: { status: 'success', result: { conference_extension: 'required', conference_extension_type: 'standard' } },
    code: 'conference-refused',
    params: { status: 403 },
    log: 'HTTP 403 {conference_extension, conference_extension_type}',
  },
  { source: `${LIB_TYPES} Status404; ${LIB_MESSAGES}`, what: 'no such alias', status: 404, body: { status: 'failed', result: 'Neither conference nor gateway found' }, code: 'room-not-found', log: 'HTTP 404 "Neither conference nor gateway found"' },
  { source: `${LIB_TYPES} Status5Xx; ${LIB_MESSAGES}`, what: 'no licence left', status: 503, body: { status: 'failed', result: 'Insufficient licenses' }, code: 'conference-capacity', log: 'HTTP 503 "Insufficient licenses"' },
  { source: `${LIB_TYPES} Status5Xx; ${LIB_MESSAGES}`, what: 'maintenance mode', status: 503, body: { status: 'failed', result: 'System in maintenance mode' }, code: 'conference-capacity', log: 'HTTP 503 "System in maintenance mode"' },
  { source: `${LIB_TYPES} Status415`, what: 'unsupported media type', status: 415, body: { status: 'failed', result: 'Unsupported Media Type' }, code: 'conference-unreachable', params: { status: 415 }, log: 'HTTP 415 "(22 characters, not a known Pexip message)"' },
  { source: 'a reverse proxy in front of the node (no Pexip body)', what: 'gateway error', status: 502, body: null, code: 'conference-unreachable', params: { status: 502 }, log: 'HTTP 502' },
];

describe("Pexip's answers to request_token", () => {
  it.each(cases)('$what ($source): $code', ({ status, body, code, params, log }) => {
    const refusal = requestTokenRefusal(status, body);
    expect(refusal.code).toBe(code);
    expect(refusal.params).toEqual(params);
    expect(describeAnswer(status, body)).toBe(log);
  });

  it('never gives a duration Pexip did not send', () => {
    for (const c of cases) expect(JSON.stringify(requestTokenRefusal(c.status, c.body).params ?? {})).not.toMatch(/minutes|seconds/);
  });

  it('writes an unknown result string only by its length (a body could carry anything)', () => {
    const text = describeAnswer(403, { status: 'failed', result: 'pin 12345678 for Pat Example' });
    expect(text).toBe('HTTP 403 "(28 characters, not a known Pexip message)"');
    expect(requestTokenRefusal(403, { status: 'failed', result: 'pin 12345678 for Pat Example' })).toEqual({ code: 'conference-refused', params: { status: 403 } });
  });
});
