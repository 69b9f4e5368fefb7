/**
 * The sign-in error explainer: MSAL's real error classes in, our own codes out (the
 * renderer writes the sentence), never a URL or a raw MSAL message on the way.
 */
import { ClientAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';
import {
  MAX_CLOCK_SKEW_SECONDS,
  clockSkewSeconds,
  explainSignInError,
  isNetworkError,
} from '../../../main/auth/sign-in-errors';

describe('explainSignInError', () => {
  it.each([
    [new ServerError('access_denied', '', 'End-User aborted interaction'), 'sign-in-cancelled'],
    [new ServerError('access_denied', '', 'AADSTS65004: User declined to consent to access the app.'), 'sign-in-consent-required'],
    [new ServerError('consent_required', '', 'AADSTS65001: The user or administrator has not consented'), 'sign-in-consent-required'],
    [new InteractionRequiredAuthError('interaction_required', '', 'AADSTS90094: The grant requires admin permission.'), 'sign-in-consent-required'],
    [new ServerError('invalid_client', '', 'client authentication failed'), 'sign-in-not-registered'],
    [new ServerError('unauthorized_client', '', 'AADSTS700016: Application with identifier was not found'), 'sign-in-not-registered'],
    [new ServerError('invalid_request', '', 'AADSTS90002: Tenant not found.'), 'sign-in-not-registered'],
    [new ServerError('invalid_grant', '', 'AADSTS700024: Client assertion is not within its valid time range.'), 'sign-in-clock-skew'],
    [new ClientAuthError('network_error', ''), 'sign-in-unreachable'],
    [new ClientAuthError('endpoints_resolution_error', ''), 'sign-in-unreachable'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'sign-in-unreachable'],
    [new ServerError('server_error', '', 'something at https://login.example/tenant-id broke'), 'sign-in-failed'],
    [new ServerError('invalid_request', '', 'Tenant lookup failed', '', '90002'), 'sign-in-not-registered'],
    ['a string', 'sign-in-failed'],
    [null, 'sign-in-failed'],
  ])('%s -> %s', (error, code) => {
    expect(explainSignInError(error)).toEqual({ code });
  });
});

describe('isNetworkError', () => {
  it('knows MSAL network failures from sign-in problems', () => {
    expect(isNetworkError(new ClientAuthError('network_error', ''))).toBe(true);
    expect(isNetworkError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }))).toBe(true);
    expect(isNetworkError(new InteractionRequiredAuthError('invalid_grant', ''))).toBe(false);
    expect(isNetworkError(new ServerError('invalid_client', ''))).toBe(false);
  });
});

describe('clockSkewSeconds', () => {
  const now = new Date('2026-03-02T08:00:00Z');
  const seconds = now.getTime() / 1000;
  it('measures how far a fresh token says the clocks are apart, either way', () => {
    expect(clockSkewSeconds(seconds - 3, now)).toBe(3);
    expect(clockSkewSeconds(seconds + 600, now)).toBe(600);
    expect(clockSkewSeconds(seconds - 3600, now)).toBeGreaterThan(MAX_CLOCK_SKEW_SECONDS);
  });
  it('treats a missing claim as no evidence of skew', () => {
    expect(clockSkewSeconds(undefined, now)).toBe(0);
    expect(clockSkewSeconds(Number.NaN, now)).toBe(0);
  });
});
