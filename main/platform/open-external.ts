/**
 * The one guard in front of the system browser. Plain TypeScript: the Electron entry passes
 * `shell.openExternal` in as `open`, the browser host passes whatever it uses.
 *
 * Allowed by default: `https:` URLs (the identity provider's authorize page, the booking
 * portal's links) and `mailto:`. Plain `http:` only for origins IT lists in the settings.
 * Never: javascript:, file:, data:, blob:, custom schemes (smb:, ms-msdt:, ...), URLs with
 * credentials, whitespace or control characters, or very long URLs.
 */
import { UserFacingError } from '../core/errors';
import type { OpenExternal } from '../core/ports';
import type { Logger } from '../log/logger';

export const MAX_EXTERNAL_URL_LENGTH = 4096;

/**
 * @param allowlist exact extra origins (`scheme://host[:port]`), e.g. `http://intranet.hospital.example`.
 *   Entries that are not plain http/https origins are ignored.
 */
export function isAllowedExternalUrl(url: unknown, allowlist: readonly string[] = []): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  // The URL parser silently drops tabs and newlines ("java\nscript:"), so refuse them first.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;

  switch (parsed.protocol) {
    case 'https:':
      return parsed.hostname !== '';
    case 'mailto:':
      return parsed.pathname !== '' && !parsed.pathname.startsWith('/');
    case 'http:':
      return parsed.hostname !== '' && normaliseAllowlist(allowlist).has(parsed.origin);
    default:
      return false;
  }
}

function normaliseAllowlist(allowlist: readonly string[]): Set<string> {
  const origins = new Set<string>();
  for (const entry of allowlist) {
    try {
      const url = new URL(entry);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '') {
        origins.add(url.origin);
      }
    } catch {
      // not an origin: ignored
    }
  }
  return origins;
}

export interface ExternalOpener {
  isAllowed(url: string): boolean;
  /** Opens the URL when allowed; otherwise rejects with a UserFacingError('forbidden-url'). */
  open: OpenExternal;
}

export interface ExternalOpenerOptions {
  /** The real opener, e.g. `(url) => shell.openExternal(url)`. Called only for allowed URLs. */
  open: (url: string) => Promise<void>;
  allowlist?: readonly string[];
  log: Logger;
}

export function createExternalOpener(options: ExternalOpenerOptions): ExternalOpener {
  const allowlist = [...(options.allowlist ?? [])];
  const isAllowed = (url: string) => isAllowedExternalUrl(url, allowlist);
  return {
    isAllowed,
    async open(url) {
      if (!isAllowed(url)) {
        // The scheme only: the rest of a URL can hold personal data.
        options.log.warn(`openExternal: refused a ${schemeOf(url)} URL`);
        throw new UserFacingError('forbidden-url');
      }
      await options.open(url);
    },
  };
}

function schemeOf(url: unknown): string {
  if (typeof url !== 'string') return 'non-string';
  const match = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(url);
  return match?.[1] ? `${match[1].toLowerCase()}:` : 'unparseable';
}
