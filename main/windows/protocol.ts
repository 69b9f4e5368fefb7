/**
 * How `app://console/...` requests map to files of the renderer build. Plain TypeScript
 * (Electron only as a type), so the same rules are tested under Node and can be reused by
 * the browser host. The Electron registration is in register-protocol.ts.
 *
 * Refused: any method but GET, any host but `console`, credentials or a port, `.` and `..`
 * segments (raw or percent-encoded), encoded slashes or backslashes, NUL, drive letters,
 * and any file type not on the list below. Every answer carries the CSP and `nosniff`.
 */
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CustomScheme } from 'electron';
import { APP_HOST, APP_PAGES, APP_SCHEME } from './app-origin';
import { buildCsp } from './csp';

/**
 * Registered before `ready`. Standard (real origin, relative URLs), secure (a secure
 * context: getUserMedia works), fetch for the page's own assets. Not bypassCSP, no service
 * workers, no CORS for other origins, no extensions.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    bypassCSP: false,
    allowServiceWorkers: false,
    corsEnabled: false,
    stream: false,
    codeCache: true,
    allowExtensions: false,
  },
};

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.webm': 'video/webm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface AppResponse {
  status: 200 | 400 | 403 | 404 | 405;
  /** Absolute path of the file to send; only when status is 200. */
  filePath?: string;
  headers: Record<string, string>;
}

export interface ResolveOptions {
  /** The policy to send; defaults to the policy with no conference origin. */
  csp?: string;
}

/** Headers that go on every answer, file or error. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/**
 * Permissions-Policy per page: only the call page may even ask for camera, microphone and
 * screen capture; the session's permission handler decides again.
 */
export function permissionsPolicyFor(fileName: string): string {
  const isCall = fileName === APP_PAGES.call;
  const media = isCall ? '(self)' : '()';
  return [
    `camera=${media}`,
    `microphone=${media}`,
    `display-capture=${media}`,
    'geolocation=()',
    'usb=()',
    'serial=()',
    'hid=()',
    'midi=()',
    'payment=()',
  ].join(', ');
}

export function resolveAppRequest(
  method: string,
  url: string,
  rootDir: string,
  options: ResolveOptions = {},
): AppResponse {
  const csp = options.csp ?? buildCsp({ conferenceOrigins: [] });
  const fail = (status: AppResponse['status'], extra: Record<string, string> = {}): AppResponse => ({
    status,
    headers: { ...securityHeaders(csp), 'Content-Type': 'text/plain; charset=utf-8', ...extra },
  });

  if (method.toUpperCase() !== 'GET') return fail(405, { Allow: 'GET' });
  if (!isAbsolute(rootDir)) return fail(404);

  // Look at the raw path before URL parsing, which would quietly fold `..` away.
  const raw = rawPath(url);
  if (raw === undefined) return fail(400);

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(400);
  }
  if (parsed.protocol !== `${APP_SCHEME}:`) return fail(403);
  if (parsed.host !== APP_HOST || parsed.port !== '' || parsed.username !== '' || parsed.password !== '') {
    return fail(403);
  }

  const segments: string[] = [];
  for (const encoded of raw.split('/')) {
    if (encoded === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return fail(400);
    }
    if (segment === '.' || segment === '..') return fail(400);
    // Encoded slashes or backslashes (%2f, %5c), NUL, and drive letters (C:).
    if (/[/\\\0:]/.test(segment)) return fail(400);
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(segment)) return fail(400);
    segments.push(segment);
  }
  if (segments.length === 0) segments.push(APP_PAGES.main);

  const root = resolve(rootDir);
  const filePath = resolve(join(root, ...segments));
  const rel = relative(root, filePath);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return fail(400);

  const fileName = segments[segments.length - 1] ?? '';
  const contentType = CONTENT_TYPES[extname(fileName).toLowerCase()];
  if (!contentType) return fail(404);

  const headers: Record<string, string> = { ...securityHeaders(csp), 'Content-Type': contentType };
  if (contentType.startsWith('text/html')) headers['Permissions-Policy'] = permissionsPolicyFor(fileName);
  return { status: 200, filePath, headers };
}

/** The path part of `scheme://authority/path?query#hash`, exactly as written. */
function rawPath(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url);
  return match ? (match[1] ?? '') : undefined;
}
