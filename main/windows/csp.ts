/**
 * The renderer's Content Security Policy. Plain TypeScript: the Electron protocol handler
 * sends it as a header, and the browser host serves the same string.
 *
 * Nothing inline, nothing eval'd: Svelte 5's compiled output needs neither, as long as the
 * renderer is built with `css: 'external'` and its markup carries no static `style="..."`
 * attributes (Svelte puts those into the HTML template, where CSP blocks them; dynamic
 * `style:` directives and `style={...}` go through the CSSOM and are fine).
 *
 * The only network destinations are the conference servers the settings name (Janus over
 * WebSocket; a Pexip Conferencing Node over HTTPS with its event stream). Everything else
 * (booking API, identity provider, the Janus room guard) is reached by main.
 */
import { facetsFor } from '../../call/main/provider-registry';
import type { ConferenceServer } from '../settings/settings';

export interface CspOptions {
  /** Exact origins the call window may connect to, e.g. `wss://janus.hospital.example:8989`. */
  conferenceOrigins: readonly string[];
}

const CONNECT_SCHEMES = new Set(['ws:', 'wss:', 'http:', 'https:']);

/**
 * Normalises one origin for `connect-src`. Refuses anything that is not a plain ws/wss/http/https
 * origin, so a setting cannot smuggle a wildcard, a keyword or another directive into the policy.
 */
export function toConnectOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('conference origin is not a valid URL');
  }
  if (!CONNECT_SCHEMES.has(url.protocol)) throw new Error(`conference origin has an unsupported scheme (${url.protocol})`);
  if (url.username !== '' || url.password !== '') throw new Error('conference origin must not carry credentials');
  if (url.hostname === '' || url.hostname.includes('*')) throw new Error('conference origin must name one host');
  // url.origin is "null" for no scheme we accept, so this is the serialised scheme://host[:port].
  return url.origin;
}

/**
 * The origins to allow for the configured conference servers: exactly the origins each
 * provider's facets say its window client reaches (`wss://janus.example`, `https://pexip.example`).
 */
export function conferenceOriginsOf(servers: readonly ConferenceServer[] | undefined): string[] {
  return [...new Set((servers ?? []).flatMap((s) => facetsFor(s.provider).windowOrigins(s)).map(toConnectOrigin))];
}

export function buildCsp(options: CspOptions): string {
  const connect = [...new Set(options.conferenceOrigins.map(toConnectOrigin))];
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['media-src', ["'self'", 'blob:', 'mediastream:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...connect]],
    ['frame-src', ["'none'"]],
    ['worker-src', ["'none'"]],
    ['manifest-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/** Splits a policy into directive -> sources, for tests and for the browser host's checks. */
export function parseCsp(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}
