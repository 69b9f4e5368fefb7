/**
 * The one guard in front of the system browser. Plain TypeScript: the Electron entry passes
 * `shell.openExternal` in as `open`, the browser host passes whatever it uses.
 *
 * The rule: open a URL only when its origin is exactly one the console has a reason to send
 * the user to (the identity provider's, the patient portal's, the ones IT lists), or a plain
 * `mailto:` to one address. A URL that merely starts with https:// is not enough: a link in a
 * meeting's text, or a compromised renderer, could otherwise send a clinician anywhere, and
 * the OS hands custom schemes (ms-msdt:, search-ms:, smb:, file:) to programs that run code.
 *
 *  - `https:` only for an allowed origin, scheme, host and port all equal.
 *  - `http:` only when that exact http origin is allowed (IT's loopback or intranet cases).
 *  - `mailto:` with one address and at most the `subject` and `body` parameters.
 *  - Refused whatever the allowlist says: credentials in the URL (`https://user@host`, the
 *    classic "looks like good.example, goes to evil.example"), backslashes anywhere (parsers
 *    disagree on them: `https:\\evil.example`), whitespace and control characters (the URL
 *    parser drops tabs and newlines silently), IDN/punycode hosts (`xn--`) that are not
 *    themselves listed, hosts ending in a dot, `https:host` without the slashes, very long
 *    URLs, anything unparseable.
 *
 * What is opened is the parsed URL's `href`, never the string the caller gave: the OS and
 * the browser then see exactly what was checked (`HTTPS://IdP.example/x` opens as
 * `https://idp.example/x`).
 */
import { UserFacingError } from '../core/errors';
import type { OpenExternal } from '../core/ports';
import type { Logger } from '../log/logger';

export const MAX_EXTERNAL_URL_LENGTH = 4096;

/** mailto: query parameters a mail program may be given; no cc, bcc, to or attach. */
const MAILTO_PARAMETERS = new Set(['subject', 'body']);

/**
 * The origin of an http(s) URL, or null for anything else (other schemes, credentials,
 * unparseable text). Used for the allowlist's entries, so a path in an entry is ignored
 * (`https://portal.example/some/path` allows `https://portal.example`).
 */
export function originOf(url: string): string | null {
  if (typeof url !== 'string' || url.trim() === '' || url.includes('\\')) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.origin;
}

/**
 * The origins the console may open, from the settings: the identity provider's (the
 * authority: its sign-in page), the patient portal's (the invitation links' base, when one is
 * set) and each of IT's `externalAllowlist` entries. A plain function over that shape, so the
 * settings module is not a dependency.
 */
export function allowedOriginsFrom(settings: { authority: string; invitationBaseUrl: string; externalAllowlist: readonly string[] }): string[] {
  const origins = new Set<string>();
  for (const url of [settings.authority, settings.invitationBaseUrl, ...settings.externalAllowlist]) {
    const origin = url ? originOf(url) : null;
    if (origin) origins.add(origin);
  }
  return [...origins];
}

/** The reason a URL is refused, or null when it may be opened (with the URL to open). */
export type ExternalUrlDecision = { allowed: true; url: URL } | { allowed: false; reason: string };

/**
 * Decides whether a URL may be opened, and returns the parsed URL to open.
 * @param allowedOrigins exact origins (`scheme://host[:port]`); entries that are not http(s)
 *   origins are ignored, a path in an entry is ignored.
 */
