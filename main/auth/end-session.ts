/**
 * Signing out at the identity provider, not only in the console.
 *
 * On a shared workstation the system browser keeps the identity provider's session cookie
 * after the console forgets its tokens; the next person's "Sign in" would then be answered
 * with the previous person's account without a question. So sign-out opens the provider's
 * end_session_endpoint (OpenID Connect RP-Initiated Logout; Entra ID's
 * `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/logout`) in the system browser.
 *
 * What the URL carries, and why:
 *  - `client_id` only. Not `id_token_hint`: the ID token names the person (name,
 *    preferred_username) and the URL stays in the shared browser's history, the one thing this
 *    is meant to leave behind clean. Not `logout_hint` either, for the same reason (Entra's
 *    hint is the login_hint claim, which identifies the user). Without a hint the provider asks
 *    which session to end or whether to sign out, as RP-Initiated Logout says it should.
 *  - No `post_logout_redirect_uri`: MSAL Node's loopback listener lives only inside
 *    `acquireTokenInteractive`, so a redirect after sign-out would need a listener of our own,
 *    open on a port until the person finishes (or never does) in the browser, and registered
 *    as an exact URI with the provider (Entra and oidc-provider both require that). The
 *    provider's own "you have signed out" page tells the person all they need.
 *
 * The endpoint comes from OIDC discovery at the same address MSAL reads it from, fetched
 * through the console's network stack (the system or IT's proxy).
 */
import { z } from 'zod';
import { NO_STORE } from './fetch-network-client';

/** Only the field sign-out needs; discovery documents carry many more. */
const DiscoveryDocument = z.object({
  end_session_endpoint: z.string().max(2048).optional(),
});

/**
 * Where MSAL reads the provider's metadata (msal-common's
 * Authority.defaultOpenIdConfigurationEndpoint): `<authority>.well-known/openid-configuration`
 * for a generic OIDC provider or an authority ending in `v2.0/`, and Entra's
 * `<authority>v2.0/.well-known/openid-configuration` otherwise.
 */
export function discoveryUrlFor(authority: string, protocolMode: 'AAD' | 'OIDC'): URL {
  const base = authority.endsWith('/') ? authority : `${authority}/`;
  const oidc = protocolMode === 'OIDC' || base.endsWith('v2.0/');
  return new URL(oidc ? `${base}.well-known/openid-configuration` : `${base}v2.0/.well-known/openid-configuration`);
}

/** The provider's discovery document could not be read (network, HTTP status, not JSON). */
export class DiscoveryError extends Error {
  override name = 'DiscoveryError';
  constructor(readonly reason: string) {
    super(`The sign-in service's discovery document could not be read (${reason}).`);
  }
}

/**
 * The URL that ends the provider's browser session for this console, or null when the
 * provider has no end_session_endpoint. Throws DiscoveryError when discovery fails.
 */
export async function endSessionUrl(opts: {
  authority: string;
  protocolMode: 'AAD' | 'OIDC';
  clientId: string;
  fetch: typeof fetch;
  timeoutMs: number;
}): Promise<URL | null> {
  let response: Response;
  try {
    response = await opts.fetch(discoveryUrlFor(opts.authority, opts.protocolMode).href, {
      headers: { accept: 'application/json' },
      // Nothing from the provider is kept in Chromium's HTTP cache on a shared workstation.
      ...NO_STORE,
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (error) {
    throw new DiscoveryError((error as Error | null)?.name === 'TimeoutError' ? 'timeout' : 'unreachable');
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DiscoveryError(`HTTP ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new DiscoveryError('not JSON');
  }
  const parsed = DiscoveryDocument.safeParse(body);
  if (!parsed.success) throw new DiscoveryError('unexpected document');
  const endpoint = parsed.data.end_session_endpoint;
  if (!endpoint) return null;
  let url: URL;
  try {
    // Entra's multi-tenant metadata may carry a {tenant} placeholder, which MSAL fills with the
    // authority's tenant segment; so do we.
    url = new URL(endpoint.replace(/\{tenant(?:id)?\}/gi, tenantOf(opts.authority)));
  } catch {
    throw new DiscoveryError('unparseable end_session_endpoint');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DiscoveryError('end_session_endpoint scheme');
  url.searchParams.set('client_id', opts.clientId);
  return url;
}

/** The authority's first path segment (Entra's tenant: an id, a domain, `organizations`). */
function tenantOf(authority: string): string {
  try {
    return new URL(authority).pathname.split('/').find((s) => s !== '') ?? 'common';
  } catch {
    return 'common';
  }
}
