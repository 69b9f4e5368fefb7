/**
 * Where the call window hands @pexip/infinity main's request_token answer: the library has no
 * public way to start from an existing token (its `call()` always asks request_token, and
 * v20 sends that through `window.fetch`, looked up at request time). The window answers the
 * one POST to this URL itself (window/pexip-call-client.ts). The library is pinned to the exact
 * version in package.json, and test/unit/call/providers/pexip/request-token-seam.test.ts fails
 * when its request_token stops going through this seam.
 */
export function requestTokenUrl(nodeUrl: string, alias: string): string {
  return `${nodeUrl.replace(/\/+$/, '')}/api/client/v2/conferences/${encodeURIComponent(alias)}/request_token`;
}

/** The same node's refresh_token URL: the window reads each new token from its answers too. */
export function refreshTokenUrl(nodeUrl: string, alias: string): string {
  return `${nodeUrl.replace(/\/+$/, '')}/api/client/v2/conferences/${encodeURIComponent(alias)}/refresh_token`;
}