export function checkExternalUrl(url: unknown, allowedOrigins: readonly string[] = []): ExternalUrlDecision {
  if (typeof url !== 'string') return refuse('not a string');
  if (url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) return refuse('empty or too long');
  // The URL parser silently drops tabs and newlines ("java\nscript:") and trims spaces, so
  // whitespace, control and invisible formatting characters (U+200B, U+202E) are refused first.
  if (/[\s\p{Cc}\p{Cf}]/u.test(url)) return refuse('whitespace or control character');
  // WHATWG URL treats "\" as "/" in http(s) URLs; other parsers do not. Never guess.
  if (url.includes('\\')) return refuse('backslash');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('unparseable');
  }

  if (parsed.protocol === 'mailto:') return checkMailto(parsed);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return refuse('scheme');
  // Written the standard way (scheme://host): "https:host" and "https:/host" parse, but
  // nothing the console opens looks like that, and other parsers read them differently.
  if (!/^https?:\/\/[^/]/i.test(url)) return refuse('not scheme://host');
  // Credentials, even empty ones: "https://@evil.example" parses with no username at all.
  if (parsed.username !== '' || parsed.password !== '' || authorityOf(url).includes('@')) return refuse('credentials');
  if (parsed.hostname === '') return refuse('no host');
  if (parsed.hostname.endsWith('.')) return refuse('trailing dot');

  // Exact origin: scheme, host and port. This is also what refuses look-alikes: a Unicode
  // host (іdp.example with a Cyrillic і) is parsed to its punycode form (xn--…), which is
  // allowed only when that exact origin is listed; the reason says so, for IT's logs.
  if (!normaliseOrigins(allowedOrigins).has(parsed.origin)) {
    return refuse(/(^|\.)xn--/i.test(parsed.hostname) ? 'punycode host not allowed' : 'origin not allowed');
  }
  return { allowed: true, url: parsed };
}

/** The authority part of a hierarchical URL as written ("user@host:port"), '' if none. */
function authorityOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  return match?.[1] ?? '';
}

function checkMailto(parsed: URL): ExternalUrlDecision {
  if (parsed.hash !== '') return refuse('mailto with a fragment');
  let address: string;
  try {
    address = decodeURIComponent(parsed.pathname);
  } catch {
    return refuse('mailto address not decodable');
  }
  // One address, nothing else: no list (a,b), no display name, no header smuggled in.
  if (!/^[^\s@,;:<>()[\]"\\/?&=]+@[^\s@,;:<>()[\]"\\/?&=]+\.[^\s@,;:<>()[\]"\\/?&=]+$/u.test(address)) return refuse('mailto address');
  const seen = new Set<string>();
  for (const key of parsed.searchParams.keys()) {
    const name = key.toLowerCase();
    if (!MAILTO_PARAMETERS.has(name) || seen.has(name)) return refuse('mailto parameter');
    seen.add(name);
  }
  return { allowed: true, url: parsed };
}

function refuse(reason: string): ExternalUrlDecision {
  return { allowed: false, reason };
}

function normaliseOrigins(origins: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const entry of origins) {
    const origin = originOf(entry);
    // A listed host with a trailing dot would never match anything the checks let through.
    if (origin && !new URL(origin).hostname.endsWith('.')) set.add(origin);
  }
  return set;
}

/** Whether the URL may be opened (see `checkExternalUrl`). */
export function isAllowedExternalUrl(url: unknown, allowedOrigins: readonly string[] = []): boolean {
  return checkExternalUrl(url, allowedOrigins).allowed;
}

export interface ExternalOpener {
  isAllowed(url: string): boolean;
  /** Opens the parsed URL when allowed; otherwise rejects with a UserFacingError('forbidden-url'). */
  open: OpenExternal;
}

export interface ExternalOpenerOptions {
  /** The real opener, e.g. `(url) => shell.openExternal(url)`. Called only with an allowed URL's `href`. */
  open: (url: string) => Promise<void>;
  /**
   * The exact origins that may be opened: `allowedOriginsFrom(settings)` (the identity
   * provider's, the patient portal's, IT's allowlist).
   */
  allowedOrigins?: readonly string[];
  /**
   * @deprecated The former name, from when any https URL was allowed: now simply more allowed
   * origins, added to `allowedOrigins`. Pass `allowedOrigins: allowedOriginsFrom(settings)` instead.
   */
  allowlist?: readonly string[];
  log: Logger;
}

export function createExternalOpener(options: ExternalOpenerOptions): ExternalOpener {
  const origins = [...(options.allowedOrigins ?? []), ...(options.allowlist ?? [])];
  return {
    isAllowed: (url) => checkExternalUrl(url, origins).allowed,
    async open(url) {
      const decision = checkExternalUrl(url, origins);
      if (!decision.allowed) {
        // The scheme and the reason only: the rest of a URL can hold personal data.
        options.log.warn(`openExternal: refused a ${schemeOf(url)} URL (${decision.reason})`);
        throw new UserFacingError('forbidden-url');
      }
      await options.open(decision.url.href);
    },
  };
}

function schemeOf(url: unknown): string {
  if (typeof url !== 'string') return 'non-string';
  const match = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(url);
  return match?.[1] ? `${match[1].toLowerCase()}:` : 'unparseable';
}
